-- Export: the filtered plans, every column of plan_facts (not plan_index's internal ones).
-- Params: none.
SELECT fp.* EXCLUDE (plan_no, channel_mask, theme_mask, date_rank)
FROM filtered_plans AS fp
ORDER BY fp.plan_id
