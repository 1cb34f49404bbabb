"""The SQL files of the Map and Compare pages on the demo warehouse, run with DuckDB directly:
with a permissive `filtered_plans` (every plan) each metric per province is recounted from the
base tables (plans, locality_crosswalk, *_mentions, responsibilities), in both eras; the
34-province era puts the plans of several legacy provinces together through the crosswalk (a
copy of the warehouse gets a plan in a second legacy province of one 2025 province); composed
with the real filter fragment every file runs with filters that match everything or nothing.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from dashboard import queries
from dashboard.state import Filters

VIEWS_SQL = Path(__file__).resolve().parents[2] / "etl" / "load" / "sql" / "views.sql"
PERMISSIVE = "SELECT * FROM plan_index"
ERAS = ("legacy", "2025")
LOC = ("loc", ["02", "24", "25"], [])
YEAR = ("year", ["02"], [2021, 2022, 2023])

# every file of the two pages, with example parameters
QUERIES: dict[str, tuple[object, ...]] = {
    "map_metric_plans": ("2025",),
    "map_metric_channel": ("legacy", "group", "digital"),
    "map_metric_theme": ("2025", "theme", "procedure_reform"),
    "map_metric_agency": ("legacy", "home_affairs", "lead"),
    "map_metric_channels_mean": ("2025",),
    "map_points": ("2025",),
    "map_province_plans": ("2025", "08"),
    "map_evidence": ("2025", "08", "channel", "group", "digital", None),
    "compare_entities": LOC,
    "compare_channels": (*LOC, "group"),
    "compare_themes": (*YEAR, "theme"),
    "compare_agencies": LOC,
    "compare_profile": LOC,
    "baseline_national": ([],),
    "baseline_level": ([2022],),
    "baseline_previous": LOC,
}


def run(con: duckdb.DuckDBPyConnection, name: str, *params: object) -> pd.DataFrame:
    body = queries.query_sql(name)  # the file with the shared CTEs it names
    return con.execute(queries.compose(PERMISSIVE, body), list(params)).df()


@pytest.fixture(scope="module")
def con(demo_db: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    connection = queries.connect_readonly(demo_db)  # the dashboard's own configuration
    yield connection
    connection.close()


@pytest.fixture(scope="module")
def merged_con(
    demo_db: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[duckdb.DuckDBPyConnection]:
    """The demo warehouse plus one plan of Tuyên Quang (legacy 08, no 2025 code of its own),
    which merged with Hà Giang (legacy 02, a demo plan) into the 2025 Tuyên Quang (08), and an
    earlier (2020) plan of Hà Giang; the derived tables are recomputed."""
    path = tmp_path_factory.mktemp("merged") / "merged.duckdb"
    shutil.copyfile(demo_db, path)
    connection = duckdb.connect(str(path))
    connection.execute(
        "INSERT INTO plans (plan_id, kind, plan_number, title, issuer_level, province_code, "
        "plan_year, n_sources, synthetic) VALUES ('tq-test-plan', 'plan', '7/KH-UBND', "
        "'Kế hoạch thử', 'province', '08', 2022, 1, true)"
    )
    connection.execute(
        "INSERT INTO channel_mentions VALUES ('tq-test-plan', 'nodoc', 'web_portal', 'r', 0, 4, "
        "'cổng', 'x', 'y')"
    )
    # an earlier plan of Hà Giang, for the previous-plan baseline
    connection.execute(
        "INSERT INTO plans (plan_id, kind, plan_number, issuer_level, province_code, "
        "province_code_2025, plan_year, n_sources, synthetic) VALUES ('hg-test-2020', 'plan', "
        "'3/KH-UBND', 'province', '02', '08', 2020, 1, true)"
    )
    connection.execute(
        "INSERT INTO channel_mentions VALUES ('hg-test-2020', 'nodoc', 'leaflet', 'r', 0, 6, "
        "'tờ rơi', 'x', 'y')"
    )
    rebuild_derived(connection)
    yield connection
    connection.close()


def rebuild_derived(connection: duckdb.DuckDBPyConnection) -> None:
    """Recompute what the build derives from the base tables (etl/load/sql/views.sql: views or
    tables materialised at build time), after the base tables were changed."""
    text = VIEWS_SQL.read_text(encoding="utf-8")
    names = re.findall(r"CREATE\s+(?:OR\s+REPLACE\s+)?(?:TABLE|VIEW)\s+(\w+)", text, re.I)
    kinds = dict(
        connection.execute(
            "SELECT table_name, table_type FROM information_schema.tables "
            "WHERE table_schema = 'main'"
        ).fetchall()
    )
    for name in reversed(names):
        if name in kinds:
            kind = "VIEW" if kinds[name] == "VIEW" else "TABLE"
            connection.execute(f"DROP {kind} {name}")
    connection.execute(text)


def base(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Each plan with its province in both eras, from the base tables."""
    plans = con.execute(
        "SELECT plan_id, province_code, province_code_2025, district_code, commune_code, "
        "issuer_level, plan_year FROM plans"
    ).df()
    crosswalk = con.execute(
        "SELECT province_code, province_code_2025 AS merged FROM locality_crosswalk"
    ).df()
    plans = plans.merge(crosswalk, on="province_code", how="left")
    plans["legacy"] = plans["province_code"].fillna("")
    plans["2025"] = plans["province_code_2025"].fillna(plans["merged"]).fillna("")
    return plans


def counts(series: pd.Series) -> dict[str, int]:
    return {str(k): int(v) for k, v in series.value_counts().items()}


# --- map metrics ------------------------------------------------------------------------------


@pytest.mark.parametrize("era", ERAS)
def test_number_of_plans_per_province(con: duckdb.DuckDBPyConnection, era: str) -> None:
    got = run(con, "map_metric_plans", era)
    plans = base(con)
    assert dict(zip(got["code"], got["n_plans"], strict=True)) == counts(plans[era])
    assert (got["value"] == got["n_plans"]).all()
    assert int(got["n_plans"].sum()) == len(plans)
    placed = got[got["code"] != ""]
    layer_era = "legacy" if era == "legacy" else "2025"
    names = con.execute(
        "SELECT code, name FROM localities WHERE level = 'province' AND era = ?", [layer_era]
    ).df()
    assert dict(zip(placed["code"], placed["name_vi"], strict=True)) == {
        c: n for c, n in zip(names["code"], names["name"], strict=True) if c in set(placed["code"])
    }


@pytest.mark.parametrize("era", ERAS)
@pytest.mark.parametrize(("level", "key"), [("channel", "web_portal"), ("group", "print")])
def test_share_using_a_channel(
    con: duckdb.DuckDBPyConnection, era: str, level: str, key: str
) -> None:
    got = run(con, "map_metric_channel", era, level, key).set_index("code")
    plans = base(con)
    uses = con.execute(
        "SELECT DISTINCT m.plan_id FROM channel_mentions AS m JOIN codebook AS c "
        "ON c.category = 'channel' AND c.id = m.channel_id "
        f"WHERE {'c.group_id' if level == 'group' else 'm.channel_id'} = ?",
        [key],
    ).df()
    plans["hit"] = plans["plan_id"].isin(uses["plan_id"])
    expected = plans.groupby(era).agg(n=("plan_id", "count"), hits=("hit", "sum"))
    assert set(got.index) == set(expected.index)
    for code, row in expected.iterrows():
        assert got.loc[code, "n_plans"] == row["n"]
        assert got.loc[code, "n_hits"] == row["hits"]
        assert got.loc[code, "value"] == pytest.approx(row["hits"] / row["n"])
    assert got["value"].between(0, 1).all()
    assert (got["n_hits"] == 0).any() or (got["value"] > 0).all()


@pytest.mark.parametrize("era", ERAS)
@pytest.mark.parametrize(("level", "key"), [("theme", "procedure_reform"), ("group", "framing")])
def test_share_addressing_a_theme(
    con: duckdb.DuckDBPyConnection, era: str, level: str, key: str
) -> None:
    got = run(con, "map_metric_theme", era, level, key).set_index("code")
    plans = base(con)
    uses = con.execute(
        "SELECT DISTINCT m.plan_id FROM theme_mentions AS m JOIN codebook AS c "
        "ON c.category = 'theme' AND c.id = m.theme_id "
        f"WHERE {'c.group_id' if level == 'group' else 'm.theme_id'} = ?",
        [key],
    ).df()
    plans["hit"] = plans["plan_id"].isin(uses["plan_id"])
    expected = plans.groupby(era).agg(n=("plan_id", "count"), hits=("hit", "sum"))
    for code, row in expected.iterrows():
        assert got.loc[code, "n_hits"] == row["hits"]
        assert got.loc[code, "value"] == pytest.approx(row["hits"] / row["n"])


@pytest.mark.parametrize("era", ERAS)
def test_share_where_an_agency_leads(con: duckdb.DuckDBPyConnection, era: str) -> None:
    got = run(con, "map_metric_agency", era, "home_affairs", "lead").set_index("code")
    plans = base(con)
    leads = con.execute(
        "SELECT DISTINCT plan_id FROM responsibilities "
        "WHERE agency_id = 'home_affairs' AND CAST(role AS VARCHAR) = 'lead'"
    ).df()
    assert len(leads) > 0
    plans["hit"] = plans["plan_id"].isin(leads["plan_id"])
    expected = plans.groupby(era).agg(n=("plan_id", "count"), hits=("hit", "sum"))
    for code, row in expected.iterrows():
        assert got.loc[code, "n_hits"] == row["hits"]
        assert got.loc[code, "value"] == pytest.approx(row["hits"] / row["n"])
    coordinate = run(con, "map_metric_agency", era, "home_affairs", "coordinate")
    assert int(coordinate["n_plans"].sum()) == len(plans)


@pytest.mark.parametrize("era", ERAS)
def test_mean_distinct_channels_per_plan(con: duckdb.DuckDBPyConnection, era: str) -> None:
    got = run(con, "map_metric_channels_mean", era).set_index("code")
    plans = base(con)
    per_plan = con.execute(
        "SELECT plan_id, count(DISTINCT channel_id) AS n FROM channel_mentions GROUP BY 1"
    ).df()
    plans = plans.merge(per_plan, on="plan_id", how="left").fillna({"n": 0})
    expected = plans.groupby(era)["n"].mean()
    for code, mean in expected.items():
        assert got.loc[code, "value"] == pytest.approx(mean)
        assert got.loc[code, "n_hits"] == plans.loc[plans[era] == code, "n"].sum()


def test_2025_era_aggregates_legacy_provinces_through_the_crosswalk(
    merged_con: duckdb.DuckDBPyConnection,
) -> None:
    legacy = run(merged_con, "map_metric_plans", "legacy").set_index("code")
    new = run(merged_con, "map_metric_plans", "2025").set_index("code")
    merged_into = dict(
        merged_con.execute(
            "SELECT province_code, province_code_2025 FROM locality_crosswalk"
        ).fetchall()
    )
    assert merged_into["02"] == merged_into["08"] == "08"
    assert legacy.loc["02", "n_plans"] >= 1 and legacy.loc["08", "n_plans"] == 1
    # Tuyên Quang 2025 = Hà Giang + Tuyên Quang (+ plans of 2025 units with only a new code)
    only_new = merged_con.execute(
        "SELECT count(*) FROM plans WHERE province_code IS NULL AND province_code_2025 = '08'"
    ).fetchone()[0]
    assert new.loc["08", "n_plans"] == legacy.loc["02", "n_plans"] + 1 + only_new
    assert new.loc["08", "legacy_codes"] == "02,08"
    assert new.loc["08", "name_vi"] == "Tỉnh Tuyên Quang"
    # every legacy plan lands in the province its province merged into
    for code, row in legacy.drop(index="", errors="ignore").iterrows():
        assert code in (new.loc[merged_into[code], "legacy_codes"] or "").split(",")
        assert new.loc[merged_into[code], "n_plans"] >= row["n_plans"]
    share = run(merged_con, "map_metric_channel", "2025", "channel", "web_portal").set_index("code")
    assert share.loc["08", "n_plans"] == new.loc["08", "n_plans"]
    plans = run(merged_con, "map_province_plans", "2025", "08")
    assert "tq-test-plan" in set(plans["plan_id"])
    assert set(plans["province_code"].dropna()) <= {"02", "08"}
    assert len(plans) == new.loc["08", "n_plans"]


# --- points, plans, evidence ------------------------------------------------------------------


@pytest.mark.parametrize("era", ERAS)
def test_points_at_the_districts_of_district_and_commune_plans(
    con: duckdb.DuckDBPyConnection, era: str
) -> None:
    got = run(con, "map_points", era)
    assert not got.empty
    plans = base(con)
    local = plans[plans["issuer_level"].isin(["district", "commune"])]
    assert int(got["n_plans"].sum()) <= len(local)
    districts = con.execute(
        "SELECT code, lat, lon FROM localities WHERE era = 'legacy' AND level = 'district'"
    ).df()
    for row in got[got["unit_level"] == "district"].to_dict("records"):
        spot = districts[districts["code"] == row["code"]].iloc[0]
        assert (row["lat"], row["lon"]) == (spot["lat"], spot["lon"])
        expected = plans[plans["district_code"] == row["code"]]
        assert row["n_plans"] >= len(expected) > 0 or row["n_plans"] > 0
    with_district = local[local["district_code"].notna()]
    for code, n in counts(with_district["district_code"]).items():
        assert got.set_index("code").loc[code, "n_plans"] >= n
    assert got["lat"].between(8, 24).all() and got["lon"].between(102, 110).all()
    # the province a click on a point selects, in the era shown
    for row in got.to_dict("records"):
        if pd.notna(row["province_code"]):
            assert len(str(row["province_code"])) == 2


@pytest.mark.parametrize("era", ERAS)
def test_province_plans(con: duckdb.DuckDBPyConnection, era: str) -> None:
    plans = base(con)
    for code, n in counts(plans[era]).items():
        if not code:
            continue
        got = run(con, "map_province_plans", era, code)
        assert len(got) == n
        assert set(got["plan_id"]) == set(plans.loc[plans[era] == code, "plan_id"])
        assert (got["code_era"] == code).all()
        assert {"title", "plan_year", "issuer_level", "n_sources"} <= set(got.columns)


def test_evidence_behind_each_metric(con: duckdb.DuckDBPyConnection) -> None:
    plans = base(con)
    code = plans.loc[plans["legacy"] != "", "legacy"].value_counts().index[0]
    ids = list(plans.loc[plans["legacy"] == code, "plan_id"])
    mentions = con.execute(
        "SELECT plan_id, channel_id, evidence_text FROM channel_mentions "
        "WHERE list_contains(?, plan_id)",
        [ids],
    ).df()
    everything = run(con, "map_evidence", "legacy", code, "channel", "all", None, None)
    assert len(everything) == len(mentions) > 0
    assert sorted(everything["evidence_text"]) == sorted(mentions["evidence_text"])
    key = mentions["channel_id"].iloc[0]
    one = run(con, "map_evidence", "legacy", code, "channel", "channel", key, None)
    assert set(one["fact_id"]) == {key}
    assert len(one) == int((mentions["channel_id"] == key).sum())
    themes = run(con, "map_evidence", "legacy", code, "theme", "group", "reform_area", None)
    assert set(themes["category"]) <= {"theme"}
    lead = run(con, "map_evidence", "legacy", code, "agency", "agency", "home_affairs", "lead")
    assert set(lead["role"]) <= {"lead"} and set(lead["fact_id"]) <= {"home_affairs"}
    fields = run(con, "map_evidence", "legacy", code, "plan", "all", None, None)
    assert set(fields["fact_id"]) <= {"title", "plan_number"} and not fields.empty
    for row in everything.to_dict("records"):  # every sentence points into its document
        text = con.execute("SELECT text FROM documents WHERE doc_id = ?", [row["doc_id"]])
        body = text.fetchone()[0]
        assert body[row["evidence_start"] : row["evidence_end"]] == row["evidence_text"]


# --- compare ----------------------------------------------------------------------------------


def test_compare_entities_by_locality_and_by_year(con: duckdb.DuckDBPyConnection) -> None:
    plans = base(con)
    got = run(con, "compare_entities", *LOC).set_index("entity")
    expected = counts(plans.loc[plans["legacy"].isin(LOC[1]), "legacy"])
    assert {k: int(v) for k, v in got["n_plans"].items()} == expected
    assert got.loc["02", "name_vi"] == "Hà Giang"
    code = plans["legacy"].value_counts().drop("", errors="ignore").index[0]
    years = run(con, "compare_entities", "year", [code], []).set_index("entity")
    own = plans[(plans["legacy"] == code) & plans["plan_year"].notna()]
    assert {k: int(v) for k, v in years["n_plans"].items()} == {
        str(int(y)): n for y, n in own["plan_year"].value_counts().items()
    }
    some = sorted(int(y) for y in own["plan_year"].unique())[:1]
    assert list(run(con, "compare_entities", "year", [code], some)["entity"]) == [
        str(y) for y in some
    ]


@pytest.mark.parametrize("level", ["channel", "group"])
def test_compare_channels_recount(con: duckdb.DuckDBPyConnection, level: str) -> None:
    got = run(con, "compare_channels", *LOC, level)
    plans = base(con)
    n_keys = con.execute(
        "SELECT count(DISTINCT "
        + ("coalesce(group_id, 'other')" if level == "group" else "id")
        + ") FROM codebook WHERE category = 'channel'"
    ).fetchone()[0]
    assert len(got) == n_keys * got["entity"].nunique()  # every key for every entity
    uses = con.execute(
        "SELECT m.plan_id, m.channel_id, c.group_id FROM channel_mentions AS m "
        "JOIN codebook AS c ON c.category = 'channel' AND c.id = m.channel_id"
    ).df()
    column = "group_id" if level == "group" else "channel_id"
    for row in got.to_dict("records"):
        ids = set(plans.loc[plans["legacy"] == row["entity"], "plan_id"])
        users = set(uses.loc[uses[column] == row["key_id"], "plan_id"]) & ids
        assert row["n_entity_plans"] == len(ids)
        assert row["n_plans"] == len(users)
        assert row["share"] == pytest.approx(len(users) / len(ids))


def test_compare_themes_by_year_recount(con: duckdb.DuckDBPyConnection) -> None:
    plans = base(con)
    code = plans["legacy"].value_counts().drop("", errors="ignore").index[0]
    years = sorted(int(y) for y in plans.loc[plans["legacy"] == code, "plan_year"].dropna())
    got = run(con, "compare_themes", "year", [code], years, "theme")
    uses = con.execute("SELECT DISTINCT plan_id, theme_id FROM theme_mentions").df()
    for row in got.to_dict("records"):
        ids = set(
            plans.loc[
                (plans["legacy"] == code) & (plans["plan_year"] == int(row["entity"])), "plan_id"
            ]
        )
        users = set(uses.loc[uses["theme_id"] == row["key_id"], "plan_id"]) & ids
        assert (row["n_plans"], row["n_entity_plans"]) == (len(users), len(ids))
    areas = got[got["group_id"] == "reform_area"]["key_id"].unique()
    assert len(areas) == 6


def test_compare_agencies_and_profile(con: duckdb.DuckDBPyConnection) -> None:
    plans = base(con)
    agencies = run(con, "compare_agencies", *LOC)
    resp = con.execute(
        "SELECT DISTINCT plan_id, agency_id, CAST(role AS VARCHAR) AS role FROM responsibilities"
    ).df()
    for row in agencies.to_dict("records"):
        ids = set(plans.loc[plans["legacy"] == row["entity"], "plan_id"])
        hits = resp[(resp["agency_id"] == row["agency_id"]) & (resp["role"] == row["role"])]
        assert row["n_plans"] == len(set(hits["plan_id"]) & ids) > 0
    assert {"lead", "coordinate"} <= set(agencies["role"])
    prof = run(con, "compare_profile", *LOC)
    for (entity, level), part in prof.groupby(["entity", "issuer_level"]):
        ids = plans[(plans["legacy"] == entity) & (plans["issuer_level"] == level)]
        assert (part["n_level_plans"] == len(ids)).all()


def test_national_and_level_baselines(con: duckdb.DuckDBPyConnection) -> None:
    plans = base(con)
    national = run(con, "baseline_national", [])
    assert (national["n_total"] == len(plans)).all()
    digital = national.query("category == 'channel' and level == 'group' and key_id == 'digital'")
    users = con.execute(
        "SELECT count(DISTINCT m.plan_id) FROM channel_mentions AS m JOIN codebook AS c "
        "ON c.category = 'channel' AND c.id = m.channel_id WHERE c.group_id = 'digital'"
    ).fetchone()[0]
    assert digital["n_plans"].iloc[0] == users
    year = int(plans["plan_year"].dropna().mode().iloc[0])
    in_year = run(con, "baseline_national", [year])
    assert (in_year["n_total"] == int((plans["plan_year"] == year).sum())).all()
    levels = run(con, "baseline_level", [])
    for level, part in levels.groupby("issuer_level"):
        n = int((plans["issuer_level"].fillna("unknown") == level).sum())
        assert (part["n_level_plans"] == n).all()
        assert part["share"].between(0, 1).all()


def test_previous_plan_baseline(merged_con: duckdb.DuckDBPyConnection) -> None:
    plans = base(merged_con)
    hg = plans[plans["legacy"] == "02"]
    assert sorted(hg["plan_year"]) == [2020, 2022]
    got = run(merged_con, "baseline_previous", "year", ["02"], [2022])
    assert set(got["cur_year"]) == {2022} and set(got["prev_year"]) == {2020}
    assert set(got["n_cur_total"]) == {1} and set(got["n_prev_total"]) == {1}
    rows = got.set_index(["category", "key_id"])
    assert rows.loc[("channel", "leaflet"), ["n_cur", "n_prev"]].tolist() == [0, 1]
    cur = merged_con.execute(
        "SELECT DISTINCT channel_id FROM channel_mentions WHERE list_contains(?, plan_id)",
        [list(hg.loc[hg["plan_year"] == 2022, "plan_id"])],
    ).df()
    for key in cur["channel_id"]:
        assert rows.loc[("channel", key), "n_cur"] == 1
    # by locality: the latest year against the one before it
    by_loc = run(merged_con, "baseline_previous", "loc", ["02"], [])
    assert set(by_loc["cur_year"]) == {2022} and set(by_loc["prev_year"]) == {2020}
    # no earlier plan: one row saying so
    first = run(merged_con, "baseline_previous", "year", ["02"], [2020])
    assert len(first) == 1 and pd.isna(first["prev_year"].iloc[0])
    assert pd.isna(first["category"].iloc[0])


# --- composed with the real filters -----------------------------------------------------------


@pytest.fixture
def on_demo(demo_db: Path, use_db) -> None:  # type: ignore[no-untyped-def]
    use_db(demo_db)


@pytest.mark.parametrize("name", sorted(QUERIES))
@pytest.mark.parametrize(
    "filters",
    [Filters(), Filters(kinds=("other",)), Filters(year_min=2022, levels=("district",))],
    ids=["all", "nothing", "some"],
)
def test_every_file_runs_with_the_filters(name: str, filters: Filters, on_demo: None) -> None:
    frame = queries.load(name, filters, *QUERIES[name])
    assert isinstance(frame, pd.DataFrame)
    if filters == Filters(kinds=("other",)):
        assert frame.empty or name == "map_evidence"


def test_every_map_and_compare_file_is_listed() -> None:
    names = {n for n in queries.query_names() if n.startswith(("map_", "compare_", "baseline_"))}
    assert names == set(QUERIES)
