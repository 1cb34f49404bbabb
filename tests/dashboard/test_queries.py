"""dashboard/queries.py and the SQL files: every file runs, filters filter, input stays data."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from dashboard import queries
from dashboard.state import (
    Allowed,
    Filters,
    allowed_from_frame,
    clean_years,
    filters_to_params,
    parse_filters,
    parse_lang,
)

INJECTION = "01'; DROP TABLE plans; --"

# Example parameters of each SQL file that takes some ('<doc_id>' / '<plan_id>' are replaced
# by ids of the demo warehouse). Files with `?` placeholders that are not listed are skipped.
PARAMS: dict[str, tuple[object, ...]] = {
    "newest_plans": (5,),
    "plans_list": (None, None, None),
    "documents_search": ("tuyen truyen", 50),
    "document_text": ("<doc_id>",),
    "document_facts": ("<doc_id>",),
    "plan_sources": ("<plan_id>",),
    # the other pages' files
    "adoption_by_year": ("channel",),
    "category_heatmap": ("theme", "theme"),
    "channels_by_locality": ("group",),
    "channels_by_year": ("channel",),
    "locality_plans": ("02",),
    "plans_by_id": ("<plan_id>",),
    "plans_for_category": ("theme", "theme", "procedure_reform", None, None),
    "plans_for_platform": ("facebook",),
    "plans_for_reform_coverage": (2,),
    "plans_for_responsibility": (None, None, None, None),
    "plans_in_period": ("02", "2022-02"),
    "responsibility_tasks": (None, None, None, None, 200, 0),
    "themes_by_year": ("theme",),
    "timeline_binned": (3_000,),
    "timeline_plans": (2_000,),
    # the Map and Compare pages
    "map_metric_plans": ("2025",),
    "map_metric_channel": ("legacy", "channel", "web_portal"),
    "map_metric_theme": ("2025", "group", "reform_area"),
    "map_metric_agency": ("legacy", "home_affairs", "lead"),
    "map_metric_channels_mean": ("legacy",),
    "map_points": ("legacy",),
    "map_province_plans": ("legacy", "02"),
    "map_evidence": ("2025", "08", "theme", "all", None, None),
    "compare_entities": ("loc", ["02", "24"], []),
    "compare_channels": ("loc", ["02", "24"], [], "group"),
    "compare_themes": ("year", ["02"], [2021, 2022], "theme"),
    "compare_agencies": ("loc", ["02", "24"], []),
    "compare_profile": ("year", ["02"], [2022]),
    "baseline_national": ([2021, 2022],),
    "baseline_level": ([],),
    "baseline_previous": ("loc", ["02", "24"], []),
}

RESTRICTIVE = (
    Filters(year_min=2022, year_max=2023, levels=("province",)),
    Filters(provinces=("02",), channel_groups=("digital",), themes=("procedure_reform",)),
    Filters(regions=("southeast",)),  # no sample plan there
    Filters(kinds=("other",)),
)


def _placeholders(sql: str) -> int:
    without_comments = re.sub(r"--[^\n]*", "", sql)
    without_strings = re.sub(r"'(?:[^']|'')*'", "''", without_comments)
    return without_strings.count("?")


def _ids(db: Path) -> dict[str, str]:
    con = queries.connect_readonly(db)
    try:
        doc_id, plan_id = con.execute(
            "SELECT doc_id, plan_id FROM documents ORDER BY relpath LIMIT 1"
        ).fetchone()
    finally:
        con.close()
    return {"<doc_id>": doc_id, "<plan_id>": plan_id}


def _params(name: str, ids: dict[str, str]) -> tuple[object, ...]:
    return tuple(ids.get(p, p) if isinstance(p, str) else p for p in PARAMS.get(name, ()))


def _run(name: str, filters: Filters, ids: dict[str, str]) -> pd.DataFrame:
    sql = queries.query_sql(name)
    if name not in PARAMS and _placeholders(sql):
        pytest.skip(f"dashboard/sql/{name}.sql takes parameters this test does not know")
    params = _params(name, ids)
    if "filtered_plans" in sql:
        return queries.load(name, filters, *params)
    return queries.load_raw(name, *params)


@pytest.fixture
def on_demo(demo_db: Path, use_db: Callable[[Path], None]) -> dict[str, str]:
    ids = _ids(demo_db)
    use_db(demo_db)
    return ids


@pytest.mark.parametrize("name", sorted(queries.query_names()))
def test_every_sql_file_runs_with_default_and_restrictive_filters(
    name: str, on_demo: dict[str, str]
) -> None:
    frame = _run(name, Filters(), on_demo)
    assert isinstance(frame, pd.DataFrame)
    for filters in RESTRICTIVE:
        assert isinstance(_run(name, filters, on_demo), pd.DataFrame)


def test_query_names_are_the_sql_files_without_fragments() -> None:
    names = queries.query_names()
    assert "overview_counts" in names and "filter_values" in names
    assert queries.FILTER_FRAGMENT not in names
    on_disk = {p.stem for p in queries.SQL_DIR.glob("*.sql") if not p.stem.startswith("_")}
    assert names == on_disk


@pytest.mark.parametrize(
    "name",
    [
        "../etl/load/sql/schema",
        "_filtered_plans",
        "_province_plans",
        "province_plans",
        "overview_counts; DROP TABLE plans",
        "OVERVIEW_COUNTS",
        "",
        "missing_query",
    ],
)
def test_unknown_query_names_are_refused(name: str, on_demo: dict[str, str]) -> None:
    with pytest.raises(ValueError):
        queries.load(name, Filters())
    with pytest.raises(ValueError):
        queries.load_raw(name)


def test_load_needs_filters(on_demo: dict[str, str]) -> None:
    with pytest.raises(TypeError):
        queries.load("overview_counts", {"provinces": ("02",)})  # type: ignore[arg-type]


# --- filtered_plans --------------------------------------------------------------------------


def _all_plans() -> pd.DataFrame:
    return queries.load("export_plans", Filters())


def _plan_ids(filters: Filters) -> set[str]:
    return set(queries.load("export_plans", filters)["plan_id"])


def _lookup(sql: str) -> pd.DataFrame:
    return queries.execute(queries.db_key(), sql, ())


def test_filtered_plans_has_every_column_of_plan_facts(on_demo: dict[str, str]) -> None:
    facts = _lookup("SELECT * FROM plan_facts LIMIT 0")
    assert list(_all_plans().columns) == list(facts.columns)


def test_no_filter_keeps_every_plan(on_demo: dict[str, str]) -> None:
    n = _lookup("SELECT count(*) AS n FROM plans")["n"].iloc[0]
    assert len(_all_plans()) == n > 0


def test_year_filter(on_demo: dict[str, str]) -> None:
    plans = _all_plans()
    expected = set(plans[(plans["plan_year"] >= 2022) & (plans["plan_year"] <= 2023)]["plan_id"])
    assert _plan_ids(Filters(year_min=2022, year_max=2023)) == expected
    only_min = set(plans[plans["plan_year"] >= 2023]["plan_id"])
    assert _plan_ids(Filters(year_min=2023)) == only_min


@pytest.mark.parametrize(
    ("field", "column"),
    [
        ("regions", "region_id"),
        ("levels", "issuer_level"),
        ("provinces", "province_code"),
        ("kinds", "kind"),
    ],
)
def test_column_filters(field: str, column: str, on_demo: dict[str, str]) -> None:
    plans = _all_plans()
    values = sorted(v for v in plans[column].dropna().unique())
    assert values, column
    chosen = tuple(values[:2])
    expected = set(plans[plans[column].isin(chosen)]["plan_id"])
    assert expected
    assert _plan_ids(Filters(**{field: chosen})) == expected


def test_channel_group_filter_keeps_plans_using_a_channel_of_the_groups(
    on_demo: dict[str, str],
) -> None:
    uses = _lookup("SELECT plan_id, group_id FROM plan_channels")
    for groups in (("broadcast",), ("press", "events")):
        expected = set(uses[uses["group_id"].isin(groups)]["plan_id"])
        assert _plan_ids(Filters(channel_groups=groups)) == expected


def test_theme_filter_keeps_plans_addressing_a_theme(on_demo: dict[str, str]) -> None:
    themes = _lookup("SELECT plan_id, theme_id FROM plan_themes")
    chosen = tuple(themes["theme_id"].value_counts().index[:2])
    expected = set(themes[themes["theme_id"].isin(chosen)]["plan_id"])
    assert expected
    assert _plan_ids(Filters(themes=chosen)) == expected


def test_filters_combine_with_and(on_demo: dict[str, str]) -> None:
    plans = _all_plans()
    both = _plan_ids(Filters(levels=("district",), kinds=("plan",)))
    expected = set(
        plans[(plans["issuer_level"] == "district") & (plans["kind"] == "plan")]["plan_id"]
    )
    assert both == expected


def test_counts_follow_the_filters(on_demo: dict[str, str]) -> None:
    everything = queries.load("overview_counts", Filters()).iloc[0]
    none = queries.load("overview_counts", Filters(kinds=("other",))).iloc[0]
    assert int(everything["n_plans"]) == len(_all_plans())
    assert int(none["n_plans"]) == 0 and int(none["n_documents"]) == 0


# --- injection -------------------------------------------------------------------------------


def test_injection_in_the_url_is_dropped(on_demo: dict[str, str]) -> None:
    allowed = allowed_from_frame(queries.load_raw("filter_values"))
    params = {
        "province": INJECTION,
        "region": "x' OR '1'='1",
        "level": "province,district'--",
        "theme": "'; SELECT 1; --",
        "y0": "2020; DROP TABLE plans",
        "y1": "1=1",
        "kind": "plan",
    }
    filters = parse_filters(params, allowed)
    assert filters == Filters(levels=("province",), kinds=("plan",))


def test_injection_reaching_sql_is_only_a_value(on_demo: dict[str, str]) -> None:
    frame = queries.load("overview_counts", Filters(provinces=(INJECTION,)))
    assert int(frame["n_plans"].iloc[0]) == 0
    found = queries.load("documents_search", Filters(), INJECTION, 10)
    assert found.empty
    assert int(_lookup("SELECT count(*) AS n FROM plans")["n"].iloc[0]) > 0


def test_the_connection_is_read_only(on_demo: dict[str, str]) -> None:
    with pytest.raises(duckdb.Error):
        queries.execute(queries.db_key(), "DROP TABLE plans", ())
    with pytest.raises(duckdb.Error):
        queries.execute(queries.db_key(), "SELECT * FROM read_csv('/etc/passwd')", ())


# --- composing the SQL -----------------------------------------------------------------------


def test_compose_puts_filtered_plans_in_front() -> None:
    sql = queries.compose("SELECT 1 AS plan_id", "-- c\nSELECT * FROM filtered_plans")
    con = duckdb.connect()
    assert con.execute(sql).fetchall() == [(1,)]


def test_compose_merges_a_with_clause() -> None:
    body = (
        "-- header\n/* block */\n"
        "with x AS (SELECT plan_id + 1 AS y FROM filtered_plans)\nSELECT y FROM x"
    )
    sql = queries.compose("SELECT 1 AS plan_id", body)
    assert sql.count("WITH") + sql.count("with") == 1
    assert duckdb.connect().execute(sql).fetchall() == [(2,)]


def test_compose_keeps_recursive() -> None:
    body = (
        "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 3) "
        "SELECT count(*) FROM r, filtered_plans"
    )
    sql = queries.compose("SELECT 1 AS plan_id", body)
    assert sql.startswith("WITH RECURSIVE filtered_plans")
    assert duckdb.connect().execute(sql).fetchall() == [(3,)]


def test_filter_fragment_takes_eight_parameters() -> None:
    # numbered $1..$8 (each may be used more than once), no `?`: the `?` of the file it is put
    # in front of are then numbered from $9, after the filter values
    sql = re.sub(r"'(?:[^']|'')*'", "''", re.sub(r"--[^\n]*", "", queries.filter_sql()))
    numbers = {int(n) for n in re.findall(r"\$(\d+)", sql)}
    assert _placeholders(sql) == 0
    assert numbers == set(range(1, len(queries.filter_params(Filters())) + 1)) == set(range(1, 9))


def test_filter_values_are_bound_before_the_files_own_parameters() -> None:
    con = duckdb.connect()
    con.execute(
        "CREATE TABLE filter_bits (facet VARCHAR, id VARCHAR, group_id VARCHAR, mask UBIGINT)"
    )
    con.execute(
        "CREATE TABLE plan_index AS SELECT 'p1' AS plan_id, 2021 AS plan_year, 'r' AS region_id, "
        "'province' AS issuer_level, '01' AS province_code, 'plan' AS kind, "
        "CAST(0 AS UBIGINT) AS channel_mask, CAST(0 AS UBIGINT) AS theme_mask"
    )
    body = "SELECT CAST(? AS VARCHAR) AS a, plan_id, CAST(? AS INTEGER) AS b FROM filtered_plans"
    sql = queries.compose(queries.filter_sql(), body)
    args = [*queries.filter_params(Filters(provinces=("01",))), "x", 7]
    assert con.execute(sql, args).fetchall() == [("x", "p1", 7)]
    args = [*queries.filter_params(Filters(provinces=("02",))), "x", 7]
    assert con.execute(sql, args).fetchall() == []


# --- URL parsing -----------------------------------------------------------------------------

ALLOWED = Allowed(
    years=(2016, 2019, 2020, 2022, 2025),
    values={
        "region": ("red_river_delta", "mekong_delta"),
        "level": ("province", "district", "commune", "department"),
        "province": ("01", "02", "87"),
        "group": ("digital", "broadcast"),
        "theme": ("procedure_reform",),
        "kind": ("plan", "report", "directive", "other"),
    },
)


def test_parse_filters_keeps_allowed_values_in_canonical_order() -> None:
    params = {"province": "87, 02,02,99", "level": "district,province", "group": ""}
    filters = parse_filters(params, ALLOWED)
    assert filters.provinces == ("02", "87")
    assert filters.levels == ("province", "district")
    assert filters.channel_groups == ()


def test_parse_filters_accepts_repeated_keys_as_lists() -> None:
    filters = parse_filters({"kind": ["plan", "report"]}, ALLOWED)
    assert filters.kinds == ("plan", "report")


def test_years_are_clamped_and_full_range_is_no_filter() -> None:
    assert clean_years(2000, 2030, ALLOWED.years) == (None, None)
    assert clean_years(2016, 2025, ALLOWED.years) == (None, None)
    assert clean_years(2023, 2019, ALLOWED.years) == (2019, 2023)
    assert clean_years(2020, None, ALLOWED.years) == (2020, None)
    assert clean_years(2020, 2021, ()) == (None, None)
    assert parse_filters({"y0": "abc", "y1": "2022"}, ALLOWED) == Filters(year_max=2022)


def test_filters_round_trip_through_the_url() -> None:
    filters = Filters(
        year_min=2019,
        year_max=2022,
        regions=("mekong_delta",),
        provinces=("02", "87"),
        kinds=("plan",),
    )
    params = filters_to_params(filters)
    assert params == {
        "y0": "2019",
        "y1": "2022",
        "region": "mekong_delta",
        "province": "02,87",
        "kind": "plan",
    }
    assert parse_filters(params, ALLOWED) == filters
    assert filters_to_params(Filters()) == {}


def test_filters_are_hashable() -> None:
    assert hash(Filters(provinces=("02",))) == hash(Filters(provinces=("02",)))
    assert Filters().is_empty() and Filters(kinds=("plan",)).n_active() == 1


def test_parse_lang() -> None:
    assert parse_lang({"lang": "en"}) == "en"
    assert parse_lang({"lang": "EN"}) == "en"
    assert parse_lang({"lang": "fr"}) == "vi"
    assert parse_lang({}) == "vi"


def test_allowed_values_of_the_demo_warehouse(on_demo: dict[str, str]) -> None:
    allowed = allowed_from_frame(queries.load_raw("filter_values"))
    assert allowed.years[0] == 2016 and allowed.years[-1] == 2025
    assert len(allowed.options("province")) == 63
    assert len(allowed.options("region")) == 6
    assert allowed.options("level")[:4] == ("province", "district", "commune", "department")
    assert allowed.options("kind")[:4] == ("plan", "report", "directive", "other")
    assert "digital" in allowed.options("group")
    assert "procedure_reform" in allowed.options("theme")
    assert allowed.label("province", "02", "vi") == "Tỉnh Hà Giang"
    assert allowed.label("province", "02", "en") == "Ha Giang"


# --- the warehouse file ----------------------------------------------------------------------


def test_status_ok_empty_missing_invalid(
    demo_db: Path, empty_db: Path, tmp_path: Path, use_db: Callable[[Path], None]
) -> None:
    use_db(demo_db)
    assert queries.warehouse_status().state == "ok"
    use_db(empty_db)
    assert queries.warehouse_status().state == "empty"
    use_db(tmp_path / "nowhere.duckdb")
    status = queries.warehouse_status()
    assert status.state == "missing" and not status.readable
    assert "nowhere.duckdb" in status.build_command
    other = tmp_path / "other.duckdb"
    con = duckdb.connect(str(other))
    con.execute("CREATE TABLE t (x INTEGER)")
    con.close()
    use_db(other)
    status = queries.warehouse_status()
    assert status.state == "invalid" and "plans" in status.detail
    not_duckdb = tmp_path / "text.duckdb"
    not_duckdb.write_text("hello", encoding="utf-8")
    use_db(not_duckdb)
    assert queries.warehouse_status().state == "invalid"


def _names(db: Path, sql: str) -> set[str]:
    """The first column of `sql` run on the warehouse `db`."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {row[0] for row in con.execute(sql).fetchall()}
    finally:
        con.close()


def test_required_tables_are_every_warehouse_table_the_sql_reads(demo_db: Path) -> None:
    """A warehouse built before a table was added is reported as not readable (and how to
    rebuild it) instead of failing on the page that reads the new table."""
    warehouse = _names(demo_db, queries.WAREHOUSE_TABLES_SQL)
    read: set[str] = set()
    fragments = {f"_{cte}" for cte in queries.fragment_names()}
    for name in queries.query_names() | {queries.FILTER_FRAGMENT} | fragments:
        body = re.sub(r"--[^\n]*", "", (queries.SQL_DIR / f"{name}.sql").read_text("utf-8"))
        read |= set(re.findall(r"\b(?:FROM|JOIN)\s+([a-z_][a-z0-9_]*)", body, re.IGNORECASE))
    assert read & warehouse == set(queries.REQUIRED_TABLES)
    assert len(set(queries.REQUIRED_TABLES)) == len(queries.REQUIRED_TABLES)


def test_required_macros_are_every_warehouse_macro_the_sql_calls(demo_db: Path) -> None:
    warehouse = _names(demo_db, queries.WAREHOUSE_MACROS_SQL)
    assert warehouse >= set(queries.REQUIRED_MACROS)
    called: set[str] = set()
    for path in queries.SQL_DIR.glob("*.sql"):
        body = re.sub(r"--[^\n]*", "", path.read_text("utf-8"))
        called |= set(re.findall(r"\b([a-z_][a-z0-9_]*)\s*\(", body))
    assert called & warehouse == set(queries.REQUIRED_MACROS)


def test_a_warehouse_without_a_macro_says_rebuild(
    demo_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    old = tmp_path / "old.duckdb"
    shutil.copy(demo_db, old)
    con = duckdb.connect(str(old))
    try:
        con.execute("DROP MACRO search_fold")
    finally:
        con.close()
    monkeypatch.setenv(queries.ENV_VAR, str(old))
    status = queries.warehouse_status()
    assert (status.state, status.detail) == ("invalid", "missing: search_fold()")


def test_db_path_default_and_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv(queries.ENV_VAR, raising=False)
    assert queries.db_path().as_posix().endswith("warehouse/cchc.duckdb")
    monkeypatch.setenv(queries.ENV_VAR, str(tmp_path / "x.duckdb"))
    assert queries.db_path() == tmp_path / "x.duckdb"


def test_results_are_cached_per_warehouse(
    demo_db: Path,
    empty_db: Path,
    use_db: Callable[[Path], None],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    use_db(demo_db)
    demo = int(queries.load("overview_counts", Filters())["n_plans"].iloc[0])
    # switching the file (no cache clear) must not return the other file's cached rows
    monkeypatch.setenv(queries.ENV_VAR, str(empty_db))
    empty = int(queries.load("overview_counts", Filters())["n_plans"].iloc[0])
    assert demo > 0 and empty == 0
