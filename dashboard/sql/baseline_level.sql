-- What most plans of a level have: for each issuer level of the filtered plans (every
-- province) of the given years, how many plans of that level use each channel / address each
-- theme (codebook ids), of how many, and the share. Only ids at least one plan has.
-- Columns: issuer_level ('unknown' when not known), category ('channel' | 'theme'), key_id,
-- label_vi, label_en, n_plans, n_level_plans, share.
-- Params: 1. plan years INTEGER[] ([] = every year).
WITH prm AS (
    SELECT CAST(? AS INTEGER[]) AS years
),
base AS (
    SELECT fp.plan_id, coalesce(fp.issuer_level, 'unknown') AS issuer_level
    FROM filtered_plans AS fp
    CROSS JOIN prm
    WHERE len(prm.years) = 0 OR list_contains(prm.years, fp.plan_year)
),
totals AS (
    SELECT issuer_level, count(DISTINCT plan_id) AS n_level_plans FROM base GROUP BY 1
),
facts AS (
    SELECT plan_id, 'channel' AS category, channel_id AS key_id FROM plan_channels
    UNION ALL
    SELECT plan_id, 'theme', theme_id FROM plan_themes
),
used AS (
    SELECT b.issuer_level, f.category, f.key_id, count(DISTINCT b.plan_id) AS n_plans
    FROM base AS b
    JOIN facts AS f ON f.plan_id = b.plan_id
    GROUP BY 1, 2, 3
)
SELECT
    u.issuer_level,
    u.category,
    u.key_id,
    cb.label_vi,
    cb.label_en,
    u.n_plans,
    t.n_level_plans,
    u.n_plans / t.n_level_plans AS share
FROM used AS u
JOIN totals AS t ON t.issuer_level = u.issuer_level
LEFT JOIN codebook AS cb ON cb.category = u.category AND cb.id = u.key_id
ORDER BY u.issuer_level, u.category, share DESC, u.key_id
