-- Filtered plans without a plan year or without an issue date.
-- Params: none.
SELECT fp.* EXCLUDE (plan_no, channel_mask, theme_mask, date_rank)
FROM filtered_plans AS fp
WHERE fp.plan_year IS NULL OR fp.issue_date IS NULL
ORDER BY fp.plan_year DESC NULLS LAST, fp.plan_id
