-- Export: the filtered plans, every column of plan_facts (not plan_index's internal ones), in
-- plan_id order (plan_no is the plan's number in that order). Params: none.
SELECT fp.* EXCLUDE (plan_no, channel_mask, theme_mask, date_rank)
FROM filtered_plans AS fp
ORDER BY fp.plan_no
