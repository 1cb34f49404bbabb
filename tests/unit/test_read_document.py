"""etl.reading.discover and etl.reading.document: from a folder to RawDocuments."""

from __future__ import annotations

import codecs
import hashlib
import unicodedata
from pathlib import Path

import pytest

from etl.models import DocumentError
from etl.reading.discover import SUPPORTED_SUFFIXES, discover
from etl.reading.document import read_document

TEXT = (
    "UBND huyện Châu Thành ban hành Kế hoạch số 45/KH-UBND về tuyên truyền cải cách hành "
    "chính năm 2024.\n\nĐài Truyền thanh huyện mở chuyên mục định kỳ hằng tháng."
)
PAGE = (
    "<html><head><title>Tuyên truyền CCHC</title>"
    '<meta property="article:published_time" content="2024-02-01"></head><body>'
    "<nav><a>Trang chủ</a></nav><article><h1>Tuyên truyền CCHC</h1>"
    "<p>UBND huyện Châu Thành ban hành Kế hoạch số 45/KH-UBND về tuyên truyền cải cách "
    "hành chính năm 2024.</p><p>Đài Truyền thanh huyện mở chuyên mục định kỳ hằng tháng.</p>"
    "</article><footer>Bản quyền © 2024</footer></body></html>"
)


# ---- discover ------------------------------------------------------------------------------


def test_discover_finds_supported_files_in_a_stable_order(tmp_path: Path) -> None:
    names = [
        "b.txt",
        "a.HTML",
        "sub/c.htm",
        "sub/deeper/d.TXT",
        "sub-2/e.txt",
        "manifest.csv",
        "notes.md",
        "plan.pdf",
        "old.doc",  # discovered so that it is reported as unsupported, not skipped silently
        "data.xlsx",
        ".hidden.txt",
        ".git/f.txt",
        "sub/.cache/g.html",
    ]
    for name in names:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x", encoding="utf-8")
    found = [p.relative_to(tmp_path).as_posix() for p in discover(tmp_path)]
    assert found == [
        "a.HTML",
        "b.txt",
        "old.doc",
        "plan.pdf",
        "sub-2/e.txt",
        "sub/c.htm",
        "sub/deeper/d.TXT",
    ]
    assert sorted(SUPPORTED_SUFFIXES) == [".doc", ".docx", ".htm", ".html", ".pdf", ".txt"]


def test_discover_on_an_empty_folder(tmp_path: Path) -> None:
    assert discover(tmp_path) == []


def test_discover_rejects_a_missing_root(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="does not exist"):
        discover(tmp_path / "nope")


def test_discover_rejects_a_file_as_root(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("x")
    with pytest.raises(NotADirectoryError, match="not a directory"):
        discover(tmp_path / "a.txt")


# ---- read_document -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "data", "encoding"),
    [
        ("plain.txt", TEXT.encode("utf-8"), "utf-8"),
        ("bom.txt", codecs.BOM_UTF8 + TEXT.encode("utf-8"), "utf-8-sig"),
        ("crlf.txt", TEXT.replace("\n", "\r\n").encode("utf-8"), "utf-8"),
        ("nfd.txt", unicodedata.normalize("NFD", TEXT).encode("utf-8"), "utf-8"),
        ("wide.txt", TEXT.encode("utf-16"), "utf-16-le"),
        ("sub/nested.txt", (TEXT + "\u00a0 \n\n\n").encode("utf-8"), "utf-8"),
    ],
)
def test_text_files(tmp_path: Path, name: str, data: bytes, encoding: str) -> None:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    doc = read_document(path, tmp_path)
    assert doc.text == TEXT
    assert unicodedata.is_normalized("NFC", doc.text)
    assert doc.encoding == encoding
    assert doc.fmt == "txt"
    assert doc.relpath == name
    assert doc.path == str(path)
    assert doc.size_bytes == len(data)
    assert doc.doc_id == hashlib.sha256(data).hexdigest()
    assert doc.meta == {}


def test_html_file(tmp_path: Path) -> None:
    path = tmp_path / "tin" / "bai.HTM"
    path.parent.mkdir()
    path.write_text(PAGE, encoding="utf-8")
    doc = read_document(path, tmp_path)
    assert doc.fmt == "html"
    assert doc.relpath == "tin/bai.HTM"
    assert doc.text == "Tuyên truyền CCHC\n" + TEXT.replace("\n\n", "\n")
    assert doc.meta == {"title": "Tuyên truyền CCHC", "date": "2024-02-01"}
    assert "Trang chủ" not in doc.text
    assert "Bản quyền" not in doc.text


def cp1258_bytes(text: str) -> bytes:
    """Windows-1258 as legacy editors wrote it: letter (with its hat/horn), then the tone."""
    out = bytearray()
    for char in text:
        try:
            out += char.encode("cp1258")
        except UnicodeEncodeError:
            marks = unicodedata.normalize("NFD", char)
            tone = "".join(c for c in marks if c in "\u0300\u0301\u0303\u0309\u0323")
            base = unicodedata.normalize("NFC", "".join(c for c in marks if c not in tone))
            out += (base + tone).encode("cp1258")
    return bytes(out)


def test_legacy_windows_1258_page(tmp_path: Path) -> None:
    page = PAGE.replace("<head>", '<head><meta charset="windows-1258">')
    path = tmp_path / "cu.html"
    path.write_bytes(cp1258_bytes(page))
    doc = read_document(path, tmp_path)
    assert doc.encoding == "cp1258"
    assert doc.text == "Tuyên truyền CCHC\n" + TEXT.replace("\n\n", "\n")


def test_same_bytes_give_the_same_doc_id(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "copy").mkdir()
    (tmp_path / "copy" / "b.txt").write_text(TEXT, encoding="utf-8")
    first = read_document(tmp_path / "a.txt", tmp_path)
    second = read_document(tmp_path / "copy" / "b.txt", tmp_path)
    assert first.doc_id == second.doc_id
    assert first.relpath != second.relpath


def test_doc_id_is_of_the_bytes_not_the_text(tmp_path: Path) -> None:
    (tmp_path / "nfc.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "nfd.txt").write_text(unicodedata.normalize("NFD", TEXT), encoding="utf-8")
    nfc = read_document(tmp_path / "nfc.txt", tmp_path)
    nfd = read_document(tmp_path / "nfd.txt", tmp_path)
    assert nfc.text == nfd.text
    assert nfc.doc_id != nfd.doc_id


@pytest.mark.parametrize(
    ("name", "data", "problem"),
    [
        ("empty.txt", b"", "empty file"),
        ("blank.txt", b" \r\n\t\n\xc2\xa0\n", "no text after cleaning"),
        ("zero-width.txt", "\u200b\ufeff".encode(), "no text after cleaning"),
        ("menu.html", b"<html><body><nav>Trang ch\xe1\xbb\xa7</nav></body></html>", "no text"),
        ("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64), "binary file"),
        ("noise.txt", bytes(range(0x80, 0x100)) * 4, "could not decode"),
    ],
)
def test_unreadable_documents(tmp_path: Path, name: str, data: bytes, problem: str) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(DocumentError) as caught:
        read_document(path, tmp_path)
    assert caught.value.problem.startswith(problem)
    assert caught.value.path == str(path)


def test_a_20_mb_file_is_rejected_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:
        handle.truncate(20 * 1024 * 1024)  # sparse: instant, no disk used
    with pytest.raises(DocumentError) as caught:
        read_document(path, tmp_path)
    assert caught.value.problem == "file too large: 20.0 MB (limit 10 MB)"


@pytest.mark.parametrize(
    ("size", "limit", "message"),
    [
        (2048, 1024, "file too large: 2.0 KB (limit 1 KB)"),
        (101, 100, "file too large: 101 bytes (limit 100 bytes)"),
        (3 * 1024 * 1024, int(1.5 * 1024 * 1024), "file too large: 3.0 MB (limit 1.5 MB)"),
    ],
)
def test_size_limit_is_configurable(tmp_path: Path, size: int, limit: int, message: str) -> None:
    path = tmp_path / "big.txt"
    path.write_bytes(b"a" * size)
    with pytest.raises(DocumentError) as caught:
        read_document(path, tmp_path, max_bytes=limit)
    assert caught.value.problem == message
    assert read_document(path, tmp_path, max_bytes=size).size_bytes == size


def test_a_file_deleted_between_discover_and_read(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "b.txt").write_text(TEXT, encoding="utf-8")
    found = discover(tmp_path)
    found[0].unlink()
    with pytest.raises(DocumentError) as caught:
        read_document(found[0], tmp_path)
    assert caught.value.problem == "file disappeared during the build"
    assert read_document(found[1], tmp_path).relpath == "b.txt"


def test_a_directory_named_like_a_document(tmp_path: Path) -> None:
    (tmp_path / "folder.txt").mkdir()
    with pytest.raises(DocumentError, match="directory"):
        read_document(tmp_path / "folder.txt", tmp_path)


def test_nfd_file_gives_nfc_text(tmp_path: Path) -> None:
    path = tmp_path / "mac.txt"
    path.write_bytes(unicodedata.normalize("NFD", TEXT).encode("utf-8"))
    doc = read_document(path, tmp_path)
    assert doc.text == unicodedata.normalize("NFC", TEXT)
    assert "Châu Thành" in doc.text


def test_relpath_outside_root(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    path = tmp_path / "b" / "x.txt"
    path.write_text(TEXT, encoding="utf-8")
    assert read_document(path, tmp_path / "a").relpath == "../b/x.txt"


def test_relative_path_under_an_absolute_root(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "x.txt").write_text(TEXT, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    doc = read_document(Path("b/x.txt"), tmp_path)
    assert doc.relpath == "b/x.txt"
    assert doc.path == "b/x.txt"


@pytest.mark.parametrize("limit", [None, 60])
def test_a_file_that_grew_after_stat_is_read_whole_up_to_the_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, limit: int | None
) -> None:
    import os

    from etl.reading import document

    path = tmp_path / "dang-viet.txt"
    text = "Kế hoạch tuyên truyền cải cách hành chính năm 2026 của xã Tân Lập."
    path.write_text(text, encoding="utf-8")
    real_stat = os.stat

    def stale_stat(target: object, **kwargs: object) -> os.stat_result:  # size before a write
        info = real_stat(target, **kwargs)  # type: ignore[arg-type]
        if Path(str(target)) != path:
            return info
        fields = list(info)
        fields[6] = 10  # st_size
        return os.stat_result(fields)

    monkeypatch.setattr(document.os, "stat", stale_stat)
    if limit is None:
        assert read_document(path, tmp_path).text == text
    else:
        with pytest.raises(DocumentError, match="file too large"):
            read_document(path, tmp_path, max_bytes=limit)
