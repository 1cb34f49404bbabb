"""The shared CTEs of dashboard/sql (the `_` fragments other than _filtered_plans.sql):
dashboard/queries.py puts one in the WITH of exactly the files that name it, after
filtered_plans and before the file's own CTEs, without a parameter of its own; mistakes fail
with an error that names the files; and the files that use them place the plans of an unknown
province and of a code without a locality where the shared CTEs say (the files' counts are
recounted from the tables in test_sql_pages.py and test_sql_maps_compare.py). When the
fragments were introduced, every rewritten file returned the rows of its previous SQL on the
10k and 100k bench warehouses (commit bd523ef)."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from dashboard import queries
from dashboard.state import Filters
from tests.dashboard.test_sql_maps_compare import rebuild_derived

FILTERED_PLANS = (queries.SQL_DIR / f"{queries.FILTER_FRAGMENT}.sql").read_text("utf-8")

# --- the mechanism, on SQL files of a scratch folder -----------------------------------------


@pytest.fixture
def sql_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., Path]:
    """dashboard/sql replaced by an empty folder; `write(name, text)` adds a file to it."""
    monkeypatch.setattr(queries, "SQL_DIR", tmp_path)

    def write(name: str, text: str) -> Path:
        path = tmp_path / f"{name}.sql"
        path.write_text(text, encoding="utf-8")
        return path

    return write


def ctes(sql: str) -> list[str]:
    """The names of the CTEs of sql, in order (every `name AS (` at the start of a line)."""
    return re.findall(r"^(?:WITH (?:RECURSIVE )?)?(\w+) AS \(", sql, re.MULTILINE)


def placeholders(sql: str) -> int:
    without_comments = re.sub(r"--[^\n]*", "", sql)
    return re.sub(r"'(?:[^']|'')*'", "''", without_comments).count("?")


def test_a_fragment_goes_only_into_the_files_that_name_it(sql_dir: Callable[..., Path]) -> None:
    sql_dir("_shared", "-- header\nSELECT 7 AS x")
    sql_dir("uses", "SELECT x FROM shared")
    sql_dir("upper_case", "SELECT x FROM SHARED")
    sql_dir("in_comment", "-- not shared\nSELECT 1 /* shared */ AS y")
    sql_dir("in_string", "SELECT 'shared' AS y")
    sql_dir("longer_names", "SELECT 1 AS shared_x, 2 AS my_shared, 3 AS _shared")
    assert queries.fragment_names() == {"shared"}
    assert queries.query_names() == {
        "uses",
        "upper_case",
        "in_comment",
        "in_string",
        "longer_names",
    }
    assert queries.query_sql("uses") == "WITH shared AS (\nSELECT 7 AS x\n)\nSELECT x FROM shared"
    assert duckdb.connect().execute(queries.query_sql("upper_case")).fetchall() == [(7,)]
    for name in ("in_comment", "in_string", "longer_names"):
        assert queries.query_sql(name) == (queries.SQL_DIR / f"{name}.sql").read_text().strip()
    with pytest.raises(ValueError, match="unknown dashboard query"):
        queries.query_sql("_shared")
    with pytest.raises(ValueError, match="unknown dashboard SQL fragment"):
        queries.fragment_sql("filtered_plans")


def test_order_is_filtered_plans_fragments_then_the_files_own(
    sql_dir: Callable[..., Path],
) -> None:
    sql_dir("_base", "SELECT plan_id * 10 AS x FROM filtered_plans")
    sql_dir("_on_base", "SELECT x + 1 AS y FROM base")
    sql_dir("_alone", "SELECT 5 AS z")
    sql_dir(
        "q",
        "-- header\nWITH own AS (SELECT y FROM on_base)\nSELECT own.y, alone.z FROM own, alone",
    )
    sql_dir(
        "r",
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3)\n"
        "SELECT count(*) AS n, min(y) AS y FROM n, on_base",
    )
    sql = queries.compose("SELECT 1 AS plan_id", queries.query_sql("q"))
    assert sql.startswith("-- header\nWITH filtered_plans AS (")
    assert ctes(sql) == ["filtered_plans", "alone", "base", "on_base", "own"]
    assert duckdb.connect().execute(sql).fetchall() == [(11, 5)]
    recursive = queries.compose("SELECT 1 AS plan_id", queries.query_sql("r"))
    assert recursive.startswith("WITH RECURSIVE filtered_plans AS (")
    assert ctes(recursive) == ["filtered_plans", "base", "on_base"]
    assert duckdb.connect().execute(recursive).fetchall() == [(3, 11)]


def test_parameters_keep_their_order(sql_dir: Callable[..., Path]) -> None:
    """The filter values first, then the file's own `?`s in its order: a fragment has none."""
    sql_dir("_shared", "-- the plans, times ten\nSELECT plan_id * 10 AS x FROM filtered_plans")
    text = (
        "WITH prm AS (SELECT CAST(? AS INTEGER) AS a, CAST(? AS VARCHAR) AS b)\n"
        "SELECT prm.a, prm.b, s.x, CAST(? AS INTEGER) AS c FROM prm, shared AS s"
    )
    sql_dir("q", text)
    body = queries.query_sql("q")
    assert placeholders(body) == placeholders(text) == 3
    sql = queries.compose("SELECT CAST(? AS INTEGER) AS plan_id", body)
    assert duckdb.connect().execute(sql, [4, 2, "b", 3]).fetchall() == [(2, "b", 40, 3)]


def test_mistakes_fail_clearly(sql_dir: Callable[..., Path]) -> None:
    sql_dir("_with_param", "SELECT CAST(? AS INTEGER) AS x")
    sql_dir("uses_param", "SELECT x FROM with_param")
    with pytest.raises(ValueError, match=r"_with_param\.sql: a fragment takes no `\?`"):
        queries.query_sql("uses_param")
    sql_dir("_one", "SELECT * FROM two")
    sql_dir("_two", "SELECT * FROM one")
    sql_dir("uses_cycle", "SELECT * FROM one")
    with pytest.raises(ValueError, match=r"cycle: _one\.sql -> _two\.sql -> _one\.sql"):
        queries.query_sql("uses_cycle")
    sql_dir("_shared", "SELECT 1 AS x")
    sql_dir("own_cte", "WITH shared AS (SELECT 2 AS x)\nSELECT x FROM shared")
    with pytest.raises(ValueError, match=r"dashboard/sql/own_cte\.sql defines a CTE shared"):
        queries.query_sql("own_cte")


def test_a_name_that_is_no_fragment_fails_naming_the_file(
    sql_dir: Callable[..., Path], demo_db: Path, use_db: Callable[[Path], None]
) -> None:
    sql_dir(queries.FILTER_FRAGMENT, FILTERED_PLANS)
    sql_dir("_province_plans", "SELECT province_code FROM filtered_plans")
    sql_dir("typo", "SELECT * FROM province_plan")
    sql_dir("raw", "SELECT * FROM province_plans")
    use_db(demo_db)
    with pytest.raises(queries.QueryError, match=r"dashboard/sql/typo\.sql failed.*province_plan"):
        queries.load("typo", Filters())
    assert not queries.load("raw", Filters()).empty
    # filtered_plans (here through a fragment) is only there for load()
    with pytest.raises(queries.QueryError, match=r"dashboard/sql/raw\.sql failed.*filtered_plans"):
        queries.load_raw("raw")


# --- the fragments of dashboard/sql ----------------------------------------------------------

USERS = {
    "province_plans": {"localities", "category_heatmap", "channels_by_locality"},
    "codebook_keys": {
        "category_heatmap",
        "themes_by_year",
        "compare_channels",
        "compare_themes",
    },
}


def test_the_fragments_of_dashboard_sql() -> None:
    assert queries.fragment_names() == set(USERS)
    assert not queries.fragment_names() & queries.query_names()
    for cte in queries.fragment_names():
        header = (queries.SQL_DIR / f"_{cte}.sql").read_text("utf-8")
        assert "Not a query of its own" in header and "Columns:" in header, cte
        assert placeholders(queries.fragment_sql(cte)) == 0, cte
    every_user = set().union(*USERS.values())
    for name in sorted(queries.query_names()):
        text = (queries.SQL_DIR / f"{name}.sql").read_text("utf-8").strip().rstrip(";").rstrip()
        sql = queries.query_sql(name)
        got = {cte for cte in USERS if re.search(rf"^(?:WITH )?{cte} AS \(", sql, re.MULTILINE)}
        assert got == {cte for cte, users in USERS.items() if name in users}, name
        assert placeholders(sql) == placeholders(text), name
        if name not in every_user:
            assert sql == text, name


# --- the files that use them, on plans of an unknown province and of a code without locality --
# Each file's counts are recounted from the tables in test_sql_pages.py and
# test_sql_maps_compare.py; here, the two edge plans must land where the shared CTEs say.


@pytest.fixture(scope="module")
def edge_db(demo_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo warehouse plus a plan whose province is unknown and one whose code has no
    locality (no short name, no province name), each with a channel and a theme."""
    path = tmp_path_factory.mktemp("fragments") / "edge.duckdb"
    shutil.copyfile(demo_db, path)
    connection = duckdb.connect(str(path))
    try:
        for plan_id, code in (("fx-unknown", None), ("fx-no-locality", "99")):
            connection.execute(
                "INSERT INTO plans (plan_id, kind, plan_number, issuer_level, province_code, "
                "plan_year, n_sources, synthetic) VALUES (?, 'plan', '1/KH', 'province', ?, "
                "2022, 1, true)",
                [plan_id, code],
            )
            for table, column, value in (
                ("channel_mentions", "channel_id", "web_portal"),
                ("theme_mentions", "theme_id", "procedure_reform"),
            ):
                connection.execute(
                    f"INSERT INTO {table} (plan_id, doc_id, {column}, rule, evidence_start, "
                    "evidence_end, evidence_text, extractor_version, codebook_version) "
                    "VALUES (?, 'nodoc', ?, 'r', 0, 1, 'x', 'x', 'y')",
                    [plan_id, value],
                )
        rebuild_derived(connection)
    finally:
        connection.close()
    return path


def run(db: Path, name: str, *params: object) -> pd.DataFrame:
    """`name` run as the dashboard runs it, without sidebar filters."""
    con = queries.connect_readonly(db)
    try:
        sql = queries.compose(queries.filter_sql(), queries.query_sql(name))
        return con.execute(sql, [*queries.filter_params(Filters()), *params]).df()
    finally:
        con.close()


def test_the_edge_warehouse_has_its_edge_cases(edge_db: Path) -> None:
    with duckdb.connect(str(edge_db), read_only=True) as connection:
        rows = connection.execute(
            "SELECT plan_id, province_name, channel_mask <> 0, theme_mask <> 0 FROM plan_index "
            "WHERE plan_id LIKE 'fx-%' ORDER BY plan_id"
        ).fetchall()
    assert rows == [("fx-no-locality", None, True, True), ("fx-unknown", None, True, True)]


def by_code(frame: pd.DataFrame, count: str) -> dict[str, int]:
    return dict(zip(frame["province_code"], frame[count].astype(int), strict=True))


def test_province_plans_counts_the_unknown_and_unmapped_provinces(
    demo_db: Path, edge_db: Path
) -> None:
    before = run(demo_db, "localities")
    after = run(edge_db, "localities")
    # one more plan of an unknown province (''), and a province '99' with no name at all
    expected = by_code(before, "n_plans")
    expected[""] = expected.get("", 0) + 1
    expected["99"] = 1
    assert by_code(after, "n_plans") == expected
    # names first (by name), then the unnamed ones by code: '' before '99'
    named = after[after["locality_name"].notna()]
    assert list(named["locality_name"]) == sorted(named["locality_name"])
    assert list(after["province_code"].tail(2)) == ["", "99"]
    assert after["locality_name"].tail(2).isna().all()
    # every filtered plan is counted once
    with duckdb.connect(str(edge_db), read_only=True) as connection:
        n_plans = connection.execute("SELECT count(*) FROM plan_index").fetchone()[0]
    assert after["n_plans"].sum() == n_plans


@pytest.mark.parametrize("name", ["category_heatmap", "channels_by_locality"])
def test_locality_grids_give_the_unmapped_province_its_one_plan(edge_db: Path, name: str) -> None:
    params = ("channel", "channel") if name == "category_heatmap" else ("channel",)
    frame = run(edge_db, name, *params)
    totals = frame.groupby("province_code")["n_locality_plans"].unique()
    localities = by_code(run(edge_db, "localities"), "n_plans")
    # the denominator of every province is its count in the locality picker (province_plans)
    assert {code: list(values) for code, values in totals.items()} == {
        code: [n] for code, n in localities.items()
    }
    unmapped = frame[frame["province_code"] == "99"]
    used = unmapped[unmapped["n_plans"] > 0]
    assert list(used["key_id"]) == ["web_portal"]
    assert used["share"].tolist() == [1.0] and unmapped["locality_name"].isna().all()


def test_codebook_keys_list_every_key_for_the_edge_plans(demo_db: Path, edge_db: Path) -> None:
    with duckdb.connect(str(edge_db), read_only=True) as connection:
        theme_ids = {
            row[0]
            for row in connection.execute(
                "SELECT id FROM codebook WHERE category = 'theme'"
            ).fetchall()
        }
    themes = run(edge_db, "themes_by_year", "theme")
    in_2022 = themes[themes["plan_year"] == 2022]
    assert set(in_2022["key_id"]) == theme_ids  # every codebook theme, 0 when none
    before = run(demo_db, "themes_by_year", "theme")

    def n_reform(frame: pd.DataFrame) -> int:
        row = frame[(frame["plan_year"] == 2022) & (frame["key_id"] == "procedure_reform")]
        return int(row["n_plans"].iloc[0]) if len(row) else 0

    assert n_reform(themes) == n_reform(before) + 2  # both edge plans address it in 2022
    compared = run(edge_db, "compare_channels", "loc", ["99", ""], [], "channel")
    unmapped = compared[compared["entity"] == "99"]
    assert set(unmapped["key_id"]) >= {"web_portal"}
    assert unmapped.set_index("key_id")["n_plans"].to_dict()["web_portal"] == 1
    assert int(unmapped["n_plans"].sum()) == 1 and set(unmapped["n_entity_plans"]) == {1}
