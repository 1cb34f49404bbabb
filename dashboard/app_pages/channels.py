"""Channels: which channels the filtered plans use, by locality and by year (channels or
channel groups; plans or shares of plans), a locality x channel heatmap and the social-media
platforms. Clicking a bar or cell lists the plans behind it."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import components
from dashboard.charts import channels as charts
from dashboard.i18n import t
from dashboard.queries import load
from dashboard.state import current_filters, current_lang

filters = current_filters()
lang = current_lang()


def channel_plans(k: dict, province: bool, year: bool) -> pd.DataFrame:
    return load(
        "plans_for_category",
        filters,
        "channel",
        k["level"],
        k["key_id"],
        k["province_code"] if province else None,
        k["plan_year"] if year else None,
    )


st.title(t("page.channels"))
st.caption(t("channels_page.intro"))
if int(load("localities", filters)["n_plans"].sum()) == 0:
    components.empty_state("empty.filters")
    st.stop()

left, right = st.columns(2)
level = left.radio(
    t("channels_page.level"),
    ("channel", "group"),
    format_func=lambda v: t(f"channels_page.level_{v}"),
    horizontal=True,
    key="channels_level",
)
measure = right.radio(
    t("pages_common.measure"),
    ("plans", "share"),
    format_func=lambda v: t(f"pages_common.measure_{v}"),
    horizontal=True,
    key="channels_measure",
)
st.caption(t("common.select_hint"))

# --- by locality ---------------------------------------------------------------------------
st.subheader(t("channels_page.by_locality"))
by_locality = load("channels_by_locality", filters, level)
if by_locality.empty:
    components.empty_state("channels_page.empty")
else:
    fig = charts.channel_mix_by_locality(by_locality, lang=lang, measure=measure, level=level)
    points = components.chart(fig, key="channels_by_locality_chart")
    components.plans_behind(
        points,
        charts.LOCALITY_KEYS,
        lambda k: channel_plans(k, province=True, year=False),
        key="channels_by_locality_plans",
    )

# --- by year -------------------------------------------------------------------------------
st.subheader(t("channels_page.by_year"))
by_year = load("channels_by_year", filters, level)
if by_year.empty:
    components.empty_state("channels_page.empty_year")
else:
    fig = charts.channel_mix_by_year(by_year, lang=lang, measure=measure, level=level)
    points = components.chart(fig, key="channels_by_year_chart")
    components.plans_behind(
        points,
        charts.YEAR_KEYS,
        lambda k: channel_plans(k, province=False, year=True),
        key="channels_by_year_plans",
    )

# --- locality x channel --------------------------------------------------------------------
st.subheader(t("channels_page.heatmap"))
heat = load("category_heatmap", filters, "channel", level)
if heat.empty or not (heat["n_plans"] > 0).any():
    components.empty_state("channels_page.empty")
else:
    fig = charts.channel_heatmap(heat, lang=lang, measure=measure, level=level)
    points = components.chart(fig, key="channels_heatmap_chart")
    components.plans_behind(
        points,
        charts.HEATMAP_KEYS,
        lambda k: channel_plans(k, province=True, year=False),
        key="channels_heatmap_plans",
    )

# --- social platforms ----------------------------------------------------------------------
st.subheader(t("channels_page.platforms"))
platforms = load("platforms", filters)
if platforms.empty or not (platforms["n_plans"] > 0).any():
    components.empty_state("channels_page.empty_platforms")
else:
    fig = charts.platform_breakdown(platforms, lang=lang)
    points = components.chart(fig, key="channels_platforms_chart")
    components.plans_behind(
        points,
        charts.PLATFORM_KEYS,
        lambda k: load("plans_for_platform", filters, k["platform_id"]),
        key="channels_platforms_plans",
    )
