-- Flows issuer level -> agency -> role: one row per issuer level ('unknown' when not
-- known), agency and role with n_assignments = the number of (plan, agency, role)
-- assignments among the filtered plans (rows of plan_responsibilities) and n_plans = the
-- number of distinct plans behind them (the same number: plan_responsibilities has one row
-- per plan, agency and role).
-- Params: none.
WITH chosen AS MATERIALIZED (
    SELECT plan_no, coalesce(issuer_level, 'unknown') AS issuer_level FROM filtered_plans
),
used AS (
    SELECT
        fp.issuer_level,
        pr.agency_id,
        pr.role,
        count(*) AS n
    FROM chosen AS fp
    JOIN plan_responsibilities AS pr ON pr.plan_no = fp.plan_no
    GROUP BY 1, 2, 3
)
SELECT
    u.issuer_level,
    u.agency_id,
    coalesce(a.label_vi, 'Cơ quan khác') AS agency_label_vi,
    coalesce(a.label_en, 'Other agency') AS agency_label_en,
    u.role,
    r.label_vi AS role_label_vi,
    r.label_en AS role_label_en,
    u.n AS n_assignments,
    u.n AS n_plans
FROM used AS u
LEFT JOIN codebook AS a ON a.category = 'agency' AND a.id = u.agency_id
LEFT JOIN codebook AS r ON r.category = 'role' AND r.id = u.role
ORDER BY 1, 2, 5
