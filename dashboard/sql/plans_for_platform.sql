-- The filtered plans that name a social platform.
-- Params: 1. platform_id.
SELECT fp.*
FROM filtered_plans AS fp
WHERE fp.plan_id IN (SELECT plan_id FROM plan_platforms WHERE platform_id = CAST(? AS VARCHAR))
ORDER BY fp.issue_date NULLS LAST, fp.plan_year NULLS LAST, fp.plan_id
