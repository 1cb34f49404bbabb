-- The filtered plans behind a responsibilities chart's bar, cell or flow: plans that give an
-- agency a role, optionally only one issuer level ('unknown' = not known) and year. At most
-- the first 500 in date order (issue date, plan year, plan_id: plan_index.date_rank);
-- n_total: how many plans match (every row carries it).
-- Params: 1. agency_id (NULL = any); 2. role (NULL = any); 3. issuer_level (NULL = any);
--         4. plan_year (NULL = any).
-- The plans giving some agency some role (no agency and no role picked) are those with
-- responsibilities rows (plan_row_counts, one row per plan), not the distinct plans of
-- plan_responsibilities, which would be counted from its rows at every run.
WITH prm AS (
    SELECT
        CAST(? AS VARCHAR) AS agency_id,
        CAST(? AS VARCHAR) AS role,
        CAST(? AS VARCHAR) AS issuer_level,
        CAST(? AS INTEGER) AS plan_year
),
matched AS (
    SELECT fp.plan_no, fp.date_rank
    FROM filtered_plans AS fp
    CROSS JOIN prm
    JOIN (
        SELECT rc.plan_no
        FROM plan_row_counts AS rc
        CROSS JOIN prm
        WHERE prm.agency_id IS NULL AND prm.role IS NULL AND rc.n_responsibilities > 0
        UNION ALL
        SELECT DISTINCT pr.plan_no
        FROM plan_responsibilities AS pr
        CROSS JOIN prm
        WHERE (prm.agency_id IS NOT NULL OR prm.role IS NOT NULL)
            AND (prm.agency_id IS NULL OR pr.agency_id = prm.agency_id)
            AND (prm.role IS NULL OR pr.role = prm.role)
    ) AS pr ON pr.plan_no = fp.plan_no
    WHERE (prm.issuer_level IS NULL OR coalesce(fp.issuer_level, 'unknown') = prm.issuer_level)
        AND (prm.plan_year IS NULL OR fp.plan_year = prm.plan_year)
),
shown AS (
    SELECT plan_no FROM matched ORDER BY date_rank LIMIT 500
)
SELECT pi.* EXCLUDE (plan_no, channel_mask, theme_mask, date_rank),
    (SELECT count(*) FROM matched) AS n_total
FROM plan_index AS pi
WHERE pi.plan_no IN (SELECT plan_no FROM shown)
ORDER BY pi.date_rank
