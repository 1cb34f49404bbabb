-- The dated filtered plans counted per locality, period of issue and issuer level: the binned
-- dates chart of the Timeline page (one point per locality and period), and the page's test
-- of whether to bin at all (n_dated). The period is the finest of month ('YYYY-MM'), quarter
-- ('YYYY-Qn') and year ('YYYY') whose (province_code, period) points number at most the
-- parameter; else the year.
-- Columns: province_code ('' = unknown), locality_name (the province's short name), period,
-- issuer_level ('unknown' when not known), n_plans; and, the same on every row: period_kind
-- ('month', 'quarter' or 'year': the period chosen), n_dated and n_undated (filtered plans
-- with and without an issue date), first_date and last_date (earliest and latest issue date).
-- No row when no filtered plan has an issue date.
-- Params: 1. the most (locality, period) points (MAX_BINNED_POINTS).
WITH prm AS (
    SELECT CAST(? AS BIGINT) AS max_points
),
-- one scan of the filtered plans: plans per province, level and month (ym = year * 100 +
-- month; NULL: no issue date). MATERIALIZED: choice and binned both read it, and it is
-- computed once.
months AS MATERIALIZED (
    SELECT
        coalesce(fp.province_code, '') AS province_code,
        coalesce(fp.issuer_level, 'unknown') AS issuer_level,
        year(fp.issue_date) * 100 + month(fp.issue_date) AS ym,
        count(*) AS n_plans,
        min(fp.issue_date) AS first_date,
        max(fp.issue_date) AS last_date
    FROM filtered_plans AS fp
    GROUP BY 1, 2, 3
),
choice AS MATERIALIZED (
    SELECT
        CAST(coalesce(sum(n_plans) FILTER (WHERE ym IS NOT NULL), 0) AS BIGINT) AS n_dated,
        CAST(coalesce(sum(n_plans) FILTER (WHERE ym IS NULL), 0) AS BIGINT) AS n_undated,
        min(first_date) AS first_date,
        max(last_date) AS last_date,
        CASE
            WHEN count(DISTINCT {'p': province_code, 'k': ym}) FILTER (WHERE ym IS NOT NULL)
                <= any_value(prm.max_points) THEN 'month'
            WHEN count(DISTINCT {'p': province_code, 'k': ym // 100 * 10 + (ym % 100 + 2) // 3})
                FILTER (WHERE ym IS NOT NULL) <= any_value(prm.max_points) THEN 'quarter'
            ELSE 'year'
        END AS period_kind
    FROM months
    CROSS JOIN prm
),
-- The province's name where it has no short name: plan_index.province_name is the
-- crosswalk's name of the plan's province_code (etl/load/sql/views.sql), so it is read here
-- from the 63 rows of locality_crosswalk, not aggregated over the plans.
names AS (
    SELECT province_code, min(province_name) AS province_name
    FROM locality_crosswalk
    GROUP BY province_code
),
-- pk: the period as a number, year * 100 + month, year * 10 + quarter, or year
binned AS (
    SELECT
        mo.province_code,
        CASE ch.period_kind
            WHEN 'month' THEN mo.ym
            WHEN 'quarter' THEN mo.ym // 100 * 10 + (mo.ym % 100 + 2) // 3
            ELSE mo.ym // 100
        END AS pk,
        mo.issuer_level,
        CAST(sum(mo.n_plans) AS BIGINT) AS n_plans
    FROM months AS mo
    CROSS JOIN choice AS ch
    WHERE mo.ym IS NOT NULL
    GROUP BY 1, 2, 3
)
SELECT
    b.province_code,
    coalesce(loc.short_name, nm.province_name) AS locality_name,
    CASE ch.period_kind
        WHEN 'month' THEN printf('%d-%02d', b.pk // 100, b.pk % 100)
        WHEN 'quarter' THEN printf('%d-Q%d', b.pk // 10, b.pk % 10)
        ELSE CAST(b.pk AS VARCHAR)
    END AS period,
    b.issuer_level,
    b.n_plans,
    ch.period_kind,
    ch.n_dated,
    ch.n_undated,
    ch.first_date,
    ch.last_date
FROM binned AS b
CROSS JOIN choice AS ch
LEFT JOIN province_short_names AS loc ON loc.code = b.province_code
LEFT JOIN names AS nm ON nm.province_code = b.province_code
ORDER BY b.province_code, b.pk, b.issuer_level
