-- Theme trends: every plan year of the filtered plans crossed with every theme of the
-- codebook (or theme group), with the number of that year's filtered plans addressing it
-- (0 when none) and their share. Plans whose year is unknown are left out.
-- Params: 1. level: 'theme' (codebook theme ids) or 'group' (theme groups).
SELECT
    tot.plan_year,
    k.key_id,
    k.group_id,
    k.label_vi,
    k.label_en,
    coalesce(used.n_plans, 0) AS n_plans,
    tot.n_year_plans,
    coalesce(used.n_plans, 0) / tot.n_year_plans AS share
FROM (SELECT CAST(? AS VARCHAR) AS level) AS prm
CROSS JOIN (
    SELECT plan_year, count(DISTINCT plan_id) AS n_year_plans
    FROM filtered_plans
    WHERE plan_year IS NOT NULL
    GROUP BY 1
) AS tot
JOIN (
    SELECT 'theme' AS level, id AS key_id, coalesce(group_id, 'other') AS group_id,
        label_vi, label_en
    FROM codebook
    WHERE category = 'theme'
    UNION ALL
    SELECT 'group', coalesce(group_id, 'other'), coalesce(group_id, 'other'),
        min(group_vi), min(group_en)
    FROM codebook
    WHERE category = 'theme'
    GROUP BY group_id
) AS k ON k.level = prm.level
LEFT JOIN (
    SELECT 'theme' AS level, fp.plan_year, pt.theme_id AS key_id,
        count(DISTINCT fp.plan_id) AS n_plans
    FROM filtered_plans AS fp
    JOIN plan_themes AS pt ON pt.plan_id = fp.plan_id
    WHERE fp.plan_year IS NOT NULL
    GROUP BY 2, 3
    UNION ALL
    SELECT 'group', fp.plan_year, coalesce(pt.group_id, 'other'), count(DISTINCT fp.plan_id)
    FROM filtered_plans AS fp
    JOIN plan_themes AS pt ON pt.plan_id = fp.plan_id
    WHERE fp.plan_year IS NOT NULL
    GROUP BY 2, 3
) AS used ON used.level = k.level
    AND used.key_id = k.key_id
    AND used.plan_year = tot.plan_year
ORDER BY tot.plan_year, k.key_id
