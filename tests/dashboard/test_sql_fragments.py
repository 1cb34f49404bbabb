"""The shared CTEs of dashboard/sql (the `_` fragments other than _filtered_plans.sql):
dashboard/queries.py puts one in the WITH of exactly the files that name it, after
filtered_plans and before the file's own CTEs, without a parameter of its own; mistakes fail
with an error that names the files; and the files rewritten to use them (localities,
category_heatmap, channels_by_locality, themes_by_year, compare_channels, compare_themes)
return the rows of their previous versions, kept below, on the demo warehouse and on a copy
with plans of an unknown province and of a code without a locality. (locality_plans, which
now reads province_short_names, is compared with an older version of its own in
test_sql_fast_paths.py.)"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from dashboard import queries
from dashboard.state import Filters
from tests.dashboard.test_sql_fast_paths import same
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
    "province_short_names": {
        "localities",
        "category_heatmap",
        "channels_by_locality",
        "locality_plans",
        "timeline_binned",
        "timeline_plans",
    },
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


# --- the rewritten files return the rows of their previous versions ---------------------------

OLD_LOCALITIES = """
SELECT
    coalesce(fp.province_code, '') AS province_code,
    min(coalesce(loc.short_name, fp.province_name)) AS locality_name,
    count(*) AS n_plans
FROM filtered_plans AS fp
LEFT JOIN (
    SELECT code, min(short_name) AS short_name
    FROM localities
    WHERE era = 'legacy' AND level = 'province'
    GROUP BY code
) AS loc ON loc.code = fp.province_code
GROUP BY 1
ORDER BY locality_name NULLS LAST, province_code
"""

OLD_CATEGORY_HEATMAP = """
WITH prm AS (
    SELECT CAST(? AS VARCHAR) AS facet, CAST(? AS VARCHAR) AS level
),
keys AS (
    SELECT
        CASE WHEN prm.level = 'group' THEN coalesce(b.group_id, 'other') ELSE b.id END
            AS key_id,
        bit_or(b.mask) AS mask
    FROM filter_bits AS b
    CROSS JOIN prm
    WHERE b.facet = prm.facet
    GROUP BY 1
),
used AS (
    SELECT coalesce(fp.province_code, '') AS province_code, k.key_id, count(*) AS n_plans
    FROM filtered_plans AS fp
    CROSS JOIN prm
    JOIN keys AS k
        ON (CASE WHEN prm.facet = 'channel' THEN fp.channel_mask ELSE fp.theme_mask END
            & k.mask) <> 0
    GROUP BY 1, 2
)
SELECT
    tot.province_code,
    tot.locality_name,
    k.key_id,
    k.group_id,
    k.label_vi,
    k.label_en,
    coalesce(used.n_plans, 0) AS n_plans,
    tot.n_locality_plans,
    coalesce(used.n_plans, 0) / tot.n_locality_plans AS share
FROM prm
CROSS JOIN (
    SELECT
        coalesce(fp.province_code, '') AS province_code,
        min(coalesce(loc.short_name, fp.province_name)) AS locality_name,
        count(*) AS n_locality_plans
    FROM filtered_plans AS fp
    LEFT JOIN (
        SELECT code, min(short_name) AS short_name
        FROM localities
        WHERE era = 'legacy' AND level = 'province'
        GROUP BY code
    ) AS loc ON loc.code = fp.province_code
    GROUP BY 1
) AS tot
JOIN (
    SELECT category AS facet, category AS level, id AS key_id,
        coalesce(group_id, 'other') AS group_id, label_vi, label_en
    FROM codebook
    UNION ALL
    SELECT category, 'group', coalesce(group_id, 'other'), coalesce(group_id, 'other'),
        min(group_vi), min(group_en)
    FROM codebook
    GROUP BY category, group_id
) AS k ON k.facet = prm.facet AND k.level = prm.level
LEFT JOIN used ON used.key_id = k.key_id AND used.province_code = tot.province_code
ORDER BY tot.n_locality_plans DESC, tot.locality_name, tot.province_code, k.key_id
"""

OLD_CHANNELS_BY_LOCALITY = """
WITH prm AS (
    SELECT CAST(? AS VARCHAR) AS level
),
keys AS (
    SELECT
        CASE WHEN prm.level = 'group' THEN coalesce(b.group_id, 'other') ELSE b.id END
            AS key_id,
        min(coalesce(b.group_id, 'other')) AS group_id,
        bit_or(b.mask) AS mask
    FROM filter_bits AS b
    CROSS JOIN prm
    WHERE b.facet = 'channel'
    GROUP BY 1
),
labels AS (
    SELECT
        CASE WHEN prm.level = 'group' THEN coalesce(c.group_id, 'other') ELSE c.id END
            AS key_id,
        min(CASE WHEN prm.level = 'group' THEN c.group_vi ELSE c.label_vi END) AS label_vi,
        min(CASE WHEN prm.level = 'group' THEN c.group_en ELSE c.label_en END) AS label_en
    FROM codebook AS c
    CROSS JOIN prm
    WHERE c.category = 'channel'
    GROUP BY 1
),
used AS (
    SELECT coalesce(fp.province_code, '') AS province_code, k.key_id, k.group_id,
        count(*) AS n_plans
    FROM filtered_plans AS fp
    JOIN keys AS k ON (fp.channel_mask & k.mask) <> 0
    GROUP BY 1, 2, 3
)
SELECT
    used.province_code,
    tot.locality_name,
    used.key_id,
    used.group_id,
    l.label_vi,
    l.label_en,
    used.n_plans,
    tot.n_locality_plans,
    used.n_plans / tot.n_locality_plans AS share
FROM used
LEFT JOIN labels AS l ON l.key_id = used.key_id
JOIN (
    SELECT
        coalesce(fp.province_code, '') AS province_code,
        min(coalesce(loc.short_name, fp.province_name)) AS locality_name,
        count(*) AS n_locality_plans
    FROM filtered_plans AS fp
    LEFT JOIN (
        SELECT code, min(short_name) AS short_name
        FROM localities
        WHERE era = 'legacy' AND level = 'province'
        GROUP BY code
    ) AS loc ON loc.code = fp.province_code
    GROUP BY 1
) AS tot ON tot.province_code = used.province_code
ORDER BY tot.n_locality_plans DESC, tot.locality_name, used.province_code, used.key_id
"""

OLD_THEMES_BY_YEAR = """
WITH prm AS (
    SELECT CAST(? AS VARCHAR) AS level
),
keys AS (
    SELECT
        CASE WHEN prm.level = 'group' THEN coalesce(b.group_id, 'other') ELSE b.id END
            AS key_id,
        bit_or(b.mask) AS mask
    FROM filter_bits AS b
    CROSS JOIN prm
    WHERE b.facet = 'theme'
    GROUP BY 1
),
used AS (
    SELECT fp.plan_year, k.key_id, count(*) AS n_plans
    FROM filtered_plans AS fp
    JOIN keys AS k ON (fp.theme_mask & k.mask) <> 0
    WHERE fp.plan_year IS NOT NULL
    GROUP BY 1, 2
)
SELECT
    tot.plan_year,
    k.key_id,
    k.group_id,
    k.label_vi,
    k.label_en,
    coalesce(used.n_plans, 0) AS n_plans,
    tot.n_year_plans,
    coalesce(used.n_plans, 0) / tot.n_year_plans AS share
FROM prm
CROSS JOIN (
    SELECT plan_year, count(*) AS n_year_plans
    FROM filtered_plans
    WHERE plan_year IS NOT NULL
    GROUP BY 1
) AS tot
JOIN (
    SELECT 'theme' AS level, id AS key_id, coalesce(group_id, 'other') AS group_id,
        label_vi, label_en
    FROM codebook
    WHERE category = 'theme'
    UNION ALL
    SELECT 'group', coalesce(group_id, 'other'), coalesce(group_id, 'other'),
        min(group_vi), min(group_en)
    FROM codebook
    WHERE category = 'theme'
    GROUP BY group_id
) AS k ON k.level = prm.level
LEFT JOIN used ON used.key_id = k.key_id AND used.plan_year = tot.plan_year
ORDER BY tot.plan_year, k.key_id
"""

# compare_themes.sql was this with 'theme' for 'channel'
OLD_COMPARE_CHANNELS = """
WITH prm AS (
    SELECT
        CAST(? AS VARCHAR) AS mode,
        CAST(? AS VARCHAR[]) AS codes,
        CAST(? AS INTEGER[]) AS years,
        CAST(? AS VARCHAR) AS level
),
ent AS (
    SELECT
        fp.plan_no,
        fp.channel_mask AS mask,
        CASE WHEN prm.mode = 'year' THEN CAST(fp.plan_year AS VARCHAR)
            ELSE fp.province_code END AS entity
    FROM filtered_plans AS fp
    CROSS JOIN prm
    WHERE list_contains(prm.codes, fp.province_code)
        AND (len(prm.years) = 0 OR list_contains(prm.years, fp.plan_year))
        AND (prm.mode <> 'year' OR fp.plan_year IS NOT NULL)
),
totals AS (
    SELECT entity, count(*) AS n_entity_plans FROM ent GROUP BY entity
),
keys AS (
    SELECT
        CASE WHEN prm.level = 'group' THEN coalesce(cb.group_id, 'other') ELSE cb.id END
            AS key_id,
        min(coalesce(cb.group_id, 'other')) AS group_id,
        min(CASE WHEN prm.level = 'group' THEN cb.group_vi ELSE cb.label_vi END) AS label_vi,
        min(CASE WHEN prm.level = 'group' THEN cb.group_en ELSE cb.label_en END) AS label_en,
        min(cb.rowid) AS ord
    FROM codebook AS cb
    CROSS JOIN prm
    WHERE cb.category = 'channel'
    GROUP BY 1
),
key_masks AS (
    SELECT
        CASE WHEN prm.level = 'group' THEN coalesce(b.group_id, 'other') ELSE b.id END
            AS key_id,
        bit_or(b.mask) AS mask
    FROM filter_bits AS b
    CROSS JOIN prm
    WHERE b.facet = 'channel'
    GROUP BY 1
),
used AS (
    SELECT e.entity, k.key_id, count(*) AS n_plans
    FROM ent AS e
    JOIN key_masks AS k ON (e.mask & k.mask) <> 0
    GROUP BY 1, 2
)
SELECT
    t.entity,
    k.key_id,
    k.group_id,
    k.label_vi,
    k.label_en,
    coalesce(u.n_plans, 0) AS n_plans,
    t.n_entity_plans,
    coalesce(u.n_plans, 0) / t.n_entity_plans AS share
FROM totals AS t
CROSS JOIN keys AS k
LEFT JOIN used AS u ON u.entity = t.entity AND u.key_id = k.key_id
ORDER BY t.entity, k.ord, k.key_id
"""

OLD: dict[str, str] = {
    "localities": OLD_LOCALITIES,
    "category_heatmap": OLD_CATEGORY_HEATMAP,
    "channels_by_locality": OLD_CHANNELS_BY_LOCALITY,
    "themes_by_year": OLD_THEMES_BY_YEAR,
    "compare_channels": OLD_COMPARE_CHANNELS,
    "compare_themes": OLD_COMPARE_CHANNELS.replace("channel", "theme"),
}

PARAMS: dict[str, tuple[tuple[object, ...], ...]] = {
    "localities": ((),),
    "category_heatmap": (
        ("channel", "channel"),
        ("channel", "group"),
        ("theme", "theme"),
        ("theme", "group"),
    ),
    "channels_by_locality": (("channel",), ("group",)),
    "themes_by_year": (("theme",), ("group",)),
    "compare_channels": (
        ("loc", ["02", "24", "", "99"], [], "channel"),
        ("loc", ["02", "24"], [2022], "group"),
        ("year", ["02", "24"], [], "group"),
    ),
    "compare_themes": (
        ("loc", ["02", "24", "", "99"], [], "theme"),
        ("year", ["02", "24"], [2021, 2022], "group"),
    ),
}

FILTERS = (
    Filters(),
    Filters(year_min=2021, year_max=2023),
    Filters(provinces=("02", "24")),
    Filters(channel_groups=("digital",), themes=("procedure_reform",)),
    Filters(kinds=("no-such-kind",)),
)


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


@pytest.fixture(scope="module", params=["demo", "edge"])
def con(
    request: pytest.FixtureRequest, demo_db: Path, edge_db: Path
) -> Iterator[duckdb.DuckDBPyConnection]:
    connection = queries.connect_readonly(demo_db if request.param == "demo" else edge_db)
    yield connection
    connection.close()


def run(
    con: duckdb.DuckDBPyConnection, body: str, filters: Filters, *params: object
) -> pd.DataFrame:
    cur = queries.warehouse_cursor(con)
    try:
        sql = queries.compose(queries.filter_sql(), body.strip())
        return cur.execute(sql, [*queries.filter_params(filters), *params]).df()
    finally:
        cur.close()


def test_the_edge_warehouse_has_its_edge_cases(edge_db: Path) -> None:
    with duckdb.connect(str(edge_db), read_only=True) as connection:
        rows = connection.execute(
            "SELECT plan_id, province_name, channel_mask <> 0, theme_mask <> 0 FROM plan_index "
            "WHERE plan_id LIKE 'fx-%' ORDER BY plan_id"
        ).fetchall()
    assert rows == [("fx-no-locality", None, True, True), ("fx-unknown", None, True, True)]


@pytest.mark.parametrize("name", sorted(OLD))
def test_rewritten_files_return_the_rows_of_their_previous_versions(
    con: duckdb.DuckDBPyConnection, name: str
) -> None:
    body = queries.query_sql(name)
    n_rows = 0
    for filters in FILTERS:
        for params in PARAMS[name]:
            expected = run(con, OLD[name], filters, *params)
            got = run(con, body, filters, *params)
            assert same(got, expected), (name, filters, params)
            n_rows += len(got)
    assert n_rows > 0
