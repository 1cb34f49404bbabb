-- How many of the six reform areas each filtered plan addresses: for k = 0 .. number of
-- reform areas in the codebook, the number of filtered plans addressing exactly k of them.
-- Params: none.
SELECT
    CAST(k.n_areas AS INTEGER) AS n_areas,
    CAST(a.n_area_ids AS INTEGER) AS n_area_ids,
    coalesce(c.n_plans, 0) AS n_plans,
    tot.n_plans_total,
    coalesce(c.n_plans, 0) / tot.n_plans_total AS share
FROM (
    SELECT count(*) AS n_area_ids
    FROM codebook
    WHERE category = 'theme' AND group_id = 'reform_area'
) AS a
CROSS JOIN (SELECT count(DISTINCT plan_id) AS n_plans_total FROM filtered_plans) AS tot
CROSS JOIN LATERAL (SELECT unnest(range(0, a.n_area_ids + 1)) AS n_areas) AS k
LEFT JOIN (
    SELECT per_plan.n_areas, count(*) AS n_plans
    FROM (
        SELECT
            fp.plan_id,
            count(DISTINCT CASE WHEN pt.group_id = 'reform_area' THEN pt.theme_id END)
                AS n_areas
        FROM filtered_plans AS fp
        LEFT JOIN plan_themes AS pt ON pt.plan_id = fp.plan_id
        GROUP BY fp.plan_id
    ) AS per_plan
    GROUP BY 1
) AS c ON c.n_areas = k.n_areas
WHERE tot.n_plans_total > 0
ORDER BY k.n_areas
