"""The Upload page: validation messages, previews, saving, and the rebuild it starts.

The page is opened through dashboard/app.py once it is in the navigation, else on its own
(`AppTest.from_file` on the page file): the test works before and after the lead wires it.
"""

from __future__ import annotations

import re
import shutil
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard import queries
from etl.load import rebuild as rb
from etl.load.build import build_warehouse
from tests.dashboard.conftest import APP, SAMPLE_DOCS, assert_ok, clear_caches, page_text

PAGE = APP.parent / "app_pages" / "upload.py"
HA_GIANG = SAMPLE_DOCS / "tin-tuc" / "01_ha-giang_kh58-2022.txt"
SOC_TRANG = SAMPLE_DOCS / "tin-tuc" / "05_so-tu-phap-soc-trang_kh61-2024.txt"
WIRED = re.search(r"""\(\s*["']upload["']""", APP.read_text(encoding="utf-8")) is not None


@dataclass
class Site:
    docs: Path
    uploads: Path
    db: Path


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Site]:
    """data/raw-like folder with one document, its uploads folder, a warehouse built from it."""
    docs = tmp_path / "raw"
    (docs / "own").mkdir(parents=True)
    shutil.copyfile(SOC_TRANG, docs / "own" / SOC_TRANG.name)
    db = tmp_path / "w.duckdb"
    assert build_warehouse(docs, db, workers=1).written
    monkeypatch.setenv("CCHC_ATLAS_DB", str(db))
    monkeypatch.setenv("CCHC_ATLAS_DOCS", str(docs))
    monkeypatch.setenv("CCHC_ATLAS_UPLOADS", str(docs / "uploads"))
    clear_caches()
    yield Site(docs, docs / "uploads", db)
    clear_caches()


def open_upload(standalone: bool = False, **query_params: str) -> AppTest:
    """The page in the app's frame once wired (else, or with `standalone`, on its own)."""
    if WIRED and not standalone:
        at = AppTest.from_file(str(APP), default_timeout=120)
        at.switch_page("app_pages/upload.py")
    else:
        at = AppTest.from_file(str(PAGE), default_timeout=120)
    for key, value in query_params.items():
        at.query_params[key] = value
    return at.run()


def upload(at: AppTest, files: list[tuple[str, bytes]]) -> AppTest:
    at.file_uploader[0].set_value(
        [(name, data, "application/octet-stream") for name, data in files]
    )
    at.run()
    return at.button(key="up_check").click().run()


def wait_for_rebuild(at: AppTest, db: Path, timeout: float = 180) -> AppTest:
    job = at.session_state["_upload_job"]
    assert job.wait(timeout), "the rebuild did not end"
    return at.run()


def documents_in(db: Path) -> int:
    con = queries.connect_readonly(db)
    try:
        row = con.execute("SELECT count(*) FROM documents").fetchone()
    finally:
        con.close()
    return int(row[0]) if row else 0


# --- rendering -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "title", "never"),
    [
        ("vi", "Tải văn bản lên và xây dựng lại kho dữ liệu", "Chưa có lần xây dựng lại nào"),
        ("en", "Upload documents and rebuild the warehouse", "No rebuild from this page yet."),
    ],
)
def test_the_page_renders(site: Site, lang: str, title: str, never: str) -> None:
    at = open_upload(lang=lang)
    assert_ok(at)
    assert at.title[0].value == title
    text = page_text(at)
    assert str(site.uploads) in text and str(site.docs) in text and str(site.db) in text
    assert never in text
    assert at.button(key="up_check").disabled  # nothing chosen yet
    assert not at.button(key="up_rebuild").disabled
    assert not at.warning  # the uploads folder is inside the documents folder
    uploader = at.file_uploader[0]
    assert uploader.accept_multiple_files


def test_an_uploads_folder_outside_the_documents_folder_is_flagged(
    site: Site, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("CCHC_ATLAS_UPLOADS", str(tmp_path / "elsewhere"))
    at = open_upload(lang="en")
    assert_ok(at)
    assert any("is not inside the documents folder" in w.value for w in at.warning)


def test_another_source_folder_is_flagged(site: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CCHC_ATLAS_DOCS", str(site.docs / "own"))
    monkeypatch.setenv("CCHC_ATLAS_UPLOADS", str(site.docs / "own" / "uploads"))
    at = open_upload(lang="en")
    assert_ok(at)
    assert any("The warehouse in use was built from" in i.value for i in at.info)


# --- checking and saving -----------------------------------------------------------------------


def test_validation_messages_and_previews(site: Site) -> None:
    at = open_upload(lang="en")
    at = upload(
        at,
        [
            ("../../etc/Kế hoạch Hà Giang.txt", HA_GIANG.read_bytes()),
            ("copy.txt", HA_GIANG.read_bytes()),  # the same bytes again
            ("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(200)),
            ("empty.txt", b""),
            ("nul.txt", bytes(2000)),
            ("tool.exe", b"MZ\x90\x00"),
            ("[x](http://example.com) ![i](http://example.com/i.png).txt", b"\xff\xfe\x00\x00"),
        ],
    )
    assert_ok(at)
    assert at.file_uploader[0].value == []  # a fresh uploader: nothing is saved twice
    saved = sorted(p.name for p in site.uploads.iterdir())
    assert saved == ["Kế_hoạch_Hà_Giang.txt"]

    (success,) = at.success
    assert success.value.startswith("1 file(s) saved.")
    (warning,) = at.warning
    body = warning.value
    assert body.startswith("6 file(s) not saved:")
    assert "the same file is already there as Kế\\_hoạch\\_Hà\\_Giang\\.txt" in body
    assert "unsupported format \\.doc \\(Word 97\\-2003\\)\\: save it as \\.docx or PDF" in body
    assert "empty\\.txt: empty file" in body
    assert "nul\\.txt: cannot be read \\(read\\)\\: binary file, not text" in body
    assert "unsupported file type \\.exe" in body
    # a name is shown literally: no link, no image fetched
    assert "\\[x\\]\\(http\\:" in body and "\\!\\[i\\]" in body
    assert any("saved as Kế\\_hoạch\\_Hà\\_Giang\\.txt" in c.value for c in at.caption)

    frame = at.dataframe[0].value
    assert list(frame["File"])[:2] == ["../../etc/Kế hoạch Hà Giang.txt", "copy.txt"]
    first = frame.iloc[0]
    assert first["Result"] == "Saved" and first["Saved as"] == "Kế_hoạch_Hà_Giang.txt"
    assert first["Kind"] == "Plan" and first["Plan number"] == "58/KH-UBND"
    assert first["Issuer"] == "UBND tỉnh Hà Giang" and first["Year"] == 2022
    assert first["Channels"] > 0 and first["Themes"] > 0
    assert list(frame["Result"])[1:] == [
        "Duplicate",
        ".doc format",
        "Empty file",
        "Cannot be read",
        "Unsupported type",
        "Cannot be read",
    ]


def test_the_same_file_uploaded_twice_is_a_duplicate_and_names_never_clash(site: Site) -> None:
    at = open_upload()
    at = upload(at, [("plan.txt", HA_GIANG.read_bytes())])
    at = upload(at, [("plan.txt", HA_GIANG.read_bytes()), ("plan.txt", SOC_TRANG.read_bytes())])
    assert_ok(at)
    assert sorted(p.name for p in site.uploads.iterdir()) == ["plan-2.txt", "plan.txt"]
    assert (site.uploads / "plan.txt").read_bytes() == HA_GIANG.read_bytes()
    assert (site.uploads / "plan-2.txt").read_bytes() == SOC_TRANG.read_bytes()
    (warning,) = at.warning
    assert "tệp này đã có trong thư mục tải lên với tên plan\\.txt" in warning.value
    assert any("plan\\-2\\.txt" in c.value for c in at.caption)


# --- rebuilding --------------------------------------------------------------------------------


def test_a_rebuild_brings_the_uploads_into_every_page(site: Site) -> None:
    assert documents_in(site.db) == 1
    # a page of the dashboard reads the warehouse (and caches its connection) first
    before = queries.load_raw("warehouse_info")
    at = open_upload(lang="en")
    at = upload(at, [("ha-giang.txt", HA_GIANG.read_bytes())])
    at.button(key="up_rebuild").click().run()
    assert_ok(at)
    assert at.button(key="up_rebuild").disabled  # one at a time
    assert any(i.value.startswith(("Starting the rebuild", "Rebuilding (started")) for i in at.info)
    at = wait_for_rebuild(at, site.db)
    assert_ok(at)
    (done,) = [s for s in at.success if s.value.startswith("Rebuilt at")]
    assert "2 documents, 2 plans, 0 file(s) with errors" in done.value
    assert not at.button(key="up_rebuild").disabled
    assert documents_in(site.db) == 2
    after = queries.load_raw("warehouse_info")
    assert not after.equals(before)  # the caches were dropped: the new warehouse is read
    assert rb.running(site.db) is None


def test_a_first_warehouse_is_built_from_uploads(
    site: Site, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    db = tmp_path / "new" / "first.duckdb"
    monkeypatch.setenv("CCHC_ATLAS_DB", str(db))
    # on its own: the app's frame stops before the pages while there is no warehouse
    at = open_upload(standalone=True, lang="en")
    assert_ok(at)
    at = upload(at, [("ha-giang.txt", HA_GIANG.read_bytes())])
    at.button(key="up_rebuild").click().run()
    at = wait_for_rebuild(at, db)
    assert_ok(at)
    assert any(s.value.startswith("Rebuilt at") for s in at.success)
    assert documents_in(db) == 2


def test_an_unreadable_warehouse_does_not_break_the_page(
    site: Site, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.duckdb"
    bad.write_bytes(b"not a database" * 100)
    monkeypatch.setenv("CCHC_ATLAS_DB", str(bad))
    at = open_upload(standalone=True, lang="en")
    assert_ok(at)
    assert not at.button(key="up_rebuild").disabled


def test_a_failed_rebuild_says_why(site: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CCHC_ATLAS_DOCS", str(site.docs / "missing"))
    original = site.db.read_bytes()
    at = open_upload(lang="en")
    at.button(key="up_rebuild").click().run()
    at = wait_for_rebuild(at, site.db)
    assert_ok(at)
    (error,) = at.error
    assert "the previous warehouse is unchanged" in error.value
    assert "the documents folder does not exist" in error.value
    assert site.db.read_bytes() == original


def test_a_rebuild_is_refused_while_another_runs(site: Site) -> None:
    with rb.rebuild_lock(site.db):
        at = open_upload(lang="en")
        at.button(key="up_rebuild").click().run()
        assert_ok(at)
        (warning,) = at.warning
        assert warning.value.startswith("Not started: another rebuild is running (a rebuild is")
        assert "by pid" in warning.value

        # once its status says so, the page shows the running rebuild and disables the button
        rb._write_status(site.db, rb.RebuildStatus("running", 4242, "2026-01-01T00:00:00+00:00"))
        at = open_upload(lang="en")
        assert_ok(at)
        assert any(
            "Rebuilding (started 2026-01-01T00:00:00+00:00, process 4242)" in i.value
            for i in at.info
        )
        assert at.button(key="up_rebuild").disabled


def test_the_cache_key_alone_picks_up_a_rebuilt_warehouse(
    site: Site, use_db: Callable[[Path], None]
) -> None:
    use_db(site.db)
    before = queries.load_raw("warehouse_info")
    time.sleep(0.01)
    assert build_warehouse(SAMPLE_DOCS, site.db, workers=1).written
    assert not queries.load_raw("warehouse_info").equals(before)
