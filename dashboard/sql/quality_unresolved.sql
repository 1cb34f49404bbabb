-- Filtered plans whose issuer could not be placed on the map (province_code IS NULL).
-- Params: none.
SELECT fp.* EXCLUDE (plan_no, channel_mask, theme_mask, date_rank)
FROM filtered_plans AS fp
WHERE fp.province_code IS NULL
ORDER BY fp.plan_year DESC NULLS LAST, fp.plan_id
