-- Coverage of the six reform areas (themes of group 'reform_area'): for each area, how many
-- filtered plans address it, of how many filtered plans, and the share.
-- Params: none.
SELECT
    k.theme_id,
    k.label_vi,
    k.label_en,
    coalesce(used.n_plans, 0) AS n_plans,
    tot.n_plans_total,
    coalesce(used.n_plans, 0) / tot.n_plans_total AS share
FROM (
    SELECT id AS theme_id, label_vi, label_en
    FROM codebook
    WHERE category = 'theme' AND group_id = 'reform_area'
) AS k
CROSS JOIN (SELECT count(*) AS n_plans_total FROM filtered_plans) AS tot
LEFT JOIN (
    SELECT b.id AS theme_id, count(*) AS n_plans
    FROM filtered_plans AS fp
    JOIN filter_bits AS b ON b.facet = 'theme' AND (fp.theme_mask & b.mask) <> 0
    GROUP BY 1
) AS used ON used.theme_id = k.theme_id
WHERE tot.n_plans_total > 0
ORDER BY k.theme_id
