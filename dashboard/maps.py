"""Map builders: province choropleths of both eras and district/commune points, all offline.

Pure like the chart builders (`dashboard/charts`): DataFrames in, plotly objects out, no
Streamlit. The boundaries are the committed files of `data/boundaries/` (see its README):
'legacy' -> provinces_63.geojson (key `province_code`), '2025' -> provinces_34.geojson (key
`province_code_2025`); both carry the Hoàng Sa archipelago inside Đà Nẵng (48) and the Trường
Sa archipelago inside Khánh Hòa (56).

Offline by construction: the maps are MapLibre (`go.Choroplethmap` / `go.Scattermap`) on
`BLANK_STYLE`, a style with a white background, no tiles, no sprite and no `glyphs` URL, so
MapLibre draws the label text with the browser's own fonts instead of fetching glyphs (plotly's
built-in 'white-bg' style names a glyph server, which a text trace would call). The figures
hold no http(s) URL.

Every map of the country shows and labels the two archipelagos as Vietnamese territory,
"Quần đảo Hoàng Sa (Đà Nẵng)" and "Quần đảo Trường Sa (Khánh Hòa)" (in English "Paracel
Islands (Da Nang)", "Spratly Islands (Khanh Hoa)"): `choropleth` always adds them and
`archipelago_traces` gives them to any other map.

Click-through: every province trace carries `customdata` whose first field is the province
code of the era; the archipelago markers carry their province's code; district points carry
the unit code.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import pandas as pd
import plotly.graph_objects as go

if TYPE_CHECKING:  # geopandas is imported when a layer is loaded, not with the module
    import geopandas as gpd

Era = Literal["legacy", "2025"]
Lang = Literal["vi", "en"]

BOUNDARIES = Path(__file__).resolve().parents[1] / "data" / "boundaries"
LAYER_FILES: dict[str, str] = {"legacy": "provinces_63.geojson", "2025": "provinces_34.geojson"}
CODE_PROPERTY: dict[str, str] = {"legacy": "province_code", "2025": "province_code_2025"}
ARCHIPELAGO_FILE = "archipelagos.geojson"

EMPTY_FEATURES: dict[str, Any] = {"type": "FeatureCollection", "features": []}
# A MapLibre style with nothing to fetch (no tiles, sprite or glyphs URL). Its one source is
# an empty inline GeoJSON: with `sources: {}` plotly drops the empty object when Streamlit
# re-renders a figure, and MapLibre then rejects the style ("Map error." in the page).
BLANK_STYLE: dict[str, Any] = {
    "version": 8,
    "name": "cchc-atlas-blank",
    "sources": {
        "blank": {"type": "geojson", "data": {"type": "FeatureCollection", "features": []}}
    },
    "layers": [
        {"id": "background", "type": "background", "paint": {"background-color": "#ffffff"}}
    ],
}
# What "fitted to Vietnam" frames: the mainland, the islands and both archipelagos' labels.
VIETNAM_BOUNDS = {"west": 102.0, "east": 115.6, "south": 7.4, "north": 23.6}
MAP_HEIGHT = 720
ASSUMED_WIDTH = 640  # the zoom must also fit a column this narrow

NBSP = "\u00a0"
NO_DATA_COLOR = "#cccccc"
BORDER_COLOR = "#ffffff"
ARCHIPELAGO_COLOR = "#08306b"
POINT_COLOR = "#e6550d"
# Blues from a visible light blue (a zero stays distinguishable from the grey "no plans").
COLOR_SCALE: list[list[Any]] = [
    [0.0, "#c6dbef"],
    [0.25, "#9ecae1"],
    [0.5, "#6baed6"],
    [0.75, "#2171b5"],
    [1.0, "#08306b"],
]

TEXT: dict[str, dict[str, str]] = {
    "plans": {"vi": "Số kế hoạch", "en": "Plans"},
    "points": {"vi": "Kế hoạch cấp huyện, xã", "en": "District and commune plans"},
    "province": {"vi": "Thuộc", "en": "Part of"},
}


def _text(key: str, lang: str) -> str:
    entry = TEXT[key]
    return entry.get(lang) or entry["en"]


# --- layers -----------------------------------------------------------------------------------


def _check_era(era: str) -> str:
    if era not in LAYER_FILES:
        raise ValueError(f"unknown era {era!r}: expected one of {sorted(LAYER_FILES)}")
    return era


@lru_cache(maxsize=2)
def load_layer(era: str) -> gpd.GeoDataFrame:
    """The province polygons of `era` ('legacy': 63, '2025': 34), EPSG:4326, sorted by code.

    Columns: `code` (the era's GSO province code), the file's properties (`province_code` or
    `province_code_2025`, `name_vi`, `name_en`, ...) and `geometry`. Cached: copy before
    changing it.
    """
    import geopandas as gpd

    path = BOUNDARIES / LAYER_FILES[_check_era(era)]
    layer = gpd.read_file(path)
    layer.insert(0, "code", layer[CODE_PROPERTY[era]].astype(str))
    return layer.sort_values("code").reset_index(drop=True)


@lru_cache(maxsize=2)
def _layer_json(era: str) -> str:
    """The layer's GeoJSON (features' `id` = code, properties = code and names), as text."""
    raw = json.loads((BOUNDARIES / LAYER_FILES[_check_era(era)]).read_text(encoding="utf-8"))
    features = []
    for feat in raw["features"]:
        props = feat["properties"]
        code = str(props[CODE_PROPERTY[era]])
        features.append(
            {
                "type": "Feature",
                "id": code,
                "properties": {
                    "code": code,
                    "name_vi": props["name_vi"],
                    "name_en": props["name_en"],
                },
                "geometry": feat["geometry"],
            }
        )
    return json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False)


def _subset(era: str, codes: list[str]) -> dict[str, Any]:
    """A FeatureCollection of the features of `codes` only (each trace carries its own)."""
    wanted = set(codes)
    collection = json.loads(_layer_json(era))
    collection["features"] = [f for f in collection["features"] if f["id"] in wanted]
    return collection


@lru_cache(maxsize=1)
def _archipelagos_json() -> str:
    return (BOUNDARIES / ARCHIPELAGO_FILE).read_text(encoding="utf-8")


def archipelagos() -> list[dict[str, Any]]:
    """The two archipelagos: properties (labels vi/en, province codes of both eras, label
    point) and `islands`, the (lon, lat) of each island's symbol."""
    out = []
    for feat in json.loads(_archipelagos_json())["features"]:
        islands = []
        for polygon in feat["geometry"]["coordinates"]:
            ring = polygon[0][:-1]
            islands.append(
                (sum(p[0] for p in ring) / len(ring), sum(p[1] for p in ring) / len(ring))
            )
        out.append({**feat["properties"], "islands": islands})
    return out


# --- view -------------------------------------------------------------------------------------


def _mercator_y(lat: float) -> float:
    return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2)) / (2 * math.pi)


def fitted_view(
    bounds: Mapping[str, float] = VIETNAM_BOUNDS,
    height: int = MAP_HEIGHT,
    width: int = ASSUMED_WIDTH,
) -> dict[str, Any]:
    """`center` and `zoom` (MapLibre, 512-px tiles) that show `bounds` in height x width px,
    with a small margin."""
    lon_span = (bounds["east"] - bounds["west"]) / 360
    y_span = _mercator_y(bounds["north"]) - _mercator_y(bounds["south"])
    zoom = min(math.log2(width / (512 * lon_span)), math.log2(height / (512 * y_span))) - 0.05
    mid_y = (_mercator_y(bounds["north"]) + _mercator_y(bounds["south"])) / 2
    center_lat = math.degrees(2 * math.atan(math.exp(mid_y * 2 * math.pi)) - math.pi / 2)
    center_lon = (bounds["east"] + bounds["west"]) / 2
    return {"center": {"lat": round(center_lat, 4), "lon": round(center_lon, 4)}, "zoom": zoom}


def map_layout(fig: go.Figure, height: int = MAP_HEIGHT) -> go.Figure:
    """The shared look of a country map: blank offline style, fitted to Vietnam."""
    fig.update_layout(
        map={"style": BLANK_STYLE, **fitted_view(height=height - 10)},
        height=height,
        margin={"l": 0, "r": 0, "t": 10, "b": 0},
        legend={
            "x": 0.01,
            "y": 0.01,
            "xanchor": "left",
            "yanchor": "bottom",
            "bgcolor": "rgba(255,255,255,0.8)",
        },
        uirevision="country-map",
    )
    return fig


# --- traces -----------------------------------------------------------------------------------


def format_value(value: float | int | None, value_format: str | None = None) -> str:
    """The exact number for hovers: integers as integers, other numbers to 4 significant
    digits, or `value_format` (a Python format spec such as '.1%')."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if value_format:
        return format(value, value_format)
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.4g}"


def _wrap_label(label: str) -> str:
    """The label with no-break spaces except before "(": MapLibre wraps long text at about
    ten ems, and this way it breaks the line only between the name and the province."""
    name, sep, province = label.partition(" (")
    return name.replace(" ", NBSP) + (" (" + province.replace(" ", NBSP) if sep else "")


def archipelago_traces(lang: str, codes_with_values: Mapping[str, str] | None = None) -> list:
    """A marker at each island and the label of each archipelago, as two Scattermap traces.

    `codes_with_values` (province code -> hover line) adds the province's figure to the
    markers' hover. The markers' customdata is the province code, so a click on an island
    selects Đà Nẵng or Khánh Hòa.
    """
    label_key = "label_vi" if lang == "vi" else "label_en"
    lons: list[float] = []
    lats: list[float] = []
    hover: list[str] = []
    custom: list[list[str]] = []
    label_lons: list[float] = []
    label_lats: list[float] = []
    labels: list[str] = []
    for arch in archipelagos():
        extra = (codes_with_values or {}).get(arch["province_code"], "")
        line = f"<b>{arch[label_key]}</b>" + (f"<br>{extra}" if extra else "")
        for lon, lat in arch["islands"]:
            lons.append(lon)
            lats.append(lat)
            hover.append(line)
            custom.append([arch["province_code"]])
        label_lons.append(arch["label_lon"])
        label_lats.append(arch["label_lat"])
        labels.append(_wrap_label(arch[label_key]))
    markers = go.Scattermap(
        lon=lons,
        lat=lats,
        mode="markers",
        marker={"size": 5, "color": ARCHIPELAGO_COLOR},
        hovertext=hover,
        hovertemplate="%{hovertext}<extra></extra>",
        customdata=custom,
        showlegend=False,
        name="archipelagos",
    )
    text = go.Scattermap(
        lon=label_lons,
        lat=label_lats,
        mode="text",
        text=labels,
        textfont={"size": 12, "color": ARCHIPELAGO_COLOR},
        textposition="middle center",
        hoverinfo="skip",
        showlegend=False,
        name="archipelago labels",
    )
    return [markers, text]


def _no_plans(row: pd.Series) -> bool:
    n = row.get("n_plans")
    value = row.get("value")
    return bool(pd.isna(n) or n == 0 or pd.isna(value))


def choropleth(
    values: pd.DataFrame,
    era: str,
    metric_label: str,
    lang: str,
    no_data_label: str,
    *,
    value_format: str | None = None,
    height: int = MAP_HEIGHT,
) -> go.Figure:
    """Province choropleth of `values` on the `era` layer.

    `values`: one row per province, columns `code` (the era's province code), `value` (what
    the colour shows, titled `metric_label` on the colour bar), `n_plans` (the plans behind
    it) and `name` (shown in the hover; the layer's name in `lang` when empty). A province
    with no row, `n_plans` 0/empty or an empty `value` has no plans: it is drawn grey in a
    trace of its own named `no_data_label` (shown in the legend), which a zero value is not.
    Codes not in the layer are ignored. Hovers give the exact numbers; customdata is
    [code, n_plans, value text]. Both archipelagos are drawn and labelled.
    """
    layer = load_layer(era)
    names = layer.set_index("code")["name_vi" if lang == "vi" else "name_en"].to_dict()
    frame = values.copy()
    frame["code"] = frame["code"].astype(str)
    if frame["code"].duplicated().any():
        doubled = sorted(frame.loc[frame["code"].duplicated(), "code"].unique())
        raise ValueError(f"values has several rows for the codes {doubled}")
    frame = frame[frame["code"].isin(names)]
    has_plans = ~frame.apply(_no_plans, axis=1) if len(frame) else pd.Series(dtype=bool)
    shown = frame[has_plans].sort_values("code") if len(frame) else frame
    grey_codes = sorted(set(names) - set(shown["code"]))

    plans_word = _text("plans", lang)
    fig = go.Figure()
    hover_lines: dict[str, str] = {}
    if len(shown):
        display = [
            str(n) if isinstance(n, str) and n.strip() else names[c]
            for c, n in zip(shown["code"], shown.get("name", [None] * len(shown)), strict=True)
        ]
        value_text = [format_value(v, value_format) for v in shown["value"]]
        n_plans = [int(n) for n in shown["n_plans"]]
        zmax = float(shown["value"].max())
        zmin = min(0.0, float(shown["value"].min()))
        fig.add_trace(
            go.Choroplethmap(
                geojson=_subset(era, list(shown["code"])),
                locations=list(shown["code"]),
                z=[float(v) for v in shown["value"]],
                zmin=zmin,
                zmax=zmax if zmax > zmin else zmin + 1,
                colorscale=COLOR_SCALE,
                colorbar={
                    "title": {"text": metric_label},
                    "thickness": 14,
                    "len": 0.6,
                    **({"tickformat": value_format} if value_format else {}),
                },
                marker={"line": {"color": BORDER_COLOR, "width": 0.6}},
                text=display,
                customdata=[
                    [c, n, t] for c, n, t in zip(shown["code"], n_plans, value_text, strict=True)
                ],
                hovertemplate=(
                    f"<b>%{{text}}</b><br>{metric_label}: %{{customdata[2]}}"
                    f"<br>{plans_word}: %{{customdata[1]}}<extra></extra>"
                ),
                name=metric_label,
                showlegend=False,
            )
        )
        hover_lines = {
            c: f"{metric_label}: {t}<br>{plans_word}: {n}"
            for c, t, n in zip(shown["code"], value_text, n_plans, strict=True)
        }
    if grey_codes:
        fig.add_trace(
            go.Choroplethmap(
                geojson=_subset(era, grey_codes),
                locations=grey_codes,
                z=[0] * len(grey_codes),
                colorscale=[[0, NO_DATA_COLOR], [1, NO_DATA_COLOR]],
                showscale=False,
                marker={"line": {"color": BORDER_COLOR, "width": 0.6}},
                text=[names[c] for c in grey_codes],
                customdata=[[c, 0, ""] for c in grey_codes],
                hovertemplate=f"<b>%{{text}}</b><br>{no_data_label}<extra></extra>",
                name=no_data_label,
                showlegend=True,
            )
        )
        hover_lines.update({c: no_data_label for c in grey_codes if c not in hover_lines})
    for trace in archipelago_traces(lang, hover_lines):
        fig.add_trace(trace)
    return map_layout(fig, height=height)


@lru_cache(maxsize=1)
def _unit_positions() -> pd.DataFrame:
    """Legacy districts and communes: code -> lat, lon, name (from the gazetteer)."""
    from etl.gazetteer import localities_frame

    units = localities_frame()
    units = units[(units["era"] == "legacy") & units["level"].isin(["district", "commune"])]
    return units.set_index("code")[["lat", "lon", "short_name", "name_en"]]


def district_points(
    points: pd.DataFrame,
    lang: str = "vi",
    name: str | None = None,
    size_max: float = 22.0,
) -> go.Scattermap:
    """District- or commune-level plans as points, one per unit, sized by `n_plans`.

    `points`: columns `code` (legacy district code, 3 digits, or commune code, 5 digits) and
    `n_plans`; optional `name`, and `lat`/`lon` (else the gazetteer's position of the unit).
    Rows whose position is unknown are dropped. customdata is [code, n_plans].
    """
    frame = points.copy()
    frame["code"] = frame["code"].astype(str)
    if not {"lat", "lon"} <= set(frame.columns):
        positions = _unit_positions()
        frame["lat"] = frame["code"].map(positions["lat"])
        frame["lon"] = frame["code"].map(positions["lon"])
        names = positions["short_name" if lang == "vi" else "name_en"]
        fallback = frame["code"].map(names)
        frame["name"] = frame["name"].fillna(fallback) if "name" in frame else fallback
    frame = frame.dropna(subset=["lat", "lon"])
    if "name" not in frame:
        frame["name"] = frame["code"]
    n_plans = [int(n) if pd.notna(n) else 0 for n in frame["n_plans"]]
    biggest = max(n_plans, default=1) or 1
    sizes = [6 + (size_max - 6) * math.sqrt(n / biggest) for n in n_plans]
    plans_word = _text("plans", lang)
    return go.Scattermap(
        lon=[float(v) for v in frame["lon"]],
        lat=[float(v) for v in frame["lat"]],
        mode="markers",
        marker={"size": sizes, "color": POINT_COLOR, "opacity": 0.75},
        text=[str(n) for n in frame["name"]],
        customdata=[[c, n] for c, n in zip(frame["code"], n_plans, strict=True)],
        hovertemplate=f"<b>%{{text}}</b><br>{plans_word}: %{{customdata[1]}}<extra></extra>",
        name=name or _text("points", lang),
        showlegend=True,
    )


__all__ = [
    "BLANK_STYLE",
    "archipelago_traces",
    "archipelagos",
    "choropleth",
    "district_points",
    "fitted_view",
    "format_value",
    "load_layer",
    "map_layout",
]
