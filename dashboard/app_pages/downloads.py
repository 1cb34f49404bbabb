"""Downloads: every table as CSV and Parquet, and a zip bundle of the filtered view.

The page only counts rows (export_counts.sql, from per-plan counts); a file is built when its
button is clicked (Streamlit's deferred download data: a callable), so showing the page never
reads the tables themselves, which hold millions of rows in a large warehouse."""

from __future__ import annotations

import functools

import streamlit as st

from dashboard import exports, queries
from dashboard.i18n import number, t
from dashboard.state import Filters, current_filters, current_lang, filters_to_params

filters = current_filters()
lang = current_lang()

st.title(t("downloads.title"))
st.caption(t("downloads.caption"))

info = queries.load_raw("build_info")
build = dict(zip(info["key"], info["value"], strict=True))
params = filters_to_params(filters)

# --- the bundle of the current view --------------------------------------------------------
st.subheader(t("downloads.bundle_title"))
st.caption(t("downloads.bundle_help"))
st.download_button(
    t("downloads.bundle"),
    data=functools.partial(exports.bundle_bytes, filters, lang),
    file_name="cchc_atlas_bundle.zip",
    mime=exports.ZIP_MIME,
    on_click="ignore",
    type="primary",
    icon=":material/folder_zip:",
    key="dl_bundle",
)
st.markdown(f"**{t('downloads.cite')}**")
st.code(exports.citation_text(build, params, lang), language=None, wrap_lines=True)

# --- table by table ------------------------------------------------------------------------
st.subheader(t("downloads.tables"))
scope = st.segmented_control(
    t("downloads.scope"),
    ["filtered", "all"],
    default="filtered",
    format_func=lambda s: t(f"downloads.scope_{s}"),
    key="dl_scope",
    required=True,
)
chosen = filters if scope != "all" else Filters()
suffix = "_filtered" if scope != "all" and not filters.is_empty() else ""
counts = queries.load("export_counts", chosen).iloc[0]

for spec in exports.EXPORTS:
    name_col, rows_col, csv_col, parquet_col = st.columns([4, 2, 1, 1], vertical_alignment="center")
    name_col.markdown(f"**{t(f'table.{spec.stem}')}** · `{spec.stem}`")
    rows = t("downloads.rows", n=number(int(counts[spec.stem])))
    rows_col.caption(rows if spec.filtered else f"{rows} ({t('downloads.not_filtered')})")
    stem = f"cchc_{spec.stem}{suffix if spec.filtered else ''}"
    csv_col.download_button(
        t("downloads.csv"),
        data=functools.partial(exports.table_bytes, spec, chosen, "csv"),
        file_name=f"{stem}.csv",
        mime=exports.CSV_MIME,
        on_click="ignore",
        icon=":material/table_view:",
        key=f"dl_{spec.stem}_csv",
    )
    parquet_col.download_button(
        t("downloads.parquet"),
        data=functools.partial(exports.table_bytes, spec, chosen, "parquet"),
        file_name=f"{stem}.parquet",
        mime=exports.PARQUET_MIME,
        on_click="ignore",
        icon=":material/dataset:",
        key=f"dl_{spec.stem}_parquet",
    )
