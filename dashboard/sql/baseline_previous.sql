-- Each compared thing against the same locality's previous plan: for every compared entity
-- (see compare_entities.sql) its latest plan year `cur_year` and the latest earlier year
-- `prev_year` in which the same province (the first chosen one in mode 'year') has filtered
-- plans (any year, not only the chosen ones); for each channel and theme id used in either
-- year, how many of the province's plans of each year have it. Entities without an earlier
-- plan appear once with prev_year and category NULL.
-- Columns: entity, province_code, cur_year, prev_year, n_cur_total, n_prev_total, category,
-- key_id, label_vi, label_en, n_cur, n_prev.
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
        CASE WHEN prm.mode = 'year' THEN CAST(fp.plan_year AS VARCHAR)
            ELSE fp.province_code END AS entity,
        min(fp.province_code) AS province_code,
        max(fp.plan_year) AS cur_year
    FROM filtered_plans AS fp
    CROSS JOIN prm
    WHERE list_contains(prm.codes, fp.province_code)
        AND (len(prm.years) = 0 OR list_contains(prm.years, fp.plan_year))
        AND fp.plan_year IS NOT NULL
    GROUP BY 1
),
periods AS (
    SELECT
        e.entity,
        e.province_code,
        e.cur_year,
        (SELECT max(fp.plan_year) FROM filtered_plans AS fp
            WHERE fp.province_code = e.province_code AND fp.plan_year < e.cur_year) AS prev_year
    FROM ent AS e
),
year_plans AS (
    SELECT
        pe.entity,
        fp.plan_no,
        fp.channel_mask,
        fp.theme_mask,
        CASE WHEN fp.plan_year = pe.cur_year THEN 'cur' ELSE 'prev' END AS side
    FROM periods AS pe
    JOIN filtered_plans AS fp
        ON fp.province_code = pe.province_code
        AND (fp.plan_year = pe.cur_year OR fp.plan_year = pe.prev_year)
),
totals AS (
    SELECT
        entity,
        count(DISTINCT CASE WHEN side = 'cur' THEN plan_no END) AS n_cur_total,
        count(DISTINCT CASE WHEN side = 'prev' THEN plan_no END) AS n_prev_total
    FROM year_plans
    GROUP BY 1
),
used AS (
    SELECT
        yp.entity,
        f.facet AS category,
        f.id AS key_id,
        count(DISTINCT CASE WHEN yp.side = 'cur' THEN yp.plan_no END) AS n_cur,
        count(DISTINCT CASE WHEN yp.side = 'prev' THEN yp.plan_no END) AS n_prev
    FROM year_plans AS yp
    JOIN filter_bits AS f
        ON ((CASE WHEN f.facet = 'channel' THEN yp.channel_mask ELSE yp.theme_mask END)
            & f.mask) <> 0
    GROUP BY 1, 2, 3
)
SELECT
    pe.entity,
    pe.province_code,
    pe.cur_year,
    pe.prev_year,
    t.n_cur_total,
    t.n_prev_total,
    CASE WHEN pe.prev_year IS NOT NULL THEN u.category END AS category,
    CASE WHEN pe.prev_year IS NOT NULL THEN u.key_id END AS key_id,
    CASE WHEN pe.prev_year IS NOT NULL THEN cb.label_vi END AS label_vi,
    CASE WHEN pe.prev_year IS NOT NULL THEN cb.label_en END AS label_en,
    CASE WHEN pe.prev_year IS NOT NULL THEN coalesce(u.n_cur, 0) END AS n_cur,
    CASE WHEN pe.prev_year IS NOT NULL THEN coalesce(u.n_prev, 0) END AS n_prev
FROM periods AS pe
JOIN totals AS t ON t.entity = pe.entity
LEFT JOIN used AS u ON u.entity = pe.entity AND pe.prev_year IS NOT NULL
LEFT JOIN codebook AS cb ON cb.category = u.category AND cb.id = u.key_id
ORDER BY pe.entity, category NULLS FIRST, key_id
