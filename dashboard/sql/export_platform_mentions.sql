-- Export: the platform mentions of the filtered plans (one row per evidence span). Params: none.
SELECT m.*
FROM platform_mentions AS m
WHERE m.plan_id IN (SELECT plan_id FROM filtered_plans)
ORDER BY m.plan_id, m.doc_id, m.evidence_start, m.evidence_end, m.platform_id, m.rule
