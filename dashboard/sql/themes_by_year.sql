-- Theme trends: every plan year of the filtered plans crossed with every theme of the
-- codebook (or theme group), with the number of that year's filtered plans addressing it
-- (0 when none) and their share. Plans whose year is unknown are left out.
-- Counted on the plans' theme masks (plan_index.theme_mask, filter_bits): no join. The
-- themes and groups are the shared CTE codebook_keys (_codebook_keys.sql).
-- Params: 1. level: 'theme' (codebook theme ids) or 'group' (theme groups).
WITH prm AS (
    SELECT CAST(? AS VARCHAR) AS level
),
keys AS (
    SELECT
        CASE WHEN prm.level = 'group' THEN coalesce(b.group_id, 'other') ELSE b.id END
            AS key_id,
        bit_or(b.mask) AS mask
    FROM filter_bits AS b
    CROSS JOIN prm
    WHERE b.facet = 'theme'
    GROUP BY 1
),
used AS (
    SELECT fp.plan_year, k.key_id, count(*) AS n_plans
    FROM filtered_plans AS fp
    JOIN keys AS k ON (fp.theme_mask & k.mask) <> 0
    WHERE fp.plan_year IS NOT NULL
    GROUP BY 1, 2
)
SELECT
    tot.plan_year,
    k.key_id,
    k.group_id,
    k.label_vi,
    k.label_en,
    coalesce(used.n_plans, 0) AS n_plans,
    tot.n_year_plans,
    coalesce(used.n_plans, 0) / tot.n_year_plans AS share
FROM prm
CROSS JOIN (
    SELECT plan_year, count(*) AS n_year_plans
    FROM filtered_plans
    WHERE plan_year IS NOT NULL
    GROUP BY 1
) AS tot
JOIN codebook_keys AS k ON k.facet = 'theme' AND k.level = prm.level
LEFT JOIN used ON used.key_id = k.key_id AND used.plan_year = tot.plan_year
ORDER BY tot.plan_year, k.key_id
