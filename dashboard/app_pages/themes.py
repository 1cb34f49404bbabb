"""Themes: which themes the filtered plans address, by locality (heatmap), how they cover the
six reform areas, and how themes trend over the years. Clicking a cell, bar or point lists
the plans behind it."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import components
from dashboard.charts import themes as charts
from dashboard.i18n import group_label, label, t
from dashboard.queries import load
from dashboard.state import current_filters, current_lang

filters = current_filters()
lang = current_lang()


def theme_plans(k: dict, province: bool = False, year: bool = False) -> pd.DataFrame:
    return load(
        "plans_for_category",
        filters,
        "theme",
        k.get("level", "theme"),
        k.get("key_id", k.get("theme_id")),
        k["province_code"] if province else None,
        k["plan_year"] if year else None,
    )


st.title(t("page.themes"))
st.caption(t("themes_page.intro"))
if int(load("localities", filters)["n_plans"].sum()) == 0:
    components.empty_state("empty.filters")
    st.stop()

left, right = st.columns(2)
level = left.radio(
    t("themes_page.level"),
    ("theme", "group"),
    format_func=lambda v: t(f"themes_page.level_{v}"),
    horizontal=True,
    key="themes_level",
)
measure = right.radio(
    t("pages_common.measure"),
    ("share", "plans"),
    format_func=lambda v: t(f"pages_common.measure_{v}"),
    horizontal=True,
    key="themes_measure",
)
st.caption(t("common.select_hint"))

# --- locality x theme ----------------------------------------------------------------------
st.subheader(t("themes_page.heatmap"))
heat = load("category_heatmap", filters, "theme", level)
if heat.empty or not (heat["n_plans"] > 0).any():
    components.empty_state("themes_page.empty")
else:
    fig = charts.theme_heatmap(heat, lang=lang, measure=measure, level=level)
    points = components.chart(fig, key="themes_heatmap_chart")
    components.plans_behind(
        points,
        charts.HEATMAP_KEYS,
        lambda k: theme_plans(k, province=True),
        key="themes_heatmap_plans",
    )

# --- the six reform areas ------------------------------------------------------------------
st.subheader(t("themes_page.reform_areas"))
areas = load("reform_areas", filters)
coverage = load("reform_area_coverage", filters)
if areas.empty:
    components.empty_state("themes_page.empty")
else:
    left, right = st.columns(2)
    with left:
        fig = charts.reform_area_coverage(areas, lang=lang, measure=measure)
        area_points = components.chart(fig, key="themes_reform_areas_chart")
    with right:
        fig = charts.reform_area_count(coverage, lang=lang)
        count_points = components.chart(fig, key="themes_reform_count_chart")
    components.plans_behind(
        area_points,
        charts.REFORM_AREA_KEYS,
        lambda k: load("plans_for_category", filters, "theme", "theme", k["theme_id"], None, None),
        key="themes_reform_areas_plans",
    )
    components.plans_behind(
        count_points,
        charts.COVERAGE_KEYS,
        lambda k: load("plans_for_reform_coverage", filters, int(k["n_areas"])),
        key="themes_reform_count_plans",
    )

# --- trends --------------------------------------------------------------------------------
st.subheader(t("themes_page.trends"))
trends = load("themes_by_year", filters, level)
if trends.empty:
    components.empty_state("themes_page.empty_year")
else:
    options = list(dict.fromkeys(str(k) for k in trends["key_id"]))
    present = set(trends.loc[trends["n_plans"] > 0, "key_id"].astype(str))

    def key_label(key: str) -> str:
        return group_label("theme", key) if level == "group" else label("theme", key)

    picked = st.multiselect(
        t("themes_page.trend_pick"),
        options,
        default=[k for k in options if k in present] if level == "group" else [],
        format_func=key_label,
        help=t("themes_page.trend_pick_help"),
        key=f"themes_trend_pick_{level}",
    )
    shown = picked or [k for k in options if k in present] or options
    fig = charts.theme_trends(trends, lang=lang, measure=measure, level=level, keys=shown)
    points = components.chart(fig, key="themes_trends_chart")
    components.plans_behind(
        points,
        charts.TREND_KEYS,
        lambda k: theme_plans(k, year=True),
        key="themes_trends_plans",
    )
