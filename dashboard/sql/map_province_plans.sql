-- The filtered plans of one province of an era (every issuer level), for the panel beside
-- the map: every column of plan_facts plus code_era (the province code in that era).
-- Provinces are placed as in map_metric_plans.sql (2025: province_code_2025, else the
-- crosswalk of the legacy province).
-- Params: 1. era: 'legacy' | '2025'; 2. province code of that era.
WITH prm AS (
    SELECT CAST(? AS VARCHAR) AS era, CAST(? AS VARCHAR) AS code
)
SELECT
    fp.* EXCLUDE (plan_no, channel_mask, theme_mask, date_rank),
    CASE WHEN prm.era = '2025'
        THEN coalesce(fp.province_code_2025, cw.province_code_2025)
        ELSE fp.province_code END AS code_era
FROM filtered_plans AS fp
CROSS JOIN prm
LEFT JOIN locality_crosswalk AS cw ON cw.province_code = fp.province_code
WHERE CASE WHEN prm.era = '2025'
        THEN coalesce(fp.province_code_2025, cw.province_code_2025)
        ELSE fp.province_code END = prm.code
ORDER BY fp.plan_year DESC NULLS LAST, fp.issue_date DESC NULLS LAST, fp.plan_id
