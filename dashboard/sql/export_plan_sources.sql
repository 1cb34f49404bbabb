-- Export: the sources of the filtered plans. Params: none.
SELECT s.*
FROM plan_sources AS s
WHERE s.plan_id IN (SELECT plan_id FROM filtered_plans)
ORDER BY s.plan_id, s.doc_id
