"""Responsibilities: which agencies lead, coordinate or implement the filtered plans, by issuer
level and by year; the flow issuer level -> agency -> role; and the assigned tasks with their
evidence sentence, file and locality. Clicking a bar or cell lists the plans behind it; the
Sankey (plotly emits no selection events for it) is drilled into with the table's pickers."""

from __future__ import annotations

import math

import pandas as pd
import streamlit as st

from dashboard import components
from dashboard.charts import responsibilities as charts
from dashboard.charts.common import (
    LEVEL_ORDER,
    ROLE_ORDER,
    role_label,
)
from dashboard.i18n import label, number, place, t
from dashboard.queries import load
from dashboard.state import current_filters, current_lang

# The task table is read one page at a time (responsibility_tasks.sql: LIMIT/OFFSET and the
# total in n_total); the page number is a widget above the table.
TASKS_PER_PAGE = 200
PAGE_KEY = "resp_tasks_page"

filters = current_filters()
lang = current_lang()
role_labels = {r: role_label(r, lang) for r in ROLE_ORDER}
level_labels = {lvl: label("level", lvl) for lvl in LEVEL_ORDER}


def _task_page(agency: str | None, role: str | None, level: str | None) -> pd.DataFrame:
    """The page of tasks the page-number widget asks for; the first page when the pickers or
    filters leave fewer pages than that."""
    page = max(1, int(st.session_state.get(PAGE_KEY, 1)))
    offset = (page - 1) * TASKS_PER_PAGE
    rows = load("responsibility_tasks", filters, agency, role, level, None, TASKS_PER_PAGE, offset)
    if rows.empty and page > 1:
        st.session_state[PAGE_KEY] = 1
        rows = load("responsibility_tasks", filters, agency, role, level, None, TASKS_PER_PAGE, 0)
    return rows


st.title(t("page.responsibilities"))
st.caption(t("resp_page.intro"))
if int(load("localities", filters)["n_plans"].sum()) == 0:
    components.empty_state("empty.filters")
    st.stop()

by_level = load("responsibilities_by_level", filters)
if by_level.empty:
    components.empty_state("resp_page.empty")
    st.stop()

measure = st.radio(
    t("pages_common.measure"),
    ("plans", "share"),
    format_func=lambda v: t(f"pages_common.measure_{v}"),
    horizontal=True,
    key="resp_measure",
)
st.caption(t("common.select_hint"))

# --- by issuer level -----------------------------------------------------------------------
st.subheader(t("resp_page.by_level"))
fig = charts.roles_by_level(
    by_level, lang=lang, measure=measure, role_labels=role_labels, level_labels=level_labels
)
points = components.chart(fig, key="resp_by_level_chart")
components.plans_behind(
    points,
    charts.LEVEL_KEYS,
    lambda k: load(
        "plans_for_responsibility", filters, k["agency_id"], k["role"], k["issuer_level"], None
    ),
    key="resp_by_level_plans",
)

# --- by year -------------------------------------------------------------------------------
st.subheader(t("resp_page.by_year"))
by_year = load("responsibilities_by_year", filters)
if by_year.empty:
    components.empty_state("empty.chart")
else:
    role = st.radio(
        t("resp_page.role"),
        ROLE_ORDER,
        format_func=lambda r: role_labels[r],
        horizontal=True,
        key="resp_year_role",
    )
    fig = charts.roles_by_year(
        by_year, lang=lang, role=role, measure=measure, role_labels=role_labels
    )
    points = components.chart(fig, key="resp_by_year_chart")
    components.plans_behind(
        points,
        charts.YEAR_KEYS,
        lambda k: load(
            "plans_for_responsibility", filters, k["agency_id"], k["role"], None, k["plan_year"]
        ),
        key="resp_by_year_plans",
    )

# --- flow ----------------------------------------------------------------------------------
st.subheader(t("resp_page.sankey"))
sankey = load("responsibilities_sankey", filters)
fig = charts.responsibility_sankey(
    sankey, lang=lang, role_labels=role_labels, level_labels=level_labels
)
components.chart(fig, key="resp_sankey_chart")
st.caption(t("resp_page.sankey_hint"))

# --- tasks and evidence --------------------------------------------------------------------
st.subheader(t("resp_page.tasks"))
levels = [lvl for lvl in LEVEL_ORDER if lvl in set(by_level["issuer_level"].astype(str))]
agency_names = dict(
    zip(by_level["agency_id"].astype(str), by_level[f"agency_label_{lang}"], strict=False)
)
agencies = sorted(agency_names, key=lambda a: str(agency_names[a]).casefold())
c1, c2, c3 = st.columns(3)
pick_level = c1.selectbox(
    t("resp_page.pick_level"),
    [None, *levels],
    format_func=lambda v: t("common.all") if v is None else level_labels.get(v, v),
    key="resp_pick_level",
)
pick_agency = c2.selectbox(
    t("resp_page.pick_agency"),
    [None, *agencies],
    format_func=lambda v: t("common.all") if v is None else str(agency_names[v]),
    key="resp_pick_agency",
)
pick_role = c3.selectbox(
    t("resp_page.pick_role"),
    [None, *ROLE_ORDER],
    format_func=lambda v: t("common.all") if v is None else role_labels[v],
    key="resp_pick_role",
)
tasks = _task_page(pick_agency, pick_role, pick_level)
if tasks.empty:
    components.empty_state("resp_page.empty_tasks")
else:
    total = int(tasks["n_total"].iloc[0])
    first = (int(st.session_state.get(PAGE_KEY, 1)) - 1) * TASKS_PER_PAGE + 1
    st.caption(t("resp_page.tasks_count", n=number(total)))
    if total > TASKS_PER_PAGE:
        n_pages = math.ceil(total / TASKS_PER_PAGE)
        left, right = st.columns([1, 3], vertical_alignment="bottom")
        left.number_input(t("paging.page"), min_value=1, max_value=n_pages, step=1, key=PAGE_KEY)
        right.caption(
            t(
                "paging.rows",
                first=number(first),
                last=number(first + len(tasks) - 1),
                n=number(total),
            )
        )
    table = pd.DataFrame(
        {
            t("col.locality"): [place(v) for v in tasks["locality_name"]],
            t("col.issuer"): tasks["issuer_name"],
            t("col.number"): tasks["plan_number"],
            t("col.year"): tasks["plan_year"],
            t("resp_page.col_agency"): tasks[f"agency_label_{lang}"],
            t("resp_page.col_agency_text"): tasks["agency_text"],
            t("col.role"): [role_labels.get(str(r), str(r)) for r in tasks["role"]],
            t("resp_page.col_task"): tasks["task"],
            t("col.evidence"): tasks["evidence_text"],
            t("col.file"): tasks["relpath"],
        }
    )
    st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        key="resp_tasks_table",
        column_config={
            t("col.year"): st.column_config.NumberColumn(format="%d"),
            t("resp_page.col_task"): st.column_config.TextColumn(width="large"),
            t("col.evidence"): st.column_config.TextColumn(width="large"),
        },
    )
