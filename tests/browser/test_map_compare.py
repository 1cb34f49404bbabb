"""The Map and Compare pages in a real browser (Debian's Chromium via Playwright, the fixtures
of tests/browser/conftest.py): the map draws its provinces in both eras (a MapLibre canvas, the
plotly traces) with no page error and nothing fetched from outside; a click on a province sets
the province filter and opens its plans; the comparison opens straight into presentation mode
from its URL; the English UI; and a copied URL opened in a fresh browser context shows the same
view. Screenshots go to test-artefacts/browser/map-*.png and compare-*.png.

Skipped when /usr/bin/chromium is absent, except under CI=true, where that is a failure.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest

from tests.browser.conftest import ARTEFACTS, WatchedPage, require_chromium
from tests.browser.test_pages import CHART, IDLE, assert_clean, wait_idle

require_chromium()

pytestmark = pytest.mark.browser

PLOT = ".js-plotly-plot"
MAP_CANVAS = f"{PLOT} canvas"
TRACES = (
    f"() => Array.from(document.querySelectorAll('{PLOT}'))"
    ".map(d => (d.data || []).map(t => t.type))"
)
# the province under a point of the map, and where that point is on the page
PROJECT = """([lon, lat]) => {
    const map = document.querySelector('.js-plotly-plot')._fullLayout.map._subplot.map;
    const p = map.project([lon, lat]);
    const box = map.getContainer().getBoundingClientRect();
    return [box.left + p.x, box.top + p.y];
}"""
HA_GIANG = (105.0, 22.75)  # inside Hà Giang (legacy 02), since 2025 part of Tuyên Quang (08)
COPIED_MAP = {"era": "34", "metric": "group", "mid": "print", "pts": "1", "lang": "en"}


def shot(watched: WatchedPage, name: str) -> None:
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    watched.page.screenshot(path=str(ARTEFACTS / f"{name}.png"), full_page=True)


def open_view(watched: WatchedPage, url: str, selector: str = CHART) -> None:
    page = watched.page
    page.goto(url)
    wait_idle(watched, selector)
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(1000)  # MapLibre draws after the plot is mounted


def settle(watched: WatchedPage) -> None:
    """Wait for the rerun a click starts to end."""
    page = watched.page
    page.wait_for_timeout(800)
    page.wait_for_function(IDLE)
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(800)


def query(watched: WatchedPage) -> dict[str, Any]:
    return dict(parse_qsl(urlsplit(watched.page.url).query))


@pytest.mark.parametrize(("era", "n_provinces"), [("63", 63), ("34", 34)])
def test_map_draws_the_provinces(
    era: str, n_provinces: int, server: str, watched_page: WatchedPage
) -> None:
    open_view(watched_page, f"{server}/map?{urlencode({'era': era, 'pts': '1'})}")
    page = watched_page.page
    assert page.locator(MAP_CANVAS).count() >= 1, "no map canvas"
    traces = page.evaluate(TRACES)
    assert len(traces) == 1
    assert "choroplethmap" in traces[0] and "scattermap" in traces[0]
    drawn = page.evaluate(
        f"""() => document.querySelector('{PLOT}').data
            .filter(t => t.type === 'choroplethmap')
            .reduce((n, t) => n + t.locations.length, 0)"""
    )
    assert drawn == n_provinces, "every province is drawn once (coloured or grey)"
    labels = page.evaluate(
        f"() => document.querySelector('{PLOT}').data.flatMap(t => t.text || []).join(' ')"
    )
    assert "Hoàng" in labels and "Trường" in labels
    shot(watched_page, f"map-{era}")
    assert_clean(watched_page)


def test_clicking_a_province_filters_to_it(server: str, watched_page: WatchedPage) -> None:
    open_view(watched_page, f"{server}/map?era=34&lang=en")
    page = watched_page.page
    x, y = page.evaluate(PROJECT, list(HA_GIANG))
    page.mouse.click(x, y)
    settle(watched_page)
    assert query(watched_page).get("province") == "02,08", watched_page.page.url
    page.get_by_role("heading", name="Tuyen Quang").wait_for(state="visible")
    sidebar = page.locator('[data-testid="stSidebar"]').inner_text()
    assert "Ha Giang" in sidebar and "Tuyen Quang" in sidebar
    shot(watched_page, "map-34-clicked")
    assert_clean(watched_page)


def test_presentation_mode_from_the_url(server: str, watched_page: WatchedPage) -> None:
    open_view(watched_page, f"{server}/compare?present=1&loc=02,24&lang=en")
    page = watched_page.page
    assert not page.locator('[data-testid="stSidebar"]').is_visible(), "the sidebar is shown"
    assert len(page.evaluate(TRACES)) == 1, "one chart per screen"
    size = page.evaluate(
        "() => parseFloat(getComputedStyle(document.querySelector("
        "'[data-testid=\"stMarkdownContainer\"] p')).fontSize)"
    )
    assert size >= 20, f"presentation text is {size}px"
    assert page.locator('.modebar-btn[data-title^="Download plot"]').count() == 1, (
        "no PNG button on the chart's toolbar"
    )
    shot(watched_page, "compare-present-1")
    page.get_by_role("button", name="Next").click()
    settle(watched_page)
    assert query(watched_page).get("slide") == "2"
    page.get_by_role("button", name="Next").click()
    settle(watched_page)
    assert query(watched_page).get("slide") == "3"
    assert "scatterpolar" in page.evaluate(TRACES)[0]
    shot(watched_page, "compare-present-3")
    assert_clean(watched_page)


def test_compare_in_english(server: str, watched_page: WatchedPage) -> None:
    open_view(watched_page, f"{server}/compare?loc=02,24&lang=en")
    page = watched_page.page
    text = page.locator('[data-testid="stMain"]').inner_text()
    for words in ("Compare localities", "Lead and coordinating agencies", "Only one has it"):
        assert words in text
    assert "So sánh các địa phương" not in text
    assert len(page.evaluate(TRACES)) == 3
    page.locator('[data-testid="stDownloadButton"]').first.wait_for(state="visible")
    shot(watched_page, "compare-en")
    assert_clean(watched_page)


def test_copied_map_url_shows_the_same_view(server: str, new_watched_page) -> None:
    first = new_watched_page()
    open_view(first, f"{server}/map?{urlencode(COPIED_MAP)}")
    copied = first.page.url
    first_traces = first.page.evaluate(TRACES)

    fresh = new_watched_page()  # new context: no cookies, no storage, no session state
    open_view(fresh, copied)
    page = fresh.page
    got = query(fresh)
    for key, value in COPIED_MAP.items():
        assert got.get(key) == value, f"{key} lost from the URL: {page.url}"
    main = page.locator('[data-testid="stMain"]')
    assert main.get_by_role("radio", name="34 provinces (since 1 July 2025)").is_checked()
    assert "Print & visual" in main.inner_text()
    assert "34-province map" in main.inner_text()
    assert page.evaluate(TRACES) == first_traces
    shot(fresh, "map-copied-url")
    assert_clean(fresh)
