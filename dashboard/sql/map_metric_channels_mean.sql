-- Map metric "distinct channels per plan (mean)": for each province of an era, the mean
-- number of distinct channels its filtered plans use (plans naming no channel count as 0).
-- Provinces are placed as in map_metric_plans.sql (2025: province_code_2025, else the
-- crosswalk of the legacy province); code '' = plans with no province in that era.
-- Columns: code, name_vi, name_en, n_plans, n_hits (sum over the plans of their distinct
-- channels), value (n_hits / n_plans), legacy_codes.
-- Params: 1. era: 'legacy' | '2025'.
WITH prm AS (
    SELECT CAST(? AS VARCHAR) AS era
),
placed AS (
    SELECT
        fp.plan_no,
        fp.n_channels,
        fp.province_code AS legacy_code,
        coalesce(
            CASE WHEN prm.era = '2025'
                THEN coalesce(fp.province_code_2025, cw.province_code_2025)
                ELSE fp.province_code END,
            ''
        ) AS code
    FROM filtered_plans AS fp
    CROSS JOIN prm
    LEFT JOIN locality_crosswalk AS cw ON cw.province_code = fp.province_code
)
SELECT
    p.code,
    min(loc.name) AS name_vi,
    min(loc.name_en) AS name_en,
    count(DISTINCT p.plan_no) AS n_plans,
    CAST(sum(p.n_channels) AS BIGINT) AS n_hits,
    sum(p.n_channels) / count(DISTINCT p.plan_no) AS value,
    string_agg(DISTINCT p.legacy_code, ',' ORDER BY p.legacy_code) AS legacy_codes
FROM placed AS p
CROSS JOIN prm
LEFT JOIN localities AS loc
    ON loc.era = prm.era AND loc.level = 'province' AND loc.code = p.code
GROUP BY p.code
ORDER BY p.code
