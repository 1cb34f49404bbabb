-- The plans passing the sidebar filters (every column of the plan_facts view).
-- Not a query of its own: dashboard/queries.py puts it in front of every query run with
-- load() as `WITH filtered_plans AS (...)`.
-- Parameters, in this order (each given once):
--   year_min, year_max       INTEGER or NULL (NULL = no bound; a bound excludes undated plans)
--   regions, levels, provinces, channel_groups, themes, kinds
--                            VARCHAR[] ([] = no filter)
-- A plan passes a channel-group filter when it uses at least one channel of those groups
-- (plan_channels), a theme filter when it addresses at least one of those themes.
SELECT pf.*
FROM plan_facts AS pf
CROSS JOIN (
    SELECT
        CAST(? AS INTEGER) AS year_min,
        CAST(? AS INTEGER) AS year_max,
        CAST(? AS VARCHAR[]) AS regions,
        CAST(? AS VARCHAR[]) AS levels,
        CAST(? AS VARCHAR[]) AS provinces,
        CAST(? AS VARCHAR[]) AS channel_groups,
        CAST(? AS VARCHAR[]) AS themes,
        CAST(? AS VARCHAR[]) AS kinds
) AS f
WHERE (f.year_min IS NULL OR pf.plan_year >= f.year_min)
    AND (f.year_max IS NULL OR pf.plan_year <= f.year_max)
    AND (len(f.regions) = 0 OR list_contains(f.regions, pf.region_id))
    AND (len(f.levels) = 0 OR list_contains(f.levels, pf.issuer_level))
    AND (len(f.provinces) = 0 OR list_contains(f.provinces, pf.province_code))
    AND (len(f.channel_groups) = 0 OR EXISTS (
        SELECT 1
        FROM plan_channels AS pc
        WHERE pc.plan_id = pf.plan_id AND list_contains(f.channel_groups, pc.group_id)
    ))
    AND (len(f.themes) = 0 OR EXISTS (
        SELECT 1
        FROM plan_themes AS pt
        WHERE pt.plan_id = pf.plan_id AND list_contains(f.themes, pt.theme_id)
    ))
    AND (len(f.kinds) = 0 OR list_contains(f.kinds, pf.kind))
