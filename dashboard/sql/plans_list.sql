-- Filtered plans behind a chart selection; every parameter may be NULL (= any). At most the
-- first 1,000 (components.TABLE_ROWS) in list order (plan year, newest first; province;
-- number; plan_id); n_total: how many plans match (every row carries it).
-- Params: 1. issuer level ('unknown' = not resolved), 2. region id ('unknown' = province not
-- known), 3. plan year (INTEGER).
WITH prm AS (
    SELECT CAST(? AS VARCHAR) AS level, CAST(? AS VARCHAR) AS region, CAST(? AS INTEGER) AS year
),
matched AS (
    SELECT fp.*
    FROM filtered_plans AS fp
    CROSS JOIN prm AS p
    WHERE (p.level IS NULL OR coalesce(fp.issuer_level, 'unknown') = p.level)
        AND (p.region IS NULL OR coalesce(fp.region_id, 'unknown') = p.region)
        AND (p.year IS NULL OR fp.plan_year = p.year)
)
SELECT m.* EXCLUDE (plan_no, channel_mask, theme_mask, date_rank),
    (SELECT count(*) FROM matched) AS n_total
FROM matched AS m
ORDER BY m.plan_year DESC NULLS LAST, m.province_name NULLS LAST, m.plan_number, m.plan_id
LIMIT 1000
