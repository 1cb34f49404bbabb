"""Overview: how many plans, where they come from, the newest ones, data-quality warnings."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import components, queries
from dashboard.charts import overview as charts
from dashboard.i18n import label, t
from dashboard.state import current_filters

filters = current_filters()

st.title(t("overview.title"))
st.caption(t("overview.caption"))

counts = queries.load("overview_counts", filters).iloc[0]
n_plans = int(counts["n_plans"])

if n_plans == 0:
    components.empty_state("empty.filters")
else:
    c1, c2, c3, c4 = st.columns(4)
    c1.metric(t("metric.plans"), n_plans, help=t("metric.plans_help"), border=True)
    c2.metric(
        t("metric.documents"),
        int(counts["n_documents"]),
        help=t("metric.documents_help"),
        border=True,
    )
    c3.metric(
        t("metric.localities"),
        int(counts["n_localities"]),
        help=t("metric.localities_help", provinces=int(counts["n_provinces"])),
        border=True,
    )
    first = counts["year_first"]
    last = counts["year_last"]
    c4.metric(
        t("metric.years"),
        int(counts["n_years"]),
        help=t(
            "metric.years_help",
            first="–" if pd.isna(first) else int(first),
            last="–" if pd.isna(last) else int(last),
        ),
        border=True,
    )

    by_level = queries.load("coverage_level", filters)
    by_region = queries.load("coverage_region", filters)
    per_year = queries.load("plans_per_year", filters)

    left, right = st.columns(2)
    with left:
        level_points = components.chart(
            charts.coverage_by_level(
                by_level,
                labels={k: label("level", k) for k in by_level["level"]},
                title=t("overview.by_level"),
                x_title=t("axis.level"),
                y_title=t("axis.plans"),
            ),
            key="overview_level",
        )
    with right:
        region_points = components.chart(
            charts.coverage_by_region(
                by_region,
                labels={k: label("region", k) for k in by_region["region"]},
                title=t("overview.by_region"),
                x_title=t("axis.plans"),
                y_title=t("axis.region"),
            ),
            key="overview_region",
        )
    if per_year.empty:
        components.empty_state("empty.chart")
        year_points: list[dict] = []
    else:
        year_points = components.chart(
            charts.plans_per_year(
                per_year,
                kind_labels={k: label("kind", k) for k in per_year["kind"]},
                title=t("overview.by_year"),
                x_title=t("axis.year"),
                y_title=t("axis.plans"),
                legend_title=t("axis.kind"),
            ),
            key="overview_year",
        )

    levels = components.selected_values(level_points)
    regions = components.selected_values(region_points)
    years = components.selected_values(year_points)
    if levels or regions or years:
        level = str(levels[0]) if levels else None
        region = str(regions[0]) if regions else None
        year = int(years[0]) if years else None
        what = ", ".join(
            part
            for part in (
                label("level", level) if level else "",
                label("region", region) if region else "",
                str(year) if year else "",
            )
            if part
        )
        st.subheader(t("overview.selected", what=what))
        components.plans_table(queries.load("plans_list", filters, level, region, year))
    else:
        st.caption(t("common.select_hint"))

    st.subheader(t("overview.newest"))
    components.plans_table(queries.load("newest_plans", filters, 10))

# --- data quality --------------------------------------------------------------------------
st.subheader(t("quality.title"))
st.caption(t("quality.scope"))
unresolved = queries.load("quality_unresolved", filters)
undated = queries.load("quality_undated", filters)
duplicate_plans = queries.load("quality_duplicate_plans", filters)
load_errors = queries.load_raw("quality_load_errors")
duplicates = queries.load_raw("quality_duplicates")

problems = 0
if not unresolved.empty:
    problems += 1
    with st.expander(
        t("quality.unresolved", n=components.row_total(unresolved)), icon=":material/location_off:"
    ):
        components.plans_table(unresolved)
if not undated.empty:
    problems += 1
    with st.expander(
        t("quality.undated", n=components.row_total(undated)), icon=":material/event_busy:"
    ):
        components.plans_table(undated)
if not duplicate_plans.empty:
    problems += 1
    with st.expander(
        t("quality.duplicate_plans", n=len(duplicate_plans)), icon=":material/content_copy:"
    ):
        st.dataframe(
            components.first_rows(duplicate_plans)
            .rename(
                columns={
                    "province_name": t("col.province"),
                    "plan_number": t("col.number"),
                    "plan_year": t("col.year"),
                    "n_plans": t("col.count"),
                    "issuers": t("col.issuer"),
                }
            )
            .drop(columns=["province_code"]),
            hide_index=True,
            width="stretch",
        )
if not load_errors.empty:
    problems += 1
    with st.expander(t("quality.load_errors", n=len(load_errors)), icon=":material/error:"):
        shown_errors = components.first_rows(load_errors)
        st.dataframe(
            shown_errors.assign(stage=[label("stage", s) for s in shown_errors["stage"]]).rename(
                columns={
                    "relpath": t("col.file"),
                    "stage": t("col.stage"),
                    "problem": t("col.problem"),
                }
            ),
            hide_index=True,
            width="stretch",
        )
if not duplicates.empty:
    problems += 1
    with st.expander(t("quality.duplicates", n=len(duplicates)), icon=":material/file_copy:"):
        st.dataframe(
            components.first_rows(duplicates)
            .drop(columns=["doc_id"])
            .rename(columns={"relpath": t("col.file"), "kept_relpath": t("col.kept")}),
            hide_index=True,
            width="stretch",
        )
if problems == 0:
    st.success(t("quality.ok"), icon=":material/check_circle:")
