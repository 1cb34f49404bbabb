-- Documents of the filtered plans matching a search, diacritic- and case-insensitive
-- ("tuyen truyen" finds "tuyên truyền"; đ/Đ count as d): the words are looked for, as one
-- phrase, in the title, plan number, issuer, file path and cleaned text (whitespace runs
-- count as one space). snippet: the text around the first hit in the text.
-- Params: 1. search text ('' or NULL = every document), 2. max rows (INTEGER).
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
