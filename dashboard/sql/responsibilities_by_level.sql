-- Which agencies lead, coordinate or implement, by issuer level: for each issuer level of
-- the filtered plans ('unknown' when not known), agency (codebook agency id, or 'other') and
-- role, how many of that level's filtered plans give the agency that role, and the share.
-- Params: none.
SELECT
    used.issuer_level,
    used.agency_id,
    coalesce(a.label_vi, 'Cơ quan khác') AS agency_label_vi,
    coalesce(a.label_en, 'Other agency') AS agency_label_en,
    used.role,
    r.label_vi AS role_label_vi,
    r.label_en AS role_label_en,
    used.n_plans,
    tot.n_level_plans,
    used.n_plans / tot.n_level_plans AS share
FROM (
    SELECT
        coalesce(fp.issuer_level, 'unknown') AS issuer_level,
        pr.agency_id,
        pr.role,
        count(*) AS n_plans
    FROM filtered_plans AS fp
    JOIN plan_responsibilities AS pr ON pr.plan_no = fp.plan_no
    GROUP BY 1, 2, 3
) AS used
JOIN (
    SELECT coalesce(issuer_level, 'unknown') AS issuer_level,
        count(*) AS n_level_plans
    FROM filtered_plans
    GROUP BY 1
) AS tot ON tot.issuer_level = used.issuer_level
LEFT JOIN codebook AS a ON a.category = 'agency' AND a.id = used.agency_id
LEFT JOIN codebook AS r ON r.category = 'role' AND r.id = used.role
ORDER BY used.issuer_level, used.agency_id, used.role
