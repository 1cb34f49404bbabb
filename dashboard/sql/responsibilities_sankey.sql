-- Flows issuer level -> agency -> role: one row per issuer level ('unknown' when not
-- known), agency and role with n_assignments = the number of (plan, agency, role)
-- assignments among the filtered plans (rows of plan_responsibilities) and n_plans = the
-- number of distinct plans behind them.
-- Params: none.
SELECT
    coalesce(fp.issuer_level, 'unknown') AS issuer_level,
    pr.agency_id,
    coalesce(min(pr.agency_label_vi), 'Cơ quan khác') AS agency_label_vi,
    coalesce(min(pr.agency_label_en), 'Other agency') AS agency_label_en,
    pr.role,
    min(r.label_vi) AS role_label_vi,
    min(r.label_en) AS role_label_en,
    count(*) AS n_assignments,
    count(DISTINCT fp.plan_id) AS n_plans
FROM filtered_plans AS fp
JOIN plan_responsibilities AS pr ON pr.plan_id = fp.plan_id
LEFT JOIN codebook AS r ON r.category = 'role' AND r.id = pr.role
GROUP BY 1, 2, 5
ORDER BY 1, 2, 5
