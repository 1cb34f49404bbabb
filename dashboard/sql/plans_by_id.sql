-- One filtered plan by id (the plan behind a timeline point).
-- Params: 1. plan_id.
SELECT fp.* EXCLUDE (plan_no, channel_mask, theme_mask, date_rank)
FROM filtered_plans AS fp
WHERE fp.plan_id = CAST(? AS VARCHAR)
