"""The Timeline page's dates chart in SQL: timeline_binned.sql counts the dated plans per
locality, period and issuer level as the pandas binning it replaced did (the finest of month,
quarter and year with at most a given number of points), plans_in_period.sql lists the plans
behind one of its points, and timeline_plans.sql the dated plans one by one.

The reference is the previous timeline_plans.sql (every filtered plan) binned in plain Python,
on a generated warehouse altered so that some dated plans have no province ('' = unknown)
and eight plans of one province fall in the same month (more than a short page of them), and
four more in other months of that year (so that months, quarters and years give different
numbers of points)."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from dashboard import queries
from dashboard.state import Filters
from etl.demo import generate_corpus
from etl.load.build import build_warehouse

OLD_TIMELINE_PLANS = """
SELECT
    fp.plan_id,
    coalesce(fp.issuer_level, 'unknown') AS issuer_level,
    coalesce(fp.province_code, '') AS province_code,
    coalesce(loc.short_name, fp.province_name) AS locality_name,
    fp.issue_date,
    fp.plan_year
FROM filtered_plans AS fp
LEFT JOIN (
    SELECT code, min(short_name) AS short_name
    FROM localities
    WHERE era = 'legacy' AND level = 'province'
    GROUP BY code
) AS loc ON loc.code = fp.province_code
ORDER BY fp.issue_date NULLS LAST, fp.plan_year NULLS LAST, fp.plan_id
"""

FILTERS = (
    Filters(),
    Filters(year_min=2020, year_max=2023),
    Filters(levels=("province",)),
    Filters(themes=("one_stop_shop",)),
    Filters(kinds=("no-such-kind",)),
)
CROWDED = 8  # plans of one province in February 2022
N_UNKNOWN = 4  # dated plans without a province
SPREAD = (1, 3, 5, 11)  # months of 2022 with one more plan of the crowded province each


@pytest.fixture(scope="module")
def timeline_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("timeline")
    docs = base / "docs"
    generate_corpus(150, 7, docs)
    db = base / "timeline.duckdb"
    summary = build_warehouse(docs, db, workers=1)
    assert summary.written and not summary.errors, summary.render()
    with duckdb.connect(str(db)) as con:
        dated = [
            r[0]
            for r in con.execute(
                "SELECT plan_no FROM plan_index WHERE issue_date IS NOT NULL ORDER BY plan_id"
            ).fetchall()
        ]
        unknown, crowded = dated[:N_UNKNOWN], dated[N_UNKNOWN : N_UNKNOWN + CROWDED]
        spread = dated[N_UNKNOWN + CROWDED : N_UNKNOWN + CROWDED + len(SPREAD)]
        con.execute(
            "UPDATE plan_index SET province_code = NULL, province_name = NULL "
            "WHERE list_contains(?, plan_no)",
            [unknown],
        )
        code, name = con.execute(
            "SELECT province_code, province_name FROM plan_index "
            "WHERE province_code IS NOT NULL ORDER BY plan_id LIMIT 1"
        ).fetchone()
        for day, plan_no in enumerate(crowded, start=1):
            con.execute(
                "UPDATE plan_index SET province_code = ?, province_name = ?, plan_year = 2022, "
                "issue_date = make_date(2022, 2, ?) WHERE plan_no = ?",
                [code, name, 29 - 3 * day, plan_no],  # not in plan_id order
            )
        for month, plan_no in zip(SPREAD, spread, strict=True):
            con.execute(
                "UPDATE plan_index SET province_code = ?, province_name = ?, plan_year = 2022, "
                "issue_date = make_date(2022, ?, 10) WHERE plan_no = ?",
                [code, name, month, plan_no],
            )
        con.execute(
            "UPDATE plan_index SET date_rank = r.rank FROM ("
            "    SELECT plan_no, CAST(row_number() OVER ("
            "        ORDER BY issue_date NULLS LAST, plan_year NULLS LAST, plan_id"
            "    ) AS INTEGER) AS rank FROM plan_index"
            ") AS r WHERE plan_index.plan_no = r.plan_no"
        )
    return db


@pytest.fixture(scope="module")
def con(timeline_db: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    connection = queries.connect_readonly(timeline_db)
    yield connection
    connection.close()


def run(
    con: duckdb.DuckDBPyConnection, body: str, filters: Filters, *params: object
) -> pd.DataFrame:
    sql = queries.compose(queries.filter_sql(), body.strip().rstrip(";"))
    cur = queries.warehouse_cursor(con)
    try:
        return cur.execute(sql, [*queries.filter_params(filters), *params]).df()
    finally:
        cur.close()


# --- the reference: every filtered plan, binned in Python ----------------------------------


def period(day: dt.date, kind: str) -> str:
    if kind == "month":
        return f"{day.year}-{day.month:02d}"
    if kind == "quarter":
        return f"{day.year}-Q{(day.month - 1) // 3 + 1}"
    return str(day.year)


def dated_rows(con: duckdb.DuckDBPyConnection, filters: Filters) -> list[dict]:
    rows = run(con, OLD_TIMELINE_PLANS, filters).to_dict("records")
    for row in rows:
        row["issue_date"] = None if pd.isna(row["issue_date"]) else row["issue_date"].date()
        row["locality_name"] = None if pd.isna(row["locality_name"]) else row["locality_name"]
    return rows


def n_points(rows: list[dict], kind: str) -> int:
    return len({(r["province_code"], period(r["issue_date"], kind)) for r in rows})


def reference(rows: list[dict], max_points: int) -> tuple[str, Counter]:
    """The period chosen and the plans per (province, locality, period, level)."""
    dated = [r for r in rows if r["issue_date"] is not None]
    kind = next((k for k in ("month", "quarter") if n_points(dated, k) <= max_points), "year")
    counts = Counter(
        (r["province_code"], r["locality_name"], period(r["issue_date"], kind), r["issuer_level"])
        for r in dated
    )
    return kind, counts


def binned_counts(frame: pd.DataFrame) -> Counter:
    return Counter(
        {
            (r.province_code, None if pd.isna(r.locality_name) else r.locality_name, r.period,
             r.issuer_level): int(r.n_plans)
            for r in frame.itertuples()
        }
    )  # fmt: skip


def thresholds(rows: list[dict]) -> list[int]:
    dated = [r for r in rows if r["issue_date"] is not None]
    months, quarters = n_points(dated, "month"), n_points(dated, "quarter")
    return sorted({0, 1, quarters - 1, quarters, months - 1, months, 3_000} - {-1})


# --- timeline_binned -----------------------------------------------------------------------


def test_the_fixture_has_unknown_provinces_and_a_crowded_month(
    con: duckdb.DuckDBPyConnection,
) -> None:
    dated = [r for r in dated_rows(con, Filters()) if r["issue_date"] is not None]
    assert sum(r["province_code"] == "" for r in dated) == N_UNKNOWN
    points = Counter((r["province_code"], period(r["issue_date"], "month")) for r in dated)
    assert max(points.values()) == CROWDED
    # the three periods give different numbers of points: each can be chosen
    assert n_points(dated, "month") > n_points(dated, "quarter") > n_points(dated, "year")


@pytest.mark.parametrize("filters", FILTERS)
def test_binned_counts_are_the_reference_counts(
    con: duckdb.DuckDBPyConnection, filters: Filters
) -> None:
    rows = dated_rows(con, filters)
    dated = [r["issue_date"] for r in rows if r["issue_date"] is not None]
    for max_points in thresholds(rows):
        binned = run(con, queries.query_sql("timeline_binned"), filters, max_points)
        if not dated:
            assert binned.empty
            continue
        kind, counts = reference(rows, max_points)
        assert binned_counts(binned) == counts, (filters, max_points)
        assert len(binned) == len(counts)  # one row per locality, period and level
        assert set(binned["period_kind"]) == {kind}, (filters, max_points)
        assert set(binned["n_dated"]) == {len(dated)}
        assert set(binned["n_undated"]) == {len(rows) - len(dated)}
        assert {d.date() for d in binned["first_date"]} == {min(dated)}
        assert {d.date() for d in binned["last_date"]} == {max(dated)}
        points = binned[["province_code", "period"]].drop_duplicates()
        assert kind == "year" or len(points) <= max_points


def test_the_period_is_the_finest_that_keeps_the_points_few(
    con: duckdb.DuckDBPyConnection,
) -> None:
    """Month while the (locality, month) points fit, else quarter, else year."""
    rows = dated_rows(con, Filters())
    dated = [r for r in rows if r["issue_date"] is not None]
    months, quarters = n_points(dated, "month"), n_points(dated, "quarter")
    expected = {months: "month", months - 1: "quarter", quarters: "quarter", quarters - 1: "year"}
    for max_points, kind in expected.items():
        binned = run(con, queries.query_sql("timeline_binned"), Filters(), max_points)
        assert set(binned["period_kind"]) == {kind}, max_points
        pattern = {"month": r"\d{4}-\d{2}", "quarter": r"\d{4}-Q[1-4]", "year": r"\d{4}"}[kind]
        assert all(re.fullmatch(pattern, p) for p in binned["period"]), kind


def test_unknown_province_is_an_empty_code(con: duckdb.DuckDBPyConnection) -> None:
    binned = run(con, queries.query_sql("timeline_binned"), Filters(), 3_000)
    unknown = binned[binned["province_code"] == ""]
    assert int(unknown["n_plans"].sum()) == N_UNKNOWN
    assert unknown["locality_name"].isna().all()


# --- plans_in_period -----------------------------------------------------------------------


def plan_facts_columns(con: duckdb.DuckDBPyConnection) -> set[str]:
    cur = queries.warehouse_cursor(con)
    try:
        return set(cur.execute("SELECT * FROM plan_facts LIMIT 0").df().columns)
    finally:
        cur.close()


@pytest.mark.parametrize("filters", FILTERS[:4])
@pytest.mark.parametrize("finest", ["month", "quarter", "year"])
def test_plans_in_period_are_the_plans_behind_each_point(
    con: duckdb.DuckDBPyConnection, filters: Filters, finest: str
) -> None:
    rows = dated_rows(con, filters)
    dated = [r for r in rows if r["issue_date"] is not None]
    max_points = 0 if finest == "year" else n_points(dated, finest)
    binned = run(con, queries.query_sql("timeline_binned"), filters, max_points)
    kind = str(binned["period_kind"].iloc[0])
    body = queries.query_sql("plans_in_period")
    columns = {*plan_facts_columns(con), "n_total"}
    points = binned.groupby(["province_code", "period"])["n_plans"].sum()
    for (code, when), n in points.items():
        plans = run(con, body, filters, code, when)
        expected = [
            r["plan_id"]  # OLD_TIMELINE_PLANS is in date order
            for r in rows
            if r["issue_date"] is not None
            and r["province_code"] == code
            and period(r["issue_date"], kind) == when
        ]
        assert list(plans["plan_id"]) == expected, (code, when)
        assert set(plans["n_total"]) == {n}
        assert set(plans.columns) == columns
        assert set(plans["province_code"].fillna("")) == {code}


def test_plans_in_period_of_the_unknown_province(con: duckdb.DuckDBPyConnection) -> None:
    binned = run(con, queries.query_sql("timeline_binned"), Filters(), 1)  # years
    unknown = binned[binned["province_code"] == ""]
    body = queries.query_sql("plans_in_period")
    found = [run(con, body, Filters(), "", when) for when in unknown["period"].unique()]
    assert sum(len(f) for f in found) == N_UNKNOWN
    assert all(f["province_code"].isna().all() for f in found)


LIMIT = re.compile(r"\bLIMIT 500\b")


def crowded_province(binned: pd.DataFrame) -> str:
    """The province of the (locality, period) point with the most plans."""
    points = binned.groupby(["province_code", "period"])["n_plans"].sum()
    return str(points.idxmax()[0])


@pytest.mark.parametrize("when", ["2022-02", "2022-Q1", "2022"])
def test_plans_in_period_lists_the_first_plans_and_counts_them_all(
    con: duckdb.DuckDBPyConnection, when: str
) -> None:
    body = queries.query_sql("plans_in_period")
    assert len(LIMIT.findall(body)) == 1
    binned = run(con, queries.query_sql("timeline_binned"), Filters(), 3_000)
    code = crowded_province(binned)
    whole = run(con, LIMIT.sub("LIMIT 1000000", body), Filters(), code, when)
    short = run(con, LIMIT.sub("LIMIT 3", body), Filters(), code, when)
    assert len(whole) >= CROWDED
    assert set(whole["n_total"]) == set(short["n_total"]) == {len(whole)}
    assert list(short["plan_id"]) == list(whole["plan_id"].head(3))
    in_order = whole.sort_values(["issue_date", "plan_year", "plan_id"], kind="stable")
    assert list(whole["plan_id"]) == list(in_order["plan_id"])


@pytest.mark.parametrize("when", ["2022-13", "2022-Q5", "2022-Q0", "2022-2", "22", "x", ""])
def test_plans_in_period_of_a_malformed_period_is_empty(
    con: duckdb.DuckDBPyConnection, when: str
) -> None:
    binned = run(con, queries.query_sql("timeline_binned"), Filters(), 3_000)
    code = crowded_province(binned)
    assert run(con, queries.query_sql("plans_in_period"), Filters(), code, when).empty


# --- timeline_plans ------------------------------------------------------------------------


@pytest.mark.parametrize("filters", FILTERS)
def test_timeline_plans_are_the_dated_plans_in_date_order(
    con: duckdb.DuckDBPyConnection, filters: Filters
) -> None:
    rows = dated_rows(con, filters)
    dated = [r["plan_id"] for r in rows if r["issue_date"] is not None]
    plans = run(con, queries.query_sql("timeline_plans"), filters, 1_000_000)
    assert list(plans["plan_id"]) == dated
    assert set(plans["n_undated"]) <= {len(rows) - len(dated)}
    first = run(con, queries.query_sql("timeline_plans"), filters, 5)
    assert list(first["plan_id"]) == dated[:5]
