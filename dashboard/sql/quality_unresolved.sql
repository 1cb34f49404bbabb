-- Filtered plans whose issuer could not be placed on the map (province_code IS NULL). At most
-- the first 1,000 (components.TABLE_ROWS), plan year newest first then plan_id; n_total: how
-- many there are (every row carries it).
-- Params: none.
WITH matched AS (
    SELECT fp.*
    FROM filtered_plans AS fp
    WHERE fp.province_code IS NULL
)
SELECT m.* EXCLUDE (plan_no, channel_mask, theme_mask, date_rank),
    (SELECT count(*) FROM matched) AS n_total
FROM matched AS m
ORDER BY m.plan_year DESC NULLS LAST, m.plan_id
LIMIT 1000
