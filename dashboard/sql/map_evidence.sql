-- The sentences behind a map metric in one province of an era: for the filtered plans of the
-- province (placed as in map_metric_plans.sql), every evidence sentence of the fact the metric
-- counts, with its source document.
--   category 'channel': mentions of the channel (level 'channel'), of a channel of the group
--                       (level 'group') or of any channel (level 'all');
--   category 'theme':   the same for themes (level 'theme' | 'group' | 'all');
--   category 'agency':  the clauses giving the agency (key) the role;
--   category 'plan':    where each plan's number and title were read (field_evidence; the
--                       rows' category is 'field').
-- The sentences are read from plan_evidence (every mention, clause and plan number or title
-- read, with its source), joined on source_no with the sources of the placed plans
-- (evidence_sources): sources are numbered by province, so DuckDB reads only the row groups
-- of plan_evidence that hold the province's sentences, and no fact table is scanned.
-- Order: plan year (newest first, unknown last), plan_id, relpath, evidence_start, fact_id,
-- evidence_end, category, role: plan_evidence.evidence_rank, that order computed at build
-- time over every sentence (rows equal on all of these are equal on every column).
-- Columns: plan_id, plan_number, plan_year, province_name, district_name, category, fact_id,
-- label_vi, label_en, role, evidence_text, evidence_start, evidence_end, doc_id, relpath, url.
-- Params: 1. era; 2. province code of that era; 3. category; 4. level; 5. key id (channel,
--         theme, group or agency id; NULL with level 'all' or category 'plan'); 6. role
--         (category 'agency'; NULL = any role).
-- The era and the code are compared where the plans are placed (not through prm), so that
-- with era 'legacy' the code reaches the plan_index scan as a filter.
WITH placed AS (
    SELECT
        fp.plan_no,
        fp.plan_id,
        fp.plan_number,
        fp.plan_year,
        fp.province_name,
        fp.district_name
    FROM filtered_plans AS fp
    LEFT JOIN locality_crosswalk AS cw ON cw.province_code = fp.province_code
    WHERE CASE WHEN CAST(? AS VARCHAR) = '2025'
            THEN coalesce(fp.province_code_2025, cw.province_code_2025)
            ELSE fp.province_code END = CAST(? AS VARCHAR)
),
prm AS (
    SELECT
        CAST(? AS VARCHAR) AS category,
        CAST(? AS VARCHAR) AS level,
        CAST(? AS VARCHAR) AS key_id,
        CAST(? AS VARCHAR) AS role
),
sources AS (
    SELECT s.source_no, s.plan_no, s.doc_id, s.relpath, s.url
    FROM evidence_sources AS s
    WHERE s.plan_no IN (SELECT plan_no FROM placed)
),
facts AS (
    SELECT
        s.plan_no, fe.category, fe.fact_id, cb.label_vi, cb.label_en, fe.role,
        fe.evidence_text, fe.evidence_start, fe.evidence_end, s.doc_id, s.relpath, s.url,
        fe.evidence_rank
    FROM plan_evidence AS fe
    JOIN sources AS s ON s.source_no = fe.source_no
    CROSS JOIN prm
    LEFT JOIN codebook AS cb ON cb.category = fe.category AND cb.id = fe.fact_id
    WHERE fe.category = CASE WHEN prm.category = 'plan' THEN 'field' ELSE prm.category END
        AND (
            fe.category = 'field'
            OR prm.level = 'all'
            OR (prm.level = 'group' AND coalesce(cb.group_id, 'other') = prm.key_id)
            OR (prm.level NOT IN ('all', 'group') AND fe.fact_id = prm.key_id)
        )
        AND (fe.category <> 'agency' OR prm.role IS NULL OR fe.role = prm.role)
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
JOIN facts AS f ON f.plan_no = p.plan_no
ORDER BY f.evidence_rank
