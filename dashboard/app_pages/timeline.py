"""Timeline: the filtered plans by issue date, the adoption of each channel and theme over the
years (share of that year's plans), and one locality's plans in order. Clicking a point or
cell lists the plans behind it."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import components
from dashboard.charts import timeline as charts
from dashboard.charts.common import (
    LEVEL_ORDER,
)
from dashboard.i18n import label, place, t
from dashboard.queries import load
from dashboard.state import current_filters, current_lang

filters = current_filters()
lang = current_lang()
level_labels = {lvl: label("level", lvl) for lvl in LEVEL_ORDER}


def plan_by_id(k: dict) -> pd.DataFrame:
    return load("plans_by_id", filters, k["plan_id"])


st.title(t("page.timeline"))
st.caption(t("timeline_page.intro"))
localities = load("localities", filters)
if int(localities["n_plans"].sum()) == 0:
    components.empty_state("empty.filters")
    st.stop()
st.caption(t("common.select_hint"))

# --- plans by issue date -------------------------------------------------------------------
st.subheader(t("timeline_page.by_date"))
# timeline_binned also says how many plans have an issue date: up to MAX_PLAN_POINTS of them
# are drawn one point per plan (timeline_plans), more one point per locality and period
binned = load("timeline_binned", filters, charts.MAX_BINNED_POINTS)
if binned.empty:
    components.empty_state("timeline_page.empty_dates")
elif charts.dates_binned(binned):
    fig = charts.plans_by_period(binned, lang=lang, level_labels=level_labels)
    points = components.chart(fig, key="timeline_dates_chart")
    components.plans_behind(
        points,
        charts.PERIOD_KEYS,
        lambda k: load("plans_in_period", filters, k["province_code"], k["period"]),
        key="timeline_dates_plans",
    )
else:
    plans = load("timeline_plans", filters, charts.MAX_PLAN_POINTS)
    fig = charts.plans_by_issue_date(plans, lang=lang, level_labels=level_labels)
    points = components.chart(fig, key="timeline_dates_chart")
    components.plans_behind(points, charts.PLAN_KEYS, plan_by_id, key="timeline_dates_plans")

# --- adoption over the years ---------------------------------------------------------------
st.subheader(t("timeline_page.adoption"))
category = st.radio(
    t("timeline_page.adoption_of"),
    ("channel", "theme"),
    format_func=lambda v: t(f"timeline_page.category_{v}"),
    horizontal=True,
    key="timeline_category",
)
adoption = load("adoption_by_year", filters, category)
if adoption.empty:
    components.empty_state("timeline_page.empty_year")
else:
    fig = charts.adoption_heatmap(adoption, lang=lang, category=category)
    points = components.chart(fig, key="timeline_adoption_chart")
    components.plans_behind(
        points,
        charts.ADOPTION_KEYS,
        lambda k: load(
            "plans_for_category",
            filters,
            k["category"],
            k["category"],
            k["key_id"],
            None,
            k["plan_year"],
        ),
        key="timeline_adoption_plans",
    )

# --- one locality's plans ------------------------------------------------------------------
st.subheader(t("timeline_page.locality"))
codes = [str(code) for code in localities["province_code"]]
names = {
    str(row.province_code): t(
        "timeline_page.locality_option", name=place(row.locality_name), n=int(row.n_plans)
    )
    for row in localities.itertuples(index=False)
}
code = st.selectbox(
    t("timeline_page.pick_locality"),
    codes,
    format_func=lambda v: names.get(v, v),
    key="timeline_locality",
)
if code is not None:
    own = load("locality_plans", filters, code)
    shown_name = place(own["locality_name"].iloc[0]) if not own.empty else names.get(code, code)
    fig = charts.locality_timeline(own, lang=lang, place=shown_name, level_labels=level_labels)
    points = components.chart(fig, key="timeline_locality_chart")
    components.plans_behind(points, charts.PLAN_KEYS, plan_by_id, key="timeline_locality_selected")
    listed = components.first_rows(own)
    table = pd.DataFrame(
        {
            t("timeline_page.col_date"): [
                None if pd.isna(d) else pd.Timestamp(d).date().isoformat()
                for d in listed["sort_date"]
            ],
            t("col.number"): listed["plan_number"],
            t("col.title"): listed["title"],
            t("col.issuer"): listed["issuer_name"],
            t("col.level"): [label("level", v) for v in listed["issuer_level"]],
            t("timeline_page.col_channels"): listed[f"channels_{lang}"],
            t("timeline_page.col_themes"): listed[f"themes_{lang}"],
        }
    )
    st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        key="timeline_locality_table",
        column_config={
            t("col.title"): st.column_config.TextColumn(width="large"),
            t("timeline_page.col_channels"): st.column_config.TextColumn(width="large"),
            t("timeline_page.col_themes"): st.column_config.TextColumn(width="large"),
        },
    )
