-- The tasks the filtered plans assign, one row per assigning clause, with its evidence
-- sentence, source file and locality; optionally only one agency, role, issuer level
-- ('unknown' = not known) and year.
-- Params: 1. agency_id (NULL = any); 2. role (NULL = any); 3. issuer_level (NULL = any);
--         4. plan_year (NULL = any).
SELECT
    fp.plan_id,
    coalesce(loc.short_name, fp.province_name) AS locality_name,
    fp.district_name,
    fp.issuer_name,
    fp.issuer_level,
    fp.plan_number,
    fp.plan_year,
    r.agency_id,
    coalesce(a.label_vi, 'Cơ quan khác') AS agency_label_vi,
    coalesce(a.label_en, 'Other agency') AS agency_label_en,
    r.agency_text,
    r.role,
    r.task,
    r.evidence_text,
    r.evidence_start,
    r.evidence_end,
    r.doc_id,
    d.relpath,
    d.url
FROM filtered_plans AS fp
JOIN responsibilities AS r ON r.plan_id = fp.plan_id
JOIN documents AS d ON d.doc_id = r.doc_id
LEFT JOIN codebook AS a ON a.category = 'agency' AND a.id = r.agency_id
LEFT JOIN (
    SELECT code, min(short_name) AS short_name
    FROM localities
    WHERE era = 'legacy' AND level = 'province'
    GROUP BY code
) AS loc ON loc.code = fp.province_code
CROSS JOIN (
    SELECT
        CAST(? AS VARCHAR) AS agency_id,
        CAST(? AS VARCHAR) AS role,
        CAST(? AS VARCHAR) AS issuer_level,
        CAST(? AS INTEGER) AS plan_year
) AS prm
WHERE (prm.agency_id IS NULL OR r.agency_id = prm.agency_id)
    AND (prm.role IS NULL OR r.role = prm.role)
    AND (prm.issuer_level IS NULL OR coalesce(fp.issuer_level, 'unknown') = prm.issuer_level)
    AND (prm.plan_year IS NULL OR fp.plan_year = prm.plan_year)
ORDER BY locality_name NULLS LAST, fp.plan_year NULLS LAST, fp.plan_id, d.relpath,
    r.evidence_start, r.agency_id, r.role
