-- Adoption over the years: every plan year of the filtered plans crossed with every channel
-- or every theme of the codebook, with the number of that year's filtered plans that use the
-- channel / address the theme (0 when none) and their share of that year's plans.
-- Plans whose year is unknown are left out.
-- Params: 1. category: 'channel' or 'theme'.
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
FROM (SELECT CAST(? AS VARCHAR) AS category) AS prm
CROSS JOIN (
    SELECT plan_year, count(DISTINCT plan_id) AS n_year_plans
    FROM filtered_plans
    WHERE plan_year IS NOT NULL
    GROUP BY 1
) AS tot
JOIN (
    SELECT category, id AS key_id, coalesce(group_id, 'other') AS group_id, label_vi, label_en
    FROM codebook
    WHERE category IN ('channel', 'theme')
) AS k ON k.category = prm.category
LEFT JOIN (
    SELECT 'channel' AS category, fp.plan_year, pc.channel_id AS key_id,
        count(DISTINCT fp.plan_id) AS n_plans
    FROM filtered_plans AS fp
    JOIN plan_channels AS pc ON pc.plan_id = fp.plan_id
    WHERE fp.plan_year IS NOT NULL
    GROUP BY 2, 3
    UNION ALL
    SELECT 'theme', fp.plan_year, pt.theme_id, count(DISTINCT fp.plan_id)
    FROM filtered_plans AS fp
    JOIN plan_themes AS pt ON pt.plan_id = fp.plan_id
    WHERE fp.plan_year IS NOT NULL
    GROUP BY 2, 3
) AS used ON used.category = k.category
    AND used.key_id = k.key_id
    AND used.plan_year = tot.plan_year
ORDER BY tot.plan_year, k.key_id
