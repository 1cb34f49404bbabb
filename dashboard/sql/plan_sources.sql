-- The sources of one plan (run with load_raw): every document reporting it.
-- Params: 1. plan_id.
SELECT s.doc_id, s.relpath, s.url, s.published_date, d.title, d.kind, d.synthetic
FROM plan_sources AS s
JOIN documents AS d ON d.doc_id = s.doc_id
WHERE s.plan_id = CAST(? AS VARCHAR)
ORDER BY s.published_date NULLS LAST, s.relpath
