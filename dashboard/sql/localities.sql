-- The provinces of the filtered plans (63-province era; '' = plans whose province is
-- unknown), for the locality picker: code, short name and number of filtered plans.
-- The plans per province are the shared CTE province_plans (_province_plans.sql).
-- Params: none.
SELECT province_code, locality_name, n_locality_plans AS n_plans
FROM province_plans
ORDER BY locality_name NULLS LAST, province_code
