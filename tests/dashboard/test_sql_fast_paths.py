"""The fast paths of the dashboard's SQL give the same answers as the straightforward queries
they replaced (issue #5): the filter masks (plan_index) as the joins on plan_channels /
plan_themes, the search on the text folded at build time (document_search) as folding every
text at every search, the task table read one page at a time (responsibility_tasks) as the
whole list, the first plans of a selection (plans_for_*) as the head of the whole list, and
the row counts of the Downloads page (plan_row_counts) as the lengths of the files, and the
page queries rewritten for 100,000 documents (locality_plans, map_evidence,
plans_for_responsibility, quality_duplicate_plans) as their previous versions.

The reference queries below are the previous versions of _filtered_plans.sql,
documents_search.sql, responsibility_tasks.sql and of those page queries, run on a generated
corpus and the demo warehouse."""

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
    "plans_for_category": (
        ("channel", "channel", "web_portal", None, None),
        ("channel", "group", "digital", None, None),
        ("channel", "group", "press", None, 2022),
        ("theme", "theme", "one_stop_shop", None, None),
        ("theme", "group", "reform_area", None, None),
        ("theme", "group", "other", None, None),
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


# --- the page queries rewritten for 100,000 documents ---------------------------------------
# Their previous versions: locality_plans aggregated plan_channels / plan_themes (now read off
# the masks), map_evidence scanned the fact tables and plan_sources (now plan_evidence and
# evidence_sources), plans_for_responsibility took the distinct plans of plan_responsibilities
# (now plan_row_counts when no agency or role is picked), quality_duplicate_plans counted the
# groups with a window (now a count per hash of the key, then exact groups).

OLD_LOCALITY_PLANS = r"""
-- One province's filtered plans in order (issue date, else earliest publication date, else
-- the plan year), with the labels of their channels and themes.
-- Params: 1. province_code ('' = plans whose province is unknown).
WITH own AS (
    SELECT fp.*
    FROM filtered_plans AS fp
    WHERE coalesce(fp.province_code, '') = CAST(? AS VARCHAR)
),
channels AS (
    SELECT
        pc.plan_no,
        string_agg(pc.label_vi, '; ' ORDER BY pc.label_vi) AS channels_vi,
        string_agg(pc.label_en, '; ' ORDER BY pc.label_en) AS channels_en
    FROM plan_channels AS pc
    WHERE pc.plan_no IN (SELECT plan_no FROM own)
    GROUP BY pc.plan_no
),
themes AS (
    SELECT
        pt.plan_no,
        string_agg(pt.label_vi, '; ' ORDER BY pt.label_vi) AS themes_vi,
        string_agg(pt.label_en, '; ' ORDER BY pt.label_en) AS themes_en
    FROM plan_themes AS pt
    WHERE pt.plan_no IN (SELECT plan_no FROM own)
    GROUP BY pt.plan_no
)
SELECT
    fp.plan_id,
    fp.plan_number,
    fp.title,
    fp.kind,
    fp.issuer_name,
    coalesce(fp.issuer_level, 'unknown') AS issuer_level,
    coalesce(fp.province_code, '') AS province_code,
    coalesce(loc.short_name, fp.province_name) AS locality_name,
    fp.district_name,
    fp.issue_date,
    fp.published_date,
    fp.plan_year,
    coalesce(fp.issue_date, fp.published_date, make_date(fp.plan_year, 1, 1)) AS sort_date,
    CASE WHEN fp.issue_date IS NOT NULL THEN 'issue_date'
        WHEN fp.published_date IS NOT NULL THEN 'published_date'
        WHEN fp.plan_year IS NOT NULL THEN 'plan_year' END AS date_source,
    fp.n_sources,
    fp.n_channels,
    fp.n_themes,
    ch.channels_vi,
    ch.channels_en,
    th.themes_vi,
    th.themes_en
FROM own AS fp
LEFT JOIN channels AS ch ON ch.plan_no = fp.plan_no
LEFT JOIN themes AS th ON th.plan_no = fp.plan_no
LEFT JOIN (
    SELECT code, min(short_name) AS short_name
    FROM localities
    WHERE era = 'legacy' AND level = 'province'
    GROUP BY code
) AS loc ON loc.code = fp.province_code
ORDER BY sort_date NULLS LAST, fp.plan_number NULLS LAST, fp.plan_id
"""

OLD_MAP_EVIDENCE = r"""
-- The sentences behind a map metric in one province of an era: for the filtered plans of the
-- province (placed as in map_metric_plans.sql), every evidence sentence of the fact the metric
-- counts, with its source document.
--   category 'channel': mentions of the channel (level 'channel'), of a channel of the group
--                       (level 'group') or of any channel (level 'all');
--   category 'theme':   the same for themes (level 'theme' | 'group' | 'all');
--   category 'agency':  the clauses giving the agency (key) the role;
--   category 'plan':    where each plan's number and title were read (field_evidence).
-- The fact tables are read for the province's plans only (what fact_evidence holds, without
-- going through the view of every fact); a fact's document is its plan's source (plan_sources
-- holds the documents' relpath and url).
-- Columns: plan_id, plan_number, plan_year, province_name, district_name, category, fact_id,
-- label_vi, label_en, role, evidence_text, evidence_start, evidence_end, doc_id, relpath, url.
-- Params: 1. era; 2. province code of that era; 3. category; 4. level; 5. key id (channel,
--         theme, group or agency id; NULL with level 'all' or category 'plan'); 6. role
--         (category 'agency'; NULL = any role).
WITH prm AS (
    SELECT
        CAST(? AS VARCHAR) AS era,
        CAST(? AS VARCHAR) AS code,
        CAST(? AS VARCHAR) AS category,
        CAST(? AS VARCHAR) AS level,
        CAST(? AS VARCHAR) AS key_id,
        CAST(? AS VARCHAR) AS role
),
placed AS (
    SELECT fp.plan_id, fp.plan_number, fp.plan_year, fp.province_name, fp.district_name
    FROM filtered_plans AS fp
    CROSS JOIN prm
    LEFT JOIN locality_crosswalk AS cw ON cw.province_code = fp.province_code
    WHERE CASE WHEN prm.era = '2025'
            THEN coalesce(fp.province_code_2025, cw.province_code_2025)
            ELSE fp.province_code END = prm.code
),
mentions AS (
    SELECT 'channel' AS category, m.plan_id, m.doc_id, m.channel_id AS fact_id,
        CAST(NULL AS VARCHAR) AS role, m.evidence_start, m.evidence_end, m.evidence_text
    FROM channel_mentions AS m
    CROSS JOIN prm
    WHERE prm.category = 'channel' AND m.plan_id IN (SELECT plan_id FROM placed)
    UNION ALL
    SELECT 'theme', m.plan_id, m.doc_id, m.theme_id, NULL,
        m.evidence_start, m.evidence_end, m.evidence_text
    FROM theme_mentions AS m
    CROSS JOIN prm
    WHERE prm.category = 'theme' AND m.plan_id IN (SELECT plan_id FROM placed)
    UNION ALL
    SELECT 'agency', m.plan_id, m.doc_id, m.agency_id, CAST(m.role AS VARCHAR),
        m.evidence_start, m.evidence_end, m.evidence_text
    FROM responsibilities AS m
    CROSS JOIN prm
    WHERE prm.category = 'agency' AND m.plan_id IN (SELECT plan_id FROM placed)
),
facts AS (
    SELECT
        fe.plan_id, fe.category, fe.fact_id, cb.label_vi, cb.label_en, fe.role,
        fe.evidence_text, fe.evidence_start, fe.evidence_end, fe.doc_id, d.relpath, d.url
    FROM mentions AS fe
    CROSS JOIN prm
    JOIN (
        SELECT plan_id, doc_id, relpath, url
        FROM plan_sources
        WHERE plan_id IN (SELECT plan_id FROM placed)
    ) AS d ON d.plan_id = fe.plan_id AND d.doc_id = fe.doc_id
    LEFT JOIN codebook AS cb ON cb.category = fe.category AND cb.id = fe.fact_id
    WHERE (
            prm.level = 'all'
            OR (prm.level = 'group' AND coalesce(cb.group_id, 'other') = prm.key_id)
            OR (prm.level NOT IN ('all', 'group') AND fe.fact_id = prm.key_id)
        )
        AND (prm.category <> 'agency' OR prm.role IS NULL OR fe.role = prm.role)
    UNION ALL
    SELECT
        d.plan_id, 'field', f.field, NULL, NULL, NULL,
        f.evidence_text, f.evidence_start, f.evidence_end, d.doc_id, d.relpath, d.url
    FROM field_evidence AS f
    JOIN plan_sources AS d ON d.doc_id = f.doc_id
    CROSS JOIN prm
    WHERE prm.category = 'plan' AND f.field IN ('plan_number', 'title')
        AND d.plan_id IN (SELECT plan_id FROM placed)
)
SELECT
    p.plan_id,
    p.plan_number,
    p.plan_year,
    p.province_name,
    p.district_name,
    f.category,
    f.fact_id,
    f.label_vi,
    f.label_en,
    f.role,
    f.evidence_text,
    f.evidence_start,
    f.evidence_end,
    f.doc_id,
    f.relpath,
    f.url
FROM placed AS p
JOIN facts AS f ON f.plan_id = p.plan_id
ORDER BY p.plan_year DESC NULLS LAST, p.plan_id, f.relpath, f.evidence_start, f.fact_id,
    f.evidence_end, f.category, f.role
"""

OLD_PLANS_FOR_RESPONSIBILITY = r"""
-- The filtered plans behind a responsibilities chart's bar, cell or flow: plans that give an
-- agency a role, optionally only one issuer level ('unknown' = not known) and year. At most
-- the first 500 in date order (issue date, plan year, plan_id: plan_index.date_rank);
-- n_total: how many plans match (every row carries it).
-- Params: 1. agency_id (NULL = any); 2. role (NULL = any); 3. issuer_level (NULL = any);
--         4. plan_year (NULL = any).
WITH prm AS (
    SELECT
        CAST(? AS VARCHAR) AS agency_id,
        CAST(? AS VARCHAR) AS role,
        CAST(? AS VARCHAR) AS issuer_level,
        CAST(? AS INTEGER) AS plan_year
),
matched AS (
    SELECT fp.plan_no, fp.date_rank
    FROM filtered_plans AS fp
    CROSS JOIN prm
    WHERE fp.plan_no IN (
            SELECT pr.plan_no
            FROM plan_responsibilities AS pr
            CROSS JOIN prm
            WHERE (prm.agency_id IS NULL OR pr.agency_id = prm.agency_id)
                AND (prm.role IS NULL OR pr.role = prm.role)
        )
        AND (prm.issuer_level IS NULL OR coalesce(fp.issuer_level, 'unknown') = prm.issuer_level)
        AND (prm.plan_year IS NULL OR fp.plan_year = prm.plan_year)
),
shown AS (
    SELECT plan_no FROM matched ORDER BY date_rank LIMIT 500
)
SELECT pi.* EXCLUDE (plan_no, channel_mask, theme_mask, date_rank),
    (SELECT count(*) FROM matched) AS n_total
FROM plan_index AS pi
WHERE pi.plan_no IN (SELECT plan_no FROM shown)
ORDER BY pi.date_rank
"""

OLD_DUPLICATE_PLANS = r"""
-- Possible duplicate plans among the filtered plans: same province, plan number and year but
-- several plan ids (the issuer was written differently, so the sources were not merged).
-- The groups are found with a window count first, so that only their plans are aggregated.
-- Params: none.
WITH numbered AS (
    SELECT fp.province_code, fp.province_name, fp.plan_number, fp.plan_year, fp.issuer_name,
        count(*) OVER (PARTITION BY fp.province_code, fp.plan_number, fp.plan_year) AS n
    FROM filtered_plans AS fp
    WHERE fp.plan_number IS NOT NULL AND fp.province_code IS NOT NULL
)
SELECT
    province_code,
    min(province_name) AS province_name,
    plan_number,
    plan_year,
    count(*) AS n_plans,
    string_agg(DISTINCT issuer_name, '; ' ORDER BY issuer_name) AS issuers
FROM numbered
WHERE n > 1
GROUP BY province_code, plan_number, plan_year
ORDER BY plan_year DESC NULLS LAST, province_code, plan_number
"""


def province_codes(con: duckdb.DuckDBPyConnection, era: str) -> list[str]:
    """The codes of an era the most plans are placed in (at most three), '' and a code that
    no plan has."""
    cur = queries.warehouse_cursor(con)
    try:
        rows = cur.execute(
            "SELECT CASE WHEN ? = '2025' THEN coalesce(pi.province_code_2025, "
            "cw.province_code_2025) ELSE pi.province_code END AS code "
            "FROM plan_index AS pi "
            "LEFT JOIN locality_crosswalk AS cw ON cw.province_code = pi.province_code "
            "WHERE code IS NOT NULL GROUP BY code ORDER BY count(*) DESC, code LIMIT 3",
            [era],
        ).fetchall()
    finally:
        cur.close()
    return [code for (code,) in rows] + ["", "99"]


@pytest.mark.parametrize("filters", FILTERS[:4])
def test_locality_plans_as_before(con: duckdb.DuckDBPyConnection, filters: Filters) -> None:
    body = queries.query_sql("locality_plans")
    for code in province_codes(con, "legacy"):
        old = run(con, OLD_LOCALITY_PLANS, filters, code)
        new = run(con, body, filters, code)
        assert same(new, old), code


MAP_PICKS = (
    ("channel", "all", None, None),
    ("channel", "group", "digital", None),
    ("channel", "group", "other", None),
    ("channel", "channel", "web_portal", None),
    ("theme", "all", None, None),
    ("theme", "group", "reform_area", None),
    ("theme", "theme", "one_stop_shop", None),
    ("agency", "all", None, None),
    ("agency", "agency", "home_affairs", "lead"),
    ("agency", "group", "other", None),
    ("plan", "all", None, None),
    ("audience", "all", None, None),
)


@pytest.mark.parametrize("era", ["legacy", "2025"])
def test_map_evidence_as_before(con: duckdb.DuckDBPyConnection, era: str) -> None:
    body = queries.query_sql("map_evidence")
    for filters in (FILTERS[0], FILTERS[1], FILTERS[3]):
        for code in province_codes(con, era):
            for pick in MAP_PICKS:
                old = run(con, OLD_MAP_EVIDENCE, filters, era, code, *pick)
                new = run(con, body, filters, era, code, *pick)
                assert same(new, old), (era, code, pick, filters)


def test_plan_evidence_holds_every_sentence_once(con: duckdb.DuckDBPyConnection) -> None:
    cur = queries.warehouse_cursor(con)
    try:
        got = dict(
            cur.execute("SELECT category, count(*) FROM plan_evidence GROUP BY 1").fetchall()
        )
        want = dict(
            cur.execute(
                "SELECT category, count(*) FROM ("
                "SELECT 'channel' AS category, plan_id, doc_id FROM channel_mentions "
                "UNION ALL SELECT 'theme', plan_id, doc_id FROM theme_mentions "
                "UNION ALL SELECT 'agency', plan_id, doc_id FROM responsibilities "
                "UNION ALL SELECT 'field', s.plan_id, f.doc_id FROM field_evidence AS f "
                "JOIN plan_sources AS s USING (doc_id) WHERE f.field IN ('plan_number', 'title')"
                ") AS f JOIN plan_sources AS s USING (plan_id, doc_id) GROUP BY 1"
            ).fetchall()
        )
        (n_sources,) = cur.execute(
            "SELECT count(*) = (SELECT count(*) FROM plan_sources) "
            "AND count(DISTINCT source_no) = count(*) FROM evidence_sources"
        ).fetchone()
    finally:
        cur.close()
    assert got == want and sum(got.values()) > 0
    assert n_sources


# the picks of the task table, and an agency in any role
RESPONSIBILITY_PICKS = (*TASK_PICKS, ("home_affairs", None, None, None))


@pytest.mark.parametrize("picks", RESPONSIBILITY_PICKS)
def test_plans_for_responsibility_as_before(
    con: duckdb.DuckDBPyConnection, picks: tuple[object, ...]
) -> None:
    body = queries.query_sql("plans_for_responsibility")
    for filters in FILTERS:
        assert same(
            run(con, body, filters, *picks), run(con, OLD_PLANS_FOR_RESPONSIBILITY, filters, *picks)
        )


def with_copies(fragment: str) -> str:
    """The filtered plans plus copies of some under another plan_id (the test corpora have no
    duplicate plans): every second plan once, with the same, another or no issuer name, and
    every fourth plan once more."""
    return f"""
WITH plans AS ({fragment})
SELECT * FROM plans
UNION ALL
SELECT * REPLACE (
    plan_id || '-b' AS plan_id,
    CASE plan_no % 6 WHEN 0 THEN NULL WHEN 2 THEN issuer_name ELSE issuer_name || ' B' END
        AS issuer_name
)
FROM plans
WHERE plan_no % 2 = 0
UNION ALL
SELECT * REPLACE (plan_id || '-c' AS plan_id, 'C ' || issuer_name AS issuer_name)
FROM plans
WHERE plan_no % 4 = 0
"""


@pytest.mark.parametrize("filters", FILTERS)
def test_duplicate_plans_as_before(con: duckdb.DuckDBPyConnection, filters: Filters) -> None:
    body = queries.query_sql("quality_duplicate_plans")
    assert same(run(con, body, filters), run(con, OLD_DUPLICATE_PLANS, filters))
    copies = with_copies(queries.filter_sql())
    new = run(con, body, filters, fragment=copies)
    assert same(new, run(con, OLD_DUPLICATE_PLANS, filters, fragment=copies))
    assert filters != Filters() or not new.empty  # the copies are duplicates


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
