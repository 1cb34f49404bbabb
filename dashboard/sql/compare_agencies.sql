-- Who leads and who coordinates in the compared things: for every compared entity (see
-- compare_entities.sql), agency and role, how many of the entity's plans give the agency the
-- role, of how many, with the agency as the plans write it.
-- Columns: entity, agency_id, agency_label_vi, agency_label_en, role, n_plans,
-- n_entity_plans, share, agency_texts.
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
        CASE WHEN prm.mode = 'year' THEN CAST(fp.plan_year AS VARCHAR)
            ELSE fp.province_code END AS entity
    FROM filtered_plans AS fp
    CROSS JOIN prm
    WHERE list_contains(prm.codes, fp.province_code)
        AND (len(prm.years) = 0 OR list_contains(prm.years, fp.plan_year))
        AND (prm.mode <> 'year' OR fp.plan_year IS NOT NULL)
),
totals AS (
    SELECT entity, count(DISTINCT plan_no) AS n_entity_plans FROM ent GROUP BY entity
)
SELECT
    e.entity,
    pr.agency_id,
    coalesce(min(pr.agency_label_vi), 'Cơ quan khác') AS agency_label_vi,
    coalesce(min(pr.agency_label_en), 'Other agency') AS agency_label_en,
    CAST(pr.role AS VARCHAR) AS role,
    count(DISTINCT e.plan_no) AS n_plans,
    min(t.n_entity_plans) AS n_entity_plans,
    count(DISTINCT e.plan_no) / min(t.n_entity_plans) AS share,
    string_agg(DISTINCT pr.agency_texts, '; ' ORDER BY pr.agency_texts) AS agency_texts
FROM ent AS e
JOIN plan_responsibilities AS pr ON pr.plan_no = e.plan_no
JOIN totals AS t ON t.entity = e.entity
GROUP BY e.entity, pr.agency_id, pr.role
ORDER BY e.entity, role, n_plans DESC, pr.agency_id
