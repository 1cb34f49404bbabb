-- Every fact extracted from one document, with its evidence span and codebook labels (run
-- with load_raw): channels, themes, audiences, platforms, responsibilities (category
-- 'agency', with the role) and the single-valued fields (category 'field': title, number,
-- dates, issuer ...; fact_id = the field name, label = the value).
-- Params: 1. doc_id.
WITH doc AS (SELECT CAST(? AS VARCHAR) AS doc_id)
SELECT
    fe.category,
    fe.fact_id,
    fe.role,
    fe.evidence_start,
    fe.evidence_end,
    fe.evidence_text,
    coalesce(c.label_vi, fe.fact_id) AS label_vi,
    coalesce(c.label_en, fe.fact_id) AS label_en,
    r.label_vi AS role_vi,
    r.label_en AS role_en
FROM fact_evidence AS fe
JOIN doc ON doc.doc_id = fe.doc_id
LEFT JOIN codebook AS c ON c.category = fe.category AND c.id = fe.fact_id
LEFT JOIN codebook AS r ON r.category = 'role' AND r.id = fe.role
UNION ALL
SELECT
    'field',
    f.field,
    NULL,
    f.evidence_start,
    f.evidence_end,
    f.evidence_text,
    f.value,
    f.value,
    NULL,
    NULL
FROM field_evidence AS f
JOIN doc ON doc.doc_id = f.doc_id
ORDER BY evidence_start, evidence_end DESC, category, fact_id
