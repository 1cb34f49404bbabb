-- Filtered plans per plan year and kind (undated plans are left out: see quality_undated).
-- Params: none.
SELECT fp.plan_year, fp.kind, count(*) AS n_plans
FROM filtered_plans AS fp
WHERE fp.plan_year IS NOT NULL
GROUP BY 1, 2
ORDER BY 1, 2
