-- Map metric "share of plans where an agency has a role" (the map asks for 'lead': the agency
-- leads): for each province of an era, how many of its filtered plans give the agency that
-- role and what share. Provinces are placed as in map_metric_plans.sql (2025:
-- province_code_2025, else the crosswalk of the legacy province); code '' = no province.
-- Columns: code, name_vi, name_en, n_plans, n_hits (plans giving the agency the role),
-- value (share 0..1), legacy_codes.
-- Params: 1. era: 'legacy' | '2025'; 2. agency id (codebook category 'agency');
--         3. role: 'lead' | 'coordinate' | 'implement'.
WITH prm AS (
    SELECT
        CAST(? AS VARCHAR) AS era,
        CAST(? AS VARCHAR) AS agency_id,
        CAST(? AS VARCHAR) AS role
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
),
hits AS (
    SELECT DISTINCT pr.plan_no
    FROM plan_responsibilities AS pr
    CROSS JOIN prm
    WHERE pr.agency_id = prm.agency_id AND CAST(pr.role AS VARCHAR) = prm.role
),
-- per province: the distinct plans, those giving the role and the legacy provinces; the
-- province's names are joined afterwards (one row per province, not per plan)
per_code AS (
    SELECT
        p.code,
        count(DISTINCT p.plan_no) AS n_plans,
        count(DISTINCT h.plan_no) AS n_hits,
        string_agg(DISTINCT p.legacy_code, ',' ORDER BY p.legacy_code) AS legacy_codes
    FROM placed AS p
    LEFT JOIN hits AS h ON h.plan_no = p.plan_no
    GROUP BY p.code
),
names AS (
    SELECT loc.code, min(loc.name) AS name_vi, min(loc.name_en) AS name_en
    FROM localities AS loc
    CROSS JOIN prm
    WHERE loc.era = prm.era AND loc.level = 'province'
    GROUP BY loc.code
)
SELECT
    c.code,
    n.name_vi,
    n.name_en,
    c.n_plans,
    c.n_hits,
    c.n_hits / c.n_plans AS value,
    c.legacy_codes
FROM per_code AS c
LEFT JOIN names AS n ON n.code = c.code
ORDER BY c.code
