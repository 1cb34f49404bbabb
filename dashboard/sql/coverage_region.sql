-- Filtered plans per socio-economic region ('unknown' when the province is not known), with
-- the number of provinces that issued them. Regions ordered north to south.
-- Params: none.
SELECT
    coalesce(fp.region_id, 'unknown') AS region,
    min(fp.region_vi) AS region_vi,
    min(fp.region_en) AS region_en,
    count(*) AS n_plans,
    count(DISTINCT fp.province_code) AS n_provinces
FROM filtered_plans AS fp
GROUP BY 1
ORDER BY min(coalesce(fp.province_code, '99')), 1
