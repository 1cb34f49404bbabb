"""The dashboard in a real browser (Debian's Chromium via Playwright): every page renders its
chart or main widget without an exception or console error, nothing is requested from any host
but the local server, a copied URL with filters reopens the same view, and markup inside a
document's text is shown, never run. Screenshots go to test-artefacts/browser/<page>.png.

Skipped when /usr/bin/chromium is absent, except under CI=true, where that is a failure.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest

from tests.browser.conftest import (
    APP,
    ARTEFACTS,
    PAGE_ELEMENTS,
    Warehouse,
    WatchedPage,
    require_chromium,
)

require_chromium()

pytestmark = pytest.mark.browser

LOCAL_HOSTS = {"127.0.0.1", "localhost"}
CHART = '.stPlotlyChart, [data-testid="stPlotlyChart"]'
IDLE = (
    "() => document.querySelector("
    '\'[data-testid="stApp"][data-test-script-state="notRunning"]\') !== null'
    " && document.querySelector('[data-stale=\"true\"]') === null"
)

# page file (dashboard/app_pages/<name>.py) -> the element that proves it rendered
PAGES: dict[str, str] = PAGE_ELEMENTS
DEFAULT_PAGE = "overview"

# a view copied from the address bar: English UI, years 2020-2023
COPIED_FILTERS = {"lang": "en", "y0": "2020", "y1": "2023"}
ENGLISH_TEXT = "Plan year"  # the year slider's label in the English UI
DOC_PARAM = "doc"  # the Documents page's query parameter naming the document shown
XSS_MARKER = "Nội dung thử nghiệm"  # visible text of the hostile document

# Streamlit's own probe, not the app's: opened directly on /<page>, the frontend first tries
# /<page>/_stcore/{health,host-config} as if <page> were a base path, gets 404, then uses
# /_stcore/... (streamlit/streamlit#7074, open). Only these exact messages are ignored.
STREAMLIT_BASE_PROBE = re.compile(
    r"^Failed to load resource: the server responded with a status of 404 \(Not Found\)"
    r" @ \{'url': 'http://127\.0\.0\.1:\d+/[\w-]+/_stcore/"
    r"(health|host-config|allowed-message-origins)'"
)


def url_path(name: str) -> str:
    """The URL path st.navigation gives a page built from app_pages/<name>.py."""
    return "/" if name == DEFAULT_PAGE else f"/{name}"


def wait_idle(watched: WatchedPage, selector: str) -> None:
    """Wait for the element, then for the script run to end with nothing stale on screen."""
    page = watched.page
    page.locator(selector).first.wait_for(state="visible")
    page.wait_for_function(IDLE)
    page.locator(selector).first.wait_for(state="visible")


def assert_clean(watched: WatchedPage) -> None:
    page = watched.page
    exceptions = page.locator('[data-testid="stException"]')
    assert exceptions.count() == 0, "exception box on the page:\n" + "\n---\n".join(
        exceptions.all_inner_texts()
    )
    assert any(urlsplit(url).hostname in LOCAL_HOSTS for url in watched.requests), (
        "no request recorded: the request listener is not working"
    )
    outside = [
        url
        for url in watched.requests
        if urlsplit(url).scheme in {"http", "https", "ws", "wss"}
        and urlsplit(url).hostname not in LOCAL_HOSTS
    ]
    assert not outside, f"requests that left localhost: {outside}"
    assert not watched.page_errors, f"uncaught errors in the page: {watched.page_errors}"
    errors = [e for e in watched.console_errors if not STREAMLIT_BASE_PROBE.match(e)]
    assert not errors, f"console errors: {errors}"


def assert_filters_shown(watched: WatchedPage) -> None:
    """The English UI, and the year slider set to the copied years."""
    page = watched.page
    sidebar = page.locator('[data-testid="stSidebar"]')
    assert ENGLISH_TEXT in sidebar.inner_text(), f"English UI text {ENGLISH_TEXT!r} not shown"
    slider = sidebar.locator('[data-testid="stSlider"]').filter(has_text=ENGLISH_TEXT).first
    thumbs = slider.locator('[data-testid="stSliderThumbValue"]').all_inner_texts()
    wanted = [COPIED_FILTERS["y0"], COPIED_FILTERS["y1"]]
    assert [t.strip() for t in thumbs] == wanted, f"year slider shows {thumbs}, not {wanted}"


@pytest.mark.parametrize("name", list(PAGES))
def test_page_renders_offline(name: str, server: str, watched_page: WatchedPage) -> None:
    assert (APP.parent / "app_pages" / f"{name}.py").is_file(), f"no page file for {name}"
    page = watched_page.page
    page.goto(server + url_path(name))
    wait_idle(watched_page, PAGES[name])
    # let late requests (fonts, chart assets) and console messages arrive before judging
    page.wait_for_load_state("networkidle")
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTEFACTS / f"{name}.png"))
    assert_clean(watched_page)


def test_copied_url_reopens_the_same_view(server: str, new_watched_page) -> None:
    """Filters live in the URL: opening a copied URL in a fresh context shows the same view."""
    first = new_watched_page()
    first.page.goto(f"{server}/channels?{urlencode(COPIED_FILTERS)}")
    wait_idle(first, CHART)
    copied = first.page.url
    assert_filters_shown(first)

    fresh = new_watched_page()  # new context: no cookies, no storage, no session state
    fresh.page.goto(copied)
    wait_idle(fresh, CHART)
    fresh.page.wait_for_load_state("networkidle")
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    fresh.page.screenshot(path=str(ARTEFACTS / "copied-url.png"))
    assert_filters_shown(fresh)
    query = dict(parse_qsl(urlsplit(fresh.page.url).query))
    for key, value in COPIED_FILTERS.items():
        assert query.get(key) == value, f"{key} lost from the URL: {fresh.page.url}"
    assert_clean(fresh)


def test_document_markup_is_not_run(
    server: str, warehouse: Warehouse, watched_page: WatchedPage
) -> None:
    """A document whose text holds <script> and onerror= is shown on the Documents page and
    runs nothing, in the page or in any frame."""
    page = watched_page.page
    page.goto(f"{server}/documents?{urlencode({DOC_PARAM: warehouse.xss_doc_id})}")
    wait_idle(watched_page, PAGES["documents"])
    shown = page.get_by_text(XSS_MARKER).first
    shown.wait_for(state="visible")
    shown.scroll_into_view_if_needed()
    assert "<script>window.__pwned=1</script>" in shown.inner_text(), (
        "the document's markup is not shown as text"
    )
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(500)  # an onerror handler fires after the image request fails
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTEFACTS / "documents-markup.png"))
    for frame in page.frames:
        pwned = frame.evaluate(
            "() => typeof window.__pwned === 'undefined' ? null : window.__pwned"
        )
        assert pwned is None, f"document markup ran in frame {frame.url!r}: __pwned={pwned}"
