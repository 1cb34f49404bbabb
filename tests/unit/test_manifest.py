"""etl.reading.manifest: the optional manifest.csv beside the documents."""

from __future__ import annotations

import unicodedata
from datetime import date
from pathlib import Path

import pytest

from etl.models import DocumentError, ManifestRow
from etl.reading.manifest import manifest_key, read_manifest


def write(root: Path, content: str, encoding: str = "utf-8") -> None:
    (root / "manifest.csv").write_bytes(content.encode(encoding))


def test_no_manifest_gives_an_empty_mapping(tmp_path: Path) -> None:
    assert read_manifest(tmp_path) == {}


def test_full_rows(tmp_path: Path) -> None:
    write(
        tmp_path,
        "file,url,locality,published_date,title,author,kind,synthetic,notes\n"
        "news/a.html,https://x.example.vn/a,Tỉnh Sóc Trăng,2021-03-05,"
        '"Kế hoạch tuyên truyền, năm 2021",Thu Hà,plan,false,ignored\n'
        "b.txt,,,05/03/2021,,,,yes,\n",
    )
    rows = read_manifest(tmp_path)
    assert rows == {
        "news/a.html": ManifestRow(
            file="news/a.html",
            url="https://x.example.vn/a",
            locality="Tỉnh Sóc Trăng",
            published_date=date(2021, 3, 5),
            title="Kế hoạch tuyên truyền, năm 2021",
            author="Thu Hà",
            kind="plan",
            synthetic=False,
        ),
        "b.txt": ManifestRow(file="b.txt", published_date=date(2021, 3, 5), synthetic=True),
    }


def test_only_the_file_column_is_required(tmp_path: Path) -> None:
    write(tmp_path, "file\na.txt\n\n  \nsub/b.html\n")
    assert read_manifest(tmp_path) == {
        "a.txt": ManifestRow(file="a.txt"),
        "sub/b.html": ManifestRow(file="sub/b.html"),
    }


def test_bom_header_case_and_spaces(tmp_path: Path) -> None:
    content = " File , Published_Date ,LOCALITY\r\n a.txt , 2020-1-9 ,  Huyện Tam Nông \r\n"
    write(tmp_path, content, encoding="utf-8-sig")
    row = read_manifest(tmp_path)["a.txt"]
    assert row.published_date == date(2020, 1, 9)
    assert row.locality == "Huyện Tam Nông"


def test_values_are_nfc(tmp_path: Path) -> None:
    write(tmp_path, unicodedata.normalize("NFD", "file,locality\nthủy.txt,Huyện Thủy Nguyên\n"))
    rows = read_manifest(tmp_path)
    assert list(rows) == ["thủy.txt"]
    assert rows["thủy.txt"].locality == "Huyện Thủy Nguyên"


@pytest.mark.parametrize(
    ("written", "key"),
    [
        ("a.txt", "a.txt"),
        ("./a.txt", "a.txt"),
        ("././sub/a.txt", "sub/a.txt"),
        ("sub\\deeper\\a.html", "sub/deeper/a.html"),
        (".\\sub\\a.html", "sub/a.html"),
        ("sub//a.html", "sub/a.html"),
        ("sub/./a.html", "sub/a.html"),
        ("  sub/a.html ", "sub/a.html"),
        (unicodedata.normalize("NFD", "tỉnh/bản tin.txt"), "tỉnh/bản tin.txt"),
    ],
)
def test_file_keys_are_normalised(tmp_path: Path, written: str, key: str) -> None:
    write(tmp_path, f'file,title\n"{written}",X\n')
    assert list(read_manifest(tmp_path)) == [key]
    assert manifest_key(written) == key


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("true", True),
        ("TRUE", True),
        ("1", True),
        ("yes", True),
        ("Y", True),
        ("false", False),
        ("0", False),
        ("no", False),
        ("", False),
    ],
)
def test_synthetic_values(tmp_path: Path, value: str, expected: bool) -> None:
    write(tmp_path, f"file,synthetic\na.txt,{value}\n")
    assert read_manifest(tmp_path)["a.txt"].synthetic is expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2023-12-31", date(2023, 12, 31)),
        ("31/12/2023", date(2023, 12, 31)),
        ("1/2/2023", date(2023, 2, 1)),
        ("", None),
    ],
)
def test_published_dates(tmp_path: Path, value: str, expected: date | None) -> None:
    write(tmp_path, f"file,published_date\na.txt,{value}\n")
    assert read_manifest(tmp_path)["a.txt"].published_date == expected


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("name,url\na.txt,x\n", "missing the 'file' column"),
        ("", "empty manifest"),
        ("file,published_date\na.txt,2021-13-01\n", "line 2: bad published_date '2021-13-01'"),
        ("file,published_date\na.txt,2021-01-01\nb.txt,31/02/2021\n", "line 3: bad published_"),
        ("file,published_date\na.txt,March 2021\n", "line 2: bad published_date"),
        ("file,published_date\na.txt,2021/03/05\n", "line 2: bad published_date"),
        ("file,synthetic\na.txt,maybe\n", "line 2: bad synthetic value 'maybe'"),
        ("file,title\n,Kế hoạch\n", "line 2: empty 'file' cell"),
        ("file\n../outside.txt\n", "line 2: bad file path"),
        ("file,title\na.txt,X\n./a.txt,Y\n", "line 3: 'a.txt' is listed twice"),
    ],
)
def test_malformed_manifest_names_the_file_and_problem(
    tmp_path: Path, content: str, message: str
) -> None:
    write(tmp_path, content)
    with pytest.raises(DocumentError) as caught:
        read_manifest(tmp_path)
    assert caught.value.path.endswith("manifest.csv")
    assert message in caught.value.problem
    assert "manifest.csv" in str(caught.value)


def test_identical_duplicate_rows_are_accepted(tmp_path: Path) -> None:
    write(tmp_path, "file,title\na.txt,X\na.txt,X\n")
    assert read_manifest(tmp_path) == {"a.txt": ManifestRow(file="a.txt", title="X")}


def test_manifest_that_is_not_utf8(tmp_path: Path) -> None:
    write(tmp_path, "file,locality\na.txt,Cà Mau\n", encoding="cp1258")
    with pytest.raises(DocumentError, match="not UTF-8"):
        read_manifest(tmp_path)


def test_a_row_spanning_lines_is_reported_at_its_last_line(tmp_path: Path) -> None:
    write(tmp_path, 'file,title,published_date\na.txt,"dòng 1\ndòng 2",2021-02-30\n')
    with pytest.raises(DocumentError, match="line 3"):
        read_manifest(tmp_path)
