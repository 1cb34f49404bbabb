-- CCHC Atlas warehouse: the derived tables and views of the dashboard (executed after the
-- tables are filled). They are MATERIALISED here at build time (CREATE TABLE ... AS), so every
-- dashboard query reads precomputed rows instead of re-joining the fact tables; the build is
-- atomic, so they can never be stale. fact_evidence stays a view (it is large and rarely
-- read); plan_facts is the view of plan_index without its internal columns.
-- The per-plan tables have one row per plan and category id (the dashboard counts plans, not
-- sentences); n_evidence says how many sentences support it and n_documents in how many
-- sources they were found. plan_no (plan_index) is a dense INTEGER number of each plan, copied
-- into every table the dashboard joins with the filtered plans, so that it joins and counts
-- plans on an integer instead of the 16-character plan_id.
-- Every column is documented in etl/load/dictionary.yaml.

-- The bit of each channel and theme in the masks of plan_index: the ids of the codebook and
-- of the data, numbered in id order from 0 within each facet (at most 64 per facet: beyond,
-- the cast of the mask to UBIGINT fails the build), with their codebook group.
CREATE TABLE filter_bits AS
SELECT
    ids.facet,
    ids.id,
    c.group_id,
    CAST(ids.bit AS INTEGER) AS bit,
    CAST(CAST(1 AS UBIGINT) << ids.bit AS UBIGINT) AS mask
FROM (
    SELECT facet, id, row_number() OVER (PARTITION BY facet ORDER BY id) - 1 AS bit
    FROM (
        SELECT category AS facet, id FROM codebook WHERE category IN ('channel', 'theme')
        UNION
        SELECT 'channel', channel_id FROM channel_mentions
        UNION
        SELECT 'theme', theme_id FROM theme_mentions
    )
) AS ids
LEFT JOIN codebook AS c ON c.category = ids.facet AND c.id = ids.id
ORDER BY ids.facet, ids.bit;

-- Plans with their place: province names of both eras (crosswalk), district and region
-- (gazetteer era 'legacy' = the 63-province map the plans' codes belong to); and, for the
-- dashboard, plan_no, the masks of the plan's channels and themes (filter_bits), with which
-- the sidebar filters and the counts of plans per channel or theme test a plan with one AND
-- instead of joining plan_channels / plan_themes, and date_rank, the order of the plan lists
-- (issue date, plan year, plan_id).
CREATE TABLE plan_index AS
WITH province AS (
    SELECT province_code, min(province_name) AS province_name,
        min(province_code_2025) AS merged_into
    FROM locality_crosswalk
    GROUP BY province_code
),
province_2025 AS (
    SELECT province_code_2025, min(province_name_2025) AS province_name_2025
    FROM locality_crosswalk
    GROUP BY province_code_2025
),
legacy_province AS (
    SELECT code, min(region_id) AS region_id, min(region_vi) AS region_vi,
        min(region_en) AS region_en, bool_or(is_centrally_run_city) AS is_centrally_run_city
    FROM localities
    WHERE era = 'legacy' AND level = 'province'
    GROUP BY code
),
legacy_district AS (
    SELECT code, min(name) AS district_name
    FROM localities
    WHERE era = 'legacy' AND level = 'district'
    GROUP BY code
)
SELECT
    p.*,
    pr.province_name,
    p25.province_name_2025,
    d.district_name,
    lp.region_id,
    lp.region_vi,
    lp.region_en,
    lp.is_centrally_run_city,
    coalesce(ch.n, 0) AS n_channels,
    coalesce(th.n, 0) AS n_themes,
    coalesce(au.n, 0) AS n_audiences,
    CAST(row_number() OVER (ORDER BY p.plan_id) AS INTEGER) AS plan_no,
    coalesce(cm.mask, CAST(0 AS UBIGINT)) AS channel_mask,
    coalesce(tm.mask, CAST(0 AS UBIGINT)) AS theme_mask,
    CAST(row_number() OVER (
        ORDER BY p.issue_date NULLS LAST, p.plan_year NULLS LAST, p.plan_id
    ) AS INTEGER) AS date_rank
FROM plans AS p
LEFT JOIN province AS pr ON pr.province_code = p.province_code
LEFT JOIN province_2025 AS p25
    ON p25.province_code_2025 = coalesce(p.province_code_2025, pr.merged_into)
LEFT JOIN legacy_district AS d ON d.code = p.district_code
LEFT JOIN legacy_province AS lp ON lp.code = p.province_code
LEFT JOIN (
    SELECT plan_id, count(DISTINCT channel_id) AS n FROM channel_mentions GROUP BY plan_id
) AS ch ON ch.plan_id = p.plan_id
LEFT JOIN (
    SELECT plan_id, count(DISTINCT theme_id) AS n FROM theme_mentions GROUP BY plan_id
) AS th ON th.plan_id = p.plan_id
LEFT JOIN (
    SELECT plan_id, count(DISTINCT audience_id) AS n FROM audience_mentions GROUP BY plan_id
) AS au ON au.plan_id = p.plan_id
LEFT JOIN (
    SELECT m.plan_id, bit_or(b.mask) AS mask
    FROM channel_mentions AS m
    JOIN filter_bits AS b ON b.facet = 'channel' AND b.id = m.channel_id
    GROUP BY m.plan_id
) AS cm ON cm.plan_id = p.plan_id
LEFT JOIN (
    SELECT m.plan_id, bit_or(b.mask) AS mask
    FROM theme_mentions AS m
    JOIN filter_bits AS b ON b.facet = 'theme' AND b.id = m.theme_id
    GROUP BY m.plan_id
) AS tm ON tm.plan_id = p.plan_id
ORDER BY p.plan_id;

-- Plans with their place: every column of plan_index but its internal ones.
CREATE VIEW plan_facts AS
SELECT * EXCLUDE (plan_no, channel_mask, theme_mask, date_rank) FROM plan_index;

-- Channels each plan uses, with the codebook group (digital, broadcast, press, print, ...).
CREATE TABLE plan_channels AS
SELECT
    m.plan_id,
    m.channel_id,
    c.group_id,
    c.group_en,
    c.label_vi,
    c.label_en,
    count(*) AS n_evidence,
    count(DISTINCT m.doc_id) AS n_documents,
    pi.plan_no
FROM channel_mentions AS m
LEFT JOIN codebook AS c ON c.category = 'channel' AND c.id = m.channel_id
LEFT JOIN plan_index AS pi ON pi.plan_id = m.plan_id
GROUP BY m.plan_id, m.channel_id, c.group_id, c.group_en, c.label_vi, c.label_en, pi.plan_no
ORDER BY pi.plan_no, m.channel_id;

-- Themes each plan addresses, with the codebook group (reform_area, mechanism, framing).
CREATE TABLE plan_themes AS
SELECT
    m.plan_id,
    m.theme_id,
    c.group_id,
    c.group_en,
    c.label_vi,
    c.label_en,
    count(*) AS n_evidence,
    count(DISTINCT m.doc_id) AS n_documents,
    pi.plan_no
FROM theme_mentions AS m
LEFT JOIN codebook AS c ON c.category = 'theme' AND c.id = m.theme_id
LEFT JOIN plan_index AS pi ON pi.plan_id = m.plan_id
GROUP BY m.plan_id, m.theme_id, c.group_id, c.group_en, c.label_vi, c.label_en, pi.plan_no
ORDER BY pi.plan_no, m.theme_id;

-- Audiences each plan targets.
CREATE TABLE plan_audiences AS
SELECT
    m.plan_id,
    m.audience_id,
    c.group_id,
    c.group_en,
    c.label_vi,
    c.label_en,
    count(*) AS n_evidence,
    count(DISTINCT m.doc_id) AS n_documents,
    pi.plan_no
FROM audience_mentions AS m
LEFT JOIN codebook AS c ON c.category = 'audience' AND c.id = m.audience_id
LEFT JOIN plan_index AS pi ON pi.plan_id = m.plan_id
GROUP BY m.plan_id, m.audience_id, c.group_id, c.group_en, c.label_vi, c.label_en, pi.plan_no
ORDER BY pi.plan_no, m.audience_id;

-- Social-media platforms each plan names.
CREATE TABLE plan_platforms AS
SELECT
    m.plan_id,
    m.platform_id,
    c.group_id,
    c.group_en,
    c.label_vi,
    c.label_en,
    count(*) AS n_evidence,
    count(DISTINCT m.doc_id) AS n_documents,
    pi.plan_no
FROM platform_mentions AS m
LEFT JOIN codebook AS c ON c.category = 'platform' AND c.id = m.platform_id
LEFT JOIN plan_index AS pi ON pi.plan_id = m.plan_id
GROUP BY m.plan_id, m.platform_id, c.group_id, c.group_en, c.label_vi, c.label_en, pi.plan_no
ORDER BY pi.plan_no, m.platform_id;

-- Agencies each plan gives a role: one row per plan x agency x role.
CREATE TABLE plan_responsibilities AS
SELECT
    r.plan_id,
    r.agency_id,
    r.role,
    a.label_vi AS agency_label_vi,
    a.label_en AS agency_label_en,
    o.label_en AS role_label_en,
    string_agg(DISTINCT r.agency_text, '; ' ORDER BY r.agency_text) AS agency_texts,
    count(*) AS n_evidence,
    count(DISTINCT r.doc_id) AS n_documents,
    pi.plan_no
FROM responsibilities AS r
LEFT JOIN codebook AS a ON a.category = 'agency' AND a.id = r.agency_id
LEFT JOIN codebook AS o ON o.category = 'role' AND o.id = r.role
LEFT JOIN plan_index AS pi ON pi.plan_id = r.plan_id
GROUP BY r.plan_id, r.agency_id, r.role, a.label_vi, a.label_en, o.label_en, pi.plan_no
ORDER BY pi.plan_no, r.agency_id, r.role;

-- Every fact with its evidence and its source document, for "show me the sentence".
CREATE VIEW fact_evidence AS
WITH facts AS (
    SELECT 'channel' AS category, plan_id, doc_id, channel_id AS fact_id, NULL AS role,
        evidence_start, evidence_end, evidence_text
    FROM channel_mentions
    UNION ALL
    SELECT 'theme', plan_id, doc_id, theme_id, NULL, evidence_start, evidence_end, evidence_text
    FROM theme_mentions
    UNION ALL
    SELECT 'audience', plan_id, doc_id, audience_id, NULL,
        evidence_start, evidence_end, evidence_text
    FROM audience_mentions
    UNION ALL
    SELECT 'platform', plan_id, doc_id, platform_id, NULL,
        evidence_start, evidence_end, evidence_text
    FROM platform_mentions
    UNION ALL
    SELECT 'agency', plan_id, doc_id, agency_id, role, evidence_start, evidence_end, evidence_text
    FROM responsibilities
)
SELECT
    f.category,
    f.plan_id,
    f.doc_id,
    f.fact_id,
    CAST(f.role AS VARCHAR) AS role,
    f.evidence_start,
    f.evidence_end,
    f.evidence_text,
    d.relpath,
    d.url,
    d.title,
    d.published_date
FROM facts AS f
JOIN documents AS d USING (doc_id);

-- Plans and documents per province (63-province era) and year; NULL = not known.
CREATE TABLE locality_year AS
SELECT
    p.province_code,
    pr.province_name,
    p.plan_year,
    count(DISTINCT p.plan_id) AS n_plans,
    count(DISTINCT s.doc_id) AS n_documents
FROM plans AS p
LEFT JOIN plan_sources AS s ON s.plan_id = p.plan_id
LEFT JOIN (
    SELECT province_code, min(province_name) AS province_name
    FROM locality_crosswalk
    GROUP BY province_code
) AS pr ON pr.province_code = p.province_code
GROUP BY p.province_code, pr.province_name, p.plan_year;

-- The Documents page's search (dashboard/sql/documents_search.sql): each document of a plan,
-- in the order of the results (search_rank: newest first), with its text and its metadata
-- folded once here instead of at every search: whitespace runs -> one space, đ/Đ -> d/D,
-- accents stripped, lower case. The metadata is the title, both plan numbers, both issuer
-- names (the document's and its plan's) and the file path.
-- A search reads every folded text, so they are stored uncompressed (decompressing them would
-- cost more than the search itself; about 1 byte per character of text more on disk) and in
-- two tables of alternate documents (even and odd search_rank), which DuckDB scans in parallel:
-- it splits a scan by row groups of 122,880 rows, and 100,000 documents fit in one.
-- document_search is the view of both.
-- Folding the texts is most of this statement's time, and for the same reason one scan of
-- documents would fold them all on one thread: folded_texts reads the documents in two halves
-- (by rowid) joined by UNION ALL, whose branches DuckDB runs on two threads once it need not
-- keep the rows in insertion order (preserve_insertion_order, off for this statement only:
-- the table's order is search_rank, which the inserts below sort on).
-- Two macros, kept in the warehouse: dashboard/sql/documents_search.sql folds the search text
-- with search_fold and cuts its snippets from flat_text, so both sides of a search fold and
-- flatten the same way by construction (documented in dictionary.yaml, under macros).
-- flat_text is regexp_replace(text, '\s+', ' ', 'g') computed the cheap way where it gives the
-- same string: the extractor writes no tab, carriage return or form feed
-- (etl/text/repair.py), so only line breaks and runs of spaces are left to replace.
CREATE OR REPLACE MACRO flat_text(t) AS
    CASE WHEN regexp_matches(t, '[\t\r\f]') THEN regexp_replace(t, '\s+', ' ', 'g')
        ELSE regexp_replace(replace(t, chr(10), ' '), '  +', ' ', 'g')
        END;
CREATE OR REPLACE MACRO search_fold(t) AS
    lower(strip_accents(replace(replace(t, 'đ', 'd'), 'Đ', 'D')));
SET preserve_insertion_order = false;
CREATE TEMP TABLE document_search_all AS
WITH folded_texts AS MATERIALIZED (
    SELECT doc_id, search_fold(flat_text(text)) AS text_folded
    FROM documents
    WHERE rowid % 2 = 0
    UNION ALL
    SELECT doc_id, search_fold(flat_text(text)) AS text_folded
    FROM documents
    WHERE rowid % 2 = 1
),
docs AS (
    SELECT
        d.doc_id,
        d.relpath,
        pi.plan_no,
        coalesce(d.published_date, pi.issue_date) AS sort_date,
        concat_ws(' ', d.title, d.plan_number, pi.plan_number, d.issuer_name, pi.issuer_name,
            d.relpath) AS meta
    FROM documents AS d
    JOIN plan_index AS pi ON pi.plan_id = d.plan_id
)
SELECT
    CAST(row_number() OVER (ORDER BY d.sort_date DESC NULLS LAST, d.relpath, d.doc_id)
        AS INTEGER) AS search_rank,
    d.doc_id,
    d.plan_no,
    search_fold(flat_text(d.meta)) AS meta_folded,
    f.text_folded
FROM docs AS d
JOIN folded_texts AS f ON f.doc_id = d.doc_id;
RESET preserve_insertion_order;

CREATE TABLE document_search_0 (
    search_rank INTEGER NOT NULL,
    doc_id VARCHAR NOT NULL,
    plan_no INTEGER NOT NULL,
    meta_folded VARCHAR NOT NULL USING COMPRESSION uncompressed,
    text_folded VARCHAR NOT NULL USING COMPRESSION uncompressed
);
CREATE TABLE document_search_1 (
    search_rank INTEGER NOT NULL,
    doc_id VARCHAR NOT NULL,
    plan_no INTEGER NOT NULL,
    meta_folded VARCHAR NOT NULL USING COMPRESSION uncompressed,
    text_folded VARCHAR NOT NULL USING COMPRESSION uncompressed
);
INSERT INTO document_search_0
SELECT * FROM document_search_all WHERE search_rank % 2 = 0 ORDER BY search_rank;
INSERT INTO document_search_1
SELECT * FROM document_search_all WHERE search_rank % 2 = 1 ORDER BY search_rank;
DROP TABLE document_search_all;

CREATE VIEW document_search AS
SELECT * FROM document_search_0
UNION ALL
SELECT * FROM document_search_1;

-- The short name of each province of the 63-province era (localities era 'legacy'), by code:
-- the name that locality lists and charts show (else a plan's province_name). The one place of
-- this rule: the two tables below and the dashboard's queries (dashboard/sql) read it.
CREATE TABLE province_short_names AS
SELECT code, min(short_name) AS short_name
FROM localities
WHERE era = 'legacy' AND level = 'province'
GROUP BY code
ORDER BY code;

-- The Responsibilities page's task list (dashboard/sql/responsibility_tasks.sql): one row per
-- responsibilities row with what the page shows of it, in the page's order (task_rank:
-- locality, plan year, plan, file, position in the text).
CREATE TABLE responsibility_tasks AS
WITH tasks AS (
    SELECT
        pi.plan_no,
        r.plan_id,
        coalesce(loc.short_name, pi.province_name) AS locality_name,
        pi.plan_year,
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
    FROM responsibilities AS r
    JOIN plan_index AS pi ON pi.plan_id = r.plan_id
    JOIN documents AS d ON d.doc_id = r.doc_id
    LEFT JOIN codebook AS a ON a.category = 'agency' AND a.id = r.agency_id
    LEFT JOIN province_short_names AS loc ON loc.code = pi.province_code
)
SELECT
    CAST(row_number() OVER (
        ORDER BY locality_name NULLS LAST, plan_year NULLS LAST, plan_id, relpath,
            evidence_start, agency_id, role, evidence_end, agency_text, task
    ) AS INTEGER) AS task_rank,
    * EXCLUDE (plan_year)
FROM tasks
ORDER BY task_rank;

-- The Locality page's plan list (dashboard/sql/locality_plans.sql): each plan's row of the
-- list, computed here once instead of at every request, in the list's order (list_rank: sort
-- date = issue date, else earliest publication date, else 1 January of the plan year,
-- undated last; then plan number, unnumbered last; then plan_id). The labels of the plan's
-- channels and themes are read off its masks (plan_index, one bit per id of filter_bits):
-- each facet's labels in label order, kept where the mask has the label's bit, joined with
-- '; ' (NULL when the plan has none). Stored by province (province_code, '' = unknown) and
-- list_rank, so that one province's rows are neighbours.
CREATE TABLE locality_plan_list AS
WITH labels AS (
    SELECT
        list({'mask': b.mask, 'label': c.label_vi} ORDER BY c.label_vi)
            FILTER (WHERE b.facet = 'channel' AND c.label_vi IS NOT NULL) AS channels_vi,
        list({'mask': b.mask, 'label': c.label_en} ORDER BY c.label_en)
            FILTER (WHERE b.facet = 'channel' AND c.label_en IS NOT NULL) AS channels_en,
        list({'mask': b.mask, 'label': c.label_vi} ORDER BY c.label_vi)
            FILTER (WHERE b.facet = 'theme' AND c.label_vi IS NOT NULL) AS themes_vi,
        list({'mask': b.mask, 'label': c.label_en} ORDER BY c.label_en)
            FILTER (WHERE b.facet = 'theme' AND c.label_en IS NOT NULL) AS themes_en
    FROM filter_bits AS b
    JOIN codebook AS c ON c.category = b.facet AND c.id = b.id
),
with_labels AS (
    SELECT
        pi.*,
        list_transform(
            list_filter(lb.channels_vi, lambda x: (pi.channel_mask & x.mask) <> 0),
            lambda x: x.label
        ) AS ch_vi,
        list_transform(
            list_filter(lb.channels_en, lambda x: (pi.channel_mask & x.mask) <> 0),
            lambda x: x.label
        ) AS ch_en,
        list_transform(
            list_filter(lb.themes_vi, lambda x: (pi.theme_mask & x.mask) <> 0),
            lambda x: x.label
        ) AS th_vi,
        list_transform(
            list_filter(lb.themes_en, lambda x: (pi.theme_mask & x.mask) <> 0),
            lambda x: x.label
        ) AS th_en
    FROM plan_index AS pi
    CROSS JOIN labels AS lb
),
list_rows AS (
    SELECT
        p.plan_no,
        p.plan_id,
        p.plan_number,
        p.title,
        p.kind,
        p.issuer_name,
        coalesce(p.issuer_level, 'unknown') AS issuer_level,
        coalesce(p.province_code, '') AS province_code,
        coalesce(loc.short_name, p.province_name) AS locality_name,
        p.district_name,
        p.issue_date,
        p.published_date,
        p.plan_year,
        coalesce(p.issue_date, p.published_date, make_date(p.plan_year, 1, 1)) AS sort_date,
        CASE WHEN p.issue_date IS NOT NULL THEN 'issue_date'
            WHEN p.published_date IS NOT NULL THEN 'published_date'
            WHEN p.plan_year IS NOT NULL THEN 'plan_year' END AS date_source,
        p.n_sources,
        p.n_channels,
        p.n_themes,
        CASE WHEN len(p.ch_vi) > 0 THEN array_to_string(p.ch_vi, '; ') END AS channels_vi,
        CASE WHEN len(p.ch_en) > 0 THEN array_to_string(p.ch_en, '; ') END AS channels_en,
        CASE WHEN len(p.th_vi) > 0 THEN array_to_string(p.th_vi, '; ') END AS themes_vi,
        CASE WHEN len(p.th_en) > 0 THEN array_to_string(p.th_en, '; ') END AS themes_en
    FROM with_labels AS p
    LEFT JOIN province_short_names AS loc ON loc.code = p.province_code
)
SELECT
    CAST(row_number() OVER (
        ORDER BY sort_date NULLS LAST, plan_number NULLS LAST, plan_id
    ) AS INTEGER) AS list_rank,
    *
FROM list_rows
ORDER BY province_code, list_rank;

-- How many rows each plan has in the tables the Downloads page exports, so that the page can
-- say how many rows the files of the filtered plans hold without reading them
-- (dashboard/sql/export_counts.sql).
CREATE TABLE plan_row_counts AS
SELECT
    pi.plan_no,
    pi.plan_id,
    coalesce(d.n, 0) AS n_documents,
    coalesce(s.n, 0) AS n_plan_sources,
    coalesce(cm.n, 0) AS n_channel_mentions,
    coalesce(tm.n, 0) AS n_theme_mentions,
    coalesce(am.n, 0) AS n_audience_mentions,
    coalesce(pm.n, 0) AS n_platform_mentions,
    coalesce(r.n, 0) AS n_responsibilities
FROM plan_index AS pi
LEFT JOIN (SELECT plan_id, count(*) AS n FROM documents GROUP BY plan_id) AS d
    ON d.plan_id = pi.plan_id
LEFT JOIN (SELECT plan_id, count(*) AS n FROM plan_sources GROUP BY plan_id) AS s
    ON s.plan_id = pi.plan_id
LEFT JOIN (SELECT plan_id, count(*) AS n FROM channel_mentions GROUP BY plan_id) AS cm
    ON cm.plan_id = pi.plan_id
LEFT JOIN (SELECT plan_id, count(*) AS n FROM theme_mentions GROUP BY plan_id) AS tm
    ON tm.plan_id = pi.plan_id
LEFT JOIN (SELECT plan_id, count(*) AS n FROM audience_mentions GROUP BY plan_id) AS am
    ON am.plan_id = pi.plan_id
LEFT JOIN (SELECT plan_id, count(*) AS n FROM platform_mentions GROUP BY plan_id) AS pm
    ON pm.plan_id = pi.plan_id
LEFT JOIN (SELECT plan_id, count(*) AS n FROM responsibilities GROUP BY plan_id) AS r
    ON r.plan_id = pi.plan_id
ORDER BY pi.plan_no;

-- The Downloads page's files of mentions and responsibilities (dashboard/sql/export_*.sql):
-- each of these fact tables copied whole, with the plan's plan_no and each row's position in
-- the file's order (export_rank: plan_id, doc_id, evidence_start, evidence_end, the category
-- id, rule; for responsibilities agency_id, role, agency_text, task), stored in that order.
-- A file of the filtered plans then joins them on an integer and sorts up to a million rows
-- on one integer key they are already stored in, instead of on six text and number columns
-- (about half the time of the file). The files keep their ORDER BY: DuckDB keeps a table's
-- stored order through a WHERE, but does not promise it through the join with the filtered
-- plans.
CREATE TABLE channel_mentions_export AS
SELECT
    m.*,
    pi.plan_no,
    CAST(row_number() OVER (
        ORDER BY m.plan_id, m.doc_id, m.evidence_start, m.evidence_end, m.channel_id, m.rule
    ) AS INTEGER) AS export_rank
FROM channel_mentions AS m
LEFT JOIN plan_index AS pi ON pi.plan_id = m.plan_id
ORDER BY export_rank;

CREATE TABLE theme_mentions_export AS
SELECT
    m.*,
    pi.plan_no,
    CAST(row_number() OVER (
        ORDER BY m.plan_id, m.doc_id, m.evidence_start, m.evidence_end, m.theme_id, m.rule
    ) AS INTEGER) AS export_rank
FROM theme_mentions AS m
LEFT JOIN plan_index AS pi ON pi.plan_id = m.plan_id
ORDER BY export_rank;

CREATE TABLE audience_mentions_export AS
SELECT
    m.*,
    pi.plan_no,
    CAST(row_number() OVER (
        ORDER BY m.plan_id, m.doc_id, m.evidence_start, m.evidence_end, m.audience_id, m.rule
    ) AS INTEGER) AS export_rank
FROM audience_mentions AS m
LEFT JOIN plan_index AS pi ON pi.plan_id = m.plan_id
ORDER BY export_rank;

CREATE TABLE platform_mentions_export AS
SELECT
    m.*,
    pi.plan_no,
    CAST(row_number() OVER (
        ORDER BY m.plan_id, m.doc_id, m.evidence_start, m.evidence_end, m.platform_id, m.rule
    ) AS INTEGER) AS export_rank
FROM platform_mentions AS m
LEFT JOIN plan_index AS pi ON pi.plan_id = m.plan_id
ORDER BY export_rank;

CREATE TABLE responsibilities_export AS
SELECT
    m.*,
    pi.plan_no,
    CAST(row_number() OVER (
        ORDER BY m.plan_id, m.doc_id, m.evidence_start, m.evidence_end, m.agency_id, m.role,
            m.agency_text, m.task
    ) AS INTEGER) AS export_rank
FROM responsibilities AS m
LEFT JOIN plan_index AS pi ON pi.plan_id = m.plan_id
ORDER BY export_rank;

-- The Map page's evidence (dashboard/sql/map_evidence.sql): the sentences behind a metric in
-- one province, read without scanning every fact table. evidence_sources is plan_sources with
-- plan_no, numbered (source_no) by the plan's province as the map places it (era '2025': the
-- plan's province_code_2025, else its legacy province through locality_crosswalk; then the
-- legacy province_code), so that one province's sources have neighbouring numbers.
-- plan_evidence holds every channel and theme mention, responsibilities clause and plan number
-- or title read (field_evidence) with its source's source_no, in (category, source_no) order:
-- the sentences of one province's plans are a few row groups, which DuckDB reads alone when
-- it joins them on the source_no of the province's sources. Only the columns the page shows
-- are copied (not the documents' metadata of fact_evidence). evidence_rank is each sentence's
-- position in the page's order (plan year, newest first, unknown last; plan_id; the source's
-- relpath; evidence_start, fact_id, evidence_end, category, role), so that the page sorts its
-- rows on one integer.
CREATE TABLE evidence_sources AS
SELECT
    CAST(row_number() OVER (
        ORDER BY coalesce(pi.province_code_2025, cw.province_code_2025) NULLS LAST,
            pi.province_code NULLS LAST, pi.plan_no, s.doc_id
    ) AS INTEGER) AS source_no,
    pi.plan_no,
    s.doc_id,
    s.relpath,
    s.url
FROM plan_sources AS s
JOIN plan_index AS pi ON pi.plan_id = s.plan_id
LEFT JOIN locality_crosswalk AS cw ON cw.province_code = pi.province_code
ORDER BY source_no;

CREATE TABLE plan_evidence AS
WITH facts AS (
    SELECT 'channel' AS category, plan_id, doc_id, channel_id AS fact_id,
        CAST(NULL AS VARCHAR) AS role, evidence_start, evidence_end, evidence_text
    FROM channel_mentions
    UNION ALL
    SELECT 'theme', plan_id, doc_id, theme_id, NULL, evidence_start, evidence_end, evidence_text
    FROM theme_mentions
    UNION ALL
    SELECT 'agency', plan_id, doc_id, agency_id, role, evidence_start, evidence_end, evidence_text
    FROM responsibilities
),
evidence AS (
    SELECT f.category, s.source_no, f.fact_id, f.role, f.evidence_start, f.evidence_end,
        f.evidence_text
    FROM facts AS f
    JOIN plan_index AS pi ON pi.plan_id = f.plan_id
    JOIN evidence_sources AS s ON s.plan_no = pi.plan_no AND s.doc_id = f.doc_id
    UNION ALL
    SELECT 'field', s.source_no, f.field, NULL, f.evidence_start, f.evidence_end,
        f.evidence_text
    FROM field_evidence AS f
    JOIN evidence_sources AS s ON s.doc_id = f.doc_id
    WHERE f.field IN ('plan_number', 'title')
)
SELECT
    e.*,
    CAST(row_number() OVER (
        ORDER BY pi.plan_year DESC NULLS LAST, pi.plan_id NULLS LAST, s.relpath NULLS LAST,
            e.evidence_start NULLS LAST, e.fact_id NULLS LAST, e.evidence_end NULLS LAST,
            e.category NULLS LAST, e.role NULLS LAST
    ) AS INTEGER) AS evidence_rank
FROM evidence AS e
JOIN evidence_sources AS s ON s.source_no = e.source_no
JOIN plan_index AS pi ON pi.plan_no = s.plan_no
ORDER BY e.category, e.source_no, e.evidence_start, e.evidence_end, e.fact_id, e.role;
