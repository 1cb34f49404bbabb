-- The tasks the filtered plans assign, one row per assigning clause, with its evidence
-- sentence, source file and locality; optionally only one agency, role, issuer level
-- ('unknown' = not known) and year. One page of them, in the order of the table
-- responsibility_tasks (locality, plan year, plan, file, position in the text): the matching
-- rows are found on the narrow columns, and only the rows of the page are read in full.
-- n_total: how many rows match (every row carries it).
-- Params: 1. agency_id (NULL = any); 2. role (NULL = any); 3. issuer_level (NULL = any);
--         4. plan_year (NULL = any); 5. max rows (INTEGER); 6. rows to skip (INTEGER).
WITH prm AS (
    SELECT
        CAST(? AS VARCHAR) AS agency_id,
        CAST(? AS VARCHAR) AS role,
        CAST(? AS VARCHAR) AS issuer_level,
        CAST(? AS INTEGER) AS plan_year
),
chosen_plans AS (
    SELECT fp.plan_no
    FROM filtered_plans AS fp
    CROSS JOIN prm
    WHERE (prm.issuer_level IS NULL OR coalesce(fp.issuer_level, 'unknown') = prm.issuer_level)
        AND (prm.plan_year IS NULL OR fp.plan_year = prm.plan_year)
),
hits AS (
    SELECT t.task_rank
    FROM responsibility_tasks AS t
    CROSS JOIN prm
    WHERE t.plan_no IN (SELECT plan_no FROM chosen_plans)
        AND (prm.agency_id IS NULL OR t.agency_id = prm.agency_id)
        AND (prm.role IS NULL OR t.role = prm.role)
),
page AS (
    SELECT task_rank
    FROM hits
    ORDER BY task_rank
    LIMIT CAST(? AS INTEGER) OFFSET CAST(? AS INTEGER)
)
SELECT
    t.plan_id,
    t.locality_name,
    pi.district_name,
    pi.issuer_name,
    pi.issuer_level,
    pi.plan_number,
    pi.plan_year,
    t.agency_id,
    t.agency_label_vi,
    t.agency_label_en,
    t.agency_text,
    t.role,
    t.task,
    t.evidence_text,
    t.evidence_start,
    t.evidence_end,
    t.doc_id,
    t.relpath,
    t.url,
    (SELECT count(*) FROM hits) AS n_total
FROM responsibility_tasks AS t
JOIN plan_index AS pi ON pi.plan_no = t.plan_no
WHERE t.task_rank IN (SELECT task_rank FROM page)
ORDER BY t.task_rank
