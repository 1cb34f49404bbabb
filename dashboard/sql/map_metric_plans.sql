-- Map metric "number of plans": for each province of an era, how many filtered plans it has.
-- Plans of every issuer level (province, department, district, commune) count in their
-- province. Era 'legacy' (63 provinces): the plan's province_code. Era '2025' (34 provinces):
-- the plan's province_code_2025, else its legacy province re-attributed through
-- locality_crosswalk. code '' = plans with no province in that era (not on the map).
-- Columns: code, name_vi, name_en (province names of the era), n_plans (plans in the
-- province), n_hits (plans counted by the metric: all of them), value (what the colour shows),
-- legacy_codes (the 63-province codes the plans come from, comma-separated).
-- Params: 1. era: 'legacy' | '2025'.
WITH prm AS (
    SELECT CAST(? AS VARCHAR) AS era
),
placed AS (
    SELECT
        fp.plan_no,
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
    count(DISTINCT p.plan_no) AS n_hits,
    CAST(count(DISTINCT p.plan_no) AS DOUBLE) AS value,
    string_agg(DISTINCT p.legacy_code, ',' ORDER BY p.legacy_code) AS legacy_codes
FROM placed AS p
CROSS JOIN prm
LEFT JOIN localities AS loc
    ON loc.era = prm.era AND loc.level = 'province' AND loc.code = p.code
GROUP BY p.code
ORDER BY p.code
