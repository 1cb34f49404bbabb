"""Map builders (dashboard/maps.py): layers, choropleth traces, archipelagos, offline figures."""

from __future__ import annotations

import re

import pandas as pd
import plotly.graph_objects as go
import pytest

from dashboard import maps

ARCHIPELAGO_LABELS = {
    "vi": ("Quần đảo Hoàng Sa (Đà Nẵng)", "Quần đảo Trường Sa (Khánh Hòa)"),
    "en": ("Paracel Islands (Da Nang)", "Spratly Islands (Khanh Hoa)"),
}
URL = re.compile(r"https?://")


def values(rows: list[tuple[str, float, int]]) -> pd.DataFrame:
    return pd.DataFrame(
        [{"code": c, "value": v, "n_plans": n, "name": None} for c, v, n in rows],
        columns=["code", "value", "n_plans", "name"],
    )


def province_traces(fig: go.Figure) -> list[go.Choroplethmap]:
    return [t for t in fig.data if isinstance(t, go.Choroplethmap)]


def value_trace(fig: go.Figure) -> go.Choroplethmap:
    (trace,) = [t for t in province_traces(fig) if t.showscale is not False]
    return trace


def grey_trace(fig: go.Figure, label: str) -> go.Choroplethmap:
    (trace,) = [t for t in province_traces(fig) if t.name == label]
    return trace


def plain(text: str) -> str:
    """Map labels use no-break spaces to control wrapping; compare them as plain text."""
    return text.replace("\u00a0", " ")


def texts(fig: go.Figure) -> list[str]:
    return [plain(str(s)) for t in fig.data if getattr(t, "mode", None) == "text" for s in t.text]


# --- layers -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("era", "count"), [("legacy", 63), ("2025", 34)])
def test_layer_feature_count(era: str, count: int) -> None:
    layer = maps.load_layer(era)
    assert len(layer) == count
    assert layer["code"].is_unique
    assert list(layer["code"]) == sorted(layer["code"])
    assert {"name_vi", "name_en", "geometry"} <= set(layer.columns)


def test_layer_is_cached_and_era_checked() -> None:
    assert maps.load_layer("legacy") is maps.load_layer("legacy")
    with pytest.raises(ValueError, match="unknown era"):
        maps.load_layer("1990")


# --- choropleth -------------------------------------------------------------------------------


@pytest.mark.parametrize("era", ["legacy", "2025"])
def test_every_feature_drawn_once(era: str) -> None:
    fig = maps.choropleth(values([("01", 3, 3)]), era, "Plans", "en", "No plans")
    drawn = [loc for t in province_traces(fig) for loc in t.locations]
    assert sorted(drawn) == list(maps.load_layer(era)["code"])
    for trace in province_traces(fig):
        assert [f["id"] for f in trace.geojson["features"]] == list(trace.locations)


def test_values_land_on_their_provinces() -> None:
    rows = [("79", 0.5, 4), ("01", 0.25, 8), ("48", 1.0, 2)]
    fig = maps.choropleth(values(rows), "legacy", "Share of plans", "en", "No plans")
    trace = value_trace(fig)
    by_code = dict(zip(trace.locations, trace.z, strict=True))
    assert by_code == {"01": 0.25, "48": 1.0, "79": 0.5}
    assert [c[0] for c in trace.customdata] == list(trace.locations)
    assert {c[0]: c[1] for c in trace.customdata} == {"01": 8, "48": 2, "79": 4}
    names = dict(zip(trace.locations, trace.text, strict=True))
    assert names == {"01": "Ha Noi", "48": "Da Nang", "79": "Ho Chi Minh"}


def test_2025_codes_and_vietnamese_names() -> None:
    fig = maps.choropleth(values([("46", 2, 2), ("91", 5, 5)]), "2025", "Số kế hoạch", "vi", "x")
    trace = value_trace(fig)
    assert dict(zip(trace.locations, trace.text, strict=True)) == {"46": "Huế", "91": "An Giang"}


def test_name_column_is_used_when_given() -> None:
    frame = values([("01", 1, 1)])
    frame.loc[0, "name"] = "Thủ đô Hà Nội"
    trace = value_trace(maps.choropleth(frame, "legacy", "Plans", "vi", "Không có kế hoạch"))
    assert list(trace.text) == ["Thủ đô Hà Nội"]


def test_no_plans_grey_and_zero_share_coloured() -> None:
    rows = [("01", 0.0, 3), ("02", 0.4, 0), ("04", float("nan"), 2), ("06", 0.7, 5)]
    fig = maps.choropleth(values(rows), "legacy", "Share", "en", "No plans")
    trace = value_trace(fig)
    assert sorted(trace.locations) == ["01", "06"]  # a zero share is a value
    grey = grey_trace(fig, "No plans")
    assert grey.showlegend is True
    assert grey.showscale is False
    assert {"02", "04", "10"} <= set(grey.locations)  # n_plans 0, no value, no row
    assert not set(grey.locations) & set(trace.locations)
    colours = {c for _, c in grey.colorscale}
    assert colours == {maps.NO_DATA_COLOR}
    assert maps.NO_DATA_COLOR not in {c for _, c in trace.colorscale}


def test_all_grey_when_no_values() -> None:
    fig = maps.choropleth(values([]), "2025", "Plans", "en", "No plans")
    assert len(province_traces(fig)) == 1
    assert len(grey_trace(fig, "No plans").locations) == 34


def test_colour_bar_says_what_the_colour_means() -> None:
    fig = maps.choropleth(values([("01", 2, 2)]), "legacy", "Plans per province", "en", "No")
    assert value_trace(fig).colorbar.title.text == "Plans per province"


def test_hover_shows_exact_numbers() -> None:
    fig = maps.choropleth(
        values([("01", 1 / 3, 3), ("31", 12, 12)]), "legacy", "Share", "en", "No plans"
    )
    trace = value_trace(fig)
    shown = {c[0]: c[2] for c in trace.customdata}
    assert shown == {"01": "0.3333", "31": "12"}
    assert "%{customdata[2]}" in trace.hovertemplate
    assert "%{customdata[1]}" in trace.hovertemplate
    fig = maps.choropleth(
        values([("01", 0.125, 8)]), "legacy", "Share", "en", "No", value_format=".1%"
    )
    assert value_trace(fig).customdata[0][2] == "12.5%"


def test_duplicate_codes_rejected_and_unknown_codes_ignored() -> None:
    with pytest.raises(ValueError, match="several rows"):
        maps.choropleth(values([("01", 1, 1), ("01", 2, 2)]), "legacy", "x", "en", "No")
    fig = maps.choropleth(values([("01", 1, 1), ("99", 2, 2)]), "legacy", "x", "en", "No")
    assert list(value_trace(fig).locations) == ["01"]


# --- archipelagos -----------------------------------------------------------------------------


@pytest.mark.parametrize("era", ["legacy", "2025"])
@pytest.mark.parametrize("lang", ["vi", "en"])
def test_archipelagos_drawn_and_labelled(era: str, lang: str) -> None:
    fig = maps.choropleth(values([("48", 1, 1)]), era, "Plans", lang, "No plans")
    labels = texts(fig)
    for label in ARCHIPELAGO_LABELS[lang]:
        assert label in labels
    markers = [t for t in fig.data if t.name == "archipelagos"]
    assert len(markers) == 1
    assert {c[0] for c in markers[0].customdata} == {"48", "56"}
    lats = list(markers[0].lat)
    assert any(15.5 < lat < 17.3 for lat in lats)  # Hoàng Sa
    assert any(7.5 < lat < 11.6 for lat in lats)  # Trường Sa


def test_archipelago_traces_for_other_maps() -> None:
    markers, text = maps.archipelago_traces("en")
    assert [plain(s) for s in text.text] == list(ARCHIPELAGO_LABELS["en"])
    assert text.text[0] == "Paracel\u00a0Islands (Da\u00a0Nang)"  # breaks only before "("
    assert markers.mode == "markers"


# --- offline, view ----------------------------------------------------------------------------


@pytest.mark.parametrize("era", ["legacy", "2025"])
def test_figure_has_no_urls(era: str) -> None:
    fig = maps.choropleth(values([("01", 1, 1)]), era, "Plans", "vi", "Không có kế hoạch")
    fig.add_trace(maps.district_points(pd.DataFrame({"code": ["001"], "n_plans": [2]})))
    payload = fig.to_json()
    assert not URL.search(payload)
    style = fig.layout.map.style
    assert isinstance(style, dict)
    assert "glyphs" not in style and "sprite" not in style
    # one inline, empty source (never a URL): an empty `sources` breaks re-rendering
    assert all(source["type"] == "geojson" for source in style["sources"].values())
    assert all(not source["data"]["features"] for source in style["sources"].values())


def test_view_is_fitted_to_vietnam() -> None:
    fig = maps.choropleth(values([]), "legacy", "Plans", "en", "No plans")
    center = fig.layout.map.center
    assert 14 < center.lat < 17 and 107 < center.lon < 110
    assert 3.5 < fig.layout.map.zoom < 6
    view = maps.fitted_view(height=1400, width=1280)
    assert view["zoom"] == pytest.approx(fig.layout.map.zoom + 1, abs=0.05)


# --- district points --------------------------------------------------------------------------


def test_district_points_at_gazetteer_positions() -> None:
    trace = maps.district_points(
        pd.DataFrame({"code": ["001", "490", "000"], "n_plans": [4, 1, 3]}), lang="vi"
    )
    assert isinstance(trace, go.Scattermap)
    assert [c[0] for c in trace.customdata] == ["001", "490"]  # '000' is no district
    assert trace.lat[0] == pytest.approx(21.03, abs=0.05)
    assert trace.lon[0] == pytest.approx(105.83, abs=0.05)
    assert trace.text[0] == "Ba Đình"
    assert trace.marker.size[0] > trace.marker.size[1]


def test_district_points_keep_given_positions() -> None:
    frame = pd.DataFrame(
        {"code": ["x1"], "n_plans": [1], "lat": [10.5], "lon": [106.0], "name": ["Nơi A"]}
    )
    trace = maps.district_points(frame, lang="en", name="District plans")
    assert (trace.lat[0], trace.lon[0], trace.text[0]) == (10.5, 106.0, "Nơi A")
    assert trace.name == "District plans"
