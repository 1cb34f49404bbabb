-- Map metric "share of plans addressing a theme (or a theme group)": for each province of an
-- era, how many of its filtered plans address the theme (a theme of the group) and what share.
-- Provinces are placed as in map_metric_plans.sql (2025: province_code_2025, else the
-- crosswalk of the legacy province); code '' = plans with no province in that era.
-- Columns: code, name_vi, name_en, n_plans, n_hits (plans addressing it), value (share 0..1),
-- legacy_codes.
-- Params: 1. era: 'legacy' | '2025'; 2. level: 'theme' | 'group'; 3. theme id or group id.
WITH prm AS (
    SELECT
        CAST(? AS VARCHAR) AS era,
        CAST(? AS VARCHAR) AS level,
        CAST(? AS VARCHAR) AS key_id
),
placed AS (
    SELECT
        fp.plan_id,
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
    SELECT DISTINCT pt.plan_id
    FROM plan_themes AS pt
    CROSS JOIN prm
    WHERE CASE WHEN prm.level = 'group' THEN coalesce(pt.group_id, 'other')
        ELSE pt.theme_id END = prm.key_id
)
SELECT
    p.code,
    min(loc.name) AS name_vi,
    min(loc.name_en) AS name_en,
    count(DISTINCT p.plan_id) AS n_plans,
    count(DISTINCT h.plan_id) AS n_hits,
    count(DISTINCT h.plan_id) / count(DISTINCT p.plan_id) AS value,
    string_agg(DISTINCT p.legacy_code, ',' ORDER BY p.legacy_code) AS legacy_codes
FROM placed AS p
CROSS JOIN prm
LEFT JOIN hits AS h ON h.plan_id = p.plan_id
LEFT JOIN localities AS loc
    ON loc.era = prm.era AND loc.level = 'province' AND loc.code = p.code
GROUP BY p.code
ORDER BY p.code
