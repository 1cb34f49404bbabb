-- Export: the documents of the filtered plans, without their text. Params: none.
SELECT d.* EXCLUDE (text)
FROM documents AS d
WHERE d.plan_id IN (SELECT plan_id FROM filtered_plans)
ORDER BY d.doc_id
