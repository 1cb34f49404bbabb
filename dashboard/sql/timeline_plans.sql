-- The filtered plans with an issue date, for the Timeline page's dates chart drawn one point
-- per plan (the page loads this only when there are at most MAX_PLAN_POINTS of them; else it
-- draws timeline_binned.sql): issue date, earliest publication date, plan year, locality
-- (the province's short name) and issuer. At most the first `limit` plans in date order
-- (plan_index.date_rank: issue date, plan year, plan_id); n_undated: how many filtered plans
-- have no issue date (every row carries it).
-- Params: 1. limit: the most plans returned.
WITH shown AS (
    SELECT plan_no
    FROM filtered_plans
    WHERE issue_date IS NOT NULL
    ORDER BY date_rank
    LIMIT CAST(? AS BIGINT)
)
SELECT
    pi.plan_id,
    pi.plan_number,
    pi.title,
    pi.kind,
    pi.issuer_name,
    coalesce(pi.issuer_level, 'unknown') AS issuer_level,
    coalesce(pi.province_code, '') AS province_code,
    coalesce(loc.short_name, pi.province_name) AS locality_name,
    pi.issue_date,
    pi.published_date,
    pi.plan_year,
    pi.n_sources,
    pi.n_channels,
    pi.n_themes,
    (SELECT count(*) FROM filtered_plans WHERE issue_date IS NULL) AS n_undated
FROM plan_index AS pi
LEFT JOIN province_short_names AS loc ON loc.code = pi.province_code
WHERE pi.plan_no IN (SELECT plan_no FROM shown)
ORDER BY pi.date_rank
