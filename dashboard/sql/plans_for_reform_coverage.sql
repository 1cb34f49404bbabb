-- The filtered plans that address exactly k of the six reform areas (themes of the codebook
-- group 'reform_area'), counted on the plan's theme mask. At most the first 500 in date order
-- (issue date, plan year, plan_id: plan_index.date_rank); n_total: how many plans match
-- (every row carries it).
-- Params: 1. k (number of reform areas).
WITH areas AS (
    SELECT coalesce(bit_or(b.mask), CAST(0 AS UBIGINT)) AS mask
    FROM filter_bits AS b
    WHERE b.facet = 'theme' AND b.group_id = 'reform_area'
),
matched AS (
    SELECT fp.plan_no, fp.date_rank
    FROM filtered_plans AS fp
    CROSS JOIN areas
    WHERE bit_count(fp.theme_mask & areas.mask) = CAST(? AS INTEGER)
),
shown AS (
    SELECT plan_no FROM matched ORDER BY date_rank LIMIT 500
)
SELECT pi.* EXCLUDE (plan_no, channel_mask, theme_mask, date_rank),
    (SELECT count(*) FROM matched) AS n_total
FROM plan_index AS pi
WHERE pi.plan_no IN (SELECT plan_no FROM shown)
ORDER BY pi.date_rank
