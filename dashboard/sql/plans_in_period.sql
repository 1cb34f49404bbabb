-- The filtered plans behind a point of the Timeline page's binned dates chart
-- (timeline_binned.sql): the plans of one province issued in one period. At most the first
-- 500 in date order (plan_index.date_rank: issue date, plan year, plan_id); n_total: how many
-- plans match (every row carries it).
-- Params: 1. province_code ('' = unknown province);
--         2. period: 'YYYY-MM' (a month), 'YYYY-Qn' (a quarter) or 'YYYY' (a year); anything
--            else matches nothing.
WITH prm AS (
    SELECT
        CAST(? AS VARCHAR) AS province_code,
        CAST(? AS VARCHAR) AS period
),
span AS (
    SELECT
        prm.province_code,
        CASE
            WHEN regexp_full_match(prm.period, '[0-9]{4}-Q[1-4]') THEN make_date(
                CAST(prm.period[1:4] AS INTEGER), 3 * CAST(prm.period[7:7] AS INTEGER) - 2, 1
            )
            WHEN regexp_full_match(prm.period, '[0-9]{4}-(0[1-9]|1[0-2])') THEN make_date(
                CAST(prm.period[1:4] AS INTEGER), CAST(prm.period[6:7] AS INTEGER), 1
            )
            WHEN regexp_full_match(prm.period, '[0-9]{4}') THEN make_date(
                CAST(prm.period AS INTEGER), 1, 1
            )
        END AS first_day,
        CASE
            WHEN prm.period LIKE '%-Q%' THEN INTERVAL 3 MONTH
            WHEN length(prm.period) = 7 THEN INTERVAL 1 MONTH
            ELSE INTERVAL 1 YEAR
        END AS span
    FROM prm
),
matched AS (
    SELECT fp.plan_no, fp.date_rank
    FROM filtered_plans AS fp
    CROSS JOIN span AS s
    WHERE coalesce(fp.province_code, '') = s.province_code
        AND fp.issue_date >= s.first_day
        AND fp.issue_date < s.first_day + s.span
),
shown AS (
    SELECT plan_no FROM matched ORDER BY date_rank LIMIT 500
)
SELECT pi.* EXCLUDE (plan_no, channel_mask, theme_mask, date_rank),
    (SELECT count(*) FROM matched) AS n_total
FROM plan_index AS pi
WHERE pi.plan_no IN (SELECT plan_no FROM shown)
ORDER BY pi.date_rank
