-- One document with its cleaned text and its plan's place (run with load_raw).
-- Params: 1. doc_id.
SELECT
    d.*,
    p.plan_number AS plan_plan_number,
    p.title AS plan_title,
    p.plan_year AS plan_plan_year,
    p.n_sources,
    pf.province_name,
    pf.district_name
FROM documents AS d
JOIN plans AS p ON p.plan_id = d.plan_id
LEFT JOIN plan_facts AS pf ON pf.plan_id = d.plan_id
WHERE d.doc_id = CAST(? AS VARCHAR)
