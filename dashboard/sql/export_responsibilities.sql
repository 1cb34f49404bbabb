-- Export: the responsibilities of the filtered plans (one row per assigning clause).
-- Params: none.
SELECT r.*
FROM responsibilities AS r
WHERE r.plan_id IN (SELECT plan_id FROM filtered_plans)
ORDER BY r.plan_id, r.doc_id, r.evidence_start, r.evidence_end, r.agency_id, r.role,
    r.agency_text, r.task
