-- Possible duplicate plans among the filtered plans: same province, plan number and year but
-- several plan ids (the issuer was written differently, so the sources were not merged).
-- The groups are found with a window count first, so that only their plans are aggregated.
-- Params: none.
WITH numbered AS (
    SELECT fp.province_code, fp.province_name, fp.plan_number, fp.plan_year, fp.issuer_name,
        count(*) OVER (PARTITION BY fp.province_code, fp.plan_number, fp.plan_year) AS n
    FROM filtered_plans AS fp
    WHERE fp.plan_number IS NOT NULL AND fp.province_code IS NOT NULL
)
SELECT
    province_code,
    min(province_name) AS province_name,
    plan_number,
    plan_year,
    count(*) AS n_plans,
    string_agg(DISTINCT issuer_name, '; ' ORDER BY issuer_name) AS issuers
FROM numbered
WHERE n > 1
GROUP BY province_code, plan_number, plan_year
ORDER BY plan_year DESC NULLS LAST, province_code, plan_number
