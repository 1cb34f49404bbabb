-- Filtered plans per issuer level ('unknown' when not resolved), with their documents.
-- Params: none.
SELECT
    coalesce(fp.issuer_level, 'unknown') AS level,
    count(*) AS n_plans,
    sum(fp.n_sources) AS n_documents,
    count(DISTINCT fp.province_code) AS n_provinces
FROM filtered_plans AS fp
GROUP BY 1
ORDER BY CASE coalesce(fp.issuer_level, 'unknown')
    WHEN 'province' THEN 1 WHEN 'district' THEN 2 WHEN 'commune' THEN 3
    WHEN 'department' THEN 4 WHEN 'unknown' THEN 9 ELSE 5 END, 1
