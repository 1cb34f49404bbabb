-- The short name of each province of the 63-province era (localities era 'legacy'), by code:
-- the name the locality lists and charts show (else the plan's province_name).
-- Not a query of its own: dashboard/queries.py puts it in front of the files that name
-- province_short_names, as `province_short_names AS (...)` (see its module doc).
-- Columns: code, short_name. No parameters.
SELECT code, min(short_name) AS short_name
FROM localities
WHERE era = 'legacy' AND level = 'province'
GROUP BY code
