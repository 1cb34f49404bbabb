-- The filtered plans per province (63-province era; province_code '' = plans whose province is
-- unknown): its short name (province_short_names, else the plans' province_name) and how many
-- filtered plans it has. One row per province_code.
-- Not a query of its own: dashboard/queries.py puts it in front of the files that name
-- province_plans, as `province_plans AS (...)`, after filtered_plans (run them with load()).
-- Columns: province_code, locality_name, n_locality_plans. No parameters.
SELECT
    coalesce(fp.province_code, '') AS province_code,
    min(coalesce(loc.short_name, fp.province_name)) AS locality_name,
    count(*) AS n_locality_plans
FROM filtered_plans AS fp
LEFT JOIN province_short_names AS loc ON loc.code = fp.province_code
GROUP BY 1
