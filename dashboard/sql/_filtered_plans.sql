-- The plans passing the sidebar filters: every column of plan_index, i.e. those of the
-- plan_facts view plus plan_no (to join the per-plan tables on), the channel and theme masks
-- and date_rank (the order of the plan lists).
-- Not a query of its own: dashboard/queries.py puts it in front of every query run with
-- load() as `WITH filtered_plans AS (...)`.
-- Parameters, in this order (the numbered parameters $1..$8, each used where it is tested):
--   $1 year_min, $2 year_max INTEGER or NULL (NULL = no bound; a bound excludes undated plans)
--   $3 regions, $4 levels, $5 provinces, $6 channel_groups, $7 themes, $8 kinds
--                            VARCHAR[] ([] = no filter)
-- The values are written into the conditions themselves (not read from a one-row CTE), so
-- that DuckDB folds the conditions of the filters left empty away and pushes the others into
-- the plan_index scan, instead of testing every plan against a joined row. The `?` of the
-- file this fragment is put in front of come after it, so DuckDB numbers them $9, $10, ...:
-- the filter values are still bound first, then the file's own parameters, in order.
-- A plan passes a channel-group filter when it uses at least one channel of those groups
-- (plan_channels), a theme filter when it addresses at least one of those themes
-- (plan_themes). Both are tested on plan_index's bit masks (one bit per channel or theme id,
-- filter_bits), so no filter joins another table; a value without a bit (not in the
-- warehouse) matches nothing.
WITH masks AS (
    SELECT
        coalesce(bit_or(b.mask) FILTER (
            WHERE b.facet = 'channel' AND list_contains(CAST($6 AS VARCHAR[]), b.group_id)
        ), CAST(0 AS UBIGINT)) AS channel_mask,
        coalesce(bit_or(b.mask) FILTER (
            WHERE b.facet = 'theme' AND list_contains(CAST($7 AS VARCHAR[]), b.id)
        ), CAST(0 AS UBIGINT)) AS theme_mask
    FROM filter_bits AS b
)
SELECT pf.*
FROM plan_index AS pf
CROSS JOIN masks AS m
WHERE (CAST($1 AS INTEGER) IS NULL OR pf.plan_year >= CAST($1 AS INTEGER))
    AND (CAST($2 AS INTEGER) IS NULL OR pf.plan_year <= CAST($2 AS INTEGER))
    AND (len(CAST($3 AS VARCHAR[])) = 0 OR list_contains(CAST($3 AS VARCHAR[]), pf.region_id))
    AND (len(CAST($4 AS VARCHAR[])) = 0
        OR list_contains(CAST($4 AS VARCHAR[]), pf.issuer_level))
    AND (len(CAST($5 AS VARCHAR[])) = 0
        OR list_contains(CAST($5 AS VARCHAR[]), pf.province_code))
    AND (len(CAST($6 AS VARCHAR[])) = 0 OR (pf.channel_mask & m.channel_mask) <> 0)
    AND (len(CAST($7 AS VARCHAR[])) = 0 OR (pf.theme_mask & m.theme_mask) <> 0)
    AND (len(CAST($8 AS VARCHAR[])) = 0 OR list_contains(CAST($8 AS VARCHAR[]), pf.kind))
