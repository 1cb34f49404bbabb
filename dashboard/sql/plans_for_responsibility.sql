-- The filtered plans behind a responsibilities chart's bar, cell or flow: plans that give an
-- agency a role, optionally only one issuer level ('unknown' = not known) and year.
-- Params: 1. agency_id (NULL = any); 2. role (NULL = any); 3. issuer_level (NULL = any);
--         4. plan_year (NULL = any).
SELECT fp.*
FROM filtered_plans AS fp
CROSS JOIN (
    SELECT
        CAST(? AS VARCHAR) AS agency_id,
        CAST(? AS VARCHAR) AS role,
        CAST(? AS VARCHAR) AS issuer_level,
        CAST(? AS INTEGER) AS plan_year
) AS prm
WHERE EXISTS (
        SELECT 1
        FROM plan_responsibilities AS pr
        WHERE pr.plan_id = fp.plan_id
            AND (prm.agency_id IS NULL OR pr.agency_id = prm.agency_id)
            AND (prm.role IS NULL OR pr.role = prm.role)
    )
    AND (prm.issuer_level IS NULL OR coalesce(fp.issuer_level, 'unknown') = prm.issuer_level)
    AND (prm.plan_year IS NULL OR fp.plan_year = prm.plan_year)
ORDER BY fp.issue_date NULLS LAST, fp.plan_year NULLS LAST, fp.plan_id
