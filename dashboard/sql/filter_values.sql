-- Allowed values of the sidebar filters (run unfiltered with load_raw): one row per value.
-- field: year | region | level | province | group | theme | kind; value is text; labels are
-- NULL where the dashboard's own vocabulary (i18n.yaml) names the value.
WITH years AS (
    SELECT DISTINCT plan_year FROM plans WHERE plan_year IS NOT NULL
),
regions AS (
    SELECT region_id, min(region_vi) AS label_vi, min(region_en) AS label_en,
        min(code) AS first_code
    FROM localities
    WHERE era = 'legacy' AND level = 'province' AND region_id IS NOT NULL
    GROUP BY region_id
),
provinces AS (
    SELECT code, min(name) AS label_vi, min(name_en) AS label_en,
        min(strip_accents(replace(replace(short_name, 'đ', 'd'), 'Đ', 'D'))) AS sort_name
    FROM localities
    WHERE era = 'legacy' AND level = 'province'
    GROUP BY code
),
levels AS (
    SELECT level, min(ord) AS ord FROM (
        SELECT * FROM (VALUES ('province', 1), ('district', 2), ('commune', 3), ('department', 4))
            AS v (level, ord)
        UNION ALL
        SELECT DISTINCT issuer_level, 99 FROM plans WHERE issuer_level IS NOT NULL
    ) GROUP BY level
),
groups AS (
    SELECT group_id, min(group_vi) AS label_vi, min(group_en) AS label_en, min(rowid) AS ord
    FROM codebook
    WHERE category = 'channel' AND group_id IS NOT NULL
    GROUP BY group_id
),
themes AS (
    SELECT id, label_vi, label_en, rowid AS ord FROM codebook WHERE category = 'theme'
),
kinds AS (
    SELECT kind, min(ord) AS ord FROM (
        SELECT * FROM (VALUES ('plan', 1), ('report', 2), ('directive', 3), ('other', 4))
            AS v (kind, ord)
        UNION ALL
        SELECT DISTINCT kind, 99 FROM plans
    ) GROUP BY kind
)
SELECT field, value, label_vi, label_en
FROM (
    SELECT 'year' AS field, CAST(plan_year AS VARCHAR) AS value, NULL AS label_vi,
        NULL AS label_en, 1 AS field_ord, lpad(CAST(plan_year AS VARCHAR), 6, '0') AS sort_key
    FROM years
    UNION ALL
    SELECT 'region', region_id, label_vi, label_en, 2, first_code FROM regions
    UNION ALL
    SELECT 'level', level, NULL, NULL, 3, lpad(CAST(ord AS VARCHAR), 3, '0') || level FROM levels
    UNION ALL
    SELECT 'province', code, label_vi, label_en, 4, lower(sort_name) || code FROM provinces
    UNION ALL
    SELECT 'group', group_id, label_vi, label_en, 5, lpad(CAST(ord AS VARCHAR), 6, '0')
    FROM groups
    UNION ALL
    SELECT 'theme', id, label_vi, label_en, 6, lpad(CAST(ord AS VARCHAR), 6, '0') FROM themes
    UNION ALL
    SELECT 'kind', kind, NULL, NULL, 7, lpad(CAST(ord AS VARCHAR), 3, '0') || kind FROM kinds
)
ORDER BY field_ord, sort_key
