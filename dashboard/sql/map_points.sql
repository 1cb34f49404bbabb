-- District- and commune-level filtered plans as points for the map layer: one row per place,
-- at the issuing district's position (the plan's district, else the district of its commune;
-- localities lat/lon of the 63-province era), else at the commune's own position (plans of
-- communes created in 2025, whose codes are of the 2025 era).
-- Columns: code (district code, 3 digits, or commune code, 5 digits), unit_level ('district'
-- | 'commune'), name (short name), name_en, lat, lon, province_code (the province of the era
-- the points are shown on; NULL when the plan has none in that era), n_plans.
-- Params: 1. era: 'legacy' | '2025' (only decides province_code).
WITH prm AS (
    SELECT CAST(? AS VARCHAR) AS era
),
district_plans AS (
    SELECT
        fp.plan_no,
        CASE WHEN prm.era = '2025'
            THEN coalesce(fp.province_code_2025, cw.province_code_2025)
            ELSE fp.province_code END AS province_code,
        coalesce(fp.district_code, lc.district_code) AS district_code,
        fp.commune_code,
        fp.province_code IS NULL AS commune_of_2025
    FROM filtered_plans AS fp
    CROSS JOIN prm
    LEFT JOIN locality_crosswalk AS cw ON cw.province_code = fp.province_code
    LEFT JOIN localities AS lc
        ON fp.province_code IS NOT NULL
        AND lc.era = 'legacy' AND lc.level = 'commune' AND lc.code = fp.commune_code
    WHERE fp.issuer_level IN ('district', 'commune')
),
placed AS (
    SELECT
        dp.plan_no,
        dp.province_code,
        CASE WHEN d.code IS NOT NULL THEN d.code ELSE c.code END AS code,
        CASE WHEN d.code IS NOT NULL THEN 'district' ELSE 'commune' END AS unit_level,
        CASE WHEN d.code IS NOT NULL THEN d.short_name ELSE c.short_name END AS name,
        CASE WHEN d.code IS NOT NULL THEN d.name_en ELSE c.name_en END AS name_en,
        CASE WHEN d.code IS NOT NULL THEN d.lat ELSE c.lat END AS lat,
        CASE WHEN d.code IS NOT NULL THEN d.lon ELSE c.lon END AS lon
    FROM district_plans AS dp
    LEFT JOIN localities AS d
        ON d.era = 'legacy' AND d.level = 'district' AND d.code = dp.district_code
    LEFT JOIN localities AS c
        ON c.level = 'commune' AND c.code = dp.commune_code
        AND c.era = CASE WHEN dp.commune_of_2025 THEN '2025' ELSE 'legacy' END
)
SELECT
    code,
    unit_level,
    min(name) AS name,
    min(name_en) AS name_en,
    min(lat) AS lat,
    min(lon) AS lon,
    min(province_code) AS province_code,
    count(DISTINCT plan_no) AS n_plans
FROM placed
WHERE code IS NOT NULL AND lat IS NOT NULL AND lon IS NOT NULL
GROUP BY code, unit_level
ORDER BY n_plans DESC, code
