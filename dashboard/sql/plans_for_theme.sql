-- The filtered plans behind a theme chart's bar, cell or point: plans addressing the theme
-- (or a theme of the group; 'other' = themes without a codebook group), optionally of one
-- province and one year, tested on the plan's theme mask. At most the first 500 in date order
-- (issue date, plan year, plan_id: plan_index.date_rank); n_total: how many plans match
-- (every row carries it).
-- Params: 1. level: 'theme' or 'group'; 2. the theme id or group id;
--         3. province_code ('' = unknown province; NULL = any);
--         4. plan_year (NULL = any).
WITH prm AS (
    SELECT
        CAST(? AS VARCHAR) AS level,
        CAST(? AS VARCHAR) AS key_id,
        CAST(? AS VARCHAR) AS province_code,
        CAST(? AS INTEGER) AS plan_year
),
key_mask AS (
    SELECT coalesce(bit_or(b.mask), CAST(0 AS UBIGINT)) AS mask
    FROM filter_bits AS b
    CROSS JOIN prm
    WHERE b.facet = 'theme'
        AND CASE WHEN prm.level = 'group' THEN coalesce(b.group_id, 'other')
            ELSE b.id END = prm.key_id
),
matched AS (
    SELECT fp.plan_no, fp.date_rank
    FROM filtered_plans AS fp
    CROSS JOIN prm
    CROSS JOIN key_mask AS k
    WHERE (fp.theme_mask & k.mask) <> 0
        AND (prm.province_code IS NULL OR coalesce(fp.province_code, '') = prm.province_code)
        AND (prm.plan_year IS NULL OR fp.plan_year = prm.plan_year)
),
shown AS (
    SELECT plan_no FROM matched ORDER BY date_rank LIMIT 500
)
SELECT pi.* EXCLUDE (plan_no, channel_mask, theme_mask, date_rank),
    (SELECT count(*) FROM matched) AS n_total
FROM plan_index AS pi
WHERE pi.plan_no IN (SELECT plan_no FROM shown)
ORDER BY pi.date_rank
