-- The things a comparison compares, with their plans. Mode 'loc': each chosen province
-- (63-province era; plans of every issuer level count in their province); mode 'year': each
-- plan year of the chosen province(s). Only filtered plans of the chosen provinces and, when
-- years are given, of those years.
-- Columns: entity (province code, or the year as text), province_code (the province; in mode
-- 'year' the first chosen one), name_vi, name_en (province short names), n_plans, year_first,
-- year_last, levels (issuer levels of its plans, comma-separated).
-- Params: 1. mode: 'loc' | 'year'; 2. province codes VARCHAR[]; 3. plan years INTEGER[]
--         ([] = every year).
WITH prm AS (
    SELECT
        CAST(? AS VARCHAR) AS mode,
        CAST(? AS VARCHAR[]) AS codes,
        CAST(? AS INTEGER[]) AS years
),
ent AS (
    SELECT
        fp.plan_no,
        fp.plan_year,
        fp.province_code,
        coalesce(fp.issuer_level, 'unknown') AS issuer_level,
        CASE WHEN prm.mode = 'year' THEN CAST(fp.plan_year AS VARCHAR)
            ELSE fp.province_code END AS entity
    FROM filtered_plans AS fp
    CROSS JOIN prm
    WHERE list_contains(prm.codes, fp.province_code)
        AND (len(prm.years) = 0 OR list_contains(prm.years, fp.plan_year))
        AND (prm.mode <> 'year' OR fp.plan_year IS NOT NULL)
),
names AS (
    SELECT code, min(short_name) AS name_vi, min(name_en) AS name_en
    FROM localities
    WHERE era = 'legacy' AND level = 'province'
    GROUP BY code
)
SELECT
    e.entity,
    min(e.province_code) AS province_code,
    min(n.name_vi) AS name_vi,
    min(n.name_en) AS name_en,
    count(DISTINCT e.plan_no) AS n_plans,
    min(e.plan_year) AS year_first,
    max(e.plan_year) AS year_last,
    string_agg(DISTINCT e.issuer_level, ',' ORDER BY e.issuer_level) AS levels
FROM ent AS e
LEFT JOIN names AS n ON n.code = e.province_code
GROUP BY e.entity
ORDER BY e.entity
