-- How many of the six reform areas each filtered plan addresses: for k = 0 .. number of
-- reform areas in the codebook, the number of filtered plans addressing exactly k of them
-- (counted on the plans' theme masks: the bits of the reform-area themes it has).
-- Params: none.
WITH areas AS (
    SELECT count(*) AS n_area_ids, coalesce(bit_or(b.mask), CAST(0 AS UBIGINT)) AS mask
    FROM filter_bits AS b
    WHERE b.facet = 'theme' AND b.group_id = 'reform_area'
),
per_plan AS (
    SELECT bit_count(fp.theme_mask & a.mask) AS n_areas
    FROM filtered_plans AS fp
    CROSS JOIN areas AS a
)
SELECT
    CAST(k.n_areas AS INTEGER) AS n_areas,
    CAST(a.n_area_ids AS INTEGER) AS n_area_ids,
    coalesce(c.n_plans, 0) AS n_plans,
    tot.n_plans_total,
    coalesce(c.n_plans, 0) / tot.n_plans_total AS share
FROM areas AS a
CROSS JOIN (SELECT count(*) AS n_plans_total FROM per_plan) AS tot
CROSS JOIN LATERAL (SELECT unnest(range(0, a.n_area_ids + 1)) AS n_areas) AS k
LEFT JOIN (
    SELECT n_areas, count(*) AS n_plans FROM per_plan GROUP BY 1
) AS c ON c.n_areas = k.n_areas
WHERE tot.n_plans_total > 0
ORDER BY k.n_areas
