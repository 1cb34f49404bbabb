-- Export: the responsibilities of the filtered plans (one row per assigning clause): every column
-- of responsibilities, in the order plan_id, doc_id, evidence_start, evidence_end, agency_id, role,
-- agency_text, task. Read from responsibilities_export (etl/load/sql/views.sql): responsibilities
-- stored in that order, with the plan's plan_no and each row's position in the order (export_rank).
-- Params: none.
SELECT r.* EXCLUDE (plan_no, export_rank)
FROM responsibilities_export AS r
WHERE r.plan_no IN (SELECT plan_no FROM filtered_plans)
ORDER BY r.export_rank
