-- Agencies' roles by year: every plan year of the filtered plans crossed with every agency
-- of the codebook (plus 'other' when it occurs) and every role, with the number of that
-- year's filtered plans giving the agency that role (0 when none) and the share.
-- Plans whose year is unknown are left out.
-- Params: none.
SELECT
    tot.plan_year,
    ag.agency_id,
    ag.agency_label_vi,
    ag.agency_label_en,
    ro.role,
    ro.role_label_vi,
    ro.role_label_en,
    coalesce(used.n_plans, 0) AS n_plans,
    tot.n_year_plans,
    coalesce(used.n_plans, 0) / tot.n_year_plans AS share
FROM (
    SELECT plan_year, count(*) AS n_year_plans
    FROM filtered_plans
    WHERE plan_year IS NOT NULL
    GROUP BY 1
) AS tot
CROSS JOIN (
    SELECT id AS agency_id, label_vi AS agency_label_vi, label_en AS agency_label_en
    FROM codebook
    WHERE category = 'agency'
    UNION ALL
    SELECT DISTINCT pr.agency_id, 'Cơ quan khác', 'Other agency'
    FROM filtered_plans AS fp
    JOIN plan_responsibilities AS pr ON pr.plan_no = fp.plan_no
    WHERE pr.agency_id NOT IN (SELECT id FROM codebook WHERE category = 'agency')
) AS ag
CROSS JOIN (
    SELECT id AS role, label_vi AS role_label_vi, label_en AS role_label_en
    FROM codebook
    WHERE category = 'role'
) AS ro
LEFT JOIN (
    SELECT fp.plan_year, pr.agency_id, pr.role, count(*) AS n_plans
    FROM filtered_plans AS fp
    JOIN plan_responsibilities AS pr ON pr.plan_no = fp.plan_no
    WHERE fp.plan_year IS NOT NULL
    GROUP BY 1, 2, 3
) AS used ON used.plan_year = tot.plan_year
    AND used.agency_id = ag.agency_id
    AND used.role = ro.role
ORDER BY tot.plan_year, ag.agency_id, ro.role
