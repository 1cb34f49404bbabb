-- The plans passing the sidebar filters: every column of plan_index, i.e. those of the
-- plan_facts view plus plan_no (to join the per-plan tables on), the channel and theme masks
-- and date_rank (the order of the plan lists).
-- Not a query of its own: dashboard/queries.py puts it in front of every query run with
-- load() as `WITH filtered_plans AS (...)`.
-- Parameters, in this order (each given once):
--   year_min, year_max       INTEGER or NULL (NULL = no bound; a bound excludes undated plans)
--   regions, levels, provinces, channel_groups, themes, kinds
--                            VARCHAR[] ([] = no filter)
-- A plan passes a channel-group filter when it uses at least one channel of those groups
-- (plan_channels), a theme filter when it addresses at least one of those themes
-- (plan_themes). Both are tested on plan_index's bit masks (one bit per channel or theme id,
-- filter_bits), so no filter joins another table; a value without a bit (not in the
-- warehouse) matches nothing.
WITH f AS (
    SELECT
        CAST(? AS INTEGER) AS year_min,
        CAST(? AS INTEGER) AS year_max,
        CAST(? AS VARCHAR[]) AS regions,
        CAST(? AS VARCHAR[]) AS levels,
        CAST(? AS VARCHAR[]) AS provinces,
        CAST(? AS VARCHAR[]) AS channel_groups,
        CAST(? AS VARCHAR[]) AS themes,
        CAST(? AS VARCHAR[]) AS kinds
),
masks AS (
    SELECT
        coalesce(bit_or(b.mask) FILTER (
            WHERE b.facet = 'channel' AND list_contains(f.channel_groups, b.group_id)
        ), CAST(0 AS UBIGINT)) AS channel_mask,
        coalesce(bit_or(b.mask) FILTER (
            WHERE b.facet = 'theme' AND list_contains(f.themes, b.id)
        ), CAST(0 AS UBIGINT)) AS theme_mask
    FROM filter_bits AS b
    CROSS JOIN f
)
SELECT pf.*
FROM plan_index AS pf
CROSS JOIN f
CROSS JOIN masks AS m
WHERE (f.year_min IS NULL OR pf.plan_year >= f.year_min)
    AND (f.year_max IS NULL OR pf.plan_year <= f.year_max)
    AND (len(f.regions) = 0 OR list_contains(f.regions, pf.region_id))
    AND (len(f.levels) = 0 OR list_contains(f.levels, pf.issuer_level))
    AND (len(f.provinces) = 0 OR list_contains(f.provinces, pf.province_code))
    AND (len(f.channel_groups) = 0 OR (pf.channel_mask & m.channel_mask) <> 0)
    AND (len(f.themes) = 0 OR (pf.theme_mask & m.theme_mask) <> 0)
    AND (len(f.kinds) = 0 OR list_contains(f.kinds, pf.kind))
