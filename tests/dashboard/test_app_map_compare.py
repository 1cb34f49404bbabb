"""The Map and Compare pages in Streamlit's AppTest on the demo warehouse: both eras and both
languages run without an exception and draw their map or charts; choosing a province sets the
sidebar's province filter (for a 2025 province, every legacy province merged into it); an
empty selection or filters matching nothing show what to do; presentation mode opens from the
URL (no sidebar, one chart, Previous/Next); and the URL a view writes reopens the same widgets
in a new session."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.i18n import catalog, translate

OpenPage = Callable[..., AppTest]
Ok = Callable[[AppTest], None]
TextOf = Callable[[AppTest], str]

NOTHING = {"y0": "2016", "y1": "2016", "kind": "report"}  # valid values, no plan has them all
MAP_WIDGETS = {"map_era": "radio", "map_metric": "selectbox", "map_mid": "selectbox"}
COMPARE_WIDGETS = {
    "cmp_by": "radio",
    "cmp_loc": "multiselect",
    "cmp_base": "radio",
    "cmp_mirror": "toggle",
}


def charts_of(at: AppTest) -> list[Any]:
    return list(at.get("plotly_chart"))


def infos(at: AppTest) -> list[str]:
    return [str(element.value) for element in at.info]


def params_of(at: AppTest) -> dict[str, str]:
    return {key: str(at.query_params[key]) for key in at.query_params}


def widget(at: AppTest, kind: str, key: str) -> Any:
    return getattr(at, kind)(key=key)


def foreign_strings(text: str, lang: str) -> list[str]:
    """UI strings of the other language that appear on the page."""
    other = "en" if lang == "vi" else "vi"
    return [
        entry[other]
        for entry in catalog()["ui"].values()
        if len(entry[other]) >= 8
        and entry[other] != entry[lang]
        and "{" not in entry[other]
        and entry[other] in text
    ]


# --- map ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("era", ["63", "34"])
@pytest.mark.parametrize("lang", ["vi", "en"])
def test_map_in_both_eras_and_languages(
    open_page: OpenPage, ok: Ok, text_of: TextOf, demo_db: Path, era: str, lang: str
) -> None:
    at = open_page(demo_db, "map", era=era, lang=lang)
    ok(at)
    assert [title.value for title in at.title] == [translate("map_page.title", lang)]
    charts = charts_of(at)
    assert len(charts) == 1
    text = text_of(at)
    note = translate("map_page.note_2025", lang)
    assert (note in infos(at)) == (era == "34")
    assert translate("map_page.describe_plans", lang) in text
    assert translate("map_page.legend_help", lang, no_plans=translate("map_page.no_plans", lang))
    assert not foreign_strings(text, lang)
    assert params_of(at)["era"] == era and params_of(at)["metric"] == "plans"
    assert widget(at, "radio", "map_era").value == era


def test_map_figure_has_provinces_archipelagos_and_points(
    open_page: OpenPage, ok: Ok, demo_db: Path
) -> None:
    import json

    at = open_page(demo_db, "map", era="34", pts="1", metric="group", mid="digital")
    ok(at)
    spec = json.loads(charts_of(at)[0].proto.spec)
    types = [trace["type"] for trace in spec["data"]]
    assert types.count("choroplethmap") >= 1 and "scattermap" in types
    names = [trace.get("name") for trace in spec["data"]]
    assert translate("map_page.points_legend", "vi") in names
    shown = [t for t in spec["data"] if t["type"] == "choroplethmap" and t.get("showscale", True)]
    assert shown[0]["colorbar"]["title"]["text"].replace("<br>", " ") == translate(
        "map_page.legend_share", "vi"
    )
    assert (shown[0]["zmin"], shown[0]["zmax"]) == (0, 1)  # a share is always 0-100%
    text = json.dumps(spec, ensure_ascii=False)
    assert "Quần đảo Hoàng Sa" in text and "Quần đảo Trường Sa" in text
    assert spec["layout"]["map"]["style"]["sources"], "a style MapLibre accepts on re-render"
    assert "http" not in json.dumps(spec["layout"]["map"]["style"])


@pytest.mark.parametrize(
    ("metric", "mid"),
    [
        ("channel", "web_portal"),
        ("group", "print"),
        ("theme", "procedure_reform"),
        ("tgroup", "framing"),
        ("lead", "home_affairs"),
        ("nchannels", None),
    ],
)
def test_every_metric_draws(
    open_page: OpenPage, ok: Ok, demo_db: Path, metric: str, mid: str | None
) -> None:
    params = {"metric": metric, **({"mid": mid} if mid else {})}
    at = open_page(demo_db, "map", lang="en", **params)
    ok(at)
    assert len(charts_of(at)) == 1
    assert widget(at, "selectbox", "map_metric").value == metric
    if mid:
        assert widget(at, "selectbox", "map_mid").value == mid
        assert params_of(at)["mid"] == mid
    else:
        assert "mid" not in at.query_params


def test_choosing_a_2025_province_filters_its_legacy_provinces(
    open_page: OpenPage, ok: Ok, text_of: TextOf, demo_db: Path
) -> None:
    at = open_page(demo_db, "map", era="34", metric="channel", mid="web_portal")
    ok(at)
    assert translate("map_page.click_hint", "vi") in text_of(at)
    at.selectbox(key="map_province").select("08").run()  # Tuyên Quang (2025)
    ok(at)
    assert params_of(at)["province"] == "02,08"  # Hà Giang and Tuyên Quang before the merger
    assert sorted(at.sidebar.multiselect(key="flt_province").value) == ["02", "08"]
    assert [h.value for h in at.subheader] == ["Tuyên Quang"]
    text = text_of(at)
    assert translate("map_page.merged_from", "vi", names="Hà Giang, Tuyên Quang") in text
    assert translate("map_page.filter_set", "vi") in text
    tables = list(at.dataframe)
    assert len(tables) == 2  # the plans and the evidence
    assert all(len(table.value) > 0 for table in tables)
    # the evidence behind "uses the web portal"
    evidence = tables[1].value
    assert set(evidence[translate("col.fact", "vi")]) == {"Cổng/Trang thông tin điện tử"}
    # clearing the province clears the filter
    at.button(key="map_clear").click().run()
    ok(at)
    assert "province" not in at.query_params
    assert at.sidebar.multiselect(key="flt_province").value == []


def test_choosing_a_legacy_province(open_page: OpenPage, ok: Ok, demo_db: Path) -> None:
    at = open_page(demo_db, "map", era="63", lang="en")
    at.selectbox(key="map_province").select("02").run()
    ok(at)
    assert params_of(at)["province"] == "02"
    assert [h.value for h in at.subheader] == ["Ha Giang"]
    # the map still shows every province: the other provinces keep their colour
    import json

    spec = json.loads(charts_of(at)[0].proto.spec)
    coloured = [
        t for t in spec["data"] if t["type"] == "choroplethmap" and t.get("showscale", True)
    ]
    assert len(coloured[0]["locations"]) > 1


def test_map_with_filters_matching_nothing(open_page: OpenPage, ok: Ok, demo_db: Path) -> None:
    at = open_page(demo_db, "map", **NOTHING)
    ok(at)
    assert charts_of(at) == []
    assert translate("empty.filters", "vi") in infos(at)


def test_map_on_an_empty_warehouse(open_page: OpenPage, ok: Ok, empty_db: Path) -> None:
    at = open_page(empty_db, "map", lang="en", era="34")
    ok(at)
    assert charts_of(at) == []
    assert translate("empty.filters", "en") in infos(at)


def test_map_url_reopens_the_same_view(open_page: OpenPage, ok: Ok, demo_db: Path) -> None:
    at = open_page(demo_db, "map", era="34", metric="lead", mid="information_communications")
    ok(at)
    at.toggle(key="map_pts").set_value(True).run()
    at.selectbox(key="map_province").select("24").run()
    ok(at)
    copied = params_of(at)
    assert copied["era"] == "34" and copied["metric"] == "lead" and copied["pts"] == "1"
    assert copied["mid"] == "information_communications"
    values = {key: widget(at, kind, key).value for key, kind in MAP_WIDGETS.items()}
    again = open_page(demo_db, "map", **copied)
    ok(again)
    assert {key: widget(again, kind, key).value for key, kind in MAP_WIDGETS.items()} == values
    assert again.toggle(key="map_pts").value is True
    assert again.selectbox(key="map_province").value == "24"
    assert params_of(again) == copied


def test_bad_url_values_fall_back_to_defaults(open_page: OpenPage, ok: Ok, demo_db: Path) -> None:
    at = open_page(demo_db, "map", era="99';--", metric="drop table", mid="nope", pts="x")
    ok(at)
    assert widget(at, "radio", "map_era").value == "63"
    assert widget(at, "selectbox", "map_metric").value == "plans"
    assert params_of(at)["era"] == "63" and "mid" not in at.query_params


# --- compare ------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_compare_two_localities(
    open_page: OpenPage, ok: Ok, text_of: TextOf, demo_db: Path, lang: str
) -> None:
    at = open_page(demo_db, "compare", loc="02,24", lang=lang)
    ok(at)
    assert [title.value for title in at.title] == [translate("compare_page.title", lang)]
    assert widget(at, "multiselect", "cmp_loc").value == ["02", "24"]
    assert len(charts_of(at)) == 3  # channel groups, themes, radar
    assert len(at.get("download_button")) == 1
    text = text_of(at)
    assert translate("compare_page.slide_unique", lang) in text
    assert translate("compare_page.baseline_national", lang) in text
    assert not foreign_strings(text, lang)
    assert params_of(at)["loc"] == "02,24" and params_of(at)["by"] == "loc"
    # the charts can be saved as PNG from their toolbar
    import json

    config = json.loads(charts_of(at)[0].proto.config)
    assert config["displayModeBar"] is True
    assert config["toImageButtonOptions"]["filename"] == "cchc-compare-02-24-channels"


def test_compare_default_picks_localities_and_empty_selection_says_what_to_do(
    open_page: OpenPage, ok: Ok, demo_db: Path
) -> None:
    at = open_page(demo_db, "compare")
    ok(at)
    assert len(widget(at, "multiselect", "cmp_loc").value) == 2
    at.multiselect(key="cmp_loc").set_value([]).run()
    ok(at)
    assert charts_of(at) == []
    assert translate("compare_page.pick_localities", "vi", n=4) in infos(at)
    assert "loc" not in at.query_params


def test_compare_one_locality_over_the_years_against_its_previous_plan(
    open_page: OpenPage, ok: Ok, text_of: TextOf, demo_db: Path
) -> None:
    at = open_page(demo_db, "compare", by="year", loc="02", years="2022", base="previous")
    ok(at)
    assert widget(at, "radio", "cmp_by").value == "year"
    assert at.selectbox(key="cmp_one").value == "02"
    assert at.multiselect(key="cmp_years").value == [2022]
    assert len(charts_of(at)) == 3
    text = text_of(at)
    assert translate("compare_page.baseline_previous", "vi") in text
    assert translate("compare_page.only_one", "vi") in text
    assert params_of(at)["years"] == "2022" and params_of(at)["base"] == "previous"


def test_compare_with_filters_matching_nothing(open_page: OpenPage, ok: Ok, demo_db: Path) -> None:
    at = open_page(demo_db, "compare", loc="02,24", **NOTHING)
    ok(at)
    assert charts_of(at) == []
    assert translate("compare_page.empty", "vi") in infos(at) or translate(
        "compare_page.pick_localities", "vi", n=4
    ) in infos(at)


def test_presentation_mode_from_the_url(
    open_page: OpenPage, ok: Ok, text_of: TextOf, demo_db: Path
) -> None:
    at = open_page(demo_db, "compare", present="1", loc="02,24", lang="en")
    ok(at)
    css = [str(m.value) for m in at.markdown if "stSidebar" in str(m.value)]
    assert css and "display: none" in css[0]  # no sidebar
    assert "font-size" in css[0]  # large type
    assert at.title == []  # the compared names are the heading
    assert len(charts_of(at)) == 1  # one chart per screen
    assert at.toggle(key="cmp_present").value is True
    text = text_of(at)
    assert "Previous" in text and "Next" in text
    assert params_of(at)["slide"] == "1"
    at.button(key="cmp_next").click().run()
    ok(at)
    assert params_of(at)["slide"] == "2"
    assert len(charts_of(at)) == 1
    at.button(key="cmp_next").click().run()
    at.button(key="cmp_next").click().run()  # 4: what only one has (a table, no chart)
    ok(at)
    assert params_of(at)["slide"] == "4" and charts_of(at) == []
    at.button(key="cmp_prev").click().run()
    assert params_of(at)["slide"] == "3"
    # leaving presentation mode brings back the whole page
    at.toggle(key="cmp_present").set_value(False).run()
    ok(at)
    assert "present" not in at.query_params and "slide" not in at.query_params
    assert len(charts_of(at)) == 3


def test_presentation_slide_from_the_url_and_mirrored_bars(
    open_page: OpenPage, ok: Ok, demo_db: Path
) -> None:
    import json

    at = open_page(demo_db, "compare", present="1", loc="02,24", slide="1", mirror="1")
    ok(at)
    spec = json.loads(charts_of(at)[0].proto.spec)
    assert spec["layout"]["barmode"] == "relative"
    assert spec["layout"]["font"]["size"] >= 18
    bars = [t for t in spec["data"] if t["type"] == "bar"]
    assert min(bars[0]["x"]) <= 0 <= min(bars[1]["x"])


def test_compare_url_reopens_the_same_view(open_page: OpenPage, ok: Ok, demo_db: Path) -> None:
    at = open_page(demo_db, "compare", loc="24,02,52", lang="en")
    ok(at)
    at.radio(key="cmp_base").set_value("previous").run()
    at.toggle(key="cmp_mirror").set_value(True).run()
    ok(at)
    copied = params_of(at)
    assert copied["loc"] == "24,02,52" and copied["base"] == "previous"
    assert copied["mirror"] == "1"
    values = {key: widget(at, kind, key).value for key, kind in COMPARE_WIDGETS.items()}
    again = open_page(demo_db, "compare", **copied)
    ok(again)
    assert {key: widget(again, kind, key).value for key, kind in COMPARE_WIDGETS.items()} == values
    assert params_of(again) == copied


def test_page_titles_and_navigation_keys_exist() -> None:
    ui = catalog()["ui"]
    for key in ("page.map", "page.compare"):
        assert ui[key]["vi"] and ui[key]["en"]
    for metric in ("plans", "channel", "group", "theme", "tgroup", "lead", "nchannels"):
        assert f"map_page.metric_{metric}" in ui
    for key in ("metric_plans_help", "metric_nchannels_help", "unplaced_63", "unplaced_34"):
        assert f"map_page.{key}" in ui
    for metric in ("channel", "group", "theme", "tgroup", "lead"):
        assert f"map_page.mid_{metric}" in ui and f"map_page.describe_{metric}" in ui
    for name in ("channels", "themes", "radar", "unique", "agencies", "gaps"):
        assert f"compare_page.slide_{name}" in ui
    for key in ("by_loc", "by_year", "base_national", "base_previous"):
        assert f"compare_page.{key}" in ui
