-- One province's filtered plans in order (issue date, else earliest publication date, else
-- the plan year), with the labels of their channels and themes.
-- Each plan's row is computed at build time (locality_plan_list, etl/load/sql/views.sql: the
-- province's short name, the sort date and its source, the labels of the plan's channels and
-- themes read off its masks, each facet's in label order joined with '; ', NULL when none)
-- with its position in this order (list_rank: sort_date, undated last, then plan_number,
-- unnumbered last, then plan_id); the filtered plans only say which rows are read.
-- Params: 1. province_code ('' = plans whose province is unknown).
WITH own AS (
    SELECT fp.plan_no
    FROM filtered_plans AS fp
    WHERE coalesce(fp.province_code, '') = CAST(? AS VARCHAR)
)
SELECT
    l.plan_id,
    l.plan_number,
    l.title,
    l.kind,
    l.issuer_name,
    l.issuer_level,
    l.province_code,
    l.locality_name,
    l.district_name,
    l.issue_date,
    l.published_date,
    l.plan_year,
    l.sort_date,
    l.date_source,
    l.n_sources,
    l.n_channels,
    l.n_themes,
    l.channels_vi,
    l.channels_en,
    l.themes_vi,
    l.themes_en
FROM locality_plan_list AS l
WHERE l.plan_no IN (SELECT plan_no FROM own)
ORDER BY l.list_rank
