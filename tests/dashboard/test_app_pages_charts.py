"""The Channels, Themes, Responsibilities and Timeline pages in Streamlit's AppTest: they run
without an exception and draw their charts on the demo warehouse (both languages), show an
empty state when the filters match nothing or the warehouse is empty, and list the plans
behind a selected bar/cell (the chart's selection is simulated)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import plotly.graph_objects as go
import pytest
from streamlit.testing.v1 import AppTest

from dashboard import components
from dashboard.i18n import translate

# page -> charts drawn on the demo warehouse
PAGES: dict[str, int] = {
    "channels": 4,
    "themes": 4,
    "responsibilities": 3,
    "timeline": 3,
}
# valid filter values (kept by the URL parser) that no plan of the demo warehouse has together
NOTHING = {"y0": "2016", "y1": "2016", "kind": "report"}


def charts_of(at: AppTest) -> list[Any]:
    return list(at.get("plotly_chart"))


def infos(at: AppTest) -> list[str]:
    return [str(element.value) for element in at.info]


@pytest.mark.parametrize("page", sorted(PAGES))
@pytest.mark.parametrize("lang", ["vi", "en"])
def test_page_draws_its_charts(
    open_page: Callable[..., AppTest],
    ok: Callable[[AppTest], None],
    text_of: Callable[[AppTest], str],
    demo_db: Path,
    page: str,
    lang: str,
) -> None:
    at = open_page(demo_db, page, lang=lang)
    ok(at)
    assert len(charts_of(at)) == PAGES[page]
    assert translate(f"page.{page}", lang) in [title.value for title in at.title]
    assert translate("common.select_hint", lang) in text_of(at)
    assert not infos(at)


@pytest.mark.parametrize("page", sorted(PAGES))
def test_filters_matching_nothing_show_an_empty_state(
    open_page: Callable[..., AppTest], ok: Callable[[AppTest], None], demo_db: Path, page: str
) -> None:
    at = open_page(demo_db, page, **NOTHING)
    ok(at)
    assert charts_of(at) == []
    assert translate("empty.filters", "vi") in infos(at)


@pytest.mark.parametrize("page", sorted(PAGES))
def test_empty_warehouse(
    open_page: Callable[..., AppTest], ok: Callable[[AppTest], None], empty_db: Path, page: str
) -> None:
    at = open_page(empty_db, page, lang="en")
    ok(at)
    assert charts_of(at) == []
    assert translate("empty.filters", "en") in infos(at)


def _count(value: object) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else -1


def first_point(fig: go.Figure) -> list[dict]:
    """What a click on the first selectable point with plans behind it would return: its
    customdata (selectable traces are bars and scatters; customdata[3] is a count where the
    chart has one)."""
    fallback: list[dict] = []
    for trace in fig.data:
        if trace.type not in ("bar", "scatter") or trace.customdata is None:
            continue
        for data in trace.customdata:
            point = {"customdata": list(data)}
            count = _count(data[3]) if len(data) > 3 else -1
            if count > 0:
                return [point]
            if count < 0 and not fallback:
                fallback = [point]
    return fallback


@pytest.fixture
def clicking(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every chart 'returns' a click on its first point with plans; the chart keys drawn."""
    drawn: list[str] = []
    real_chart = components.chart

    def fake_chart(fig: go.Figure, key: str) -> list[dict]:
        real_chart(fig, key)
        drawn.append(key)
        return first_point(fig)

    monkeypatch.setattr(components, "chart", fake_chart)
    return drawn


@pytest.mark.parametrize("page", sorted(PAGES))
def test_selecting_a_bar_or_cell_lists_the_plans_behind_it(
    open_page: Callable[..., AppTest],
    ok: Callable[[AppTest], None],
    text_of: Callable[[AppTest], str],
    demo_db: Path,
    clicking: list[str],
    page: str,
) -> None:
    at = open_page(demo_db, page, lang="en")
    ok(at)
    behind = translate("common.plans_behind", "en")
    headings = [m.value for m in at.markdown if behind in str(m.value)]
    # every chart except the Sankey (no selection events) gets a plans table
    selectable = [key for key in clicking if "sankey" not in key]
    assert len(headings) == len(selectable), (clicking, headings)
    tables = list(at.dataframe)
    assert len(tables) >= len(selectable)
    assert all(len(table.value) > 0 for table in tables)
    assert translate("pages_common.no_selected_plans", "en") not in text_of(at)


def test_binned_timeline_lists_the_plans_of_a_locality_and_month(
    open_page: Callable[..., AppTest],
    ok: Callable[[AppTest], None],
    text_of: Callable[[AppTest], str],
    demo_db: Path,
    clicking: list[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """With more dated plans than MAX_PLAN_POINTS the dates chart is binned; a click on a
    point lists the plans of that locality and month."""
    from dashboard.charts import timeline

    monkeypatch.setattr(timeline, "MAX_PLAN_POINTS", 0)
    at = open_page(demo_db, "timeline", lang="en")
    ok(at)
    binned = "Plans by issue date (one point per locality and month)"
    assert any(binned in str(chart.proto.spec) for chart in charts_of(at))
    behind = translate("common.plans_behind", "en")
    headings = [m.value for m in at.markdown if behind in str(m.value)]
    assert any(" · " in str(h) and "/20" in str(h) for h in headings), headings
    assert all(len(table.value) > 0 for table in at.dataframe)
    assert translate("pages_common.no_selected_plans", "en") not in text_of(at)
