-- The filtered plans behind a theme chart's bar, cell or point: plans addressing the theme
-- (or a theme of the group), optionally of one province and one year.
-- Params: 1. level: 'theme' or 'group'; 2. the theme id or group id;
--         3. province_code ('' = unknown province; NULL = any);
--         4. plan_year (NULL = any).
SELECT fp.*
FROM filtered_plans AS fp
CROSS JOIN (
    SELECT
        CAST(? AS VARCHAR) AS level,
        CAST(? AS VARCHAR) AS key_id,
        CAST(? AS VARCHAR) AS province_code,
        CAST(? AS INTEGER) AS plan_year
) AS prm
WHERE EXISTS (
        SELECT 1
        FROM plan_themes AS pt
        WHERE pt.plan_id = fp.plan_id
            AND CASE WHEN prm.level = 'group' THEN coalesce(pt.group_id, 'other')
                ELSE pt.theme_id END = prm.key_id
    )
    AND (prm.province_code IS NULL OR coalesce(fp.province_code, '') = prm.province_code)
    AND (prm.plan_year IS NULL OR fp.plan_year = prm.plan_year)
ORDER BY fp.issue_date NULLS LAST, fp.plan_year NULLS LAST, fp.plan_id
