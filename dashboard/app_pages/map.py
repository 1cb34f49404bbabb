"""Map: a province choropleth of the filtered plans in either era (63 provinces until 30 June
2025, or the 34 provinces since 1 July 2025 with older plans re-attributed through the
crosswalk), coloured by a chosen metric, with an optional layer of district- and commune-level
plans as points. Clicking a province (or choosing it in the list) sets the sidebar's province
filter, so every other page follows, and shows its plans and the evidence sentences behind
the metric beside the map.

The view is in the URL: `era` (63 | 34), `metric` (plans | channel | group | theme | tgroup |
lead | nchannels), `mid` (the channel, group, theme or agency id of the metric) and `pts=1`
(the points layer); with the sidebar's filters, a copied link reopens the same view.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, replace
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from dashboard import components, maps, queries, state
from dashboard.charts.common import count_dtick
from dashboard.i18n import fold, group_label_in, label, label_in, t, translate
from dashboard.state import current_filters, current_lang
from etl.codebook import load_codebook

ERAS: dict[str, str] = {"63": "legacy", "34": "2025"}  # URL value -> maps era
METRICS: tuple[str, ...] = ("plans", "channel", "group", "theme", "tgroup", "lead", "nchannels")
SHARE_METRICS = frozenset({"channel", "group", "theme", "tgroup", "lead"})
DEFAULT_MID = {"lead": "home_affairs"}
URL = {"era": "era", "metric": "metric", "mid": "mid", "pts": "pts"}
KEYS = {"era": "map_era", "metric": "map_metric", "mid": "map_mid", "pts": "map_pts"}
MEMORY = "_map_view"  # the last view, restored when coming back from another page
CHART_KEY = "map_chart"
PICK_KEY = "map_province"
POINT_PROVINCES = "_map_point_provinces"  # point code -> province code of the era
HIGHLIGHT_COLOR = "#ff7f00"
MAP_WIDTH = 520  # about the map column's width at 1400 px: the zoom shows all of Vietnam

filters = current_filters()
lang = current_lang()
base_filters = replace(filters, provinces=())  # the map shows every province


# --- the view: URL <-> widgets ---------------------------------------------------------------


def metric_options(metric: str) -> list[str]:
    book = load_codebook()
    if metric == "channel":
        return book.ids("channel")
    if metric == "group":
        return list(book.groups.get("channel", {}))
    if metric == "theme":
        return book.ids("theme")
    if metric == "tgroup":
        return list(book.groups.get("theme", {}))
    if metric == "lead":
        return book.ids("agency")
    return []


def tr(key: str, **fmt: Any) -> str:
    """t() in this run's language, for widgets' format functions (they may be called
    outside the run, e.g. by AppTest)."""
    return translate(key, lang, **fmt)


def option_label(metric: str, value: str) -> str:
    if metric == "channel":
        return label_in("channel", value, lang)
    if metric == "group":
        return group_label_in("channel", value, lang)
    if metric == "theme":
        return label_in("theme", value, lang)
    if metric == "tgroup":
        return group_label_in("theme", value, lang)
    if metric == "lead":
        return label_in("agency", value, lang)
    return value


def default_mid(metric: str) -> str | None:
    options = metric_options(metric)
    if not options:
        return None
    wanted = DEFAULT_MID.get(metric)
    return wanted if wanted in options else options[0]


def _url(name: str) -> str | None:
    value = st.query_params.get(URL[name])
    return str(value).strip() if value is not None else None


def seed_view() -> None:
    """Set the widgets the first time they are drawn in this page visit: from the URL, else
    from the last view of this session, else the defaults. Values are checked."""
    memory: dict[str, Any] = st.session_state.get(MEMORY, {})
    if KEYS["era"] not in st.session_state:
        era = _url("era")
        st.session_state[KEYS["era"]] = era if era in ERAS else memory.get("era", "63")
    if KEYS["metric"] not in st.session_state:
        metric = _url("metric")
        st.session_state[KEYS["metric"]] = (
            metric if metric in METRICS else memory.get("metric", "plans")
        )
    if KEYS["mid"] not in st.session_state:
        mid = _url("mid") or memory.get("mid")
        st.session_state[KEYS["mid"]] = mid
    if KEYS["pts"] not in st.session_state:
        pts = _url("pts")
        st.session_state[KEYS["pts"]] = (
            pts == "1" if pts is not None else bool(memory.get("pts", False))
        )


def write_view(era: str, metric: str, mid: str | None, pts: bool) -> None:
    wanted = {"era": era, "metric": metric, "mid": mid, "pts": "1" if pts else None}
    for name, value in wanted.items():
        key = URL[name]
        if value is None:
            if key in st.query_params:
                del st.query_params[key]
        elif st.query_params.get(key) != value:
            st.query_params[key] = value
    st.session_state[MEMORY] = {"era": era, "metric": metric, "mid": mid, "pts": pts}


# --- province selection -> the sidebar's province filter -------------------------------------


def legacy_codes(era: str, code: str) -> list[str]:
    """The 63-province codes of a province of `era` (a 2025 province: those merged into it)."""
    if ERAS.get(era) != "2025":
        return [code]
    layer = maps.load_layer("2025")
    row = layer[layer["code"] == code]
    if row.empty:
        return []
    return [c.strip() for c in str(row.iloc[0]["province_codes_legacy"]).split(",") if c.strip()]


def era_code_of(era: str, legacy_code: str) -> str | None:
    if ERAS.get(era) != "2025":
        return legacy_code
    layer = maps.load_layer("legacy")
    row = layer[layer["code"] == legacy_code]
    return None if row.empty else str(row.iloc[0]["province_code_2025"])


def select_province(era: str, code: str | None) -> None:
    """Set the sidebar's province filter (legacy codes) to the province `code` of `era`
    (None clears it). Called from widget callbacks, before the sidebar is drawn."""
    widget = state._WIDGET["provinces"]
    if not code:
        st.session_state[widget] = []
        return
    allowed = state.allowed_values().options("province")
    st.session_state[widget] = [c for c in legacy_codes(era, code) if c in allowed]


def clicked_code(points: list[dict], era: str) -> str | None:
    """The province of `era` a map click points at (a province, an archipelago marker, the
    highlight outline or a district/commune point, through its province)."""
    provinces = set(maps.load_layer(ERAS[era])["code"])
    by_point: dict[str, str] = st.session_state.get(POINT_PROVINCES, {})
    for point in points:
        data = point.get("customdata")
        value = data[0] if isinstance(data, (list, tuple)) and data else data
        if value is None:
            continue
        code = str(value)
        if code in provinces:
            return code
        if code in by_point:
            return by_point[code]
    return None


def on_map_select() -> None:
    event = st.session_state.get(CHART_KEY)
    try:
        points = list(event["selection"]["points"]) if event else []
    except (KeyError, TypeError):
        points = []
    era = str(st.session_state.get(KEYS["era"], "63"))
    code = clicked_code([dict(p) for p in points], era)
    if code:
        select_province(era, code)


def on_pick() -> None:
    era = str(st.session_state.get(KEYS["era"], "63"))
    select_province(era, st.session_state.get(PICK_KEY))


def on_clear() -> None:
    select_province("63", None)


# --- what the colour means -------------------------------------------------------------------


@dataclass(frozen=True)
class Metric:
    sql: str
    params: tuple[object, ...]
    evidence: tuple[str, str, str | None, str | None]  # category, level, key, role
    legend: str  # colour-bar title
    describe: str  # one sentence: what the colour shows
    value_format: str | None


def metric_spec(metric: str, mid: str | None, era: str) -> Metric:
    name = option_label(metric, mid) if mid else ""
    e = ERAS[era]
    if metric == "channel":
        return Metric(
            "map_metric_channel",
            (e, "channel", mid),
            ("channel", "channel", mid, None),
            t("map_page.legend_share"),
            t("map_page.describe_channel", name=name),
            ".1%",
        )
    if metric == "group":
        return Metric(
            "map_metric_channel",
            (e, "group", mid),
            ("channel", "group", mid, None),
            t("map_page.legend_share"),
            t("map_page.describe_group", name=name),
            ".1%",
        )
    if metric == "theme":
        return Metric(
            "map_metric_theme",
            (e, "theme", mid),
            ("theme", "theme", mid, None),
            t("map_page.legend_share"),
            t("map_page.describe_theme", name=name),
            ".1%",
        )
    if metric == "tgroup":
        return Metric(
            "map_metric_theme",
            (e, "group", mid),
            ("theme", "group", mid, None),
            t("map_page.legend_share"),
            t("map_page.describe_tgroup", name=name),
            ".1%",
        )
    if metric == "lead":
        return Metric(
            "map_metric_agency",
            (e, mid, "lead"),
            ("agency", "agency", mid, "lead"),
            t("map_page.legend_share"),
            t("map_page.describe_lead", name=name),
            ".1%",
        )
    if metric == "nchannels":
        return Metric(
            "map_metric_channels_mean",
            (e,),
            ("channel", "all", None, None),
            t("map_page.legend_nchannels"),
            t("map_page.describe_nchannels"),
            ".2f",
        )
    return Metric(
        "map_metric_plans",
        (e,),
        ("plan", "all", None, None),
        t("map_page.legend_plans"),
        t("map_page.describe_plans"),
        None,
    )


def wrap(text: str, width: int = 18) -> str:
    return "<br>".join(textwrap.wrap(text, width)) or text


def fmt_value(value: Any, metric: str) -> str:
    if value is None or pd.isna(value):
        return "–"
    if metric in SHARE_METRICS:
        return f"{float(value):.1%}"
    if metric == "nchannels":
        return f"{float(value):.2f}"
    return f"{int(value):,}"


# --- the figure ------------------------------------------------------------------------------


def highlight_trace(era: str, code: str) -> go.Choroplethmap | None:
    """An outline around the selected province (clicking it selects it again)."""
    layer = maps.load_layer(ERAS[era])
    row = layer[layer["code"] == code]
    if row.empty:
        return None
    feature = {
        "type": "Feature",
        "id": code,
        "properties": {"code": code},
        "geometry": row.iloc[0]["geometry"].__geo_interface__,
    }
    return go.Choroplethmap(
        geojson={"type": "FeatureCollection", "features": [feature]},
        locations=[code],
        z=[0],
        colorscale=[[0, "rgba(0,0,0,0)"], [1, "rgba(0,0,0,0)"]],
        showscale=False,
        marker={"line": {"color": HIGHLIGHT_COLOR, "width": 3}},
        customdata=[[code, 0, ""]],
        hoverinfo="skip",
        showlegend=False,
        name="selected",
    )


def build_map(
    values: pd.DataFrame,
    spec: Metric,
    era: str,
    metric: str,
    points: pd.DataFrame | None,
    selected: str | None,
) -> go.Figure:
    frame = values[values["code"] != ""][["code", "value", "n_plans"]]
    fig = maps.choropleth(
        frame,
        ERAS[era],
        wrap(spec.legend),
        lang,
        t("map_page.no_plans"),
        value_format=spec.value_format,
    )
    if metric in SHARE_METRICS:  # shares on a fixed 0-100% scale
        for trace in fig.data:
            if trace.type == "choroplethmap" and trace.name == wrap(spec.legend):
                trace.update(zmin=0, zmax=1)
    if points is not None and not points.empty:
        shown = points.assign(name=points["name_en" if lang == "en" else "name"])
        fig.add_trace(
            maps.district_points(
                shown[["code", "n_plans", "name", "lat", "lon"]],
                lang,
                name=t("map_page.points_legend"),
                size_max=14.0,
            )
        )
    if selected:
        outline = highlight_trace(era, selected)
        if outline is not None:
            fig.add_trace(outline)
    fig.update_layout(
        clickmode="event+select",
        map={
            "style": maps.BLANK_STYLE,
            **maps.fitted_view(height=maps.MAP_HEIGHT - 10, width=MAP_WIDTH),
        },
    )
    colorbar: dict[str, Any] = {}
    if metric == "plans":  # whole plans on the colour bar, never 0.5
        dtick = count_dtick(frame["value"].max() if len(frame) else 0)
        colorbar = {"tickformat": ",d", **({"dtick": dtick} if dtick else {})}
    # the colour bar in the empty land west of the coast, clear of the archipelagos' labels
    fig.update_traces(
        colorbar={
            **colorbar,
            "x": 0.01,
            "xanchor": "left",
            "y": 0.45,
            "yanchor": "middle",
            "len": 0.36,
            "thickness": 12,
            "bgcolor": "rgba(255,255,255,0.85)",
        },
        selector={"type": "choroplethmap", "name": wrap(spec.legend)},
    )
    return fig


def province_names(era: str) -> dict[str, str]:
    layer = maps.load_layer(ERAS[era])
    column = "name_en" if lang == "en" else "name_vi"
    names = dict(zip(layer["code"], layer[column], strict=True))
    return dict(sorted(names.items(), key=lambda item: fold(str(item[1])).lower()))


# --- page --------------------------------------------------------------------------------------

st.title(t("map_page.title"))
st.caption(t("map_page.intro"))

seed_view()
c_era, c_metric, c_mid, c_pts = st.columns([1.1, 1.7, 1.9, 1.5], vertical_alignment="bottom")
era = c_era.radio(
    t("map_page.era"),
    tuple(ERAS),
    key=KEYS["era"],
    format_func=lambda v: tr(f"map_page.era_{v}"),
)
metric = c_metric.selectbox(
    t("map_page.metric"),
    METRICS,
    key=KEYS["metric"],
    format_func=lambda m: tr(f"map_page.metric_{m}"),
)
options = metric_options(metric)
mid: str | None = None
if options:
    if st.session_state.get(KEYS["mid"]) not in options:
        st.session_state[KEYS["mid"]] = default_mid(metric)
    mid = c_mid.selectbox(
        t(f"map_page.mid_{metric}"),
        options,
        key=KEYS["mid"],
        format_func=lambda v: option_label(metric, v),
    )
else:
    st.session_state[KEYS["mid"]] = None
    c_mid.caption(t(f"map_page.metric_{metric}_help"))
show_points = c_pts.toggle(t("map_page.points"), key=KEYS["pts"], help=t("map_page.points_help"))
write_view(era, metric, mid, show_points)

spec = metric_spec(metric, mid, era)
values = queries.load(spec.sql, base_filters, *spec.params)
if values.empty or int(values["n_plans"].sum()) == 0:
    components.empty_state("empty.filters")
    st.stop()

unplaced = int(values.loc[values["code"] == "", "n_plans"].sum())
if ERAS[era] == "2025":
    st.info(t("map_page.note_2025"), icon=":material/merge:")
if unplaced:
    st.caption(t(f"map_page.unplaced_{era}", n=unplaced))

points = None
if show_points:
    points = queries.load("map_points", base_filters, ERAS[era])
    st.session_state[POINT_PROVINCES] = {
        str(r["code"]): str(r["province_code"])
        for r in points.to_dict("records")
        if not pd.isna(r["province_code"])
    }

selected_codes = list(
    dict.fromkeys(
        code for code in (era_code_of(era, c) for c in filters.provinces) if code is not None
    )
)
selected = selected_codes[0] if selected_codes else None
names = province_names(era)

map_col, side_col = st.columns([3, 2], gap="medium")
with map_col:
    st.markdown(f"**{spec.describe}**")
    fig = build_map(values, spec, era, metric, points, selected)
    st.plotly_chart(
        fig,
        key=CHART_KEY,
        on_select=on_map_select,
        selection_mode="points",
        config={
            "displaylogo": False,
            "scrollZoom": True,
            "modeBarButtonsToRemove": ["lasso2d", "select2d"],
            "toImageButtonOptions": {
                "format": "png",
                "filename": f"cchc-map-{era}-{metric}" + (f"-{mid}" if mid else ""),
                "scale": 2,
            },
        },
        alt=spec.describe,
    )
    st.caption(t("map_page.legend_help", no_plans=t("map_page.no_plans")))

counts = {str(r["code"]): r for r in values.to_dict("records")}
with side_col:
    st.session_state[PICK_KEY] = selected if selected in names else None
    st.selectbox(
        t("map_page.pick"),
        list(names),
        key=PICK_KEY,
        format_func=lambda code: tr(
            "map_page.pick_option",
            name=names.get(code, code),
            n=int(counts[code]["n_plans"]) if code in counts else 0,
        ),
        index=None,
        placeholder=t("map_page.pick_placeholder"),
        on_change=on_pick,
        help=t("map_page.pick_help"),
    )
    if selected is None:
        st.caption(t("map_page.click_hint"))
        ranking = values[values["code"] != ""].sort_values(
            ["value", "n_plans"], ascending=[False, False]
        )
        st.markdown(f"**{t('map_page.ranking')}**")
        table = {
            t("col.province"): [names.get(c, c) for c in ranking["code"]],
            spec.legend: [fmt_value(v, metric) for v in ranking["value"]],
        }
        if metric != "plans":
            table[t("map_page.col_hits")] = [
                f"{int(h)}/{int(n)}"
                for h, n in zip(ranking["n_hits"], ranking["n_plans"], strict=True)
            ]
        st.dataframe(
            pd.DataFrame(table),
            hide_index=True,
            width="stretch",
            height=min(420, 38 + 35 * len(ranking)),
        )
    else:
        name = names.get(selected, selected)
        st.subheader(name)
        if len(selected_codes) > 1:
            st.caption(t("map_page.several", n=len(selected_codes), name=name))
        merged = legacy_codes(era, selected)
        if ERAS[era] == "2025" and len(merged) > 1:
            legacy_names = province_names("63")
            st.caption(
                t(
                    "map_page.merged_from",
                    names=", ".join(legacy_names.get(c, c) for c in merged),
                )
            )
        row = counts.get(selected)
        if row is None:
            st.info(t("map_page.no_plans_here"), icon=":material/location_off:")
        else:
            st.metric(
                spec.legend,
                fmt_value(row["value"], metric),
                help=spec.describe,
                border=True,
            )
            if metric != "plans":
                st.caption(
                    t(
                        "map_page.hits" if metric != "nchannels" else "map_page.hits_channels",
                        hits=int(row["n_hits"]),
                        n=int(row["n_plans"]),
                    )
                )
            st.caption(t("map_page.filter_set"))
            st.button(
                t("map_page.clear"),
                on_click=on_clear,
                icon=":material/close:",
                key="map_clear",
            )
            st.markdown(f"**{t('map_page.plans')}**")
            plans = queries.load("map_province_plans", base_filters, ERAS[era], selected)
            components.plans_table(plans, key="map_plans", height=min(300, 38 + 35 * len(plans)))
            category, level, key, role = spec.evidence
            evidence = queries.load(
                "map_evidence", base_filters, ERAS[era], selected, category, level, key, role
            )
            st.markdown(f"**{t('map_page.evidence', n=len(evidence))}**")
            if evidence.empty:
                st.caption(t("map_page.no_evidence"))
            else:
                st.dataframe(
                    pd.DataFrame(
                        {
                            t("col.fact"): [
                                label("field", r["fact_id"])
                                if r["category"] == "field"
                                else (
                                    (r["label_en"] if lang == "en" else r["label_vi"])
                                    or label(r["category"], r["fact_id"])
                                )
                                for r in evidence.to_dict("records")
                            ],
                            t("col.evidence"): evidence["evidence_text"],
                            t("col.year"): evidence["plan_year"].astype("Int64"),
                            t("col.number"): evidence["plan_number"].fillna(""),
                            t("col.file"): evidence["relpath"],
                        }
                    ),
                    hide_index=True,
                    width="stretch",
                    height=min(420, 38 + 35 * len(evidence)),
                    column_config={
                        t("col.year"): st.column_config.NumberColumn(format="%d"),
                        t("col.evidence"): st.column_config.TextColumn(width="large"),
                    },
                )
