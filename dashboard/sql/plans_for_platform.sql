-- The filtered plans that name a social platform. At most the first 500 in date order (issue
-- date, plan year, plan_id: plan_index.date_rank); n_total: how many plans match (every row
-- carries it).
-- Params: 1. platform_id.
WITH matched AS (
    SELECT fp.plan_no, fp.date_rank
    FROM filtered_plans AS fp
    WHERE fp.plan_no IN (
        SELECT plan_no FROM plan_platforms WHERE platform_id = CAST(? AS VARCHAR)
    )
),
shown AS (
    SELECT plan_no FROM matched ORDER BY date_rank LIMIT 500
)
SELECT pi.* EXCLUDE (plan_no, channel_mask, theme_mask, date_rank),
    (SELECT count(*) FROM matched) AS n_total
FROM plan_index AS pi
WHERE pi.plan_no IN (SELECT plan_no FROM shown)
ORDER BY pi.date_rank
