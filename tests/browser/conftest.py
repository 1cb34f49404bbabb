"""Fixtures for the real-browser tests: a warehouse, a Streamlit server on a free port, Chromium.

- `warehouse`: the embedded sample corpus plus one hostile document (HTML/script in its text),
  built into a temporary DuckDB file.
- `server`: `streamlit run dashboard/app.py` on 127.0.0.1:<free port> with CCHC_ATLAS_DB set;
  waits (bounded) for `/_stcore/health`, and stops the server (terminate, then kill) at the end.
  Its output goes to `test-artefacts/browser/streamlit.log`.
- `browser`: Debian's Chromium (`/usr/bin/chromium`) driven by Playwright's sync API; never a
  browser downloaded by Playwright.
- `watched_page`: a page in a new context (fixed 1400x1000 viewport) that records console
  errors, uncaught page errors and every request URL, for the tests to assert on.

Set CCHC_ATLAS_BROWSER_APP to another Streamlit script to point the tests at it (development
only; the default is the real dashboard).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
ARTEFACTS = ROOT / "test-artefacts" / "browser"
SAMPLE_DOCS = ROOT / "data" / "sample" / "docs"
APP = Path(os.environ.get("CCHC_ATLAS_BROWSER_APP", ROOT / "dashboard" / "app.py"))
HEALTH_TIMEOUT_S = 60.0
VIEWPORT = {"width": 1400, "height": 1000}
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]

# Page file (dashboard/app_pages/<name>.py) -> the element that proves it is drawn: the browser
# tests wait for it and so does the page benchmark (bench/pages.py). Every page of the sidebar
# needs one (tests/unit/test_bench.py checks): a page without one is never seen as drawn.
CHART_DRAWN = '[data-testid="stPlotlyChart"] .main-svg'  # a Plotly chart's SVG
PAGE_ELEMENTS: dict[str, str] = {
    "overview": CHART_DRAWN,
    "map": CHART_DRAWN,
    "channels": CHART_DRAWN,
    "themes": CHART_DRAWN,
    "responsibilities": CHART_DRAWN,
    "timeline": CHART_DRAWN,
    "compare": CHART_DRAWN,
    "documents": '[data-testid="stDataFrame"]',  # the search results
    "downloads": '[data-testid="stDownloadButton"]',
    "upload": '[data-testid="stFileUploader"]',  # no chart: the file picker
}

# The hostile document: its text carries markup that must be shown, never run.
XSS_FILE = "zz-xss/xss-test.txt"
XSS_PAYLOAD = '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2">'
XSS_TEXT = (
    "Kế hoạch số 99/KH-UBND ngày 10 tháng 3 năm 2022 của Ủy ban nhân dân tỉnh Bình Định "
    "về thông tin, tuyên truyền cải cách hành chính năm 2022.\n\n"
    f"Nội dung thử nghiệm: {XSS_PAYLOAD}\n\n"
    "Đăng tải trên Cổng thông tin điện tử tỉnh; tổ chức hội nghị tập huấn.\n"
)


def _on_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"true", "1"}


def require_chromium() -> None:
    """Skip (fail on CI) when Debian's Chromium is not installed."""
    if CHROMIUM.exists():
        return
    reason = (
        f"{CHROMIUM} not found: the browser tests need Debian's chromium "
        "(apt-get install chromium; .ci/run installs it)"
    )
    if _on_ci():
        pytest.fail(f"CI=true and {reason}", pytrace=False)
    pytest.skip(reason, allow_module_level=True)


@dataclass
class Warehouse:
    db: Path
    docs: Path
    xss_doc_id: str


@pytest.fixture(scope="session")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Warehouse:
    import duckdb

    from etl.load.build import build_warehouse

    tmp = tmp_path_factory.mktemp("browser-warehouse")
    docs = tmp / "docs"
    shutil.copytree(SAMPLE_DOCS, docs)
    xss = docs / XSS_FILE
    xss.parent.mkdir(parents=True, exist_ok=True)
    xss.write_text(XSS_TEXT, encoding="utf-8")
    db = tmp / "w.duckdb"
    summary = build_warehouse(docs, db, workers=1)
    assert summary.written, summary.render()
    with duckdb.connect(str(db), read_only=True) as con:
        row = con.execute("SELECT doc_id FROM documents WHERE relpath = ?", [XSS_FILE]).fetchone()
    assert row is not None, f"{XSS_FILE} was not loaded:\n{summary.render()}"
    return Warehouse(db=db, docs=docs, xss_doc_id=row[0])


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as resp:
            return resp.status == 200 and resp.read().strip() == b"ok"
    except OSError:
        return False


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=10)


@pytest.fixture(scope="session")
def server(warehouse: Warehouse) -> Iterator[str]:
    """Base URL of a Streamlit server running the dashboard on the test warehouse."""
    assert APP.is_file(), f"{APP} does not exist: nothing to serve"
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, "CCHC_ATLAS_DB": str(warehouse.db), "PYTHONUNBUFFERED": "1"}
    streamlit = Path(sys.executable).with_name("streamlit")
    cmd = [
        *([str(streamlit)] if streamlit.exists() else [sys.executable, "-m", "streamlit"]),
        "run",
        str(APP),
        "--server.port",
        str(port),
        "--server.headless",
        "true",
        "--server.address",
        "127.0.0.1",
        "--browser.gatherUsageStats",
        "false",
    ]
    log_path = ARTEFACTS / "streamlit.log"
    with log_path.open("wb") as log:
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + HEALTH_TIMEOUT_S
            while not _healthy(f"{base}/_stcore/health"):
                if proc.poll() is not None:
                    pytest.fail(
                        f"streamlit exited with code {proc.returncode} before answering:\n"
                        + log_path.read_text(errors="replace")[-4000:],
                        pytrace=False,
                    )
                if time.monotonic() > deadline:
                    pytest.fail(
                        f"streamlit not healthy after {HEALTH_TIMEOUT_S:.0f} s:\n"
                        + log_path.read_text(errors="replace")[-4000:],
                        pytrace=False,
                    )
                time.sleep(0.25)
            yield base
        finally:
            _stop(proc)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@dataclass
class WatchedPage:
    """A page with everything it logged and requested."""

    page: object
    requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)


@pytest.fixture
def new_watched_page(browser) -> Iterator:
    """Factory: each call opens a page in a fresh context (no shared cookies or storage)."""
    contexts = []

    def make() -> WatchedPage:
        context = browser.new_context(viewport=VIEWPORT)
        context.set_default_timeout(60_000)
        contexts.append(context)
        page = context.new_page()
        watched = WatchedPage(page=page)
        page.on("request", lambda req: watched.requests.append(req.url))
        page.on(
            "console",
            lambda msg: (
                watched.console_errors.append(f"{msg.text} @ {msg.location}")
                if msg.type == "error"
                else None
            ),
        )
        page.on("pageerror", lambda err: watched.page_errors.append(str(err)))
        return watched

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def watched_page(new_watched_page) -> WatchedPage:
    return new_watched_page()
