-- Export: the theme mentions of the filtered plans (one row per evidence span): every column of
-- theme_mentions, in the order plan_id, doc_id, evidence_start, evidence_end, theme_id, rule. Read
-- from theme_mentions_export (etl/load/sql/views.sql): theme_mentions stored in that order, with
-- the plan's plan_no and each row's position in the order (export_rank). Params: none.
SELECT m.* EXCLUDE (plan_no, export_rank)
FROM theme_mentions_export AS m
WHERE m.plan_no IN (SELECT plan_no FROM filtered_plans)
ORDER BY m.export_rank
