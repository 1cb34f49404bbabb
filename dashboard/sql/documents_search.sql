-- Documents of the filtered plans matching a search, diacritic- and case-insensitive
-- ("tuyen truyen" finds "tuyên truyền"; đ/Đ count as d): the words are looked for, as one
-- phrase, in the title, plan number, issuer, file path and cleaned text (whitespace runs
-- count as one space). snippet: the text around the first hit in the text.
-- The texts are folded at build time (document_search, in the order of the results); only the
-- search text is folded here, by the same macros (search_fold, flat_text: the warehouse keeps
-- them, see etl/load/sql/views.sql). The position of the first hit in the folded text cuts the
-- snippet from the flattened text (folding keeps positions in NFC text, which the extractor
-- writes); only the rows shown are read from documents, for their snippet, and
-- from plan_index (by plan_no), for their plan's columns.
-- n_total: how many documents match (every row carries it).
-- Params: 1. search text ('' or NULL = every document), 2. max rows (INTEGER).
WITH q AS (
    SELECT search_fold(flat_text(nfc_normalize(trim(coalesce(CAST(? AS VARCHAR), ''))))) AS needle
),
candidates AS (
    SELECT s.search_rank, s.meta_folded, s.text_folded
    FROM document_search AS s
    WHERE s.plan_no IN (SELECT plan_no FROM filtered_plans)
),
-- MATERIALIZED: the rows shown and n_total both read the hits; the texts are scanned once.
hits AS MATERIALIZED (
    SELECT c.search_rank
    FROM candidates AS c
    CROSS JOIN q
    WHERE q.needle = '' OR contains(c.meta_folded, q.needle) OR contains(c.text_folded, q.needle)
),
shown AS (
    SELECT search_rank
    FROM hits
    ORDER BY search_rank
    LIMIT CAST(? AS INTEGER)
),
flat AS (
    SELECT
        shown.search_rank,
        s.plan_no,
        CASE WHEN q.needle = '' THEN 0 ELSE instr(s.text_folded, q.needle) END AS text_pos,
        d.*,
        flat_text(d.text) AS flat_text
    FROM shown
    JOIN document_search AS s ON s.search_rank = shown.search_rank
    JOIN documents AS d ON d.doc_id = s.doc_id
    CROSS JOIN q
)
SELECT
    d.doc_id,
    d.relpath,
    d.title,
    d.kind,
    d.published_date,
    d.synthetic,
    d.plan_id,
    coalesce(d.plan_number, pi.plan_number) AS plan_number,
    pi.plan_year,
    pi.issue_date,
    pi.issuer_level,
    coalesce(d.issuer_name, pi.issuer_name) AS issuer_name,
    pi.province_code,
    pi.province_name,
    pi.district_name,
    CASE WHEN d.text_pos > 0 THEN
        substring(d.flat_text, greatest(d.text_pos - 80, 1), 80 + length(q.needle) + 120)
        END AS snippet,
    (SELECT count(*) FROM hits) AS n_total
FROM flat AS d
JOIN plan_index AS pi ON pi.plan_no = d.plan_no
CROSS JOIN q
ORDER BY d.search_rank
