"""The fast paths of the dashboard's SQL give the same answers as the straightforward queries
they replaced (issue #5): the filter masks (plan_index) as the joins on plan_channels /
plan_themes, the search on the text folded at build time (document_search) as folding every
text at every search, the task table read one page at a time (responsibility_tasks) as the
whole list, the first plans of a selection (plans_for_*) as the head of the whole list, and
the row counts of the Downloads page (plan_row_counts) as the lengths of the files.

The reference queries below are the previous versions of _filtered_plans.sql,
documents_search.sql and responsibility_tasks.sql, run on a generated corpus and the demo
warehouse."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from dashboard import exports, queries
from dashboard.i18n import number_in, translate
from dashboard.state import Filters
from etl.demo import generate_corpus
from etl.load.build import build_warehouse

N_DOCS = 80

OLD_FILTER = r"""
SELECT pf.*
FROM plan_facts AS pf
CROSS JOIN (
    SELECT
        CAST(? AS INTEGER) AS year_min,
        CAST(? AS INTEGER) AS year_max,
        CAST(? AS VARCHAR[]) AS regions,
        CAST(? AS VARCHAR[]) AS levels,
        CAST(? AS VARCHAR[]) AS provinces,
        CAST(? AS VARCHAR[]) AS channel_groups,
        CAST(? AS VARCHAR[]) AS themes,
        CAST(? AS VARCHAR[]) AS kinds
) AS f
WHERE (f.year_min IS NULL OR pf.plan_year >= f.year_min)
    AND (f.year_max IS NULL OR pf.plan_year <= f.year_max)
    AND (len(f.regions) = 0 OR list_contains(f.regions, pf.region_id))
    AND (len(f.levels) = 0 OR list_contains(f.levels, pf.issuer_level))
    AND (len(f.provinces) = 0 OR list_contains(f.provinces, pf.province_code))
    AND (len(f.channel_groups) = 0 OR EXISTS (
        SELECT 1
        FROM plan_channels AS pc
        WHERE pc.plan_id = pf.plan_id AND list_contains(f.channel_groups, pc.group_id)
    ))
    AND (len(f.themes) = 0 OR EXISTS (
        SELECT 1
        FROM plan_themes AS pt
        WHERE pt.plan_id = pf.plan_id AND list_contains(f.themes, pt.theme_id)
    ))
    AND (len(f.kinds) = 0 OR list_contains(f.kinds, pf.kind))
"""

OLD_SEARCH = r"""
WITH q AS (
    SELECT regexp_replace(
        lower(strip_accents(replace(replace(
            nfc_normalize(trim(coalesce(CAST(? AS VARCHAR), ''))), 'đ', 'd'), 'Đ', 'D'))),
        '\s+', ' ', 'g') AS needle
),
docs AS (
    SELECT
        d.doc_id,
        d.relpath,
        d.title,
        d.kind,
        d.published_date,
        d.synthetic,
        d.plan_id,
        coalesce(d.plan_number, fp.plan_number) AS plan_number,
        fp.plan_year,
        fp.issue_date,
        fp.issuer_level,
        coalesce(d.issuer_name, fp.issuer_name) AS issuer_name,
        fp.province_code,
        fp.province_name,
        fp.district_name,
        concat_ws(' ', d.title, d.plan_number, fp.plan_number, d.issuer_name, fp.issuer_name,
            d.relpath) AS meta,
        regexp_replace(d.text, '\s+', ' ', 'g') AS flat_text
    FROM documents AS d
    JOIN filtered_plans AS fp ON fp.plan_id = d.plan_id
),
hits AS (
    SELECT
        docs.*,
        q.needle,
        CASE WHEN q.needle = '' THEN 0 ELSE instr(
            lower(strip_accents(replace(replace(docs.flat_text, 'đ', 'd'), 'Đ', 'D'))),
            q.needle) END AS text_pos,
        q.needle <> '' AND contains(
            regexp_replace(
                lower(strip_accents(replace(replace(docs.meta, 'đ', 'd'), 'Đ', 'D'))),
                '\s+', ' ', 'g'),
            q.needle) AS meta_hit
    FROM docs
    CROSS JOIN q
)
SELECT
    doc_id,
    relpath,
    title,
    kind,
    published_date,
    synthetic,
    plan_id,
    plan_number,
    plan_year,
    issue_date,
    issuer_level,
    issuer_name,
    province_code,
    province_name,
    district_name,
    CASE WHEN text_pos > 0 THEN
        substring(flat_text, greatest(text_pos - 80, 1), 80 + length(needle) + 120) END
        AS snippet,
    count(*) OVER () AS n_total
FROM hits
WHERE needle = '' OR meta_hit OR text_pos > 0
ORDER BY coalesce(published_date, issue_date) DESC NULLS LAST, relpath
LIMIT CAST(? AS INTEGER)
"""

OLD_TASKS = r"""
SELECT
    fp.plan_id,
    coalesce(loc.short_name, fp.province_name) AS locality_name,
    fp.district_name,
    fp.issuer_name,
    fp.issuer_level,
    fp.plan_number,
    fp.plan_year,
    r.agency_id,
    coalesce(a.label_vi, 'Cơ quan khác') AS agency_label_vi,
    coalesce(a.label_en, 'Other agency') AS agency_label_en,
    r.agency_text,
    r.role,
    r.task,
    r.evidence_text,
    r.evidence_start,
    r.evidence_end,
    r.doc_id,
    d.relpath,
    d.url
FROM filtered_plans AS fp
JOIN responsibilities AS r ON r.plan_id = fp.plan_id
JOIN documents AS d ON d.doc_id = r.doc_id
LEFT JOIN codebook AS a ON a.category = 'agency' AND a.id = r.agency_id
LEFT JOIN (
    SELECT code, min(short_name) AS short_name
    FROM localities
    WHERE era = 'legacy' AND level = 'province'
    GROUP BY code
) AS loc ON loc.code = fp.province_code
CROSS JOIN (
    SELECT
        CAST(? AS VARCHAR) AS agency_id,
        CAST(? AS VARCHAR) AS role,
        CAST(? AS VARCHAR) AS issuer_level,
        CAST(? AS INTEGER) AS plan_year
) AS prm
WHERE (prm.agency_id IS NULL OR r.agency_id = prm.agency_id)
    AND (prm.role IS NULL OR r.role = prm.role)
    AND (prm.issuer_level IS NULL OR coalesce(fp.issuer_level, 'unknown') = prm.issuer_level)
    AND (prm.plan_year IS NULL OR fp.plan_year = prm.plan_year)
ORDER BY locality_name NULLS LAST, fp.plan_year NULLS LAST, fp.plan_id, d.relpath,
    r.evidence_start, r.agency_id, r.role
"""


FILTERS = (
    Filters(),
    Filters(year_min=2021, year_max=2023),
    Filters(levels=("district", "commune")),
    Filters(themes=("one_stop_shop",)),
    Filters(themes=("one_stop_shop", "e_government"), channel_groups=("digital",)),
    Filters(channel_groups=("press", "broadcast")),
    Filters(themes=("not_a_theme",)),
    Filters(channel_groups=("other",)),
    Filters(kinds=("plan",), year_min=2022),
)


@pytest.fixture(scope="module")
def generated_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("fast_paths")
    docs = base / "docs"
    generate_corpus(N_DOCS, 11, docs)
    db = base / "generated.duckdb"
    summary = build_warehouse(docs, db, workers=1)
    assert summary.written and not summary.errors, summary.render()
    return db


@pytest.fixture(params=["generated", "demo"])
def db(request: pytest.FixtureRequest, generated_db: Path, demo_db: Path) -> Path:
    return generated_db if request.param == "generated" else demo_db


@pytest.fixture
def con(db: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    connection = queries.connect_readonly(db)
    yield connection
    connection.close()


def run(
    con: duckdb.DuckDBPyConnection, body: str, filters: Filters, *params: object, fragment: str = ""
) -> pd.DataFrame:
    sql = queries.compose(fragment or queries.filter_sql(), body.strip().rstrip(";"))
    cur = queries.warehouse_cursor(con)
    try:
        return cur.execute(sql, [*queries.filter_params(filters), *params]).df()
    finally:
        cur.close()


def same(left: pd.DataFrame, right: pd.DataFrame) -> bool:
    """Equal values, row by row (dtypes aside: a column of NULLs has no string dtype)."""
    if list(left.columns) != list(right.columns) or len(left) != len(right):
        return False
    a = left.reset_index(drop=True).astype(object)
    b = right.reset_index(drop=True).astype(object)
    return a.where(a.notna(), None).equals(b.where(b.notna(), None))


# --- the sidebar filters -------------------------------------------------------------------


@pytest.mark.parametrize("filters", FILTERS)
def test_filter_masks_select_the_plans_the_joins_select(
    con: duckdb.DuckDBPyConnection, filters: Filters
) -> None:
    body = "SELECT plan_id FROM filtered_plans ORDER BY plan_id"
    old = run(con, body, filters, fragment=OLD_FILTER)
    new = run(con, body, filters)
    assert list(new["plan_id"]) == list(old["plan_id"])


def test_every_facet_fits_its_mask(con: duckdb.DuckDBPyConnection) -> None:
    cur = queries.warehouse_cursor(con)
    rows = cur.execute("SELECT facet, count(*), max(bit) FROM filter_bits GROUP BY 1").fetchall()
    assert {facet for facet, _, _ in rows} == {"channel", "theme"}
    for _, n, top in rows:
        assert n == top + 1 <= 64


# --- search --------------------------------------------------------------------------------

NEEDLES = (
    "tuyen truyen",
    "TUYÊN   TRUYỀN",
    "tuyên truyền cải cách",
    "đài phát thanh",
    "duc trong",
    "34/KH-UBND",
    ".txt",
    "zalo",
    "kon tum",
    "  ",
    "",
    None,
    "zzqxw không có",
    "01'; DROP TABLE plans; --",
    "truyền\nthông",
    "a",
)


@pytest.mark.parametrize("needle", NEEDLES)
@pytest.mark.parametrize("limit", [3, 1000])
def test_search_finds_what_folding_every_text_found(
    con: duckdb.DuckDBPyConnection, needle: str | None, limit: int
) -> None:
    for filters in FILTERS[:4]:
        old = run(con, OLD_SEARCH, filters, needle, limit)
        new = run(con, queries.query_sql("documents_search"), filters, needle, limit)
        assert same(new, old), (needle, filters)


def test_folding_keeps_positions(con: duckdb.DuckDBPyConnection) -> None:
    """The snippet is cut from the flattened text at the folded text's position."""
    cur = queries.warehouse_cursor(con)
    rows = cur.execute(
        "SELECT count(*), count(*) FILTER (WHERE length(s.text_folded) "
        "<> length(regexp_replace(d.text, '\\s+', ' ', 'g'))) "
        "FROM document_search AS s JOIN documents AS d USING (doc_id)"
    ).fetchone()
    n_docs = cur.execute("SELECT count(*) FROM documents").fetchone()
    assert rows == (n_docs[0], 0)


# --- the Responsibilities page's tasks -----------------------------------------------------

TASK_PICKS = (
    (None, None, None, None),
    ("home_affairs", "lead", None, None),
    (None, "coordinate", "district", None),
    (None, None, "unknown", None),
    (None, None, None, 2022),
)


@pytest.mark.parametrize("picks", TASK_PICKS)
def test_task_pages_tile_the_whole_list(
    con: duckdb.DuckDBPyConnection, picks: tuple[object, ...]
) -> None:
    body = queries.query_sql("responsibility_tasks")
    for filters in FILTERS[:4]:
        old = run(con, OLD_TASKS, filters, *picks)
        whole = run(con, body, filters, *picks, 1_000_000, 0)
        assert same(whole.drop(columns="n_total"), old)
        assert set(whole["n_total"]) <= {len(old)}
        pages = [run(con, body, filters, *picks, 7, offset) for offset in range(0, len(old), 7)]
        assert all(set(page["n_total"]) == {len(old)} for page in pages)
        tiled = pd.concat([whole.head(0), *pages]) if pages else whole.head(0)
        assert same(tiled.drop(columns="n_total"), old)
        assert run(con, body, filters, *picks, 7, len(old)).empty


# --- the plans behind a chart selection ----------------------------------------------------

PLAN_LISTS: dict[str, tuple[tuple[object, ...], ...]] = {
    "plans_for_channel": (
        ("channel", "web_portal", None, None),
        ("group", "digital", None, None),
        ("group", "press", None, 2022),
    ),
    "plans_for_theme": (
        ("theme", "one_stop_shop", None, None),
        ("group", "reform_area", None, None),
        ("group", "other", None, None),
    ),
    "plans_for_platform": (("facebook",), ("zalo",)),
    "plans_for_reform_coverage": ((0,), (1,), (2,), (3,)),
    "plans_for_responsibility": ((None, None, None, None), ("home_affairs", "lead", None, None)),
}


def plan_facts_columns(con: duckdb.DuckDBPyConnection) -> list[str]:
    cur = queries.warehouse_cursor(con)
    try:
        return list(cur.execute("SELECT * FROM plan_facts LIMIT 0").df().columns)
    finally:
        cur.close()


LIMIT = re.compile(r"\bLIMIT 500\b")


@pytest.mark.parametrize("name", sorted(PLAN_LISTS))
def test_plan_lists_are_the_first_plans_in_date_order(
    con: duckdb.DuckDBPyConnection, name: str
) -> None:
    body = queries.query_sql(name)
    assert len(LIMIT.findall(body)) == 1, name
    whole_body, short_body = LIMIT.sub("LIMIT 1000000", body), LIMIT.sub("LIMIT 3", body)
    for params in PLAN_LISTS[name]:
        for filters in FILTERS[:4]:
            whole = run(con, whole_body, filters, *params)
            short = run(con, short_body, filters, *params)
            in_order = whole.sort_values(
                ["issue_date", "plan_year", "plan_id"], na_position="last", kind="stable"
            )
            assert list(whole["plan_id"]) == list(in_order["plan_id"])
            assert set(whole.columns) == {*plan_facts_columns(con), "n_total"}
            assert set(whole["n_total"]) <= {len(whole)}
            assert set(short["n_total"]) <= {len(whole)}
            assert list(short["plan_id"]) == list(whole["plan_id"].head(3))


# --- the Overview page's lists ------------------------------------------------------------

# List name -> (its parameter sets, the order of the whole list: columns, descending?).
ROW_LISTS: dict[str, tuple[tuple[tuple[object, ...], ...], list[str], list[bool]]] = {
    "plans_list": (
        ((None, None, None), ("province", None, None), (None, None, 2022), ("unknown", None, None)),
        ["plan_year", "province_name", "plan_number", "plan_id"],
        [True, False, False, False],
    ),
    "quality_undated": (((),), ["plan_year", "plan_id"], [True, False]),
    "quality_unresolved": (((),), ["plan_year", "plan_id"], [True, False]),
}
ROW_LIMIT = re.compile(r"\bLIMIT 1000\b")


@pytest.mark.parametrize("name", sorted(ROW_LISTS))
def test_overview_lists_are_the_first_rows_of_the_whole_list(
    con: duckdb.DuckDBPyConnection, name: str
) -> None:
    from dashboard import components

    body = queries.query_sql(name)
    assert ROW_LIMIT.findall(body) == [f"LIMIT {components.TABLE_ROWS}"], name
    whole_body, short_body = ROW_LIMIT.sub("LIMIT 1000000", body), ROW_LIMIT.sub("LIMIT 3", body)
    param_sets, order, descending = ROW_LISTS[name]
    for params in param_sets:
        for filters in FILTERS[:4]:
            whole = run(con, whole_body, filters, *params)
            short = run(con, short_body, filters, *params)
            in_order = whole.sort_values(
                order,
                ascending=[not d for d in descending],
                na_position="last",
                kind="stable",
            )
            assert list(whole["plan_id"]) == list(in_order["plan_id"])
            assert set(whole.columns) == {*plan_facts_columns(con), "n_total"}
            assert set(whole["n_total"]) <= {len(whole)}
            assert set(short["n_total"]) <= {len(whole)}
            assert list(short["plan_id"]) == list(whole["plan_id"].head(3))


# --- the Downloads page's row counts -------------------------------------------------------


@pytest.mark.parametrize("filters", FILTERS[:4])
def test_export_counts_are_the_lengths_of_the_files(
    db: Path, use_db: Callable[[Path], None], filters: Filters
) -> None:
    use_db(db)
    counts = queries.load("export_counts", filters).iloc[0]
    assert set(counts.index) == {spec.stem for spec in exports.EXPORTS}
    for spec in exports.EXPORTS:
        frame = exports.export_table(spec, filters if spec.filtered else Filters())
        assert int(counts[spec.stem]) == len(frame), spec.stem


# --- pages ---------------------------------------------------------------------------------


def _plans_behind_script() -> None:
    import pandas as pd

    from dashboard import components

    def plans(n: int, total: int, start: int = 0) -> pd.DataFrame:
        return pd.DataFrame(
            {
                "plan_id": [f"p{i}" for i in range(start, start + n)],
                "plan_year": [2020] * n,
                "plan_number": [f"{i}/KH" for i in range(start, start + n)],
                "n_total": [total] * n,
            }
        )

    point = {"customdata": ["a", "one bar"]}
    other = {"customdata": ["b", "another bar"]}
    components.plans_behind([point], ("key",), lambda k: plans(3, 3), key="complete")
    components.plans_behind([point], ("key",), lambda k: plans(4, 1234), key="capped")
    components.plans_behind(
        [point, other],
        ("key",),
        lambda k: plans(4, 99, 0 if k["key"] == "a" else 2),
        key="capped_each",
    )


def test_plans_behind_says_when_plans_are_left_out() -> None:
    at = AppTest.from_function(_plans_behind_script).run()
    assert not at.exception
    assert [len(table.value) for table in at.dataframe] == [3, 4, 6]
    captions = [str(c.value) for c in at.caption]
    assert captions == [
        translate("paging.first_plans", "vi", shown="4", n="1.234"),
        translate("paging.first_plans_each", "vi", shown="6"),
    ]


def test_responsibilities_page_reads_its_tasks_page_by_page(
    generated_db: Path, open_page: Callable[..., AppTest]
) -> None:
    with duckdb.connect(str(generated_db), read_only=True) as connection:
        (n_tasks,) = connection.execute(
            "SELECT count(*) FROM responsibilities JOIN documents USING (doc_id)"
        ).fetchone()
    assert n_tasks > 200  # more than one page
    at = open_page(generated_db, "responsibilities")
    assert not at.exception
    table = at.dataframe[-1]
    assert len(table.value) == 200
    page = at.number_input(key="resp_tasks_page")
    assert page.value == 1 and page.max == -(-n_tasks // 200)
    texts = [str(c.value) for c in at.caption]
    assert (
        translate("paging.rows", "vi", first="1", last="200", n=number_in(n_tasks, "vi")) in texts
    )
    at = page.set_value(2).run()
    assert not at.exception
    assert len(at.dataframe[-1].value) == min(200, n_tasks - 200)
    texts = [str(c.value) for c in at.caption]
    last = number_in(min(400, n_tasks), "vi")
    assert (
        translate("paging.rows", "vi", first="201", last=last, n=number_in(n_tasks, "vi")) in texts
    )
    # a picker that leaves one page goes back to the first page
    at = at.selectbox(key="resp_pick_role").set_value("lead").run()
    assert not at.exception
    assert len(at.dataframe[-1].value) > 0
