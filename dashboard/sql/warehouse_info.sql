-- What the warehouse holds (run with load_raw): documents, plans, synthetic documents and the
-- build facts the dashboard shows (versions, build time).
-- Params: none.
SELECT
    (SELECT count(*) FROM documents) AS n_documents,
    (SELECT count(*) FROM plans) AS n_plans,
    (SELECT count(*) FROM documents WHERE synthetic) AS n_synthetic,
    (SELECT coalesce(bool_or(lower(value) IN ('true', '1', 'yes')), false)
        FROM build_info WHERE key IN ('synthetic', 'demo')) AS demo_build,
    (SELECT max(value) FROM build_info WHERE key = 'extractor_version') AS extractor_version,
    (SELECT max(value) FROM build_info WHERE key = 'codebook_version') AS codebook_version,
    (SELECT max(value) FROM build_info WHERE key = 'built_at') AS built_at
