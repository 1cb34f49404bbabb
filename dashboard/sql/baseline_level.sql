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
    SELECT fp.plan_no, fp.channel_mask, fp.theme_mask,
        coalesce(fp.issuer_level, 'unknown') AS issuer_level
    FROM filtered_plans AS fp
    CROSS JOIN prm
    WHERE len(prm.years) = 0 OR list_contains(prm.years, fp.plan_year)
),
totals AS (
    SELECT issuer_level, count(*) AS n_level_plans FROM base GROUP BY 1
),
used AS (
    SELECT b.issuer_level, f.facet AS category, f.id AS key_id, count(*) AS n_plans
    FROM base AS b
    JOIN filter_bits AS f
        ON ((CASE WHEN f.facet = 'channel' THEN b.channel_mask ELSE b.theme_mask END)
            & f.mask) <> 0
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
