"""Downloadable files: CSV (UTF-8 with BOM, for Excel), Parquet and a zip bundle.

The byte builders are pure functions of tables (Arrow tables or DataFrames) and text
(unit-tested); the data dictionary comes from `etl/load/dictionary.yaml`. `EXPORTS` lists the
tables the Downloads page offers, which SQL file produces each one and which dictionary entry
describes it. The tables are fetched from DuckDB as Arrow tables and written by pyarrow, never
as Python objects: a million mention rows become a CSV in well under a second.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING, Any

import pandas as pd
import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq
import streamlit as st
import yaml

if TYPE_CHECKING:
    from dashboard.state import Filters

CSV_ENCODING = "utf-8-sig"
CSV_MIME = "text/csv"
PARQUET_MIME = "application/vnd.apache.parquet"
ZIP_MIME = "application/zip"
# Fixed time stamp of the zip entries: the same tables give the same bytes.
ZIP_DATE = (2020, 1, 1, 0, 0, 0)
DICTIONARY_COLUMNS = ("file", "column", "type", "description")

# What the byte builders take: an Arrow table (from queries.load_arrow) or a DataFrame.
Table = pa.Table | pd.DataFrame


@dataclass(frozen=True)
class ExportTable:
    """A downloadable table: file stem, SQL file, dictionary entry, and whether the sidebar
    filters apply (then it is run with queries.load, else with queries.load_raw)."""

    stem: str
    sql: str
    source: str  # a table or view of etl/load/dictionary.yaml
    filtered: bool = True
    dropped: tuple[str, ...] = ()  # columns of `source` left out of the file


EXPORTS: tuple[ExportTable, ...] = (
    ExportTable("plans", "export_plans", "plan_facts"),
    ExportTable("documents", "export_documents", "documents", dropped=("text",)),
    ExportTable("plan_sources", "export_plan_sources", "plan_sources"),
    ExportTable("channel_mentions", "export_channel_mentions", "channel_mentions"),
    ExportTable("theme_mentions", "export_theme_mentions", "theme_mentions"),
    ExportTable("audience_mentions", "export_audience_mentions", "audience_mentions"),
    ExportTable("platform_mentions", "export_platform_mentions", "platform_mentions"),
    ExportTable("responsibilities", "export_responsibilities", "responsibilities"),
    ExportTable("localities", "export_localities", "localities", filtered=False),
    ExportTable("codebook", "export_codebook", "codebook", filtered=False),
)


# --- single files --------------------------------------------------------------------------


def arrow_table(data: Table) -> pa.Table:
    """`data` as an Arrow table (a DataFrame without its index; its datetime columns without
    a time of day become dates, as DuckDB's DATE columns are in a DataFrame)."""
    if isinstance(data, pa.Table):
        return data
    frame = data.copy(deep=False)
    for column in frame.columns:
        values = frame[column]
        if (
            pd.api.types.is_datetime64_any_dtype(values)
            and values.dt.tz is None
            and (values.dropna() == values.dropna().dt.normalize()).all()
        ):
            frame[column] = values.dt.date.astype(object).where(values.notna(), None)
    return pa.Table.from_pandas(frame, preserve_index=False)


def to_csv_bytes(data: Table) -> bytes:
    """CSV in UTF-8 with a byte-order mark (Excel reads Vietnamese correctly), a header of
    the column names, no index, text in double quotes (quotes inside doubled), dates as
    YYYY-MM-DD, booleans as true/false, empty unquoted cells for missing values."""
    table = arrow_table(data)
    header = io.StringIO()
    csv.writer(header, lineterminator="\n").writerow(table.column_names)
    body = io.BytesIO()
    if table.num_columns:
        pa_csv.write_csv(
            table,
            body,
            write_options=pa_csv.WriteOptions(include_header=False, quoting_style="needed"),
        )
    return header.getvalue().encode(CSV_ENCODING) + body.getvalue()


def to_parquet_bytes(data: Table) -> bytes:
    """Parquet (pyarrow), no index."""
    buffer = io.BytesIO()
    pq.write_table(arrow_table(data).replace_schema_metadata(None), buffer)
    return buffer.getvalue()


# --- the data dictionary -------------------------------------------------------------------


@lru_cache(maxsize=1)
def load_dictionary() -> dict[str, Any]:
    """etl/load/dictionary.yaml: {'tables': {...}, 'views': {...}, 'macros': {...}}."""
    text = resources.files("etl.load").joinpath("dictionary.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


def dictionary_entry(source: str, dictionary: Mapping[str, Any] | None = None) -> dict[str, Any]:
    dictionary = dictionary if dictionary is not None else load_dictionary()
    for section in ("tables", "views"):
        entry = (dictionary.get(section) or {}).get(source)
        if entry:
            return dict(entry)
    raise KeyError(f"{source!r} is not in the data dictionary")


def dictionary_frame(
    files: Mapping[str, tuple[str, Iterable[str]]],
    dictionary: Mapping[str, Any] | None = None,
) -> pd.DataFrame:
    """One row per column of each exported file: file, column, type, description.

    files: file name -> (dictionary table/view, its columns in the file). A column the
    dictionary does not know gets an empty type and description (a test guards that)."""
    rows = []
    for file, (source, columns) in files.items():
        entry = dictionary_entry(source, dictionary)
        described = entry.get("columns") or {}
        rows.append(
            {
                "file": file,
                "column": "",
                "type": "",
                "description": " ".join(str(entry.get("description", "")).split()),
            }
        )
        for column in columns:
            spec = described.get(column) or {}
            rows.append(
                {
                    "file": file,
                    "column": column,
                    "type": str(spec.get("type", "")),
                    "description": " ".join(str(spec.get("description", "")).split()),
                }
            )
    return pd.DataFrame(rows, columns=list(DICTIONARY_COLUMNS))


# --- citation and bundle -------------------------------------------------------------------


CITATION_WORDS: dict[str, dict[str, str]] = {
    "en": {
        "project": "CCHC Atlas: local governments' administrative-reform communication plans",
        "version": "data version",
        "extractor": "extractor",
        "codebook": "codebook",
        "built": "built",
        "filters": "filters",
    },
    "vi": {
        "project": "CCHC Atlas: kế hoạch thông tin, tuyên truyền cải cách hành chính của các"
        " địa phương",
        "version": "phiên bản dữ liệu",
        "extractor": "bộ trích xuất",
        "codebook": "bộ mã",
        "built": "xây dựng lúc",
        "filters": "bộ lọc",
    },
}


def data_version(build_info: Mapping[str, Any], lang: str = "en") -> str:
    """'extractor 0.1.0, codebook e8403ca7ae8a, built 2026-01-01T00:00:00+00:00'."""
    words = CITATION_WORDS.get(lang, CITATION_WORDS["en"])
    parts = [
        f"{words['extractor']} {build_info.get('extractor_version') or '?'}",
        f"{words['codebook']} {build_info.get('codebook_version') or '?'}",
        f"{words['built']} {build_info.get('built_at') or '?'}",
    ]
    return ", ".join(parts)


def citation_text(
    build_info: Mapping[str, Any], filters: Mapping[str, str] | None = None, lang: str = "en"
) -> str:
    """One line to cite the data: project, data version (extractor and codebook versions,
    build time) and, when given, the view's filters (as URL parameters)."""
    words = CITATION_WORDS.get(lang, CITATION_WORDS["en"])
    line = f"{words['project']}; {words['version']}: {data_version(build_info, lang)}"
    if filters:
        shown = "&".join(f"{k}={v}" for k, v in filters.items())
        line += f"; {words['filters']}: {shown}"
    return line + "."


def _entry(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    return info


def bundle_zip(
    tables: Mapping[str, Table],
    *,
    dictionary: pd.DataFrame,
    codebook: pd.DataFrame,
    citation: str,
    readme: str = "",
) -> bytes:
    """A zip of `tables/<name>.csv`, `data_dictionary.csv`, `codebook.csv`, `CITATION.txt`
    (and README.txt when given); CSVs in UTF-8 with BOM; same input, same bytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(_entry("CITATION.txt"), (citation.rstrip("\n") + "\n").encode("utf-8"))
        if readme:
            archive.writestr(_entry("README.txt"), (readme.rstrip("\n") + "\n").encode("utf-8"))
        archive.writestr(_entry("data_dictionary.csv"), to_csv_bytes(dictionary))
        archive.writestr(_entry("codebook.csv"), to_csv_bytes(codebook))
        for name, table in tables.items():
            archive.writestr(_entry(f"tables/{name}.csv"), to_csv_bytes(table))
    return buffer.getvalue()


def bundle_readme(files: Iterable[str], filters: Mapping[str, str]) -> str:
    shown = "&".join(f"{k}={v}" for k, v in filters.items()) or "none"
    lines = [
        "CCHC Atlas data bundle",
        "",
        f"Filters (dashboard URL parameters): {shown}",
        "Files:",
        "  CITATION.txt         how to cite this data (with its version)",
        "  data_dictionary.csv  every column of every file: type and meaning",
        "  codebook.csv         the categories (channels, themes, ...) and their labels",
        *(f"  tables/{name}.csv" for name in files),
        "CSV files are UTF-8 with a byte-order mark; text is in double quotes; dates are",
        "YYYY-MM-DD; booleans are true/false; an empty unquoted cell = unknown.",
        "Evidence spans (evidence_start, evidence_end) are 0-based character offsets into",
        "documents.text, which the full warehouse (DuckDB) holds.",
    ]
    return "\n".join(lines)


# --- cached adapters for the Downloads page ------------------------------------------------


def export_table(spec: ExportTable, filters: Filters) -> pa.Table:
    """The rows of one export as an Arrow table (filtered when the table follows the
    filters); uncached: the file bytes built from it are."""
    from dashboard import queries

    return queries.load_arrow(spec.sql, filters if spec.filtered else None)


def _spec(stem: str) -> ExportTable:
    for spec in EXPORTS:
        if spec.stem == stem:
            return spec
    raise KeyError(stem)


@st.cache_data(max_entries=64, show_spinner=False)
def _file_bytes(db: tuple[Any, ...], stem: str, filters: Filters, fmt: str) -> bytes:
    table = export_table(_spec(stem), filters)
    return to_parquet_bytes(table) if fmt == "parquet" else to_csv_bytes(table)


def table_bytes(spec: ExportTable, filters: Filters, fmt: str) -> bytes:
    """CSV or Parquet bytes of one export (cached per warehouse version and filters)."""
    from dashboard import queries

    return _file_bytes(queries.db_key(), spec.stem, filters, fmt)


@st.cache_data(max_entries=16, show_spinner=False)
def _bundle_bytes(db: tuple[Any, ...], filters: Filters, lang: str) -> bytes:
    from dashboard import queries
    from dashboard.state import filters_to_params

    tables = {spec.stem: export_table(spec, filters) for spec in EXPORTS if spec.filtered}
    files = {
        f"tables/{spec.stem}.csv": (spec.source, list(tables[spec.stem].column_names))
        for spec in EXPORTS
        if spec.filtered
    }
    codebook = queries.load_raw("export_codebook")
    files["codebook.csv"] = ("codebook", list(codebook.columns))
    info = queries.load_raw("build_info")
    build = dict(zip(info["key"], info["value"], strict=True))
    params = filters_to_params(filters)
    return bundle_zip(
        tables,
        dictionary=dictionary_frame(files),
        codebook=codebook,
        citation=citation_text(build, params, lang),
        readme=bundle_readme(tables, params),
    )


def bundle_bytes(filters: Filters, lang: str = "en") -> bytes:
    """The zip bundle of the filtered tables, its citation in `lang` (cached per warehouse
    version, filters and language)."""
    from dashboard import queries

    return _bundle_bytes(queries.db_key(), filters, lang)
