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
