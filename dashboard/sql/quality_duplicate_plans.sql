-- Possible duplicate plans among the filtered plans: same province, plan number and year but
-- several plan ids (the issuer was written differently, so the sources were not merged).
-- Params: none.
SELECT
    fp.province_code,
    min(fp.province_name) AS province_name,
    fp.plan_number,
    fp.plan_year,
    count(*) AS n_plans,
    string_agg(DISTINCT fp.issuer_name, '; ' ORDER BY fp.issuer_name) AS issuers
FROM filtered_plans AS fp
WHERE fp.plan_number IS NOT NULL AND fp.province_code IS NOT NULL
GROUP BY fp.province_code, fp.plan_number, fp.plan_year
HAVING count(*) > 1
ORDER BY fp.plan_year DESC NULLS LAST, fp.province_code, fp.plan_number
