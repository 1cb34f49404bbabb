-- Filtered plans behind a chart selection; every parameter may be NULL (= any).
-- Params: 1. issuer level ('unknown' = not resolved), 2. region id ('unknown' = province not
-- known), 3. plan year (INTEGER).
SELECT fp.* EXCLUDE (plan_no, channel_mask, theme_mask, date_rank)
FROM filtered_plans AS fp
CROSS JOIN (
    SELECT CAST(? AS VARCHAR) AS level, CAST(? AS VARCHAR) AS region, CAST(? AS INTEGER) AS year
) AS p
WHERE (p.level IS NULL OR coalesce(fp.issuer_level, 'unknown') = p.level)
    AND (p.region IS NULL OR coalesce(fp.region_id, 'unknown') = p.region)
    AND (p.year IS NULL OR fp.plan_year = p.year)
ORDER BY fp.plan_year DESC NULLS LAST, fp.province_name NULLS LAST, fp.plan_number, fp.plan_id
