"""Dashboard fixtures: warehouses built once per session, and a runner for the app.

- `demo_db`: the embedded sample corpus (data/sample/docs) marked synthetic through its
  manifest, plus a document whose text holds HTML/Markdown (`<script>`...), an exact copy of
  a sample file (a duplicate) and an empty file (a load error).
- `empty_db`: a warehouse built from an empty folder.
- `open_page(db, page=None, **query_params)`: an AppTest of dashboard/app.py on that
  warehouse (CCHC_ATLAS_DB set, Streamlit caches cleared), switched to app_pages/<page>.py,
  run once. `page_text(at)` joins every text an AppTest shows, for assertions.
"""

from __future__ import annotations

import csv
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from etl.load.build import build_warehouse

ROOT = Path(__file__).resolve().parents[2]
APP = ROOT / "dashboard" / "app.py"
SAMPLE_DOCS = ROOT / "data" / "sample" / "docs"
SCRIPT_FILE = "extra/99_kon-tum_kh45-2022_script.txt"
DUPLICATE_FILE = "zz-copies/01_ha-giang_copy.txt"  # sorts after the original: skipped
EMPTY_FILE = "extra/empty.txt"

SCRIPT_DOC = """\
Tin hoạt động
Ngày đăng: 10/03/2022
Kon Tum: Tuyên truyền cải cách hành chính năm 2022 <script>alert('x')</script>
Ngày 5/3/2022, UBND tỉnh Kon Tum ban hành Kế hoạch số 45/KH-UBND về thông tin, tuyên truyền \
cải cách hành chính năm 2022 <b>đậm</b> *nghiêng* $x$ :red[đỏ] <img src=x onerror=alert(1)>.
Theo kế hoạch, các sở, ngành đăng tải tin bài trên Cổng thông tin điện tử tỉnh, phối hợp với \
Đài Phát thanh - Truyền hình tỉnh mở chuyên mục về cải cách thủ tục hành chính, in tờ rơi \
hướng dẫn người dân nộp hồ sơ trực tuyến.
Giao Sở Nội vụ chủ trì, phối hợp với các cơ quan liên quan tổ chức thực hiện kế hoạch.
Minh An
"""


def make_demo_docs(dest: Path) -> Path:
    """The sample corpus, every file synthetic, plus the three extra files described above."""
    shutil.copytree(SAMPLE_DOCS, dest)
    extra = dest / "extra"
    extra.mkdir()
    (dest / SCRIPT_FILE).write_text(SCRIPT_DOC, encoding="utf-8")
    (dest / DUPLICATE_FILE).parent.mkdir()
    shutil.copyfile(SAMPLE_DOCS / "tin-tuc" / "01_ha-giang_kh58-2022.txt", dest / DUPLICATE_FILE)
    (dest / EMPTY_FILE).write_bytes(b"")

    manifest = dest / "manifest.csv"
    with manifest.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        fields = list(reader.fieldnames or [])
        rows = list(reader)
    listed = {row["file"] for row in rows}
    for row in rows:
        row["synthetic"] = "true"
    for path in sorted(dest.rglob("*")):
        relpath = path.relative_to(dest).as_posix()
        if path.suffix in (".txt", ".html") and relpath not in listed:
            rows.append({**dict.fromkeys(fields, ""), "file": relpath, "synthetic": "true"})
    with manifest.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields)
        writer.writeheader()
        writer.writerows(rows)
    return dest


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("demo_warehouse")
    docs = make_demo_docs(base / "docs")
    db = base / "demo.duckdb"
    summary = build_warehouse(docs, db, workers=1)
    assert summary.written, summary.render()
    return db


@pytest.fixture(scope="session")
def empty_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("empty_warehouse")
    docs = base / "docs"
    docs.mkdir()
    db = base / "empty.duckdb"
    summary = build_warehouse(docs, db, workers=1)
    assert summary.written, summary.render()
    return db


def clear_caches() -> None:
    st.cache_data.clear()
    st.cache_resource.clear()


@pytest.fixture
def use_db(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[Path], None]]:
    """Point the dashboard at a warehouse (env var set, caches cleared)."""

    def _use(db: Path) -> None:
        monkeypatch.setenv("CCHC_ATLAS_DB", str(db))
        clear_caches()

    yield _use
    clear_caches()


@pytest.fixture
def open_page(use_db: Callable[[Path], None]) -> Callable[..., AppTest]:
    def _open(db: Path, page: str | None = None, **query_params: str) -> AppTest:
        use_db(db)
        at = AppTest.from_file(str(APP), default_timeout=120)
        for key, value in query_params.items():
            at.query_params[key] = value
        if page:
            at.switch_page(f"app_pages/{page}.py")
        return at.run()

    return _open


def _texts(node: Any) -> list[str]:
    out: list[str] = []
    for attr in ("label", "value", "body", "help", "placeholder"):
        value = getattr(node, attr, None)
        if isinstance(value, str):
            out.append(value)
    proto = getattr(node, "proto", None)
    for attr in ("label", "body", "help", "placeholder"):
        value = getattr(proto, attr, None)
        if isinstance(value, str):
            out.append(value)
    for child in getattr(node, "children", {}).values() if hasattr(node, "children") else ():
        out.extend(_texts(child))
    return out


def page_text(at: AppTest) -> str:
    """Every label, value and body the app shows (main area and sidebar), newline-joined."""
    return "\n".join(_texts(at.main) + _texts(at.sidebar))


@pytest.fixture
def text_of() -> Callable[[AppTest], str]:
    return page_text


def assert_ok(at: AppTest) -> None:
    """No exception element and no uncaught error in the run."""
    assert not at.exception, [e.value for e in at.exception]


@pytest.fixture
def ok() -> Callable[[AppTest], None]:
    return assert_ok
