-- Export: the audience mentions of the filtered plans (one row per evidence span): every column of
-- audience_mentions, in the order plan_id, doc_id, evidence_start, evidence_end, audience_id, rule.
-- Read from audience_mentions_export (etl/load/sql/views.sql): audience_mentions stored in that
-- order, with the plan's plan_no and each row's position in the order (export_rank). Params: none.
SELECT m.* EXCLUDE (plan_no, export_rank)
FROM audience_mentions_export AS m
WHERE m.plan_no IN (SELECT plan_no FROM filtered_plans)
ORDER BY m.export_rank
