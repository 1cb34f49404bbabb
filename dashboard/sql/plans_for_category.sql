-- The filtered plans behind a channel or theme chart's bar, cell or point: plans using the
-- channel / addressing the theme (or one of the group's; 'other' = those without a codebook
-- group), optionally of one province and one year, tested on the plan's channel or theme
-- mask. At most the first 500 in date order (issue date, plan year, plan_id:
-- plan_index.date_rank); n_total: how many plans match (every row carries it).
-- Params: 1. facet: 'channel' or 'theme';
--         2. level: 'group' (a group id) or anything else (a channel or theme id);
--         3. the channel / theme id or group id;
--         4. province_code ('' = unknown province; NULL = any);
--         5. plan_year (NULL = any).
WITH prm AS (
    SELECT
        CAST(? AS VARCHAR) AS facet,
        CAST(? AS VARCHAR) AS level,
        CAST(? AS VARCHAR) AS key_id,
        CAST(? AS VARCHAR) AS province_code,
        CAST(? AS INTEGER) AS plan_year
),
key_mask AS (
    SELECT coalesce(bit_or(b.mask), CAST(0 AS UBIGINT)) AS mask
    FROM filter_bits AS b
    CROSS JOIN prm
    WHERE b.facet = prm.facet
        AND CASE WHEN prm.level = 'group' THEN coalesce(b.group_id, 'other')
            ELSE b.id END = prm.key_id
),
matched AS (
    SELECT fp.plan_no, fp.date_rank
    FROM filtered_plans AS fp
    CROSS JOIN prm
    CROSS JOIN key_mask AS k
    WHERE (CASE WHEN prm.facet = 'channel' THEN fp.channel_mask ELSE fp.theme_mask END
            & k.mask) <> 0
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
