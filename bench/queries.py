"""Dashboard queries against a warehouse: exactly what the pages run, timed.

Every dashboard/sql/*.sql except the `_` fragments, composed the way dashboard/queries.py does
it (`queries.compose(queries.filter_sql(), queries.query_sql(name))`, the 8 filter values of
`queries.filter_params(filters)` first, then the file's own parameters), on the dashboard's
read-only connection (`queries.connect_readonly`), a fresh cursor per run, the result fetched
as a DataFrame (`.df()`), as `queries.execute` does, without Streamlit's result cache; the
Downloads page's files (dashboard/exports.py EXPORTS) are fetched as Arrow tables, as
`queries.execute_arrow` does (entry "fetch": "arrow").

Each query that reads `filtered_plans` runs under four realistic filters picked from the
warehouse: none, the province with the most plans, a three-year range in the middle of the
years, the theme most plans address. Lookups that ignore the filters run once (filter "none").
Each query gets one untimed warm-up run (under the first filter), then `runs` timed runs under
each filter.

The same aggregation in pandas (bench/pandas_eq.py), on DataFrames loaded beforehand, is timed
the same way for the queries that have an equivalent; their row counts are compared.
"""

from __future__ import annotations

import re
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pyarrow as pa

from bench import pandas_eq
from bench.stats import summary_ms
from dashboard import exports, queries
from dashboard.state import Filters

# Example parameters of the files that take some (mirrors the table of
# tests/dashboard/test_queries.py, plus the Map and Compare pages' files). '<doc_id>',
# '<plan_id>', '<province>', '<province2>', '<theme>' are replaced by values of the warehouse.
PARAMS: dict[str, tuple[object, ...]] = {
    "newest_plans": (10,),
    "plans_list": (None, None, None),
    "documents_search": ("tuyen truyen", 50),
    "document_text": ("<doc_id>",),
    "document_facts": ("<doc_id>",),
    "plan_sources": ("<plan_id>",),
    "adoption_by_year": ("channel",),
    "category_heatmap": ("channel", "channel"),
    "channels_by_locality": ("group",),
    "channels_by_year": ("channel",),
    "locality_plans": ("<province>",),
    "plans_by_id": ("<plan_id>",),
    "plans_for_category": ("channel", "channel", "web_portal", None, None),
    "plans_for_platform": ("facebook",),
    "plans_for_reform_coverage": (2,),
    "plans_for_responsibility": (None, None, None, None),
    "plans_in_period": ("<province>", "2021"),
    "responsibility_tasks": (None, None, None, None, 200, 0),
    "themes_by_year": ("theme",),
    "timeline_binned": (3_000,),  # dashboard.charts.timeline.MAX_BINNED_POINTS
    "timeline_plans": (2_000,),  # MAX_PLAN_POINTS
    # Map page (era 'legacy': the 63 provinces)
    "map_metric_plans": ("legacy",),
    "map_metric_channels_mean": ("legacy",),
    "map_metric_channel": ("legacy", "group", "digital"),
    "map_metric_theme": ("legacy", "theme", "<theme>"),
    "map_metric_agency": ("legacy", "home_affairs", "lead"),
    "map_points": ("legacy",),
    "map_province_plans": ("legacy", "<province>"),
    "map_evidence": ("legacy", "<province>", "channel", "group", "digital", None),
    # Compare page (two provinces side by side, every year)
    "compare_entities": ("loc", ["<province>", "<province2>"], []),
    "compare_channels": ("loc", ["<province>", "<province2>"], [], "group"),
    "compare_themes": ("loc", ["<province>", "<province2>"], [], "theme"),
    "compare_agencies": ("loc", ["<province>", "<province2>"], []),
    "compare_profile": ("loc", ["<province>", "<province2>"], []),
    "baseline_national": ([],),
    "baseline_level": ([],),
    "baseline_previous": ("loc", ["<province>", "<province2>"], []),
}


@dataclass(frozen=True)
class Scenario:
    name: str
    filters: Filters
    describe: str


def placeholders(sql: str) -> int:
    without_comments = re.sub(r"--[^\n]*", "", sql)
    without_strings = re.sub(r"'(?:[^']|'')*'", "''", without_comments)
    return without_strings.count("?")


def _scalar(con: duckdb.DuckDBPyConnection, sql: str) -> Any:
    row = con.execute(sql).fetchone()
    return row[0] if row else None


def warehouse_values(con: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    """Values of this warehouse the example parameters and the filters use."""
    provinces = [
        r[0]
        for r in con.execute(
            "SELECT province_code FROM plans WHERE province_code IS NOT NULL "
            "GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 2"
        ).fetchall()
    ]
    years = [
        r[0]
        for r in con.execute(
            "SELECT DISTINCT plan_year FROM plans WHERE plan_year IS NOT NULL ORDER BY 1"
        ).fetchall()
    ]
    theme = _scalar(
        con,
        "SELECT theme_id FROM theme_mentions GROUP BY 1 ORDER BY count(DISTINCT plan_id) DESC, 1 "
        "LIMIT 1",
    )
    doc = con.execute("SELECT doc_id, plan_id FROM documents ORDER BY relpath LIMIT 1").fetchone()
    if len(years) >= 5:
        mid = len(years) // 2
        window = (years[mid - 1], years[mid + 1])
    elif years:
        window = (years[0], years[-1])
    else:
        window = (None, None)
    return {
        "<province>": provinces[0] if provinces else "01",
        "<province2>": provinces[1] if len(provinces) > 1 else "79",
        "<theme>": theme or "procedure_reform",
        "<doc_id>": doc[0] if doc else "",
        "<plan_id>": doc[1] if doc else "",
        "years": window,
    }


def scenarios(values: dict[str, Any]) -> list[Scenario]:
    lo, hi = values["years"]
    province, theme = values["<province>"], values["<theme>"]
    return [
        Scenario("none", Filters(), "no filter"),
        Scenario("province", Filters(provinces=(province,)), f"province {province}"),
        Scenario("years", Filters(year_min=lo, year_max=hi), f"years {lo}-{hi}"),
        Scenario("theme", Filters(themes=(theme,)), f"theme {theme}"),
    ]


def resolve(params: tuple[object, ...], values: dict[str, Any]) -> list[object]:
    def one(p: object) -> object:
        if isinstance(p, str):
            return values.get(p, p)
        if isinstance(p, (list, tuple)):
            return [one(x) for x in p]
        return p

    return [one(p) for p in params]


# The files fetched as Arrow tables (the Downloads page builds its files from those).
ARROW_QUERIES = frozenset(spec.sql for spec in exports.EXPORTS)


def run_once(
    con: duckdb.DuckDBPyConnection, sql: str, args: list[object], arrow: bool = False
) -> pd.DataFrame | pa.Table:
    cur = queries.warehouse_cursor(con)
    try:
        result = cur.execute(sql, args)
        if not arrow:
            return result.df()
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message="Arrow output on a DB-API result")
            return result.to_arrow_table()
    finally:
        cur.close()


def timed(fn: Callable[[], Any], runs: int, warm_up: bool = True) -> tuple[list[float], Any]:
    """An untimed warm-up call (if `warm_up`), then `runs` timed calls (seconds); the last
    result."""
    result = fn() if warm_up else pd.DataFrame()
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        result = fn()
        samples.append(time.perf_counter() - started)
    return samples, result


def bench_queries(
    db: Path,
    runs: int,
    progress: Callable[[str], None] | None = None,
    pandas_runs: int | None = None,
    only: tuple[str, ...] = (),
) -> dict[str, Any]:
    """Time every dashboard query (or those in `only`), and its pandas equivalent, on the
    warehouse `db`."""
    con = queries.connect_readonly(db)
    try:
        values = warehouse_values(con)
        cases = scenarios(values)
        started = time.perf_counter()
        frames = pandas_eq.load_frames(con)
        load_s = time.perf_counter() - started
        out: dict[str, Any] = {}
        filter_sql = queries.filter_sql()
        for name in sorted(queries.query_names()):
            if only and name not in only:
                continue
            if progress:
                progress(name)
            out[name] = _bench_one(con, frames, name, filter_sql, cases, values, runs, pandas_runs)
    finally:
        con.close()
    return {
        "queries": out,
        "filters": {c.name: c.describe for c in cases},
        "pandas_load_s": round(load_s, 3),
        "pandas_frames_mb": round(frames.memory_mb(), 1),
    }


def _bench_one(
    con: duckdb.DuckDBPyConnection,
    frames: pandas_eq.Frames,
    name: str,
    filter_sql: str,
    cases: list[Scenario],
    values: dict[str, Any],
    runs: int,
    pandas_runs: int | None,
) -> dict[str, Any]:
    body = queries.query_sql(name)
    uses_filters = "filtered_plans" in body
    entry: dict[str, Any] = {
        "filtered": uses_filters,
        "p50_ms": None,
        "p95_ms": None,
        "pandas_p50_ms": None,
        "pandas_p95_ms": None,
        "ratio_p95": None,
        "note": "",
        "fetch": "arrow" if name in ARROW_QUERIES else "dataframe",
        "by_filter": {},
    }
    if name not in PARAMS and placeholders(body):
        entry["note"] = "skipped: no example parameters for this file (bench/queries.py PARAMS)"
        return entry
    params = resolve(PARAMS.get(name, ()), values)
    entry["params"] = [p if not isinstance(p, list) else list(p) for p in params]
    sql = queries.compose(filter_sql, body) if uses_filters else body
    equivalent = pandas_eq.EQUIVALENTS.get(name)
    all_db: list[float] = []
    all_pd: list[float] = []
    for i, case in enumerate(cases if uses_filters else cases[:1]):
        args = [*queries.filter_params(case.filters), *params] if uses_filters else list(params)
        try:
            samples, result = timed(
                lambda a=args: run_once(con, sql, a, arrow=name in ARROW_QUERIES),
                runs,
                warm_up=i == 0,
            )
        except duckdb.Error as err:
            entry["note"] = f"error: {type(err).__name__}: {str(err).splitlines()[0][:200]}"
            return entry
        row: dict[str, Any] = {**summary_ms(samples), "rows": len(result)}
        all_db.extend(samples)
        if equivalent is not None:
            pd_samples, pd_result = timed(
                lambda f=case.filters: equivalent(frames, f, *params),
                pandas_runs or runs,
                warm_up=i == 0,
            )
            pd_summary = summary_ms(pd_samples)
            row["pandas_p50_ms"] = pd_summary["p50_ms"]
            row["pandas_p95_ms"] = pd_summary["p95_ms"]
            row["pandas_rows"] = len(pd_result)
            all_pd.extend(pd_samples)
        entry["by_filter"][case.name] = row
    pooled = summary_ms(all_db)
    entry["p50_ms"], entry["p95_ms"] = pooled["p50_ms"], pooled["p95_ms"]
    entry["rows"] = entry["by_filter"]["none"]["rows"]
    if all_pd:
        pooled_pd = summary_ms(all_pd)
        entry["pandas_p50_ms"] = pooled_pd["p50_ms"]
        entry["pandas_p95_ms"] = pooled_pd["p95_ms"]
        if pooled_pd["p95_ms"]:
            entry["ratio_p95"] = round(pooled["p95_ms"] / pooled_pd["p95_ms"], 2)
        entry["pandas_rows_match"] = all(
            row.get("pandas_rows") == row["rows"] for row in entry["by_filter"].values()
        )
    return entry
