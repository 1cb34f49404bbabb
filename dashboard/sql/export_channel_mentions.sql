-- Export: the channel mentions of the filtered plans (one row per evidence span): every column of
-- channel_mentions, in the order plan_id, doc_id, evidence_start, evidence_end, channel_id, rule.
-- Read from channel_mentions_export (etl/load/sql/views.sql): channel_mentions stored in that
-- order, with the plan's plan_no and each row's position in the order (export_rank). Params: none.
SELECT m.* EXCLUDE (plan_no, export_rank)
FROM channel_mentions_export AS m
WHERE m.plan_no IN (SELECT plan_no FROM filtered_plans)
ORDER BY m.export_rank
