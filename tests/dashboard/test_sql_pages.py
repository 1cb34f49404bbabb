"""The SQL files of the Channels, Themes, Responsibilities and Timeline pages, run with DuckDB
directly (no Streamlit) against the demo warehouse: with a permissive `filtered_plans`
(every plan) the counts must match simple recounts from the base tables and shares must lie
in [0, 1]; composed with the real filter fragment they must run with filters that match
everything, nothing, or on an empty warehouse."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from dashboard import queries
from dashboard.state import Filters

PERMISSIVE = "SELECT * FROM plan_index"

# every query of these pages, with example parameters
QUERIES: dict[str, tuple[object, ...]] = {
    "channels_by_locality": ("channel",),
    "channels_by_year": ("group",),
    "category_heatmap": ("channel", "channel"),
    "platforms": (),
    "plans_for_category": ("channel", "group", "digital", None, None),
    "plans_for_platform": ("facebook",),
    "reform_areas": (),
    "reform_area_coverage": (),
    "themes_by_year": ("theme",),
    "plans_for_reform_coverage": (1,),
    "responsibilities_by_level": (),
    "responsibilities_by_year": (),
    "responsibilities_sankey": (),
    "responsibility_tasks": (None, None, None, None, 200, 0),
    "plans_for_responsibility": ("home_affairs", "lead", None, None),
    "timeline_plans": (2_000,),
    "timeline_binned": (3_000,),
    "plans_in_period": ("24", "2024-06"),
    "adoption_by_year": ("channel",),
    "localities": (),
    "locality_plans": ("24",),
    "plans_by_id": ("nope",),
}


@pytest.fixture(scope="module")
def con(demo_db: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    connection = duckdb.connect(str(demo_db), read_only=True)
    yield connection
    connection.close()


def run(con: duckdb.DuckDBPyConnection, name: str, *params: object) -> pd.DataFrame:
    body = queries.query_sql(name)  # the file with the shared CTEs it names
    return con.execute(queries.compose(PERMISSIVE, body), list(params)).df()


def base(con: duckdb.DuckDBPyConnection, sql: str) -> pd.DataFrame:
    return con.execute(sql).df()


def province(code: object) -> str:
    return "" if code is None or pd.isna(code) else str(code)


# --- every file ----------------------------------------------------------------------------


def test_every_file_of_these_pages_is_listed() -> None:
    assert set(QUERIES) <= queries.query_names()


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_runs_with_permissive_filter_and_shares_are_fractions(
    con: duckdb.DuckDBPyConnection, name: str
) -> None:
    frame = run(con, name, *QUERIES[name])
    for column in frame.columns:
        if column == "share" or column.startswith("share_"):
            values = frame[column].dropna()
            assert ((values >= 0) & (values <= 1)).all(), (name, column)
    for count, total in (
        ("n_plans", "n_locality_plans"),
        ("n_plans", "n_year_plans"),
        ("n_plans", "n_level_plans"),
        ("n_plans", "n_plans_total"),
    ):
        if count in frame.columns and total in frame.columns:
            assert (frame[count] <= frame[total]).all(), (name, count, total)


@pytest.mark.parametrize("name", sorted(QUERIES))
@pytest.mark.parametrize(
    "filters",
    [Filters(), Filters(kinds=("no-such-kind",)), Filters(year_min=1900, year_max=1901)],
    ids=["all", "kind-matches-nothing", "years-match-nothing"],
)
def test_runs_composed_with_the_real_filter(
    con: duckdb.DuckDBPyConnection, name: str, filters: Filters
) -> None:
    sql = queries.compose(queries.filter_sql(), queries.query_sql(name))
    params = [*queries.filter_params(filters), *QUERIES[name]]
    frame = con.execute(sql, params).df()
    if filters != Filters():
        assert frame.empty, name


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_runs_on_an_empty_warehouse(empty_db: Path, name: str) -> None:
    with duckdb.connect(str(empty_db), read_only=True) as connection:
        frame = run(connection, name, *QUERIES[name])
    assert frame.empty, name


# --- channels ------------------------------------------------------------------------------


def test_channels_by_locality_matches_a_recount(con: duckdb.DuckDBPyConnection) -> None:
    pairs = base(
        con,
        "SELECT DISTINCT p.plan_id, p.province_code, m.channel_id, c.group_id "
        "FROM plans p JOIN channel_mentions m USING (plan_id) "
        "LEFT JOIN codebook c ON c.category = 'channel' AND c.id = m.channel_id",
    )
    plans = base(con, "SELECT plan_id, province_code FROM plans")
    totals = plans.groupby(plans["province_code"].map(province))["plan_id"].nunique()
    for level, column in (("channel", "channel_id"), ("group", "group_id")):
        frame = run(con, "channels_by_locality", level)
        expected = pairs.groupby([pairs["province_code"].map(province), column])[
            "plan_id"
        ].nunique()
        got = frame.set_index(["province_code", "key_id"])["n_plans"]
        assert got.sort_index().to_dict() == expected.sort_index().to_dict()
        for row in frame.itertuples():
            assert row.n_locality_plans == totals[row.province_code]
            assert row.share == pytest.approx(row.n_plans / row.n_locality_plans)


def test_channels_by_year_matches_a_recount(con: duckdb.DuckDBPyConnection) -> None:
    pairs = base(
        con,
        "SELECT DISTINCT p.plan_id, p.plan_year, m.channel_id FROM plans p "
        "JOIN channel_mentions m USING (plan_id) WHERE p.plan_year IS NOT NULL",
    )
    frame = run(con, "channels_by_year", "channel")
    expected = pairs.groupby(["plan_year", "channel_id"])["plan_id"].nunique()
    got = frame.set_index(["plan_year", "key_id"])["n_plans"]
    assert got.sort_index().to_dict() == expected.sort_index().to_dict()
    years = base(con, "SELECT plan_year, count(*) AS n FROM plans GROUP BY 1").dropna()
    year_totals = dict(zip(years["plan_year"].astype(int), years["n"], strict=True))
    assert all(r.n_year_plans == year_totals[r.plan_year] for r in frame.itertuples())


def test_channel_heatmap_is_a_full_grid_with_the_plan_channel_pairs(
    con: duckdb.DuckDBPyConnection,
) -> None:
    frame = run(con, "category_heatmap", "channel", "channel")
    n_channels = base(con, "SELECT count(*) AS n FROM codebook WHERE category = 'channel'")
    n_localities = base(con, "SELECT count(DISTINCT coalesce(province_code, '')) AS n FROM plans")
    assert len(frame) == int(n_channels["n"][0]) * int(n_localities["n"][0])
    pairs = base(con, "SELECT count(*) AS n FROM plan_channels")
    assert frame["n_plans"].sum() == pairs["n"][0]
    groups = run(con, "category_heatmap", "channel", "group")
    assert set(groups["key_id"]) == set(
        base(con, "SELECT DISTINCT group_id FROM codebook WHERE category = 'channel'")["group_id"]
    )


def test_platforms_match_a_recount(con: duckdb.DuckDBPyConnection) -> None:
    frame = run(con, "platforms").set_index("platform_id")
    expected = base(
        con, "SELECT platform_id, count(DISTINCT plan_id) AS n FROM platform_mentions GROUP BY 1"
    ).set_index("platform_id")["n"]
    for platform_id, row in frame.iterrows():
        assert row["n_plans"] == expected.get(platform_id, 0)
    social = base(
        con,
        "SELECT count(DISTINCT plan_id) AS n FROM ("
        "SELECT plan_id FROM channel_mentions WHERE channel_id = 'social_media' "
        "UNION SELECT plan_id FROM platform_mentions)",
    )
    assert (frame["n_social_plans"] == social["n"][0]).all()
    assert (frame["n_plans"] <= frame["n_social_plans"]).all()


def test_plans_for_category_are_the_plans_behind_a_channel_bar(
    con: duckdb.DuckDBPyConnection,
) -> None:
    frame = run(con, "channels_by_locality", "channel")
    for row in frame.itertuples():
        plans = run(
            con, "plans_for_category", "channel", "channel", row.key_id, row.province_code, None
        )
        assert len(plans) == row.n_plans
        assert set(plans["province_code"].map(province)) == {row.province_code}
    by_year = run(con, "channels_by_year", "group")
    for row in by_year.itertuples():
        plans = run(con, "plans_for_category", "channel", "group", row.key_id, None, row.plan_year)
        assert len(plans) == row.n_plans
    everything = run(con, "plans_for_category", "channel", "channel", "web_portal", None, None)
    expected = base(
        con,
        "SELECT count(DISTINCT plan_id) AS n FROM channel_mentions WHERE channel_id = 'web_portal'",
    )
    assert len(everything) == expected["n"][0]


def test_plans_for_platform(con: duckdb.DuckDBPyConnection) -> None:
    for row in run(con, "platforms").itertuples():
        assert len(run(con, "plans_for_platform", row.platform_id)) == row.n_plans


# --- themes --------------------------------------------------------------------------------


def test_themes_heatmap_and_plans_behind_a_cell(con: duckdb.DuckDBPyConnection) -> None:
    frame = run(con, "category_heatmap", "theme", "theme")
    assert frame["n_plans"].sum() == base(con, "SELECT count(*) AS n FROM plan_themes")["n"][0]
    for row in frame[frame["n_plans"] > 0].itertuples():
        plans = run(
            con, "plans_for_category", "theme", "theme", row.key_id, row.province_code, None
        )
        assert len(plans) == row.n_plans


def test_reform_areas_and_coverage_match_a_recount(con: duckdb.DuckDBPyConnection) -> None:
    areas = run(con, "reform_areas")
    ids = base(
        con, "SELECT id FROM codebook WHERE category = 'theme' AND group_id = 'reform_area'"
    )["id"]
    assert sorted(areas["theme_id"]) == sorted(ids)
    pairs = base(
        con,
        "SELECT DISTINCT plan_id, theme_id FROM plan_themes WHERE group_id = 'reform_area'",
    )
    counts = pairs.groupby("theme_id")["plan_id"].nunique()
    n_plans = base(con, "SELECT count(*) AS n FROM plans")["n"][0]
    for row in areas.itertuples():
        assert row.n_plans == counts.get(row.theme_id, 0)
        assert row.n_plans_total == n_plans
    coverage = run(con, "reform_area_coverage")
    assert list(coverage["n_areas"]) == list(range(len(ids) + 1))
    assert coverage["n_plans"].sum() == n_plans
    assert (coverage["n_areas"] * coverage["n_plans"]).sum() == len(pairs)
    for row in coverage[coverage["n_plans"] > 0].itertuples():
        assert len(run(con, "plans_for_reform_coverage", row.n_areas)) == row.n_plans


def test_themes_by_year_matches_a_recount(con: duckdb.DuckDBPyConnection) -> None:
    frame = run(con, "themes_by_year", "group")
    pairs = base(
        con,
        "SELECT DISTINCT p.plan_id, p.plan_year, t.group_id FROM plans p "
        "JOIN plan_themes t USING (plan_id) WHERE p.plan_year IS NOT NULL",
    )
    expected = pairs.groupby(["plan_year", "group_id"])["plan_id"].nunique()
    got = frame[frame["n_plans"] > 0].set_index(["plan_year", "key_id"])["n_plans"]
    assert got.sort_index().to_dict() == expected.sort_index().to_dict()
    for row in frame[frame["n_plans"] > 0].itertuples():
        plans = run(con, "plans_for_category", "theme", "group", row.key_id, None, row.plan_year)
        assert len(plans) == row.n_plans


# --- responsibilities ----------------------------------------------------------------------


def test_responsibilities_by_level_year_and_sankey_add_up(con: duckdb.DuckDBPyConnection) -> None:
    n_assignments = base(con, "SELECT count(*) AS n FROM plan_responsibilities")["n"][0]
    assert n_assignments > 0
    by_level = run(con, "responsibilities_by_level")
    assert by_level["n_plans"].sum() == n_assignments
    assert by_level["agency_label_en"].notna().all()
    sankey = run(con, "responsibilities_sankey")
    assert sankey["n_assignments"].sum() == n_assignments
    dated = base(
        con,
        "SELECT count(*) AS n FROM plan_responsibilities r JOIN plans p USING (plan_id) "
        "WHERE p.plan_year IS NOT NULL",
    )["n"][0]
    by_year = run(con, "responsibilities_by_year")
    assert by_year["n_plans"].sum() == dated
    for row in by_level.itertuples():
        plans = run(
            con, "plans_for_responsibility", row.agency_id, row.role, row.issuer_level, None
        )
        assert len(plans) == row.n_plans
    for row in by_year[by_year["n_plans"] > 0].itertuples():
        plans = run(con, "plans_for_responsibility", row.agency_id, row.role, None, row.plan_year)
        assert len(plans) == row.n_plans


def test_responsibility_tasks_carry_their_evidence(con: duckdb.DuckDBPyConnection) -> None:
    tasks = run(con, "responsibility_tasks", None, None, None, None, 1_000_000, 0)
    assert len(tasks) == base(con, "SELECT count(*) AS n FROM responsibilities")["n"][0]
    texts = base(con, "SELECT doc_id, text FROM documents").set_index("doc_id")["text"]
    for row in tasks.itertuples():
        assert texts[row.doc_id][row.evidence_start : row.evidence_end] == row.evidence_text
        assert row.relpath
    lead = run(con, "responsibility_tasks", "home_affairs", "lead", None, None, 1_000_000, 0)
    assert len(lead) > 0
    assert set(lead["agency_id"]) == {"home_affairs"} and set(lead["role"]) == {"lead"}
    district = run(con, "responsibility_tasks", None, None, "district", None, 1_000_000, 0)
    assert set(district["issuer_level"]) == {"district"}


# --- timeline ------------------------------------------------------------------------------


def test_timeline_plans_localities_and_locality_plans(con: duckdb.DuckDBPyConnection) -> None:
    n_plans = base(con, "SELECT count(*) AS n FROM plans")["n"][0]
    n_dated = base(con, "SELECT count(issue_date) AS n FROM plans")["n"][0]
    timeline = run(con, "timeline_plans", 1_000_000)
    assert len(timeline) == n_dated
    assert set(timeline["n_undated"]) == {n_plans - n_dated}
    binned = run(con, "timeline_binned", 3_000)
    assert binned["n_plans"].sum() == n_dated
    assert set(binned["n_dated"]) == {n_dated} and set(binned["n_undated"]) == {n_plans - n_dated}
    localities = run(con, "localities")
    assert localities["n_plans"].sum() == n_plans
    for row in localities.itertuples():
        own = run(con, "locality_plans", row.province_code)
        assert len(own) == row.n_plans
        dates = own["sort_date"].dropna()
        assert dates.is_monotonic_increasing
    some = timeline["plan_id"].iloc[0]
    assert list(run(con, "plans_by_id", some)["plan_id"]) == [some]


def test_adoption_by_year_grid_and_recount(con: duckdb.DuckDBPyConnection) -> None:
    years = base(con, "SELECT DISTINCT plan_year FROM plans WHERE plan_year IS NOT NULL")
    for category, view in (("channel", "plan_channels"), ("theme", "plan_themes")):
        frame = run(con, "adoption_by_year", category)
        n_ids = base(con, f"SELECT count(*) AS n FROM codebook WHERE category = '{category}'")
        assert len(frame) == len(years) * int(n_ids["n"][0])
        assert set(frame["category"]) == {category}
        pairs = base(
            con,
            f"SELECT count(*) AS n FROM {view} v JOIN plans p USING (plan_id) "
            "WHERE p.plan_year IS NOT NULL",
        )
        assert frame["n_plans"].sum() == pairs["n"][0]
        some = frame[frame["n_plans"] > 0].iloc[0]
        plans = run(
            con,
            "plans_for_category",
            category,
            category,
            some["key_id"],
            None,
            int(some["plan_year"]),
        )
        assert len(plans) == some["n_plans"]
