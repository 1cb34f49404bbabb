-- The channels and themes of the compared things by issuer level, for the gaps against the
-- plans of the same level: for every compared entity (see compare_entities.sql) and issuer
-- level of its plans, how many plans it has at that level and, for each channel and theme id
-- used by at least one of them, how many use it (a level with no channel or theme appears
-- once with category NULL).
-- Columns: entity, issuer_level, n_level_plans, category ('channel' | 'theme'), key_id,
-- n_plans.
-- Params: 1. mode: 'loc' | 'year'; 2. province codes VARCHAR[]; 3. plan years INTEGER[]
--         ([] = every year).
WITH prm AS (
    SELECT
        CAST(? AS VARCHAR) AS mode,
        CAST(? AS VARCHAR[]) AS codes,
        CAST(? AS INTEGER[]) AS years
),
ent AS (
    SELECT
        fp.plan_no,
        fp.channel_mask,
        fp.theme_mask,
        coalesce(fp.issuer_level, 'unknown') AS issuer_level,
        CASE WHEN prm.mode = 'year' THEN CAST(fp.plan_year AS VARCHAR)
            ELSE fp.province_code END AS entity
    FROM filtered_plans AS fp
    CROSS JOIN prm
    WHERE list_contains(prm.codes, fp.province_code)
        AND (len(prm.years) = 0 OR list_contains(prm.years, fp.plan_year))
        AND (prm.mode <> 'year' OR fp.plan_year IS NOT NULL)
),
totals AS (
    SELECT entity, issuer_level, count(*) AS n_level_plans
    FROM ent
    GROUP BY 1, 2
),
used AS (
    SELECT e.entity, e.issuer_level, b.facet AS category, b.id AS key_id, count(*) AS n_plans
    FROM ent AS e
    JOIN filter_bits AS b
        ON ((CASE WHEN b.facet = 'channel' THEN e.channel_mask ELSE e.theme_mask END)
            & b.mask) <> 0
    GROUP BY 1, 2, 3, 4
)
SELECT
    t.entity,
    t.issuer_level,
    t.n_level_plans,
    u.category,
    u.key_id,
    coalesce(u.n_plans, 0) AS n_plans
FROM totals AS t
LEFT JOIN used AS u ON u.entity = t.entity AND u.issuer_level = t.issuer_level
ORDER BY t.entity, t.issuer_level, u.category, u.key_id
