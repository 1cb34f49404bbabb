-- Export: the filtered plans, every column of plan_facts. Params: none.
SELECT fp.* FROM filtered_plans AS fp ORDER BY fp.plan_id
