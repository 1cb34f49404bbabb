-- The provinces of the filtered plans (63-province era; '' = plans whose province is
-- unknown), for the locality picker: code, short name and number of filtered plans.
-- Params: none.
SELECT
    coalesce(fp.province_code, '') AS province_code,
    min(coalesce(loc.short_name, fp.province_name)) AS locality_name,
    count(*) AS n_plans
FROM filtered_plans AS fp
LEFT JOIN (
    SELECT code, min(short_name) AS short_name
    FROM localities
    WHERE era = 'legacy' AND level = 'province'
    GROUP BY code
) AS loc ON loc.code = fp.province_code
GROUP BY 1
ORDER BY locality_name NULLS LAST, province_code
