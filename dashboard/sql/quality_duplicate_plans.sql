-- Possible duplicate plans among the filtered plans: same province, plan number and year but
-- several plan ids (the issuer was written differently, so the sources were not merged).
-- The groups are found first, so that only their plans are aggregated: a count per hash of
-- (province, number, year) picks the candidate groups cheaply (integer keys; two groups that
-- share a hash are both kept), then the candidates' plans are grouped exactly.
-- Params: none.
WITH numbered AS (
    SELECT fp.province_code, fp.province_name, fp.plan_number, fp.plan_year, fp.issuer_name,
        hash(fp.province_code, fp.plan_number, fp.plan_year) AS key
    FROM filtered_plans AS fp
    WHERE fp.plan_number IS NOT NULL AND fp.province_code IS NOT NULL
),
candidates AS (
    SELECT key FROM numbered GROUP BY key HAVING count(*) > 1
)
SELECT
    n.province_code,
    min(n.province_name) AS province_name,
    n.plan_number,
    n.plan_year,
    count(*) AS n_plans,
    string_agg(DISTINCT n.issuer_name, '; ' ORDER BY n.issuer_name) AS issuers
FROM numbered AS n
SEMI JOIN candidates AS c ON c.key = n.key
GROUP BY n.province_code, n.plan_number, n.plan_year
HAVING count(*) > 1
ORDER BY n.plan_year DESC NULLS LAST, n.province_code, n.plan_number
