-- Adoption over the years: every plan year of the filtered plans crossed with every channel
-- or every theme of the codebook, with the number of that year's filtered plans that use the
-- channel / address the theme (0 when none) and their share of that year's plans.
-- Plans whose year is unknown are left out.
-- Counted on the plans' channel or theme masks (plan_index, filter_bits): no join.
-- Params: 1. category: 'channel' or 'theme'.
WITH prm AS (
    SELECT CAST(? AS VARCHAR) AS category
),
used AS (
    SELECT fp.plan_year, b.id AS key_id, count(*) AS n_plans
    FROM filtered_plans AS fp
    CROSS JOIN prm
    JOIN filter_bits AS b
        ON b.facet = prm.category
        AND ((CASE WHEN prm.category = 'channel' THEN fp.channel_mask ELSE fp.theme_mask END)
            & b.mask) <> 0
    WHERE fp.plan_year IS NOT NULL
    GROUP BY 1, 2
)
SELECT
    tot.plan_year,
    k.category,
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
JOIN (
    SELECT category, id AS key_id, coalesce(group_id, 'other') AS group_id, label_vi, label_en
    FROM codebook
    WHERE category IN ('channel', 'theme')
) AS k ON k.category = prm.category
LEFT JOIN used ON used.key_id = k.key_id AND used.plan_year = tot.plan_year
ORDER BY tot.plan_year, k.key_id
