-- Profile of the compared things by theme (or theme group): for every compared entity
-- (see compare_entities.sql) and every theme id (level 'theme') or theme group (level
-- 'group') of the codebook, how many of the entity's plans address the theme (a theme of the group), of
-- how many, and the share. Every codebook key is listed for every entity (0 when none uses it).
-- Columns: entity, key_id, group_id, label_vi, label_en, n_plans, n_entity_plans, share.
-- The themes and groups, in codebook order, are the shared CTE codebook_keys
-- (_codebook_keys.sql).
-- Params: 1. mode: 'loc' | 'year'; 2. province codes VARCHAR[]; 3. plan years INTEGER[]
--         ([] = every year); 4. level: 'theme' | 'group'.
WITH prm AS (
    SELECT
        CAST(? AS VARCHAR) AS mode,
        CAST(? AS VARCHAR[]) AS codes,
        CAST(? AS INTEGER[]) AS years,
        CAST(? AS VARCHAR) AS level
),
ent AS (
    SELECT
        fp.plan_no,
        fp.theme_mask AS mask,
        CASE WHEN prm.mode = 'year' THEN CAST(fp.plan_year AS VARCHAR)
            ELSE fp.province_code END AS entity
    FROM filtered_plans AS fp
    CROSS JOIN prm
    WHERE list_contains(prm.codes, fp.province_code)
        AND (len(prm.years) = 0 OR list_contains(prm.years, fp.plan_year))
        AND (prm.mode <> 'year' OR fp.plan_year IS NOT NULL)
),
totals AS (
    SELECT entity, count(*) AS n_entity_plans FROM ent GROUP BY entity
),
key_masks AS (
    SELECT
        CASE WHEN prm.level = 'group' THEN coalesce(b.group_id, 'other') ELSE b.id END
            AS key_id,
        bit_or(b.mask) AS mask
    FROM filter_bits AS b
    CROSS JOIN prm
    WHERE b.facet = 'theme'
    GROUP BY 1
),
used AS (
    SELECT e.entity, k.key_id, count(*) AS n_plans
    FROM ent AS e
    JOIN key_masks AS k ON (e.mask & k.mask) <> 0
    GROUP BY 1, 2
)
SELECT
    t.entity,
    k.key_id,
    k.group_id,
    k.label_vi,
    k.label_en,
    coalesce(u.n_plans, 0) AS n_plans,
    t.n_entity_plans,
    coalesce(u.n_plans, 0) / t.n_entity_plans AS share
FROM totals AS t
CROSS JOIN prm
JOIN codebook_keys AS k ON k.facet = 'theme' AND k.level = prm.level
LEFT JOIN used AS u ON u.entity = t.entity AND u.key_id = k.key_id
ORDER BY t.entity, k.ord, k.key_id
