-- One province's filtered plans in order (issue date, else earliest publication date, else
-- the plan year), with the labels of their channels and themes.
-- Params: 1. province_code ('' = plans whose province is unknown).
WITH own AS (
    SELECT fp.*
    FROM filtered_plans AS fp
    WHERE coalesce(fp.province_code, '') = CAST(? AS VARCHAR)
),
channels AS (
    SELECT
        pc.plan_no,
        string_agg(pc.label_vi, '; ' ORDER BY pc.label_vi) AS channels_vi,
        string_agg(pc.label_en, '; ' ORDER BY pc.label_en) AS channels_en
    FROM plan_channels AS pc
    WHERE pc.plan_no IN (SELECT plan_no FROM own)
    GROUP BY pc.plan_no
),
themes AS (
    SELECT
        pt.plan_no,
        string_agg(pt.label_vi, '; ' ORDER BY pt.label_vi) AS themes_vi,
        string_agg(pt.label_en, '; ' ORDER BY pt.label_en) AS themes_en
    FROM plan_themes AS pt
    WHERE pt.plan_no IN (SELECT plan_no FROM own)
    GROUP BY pt.plan_no
)
SELECT
    fp.plan_id,
    fp.plan_number,
    fp.title,
    fp.kind,
    fp.issuer_name,
    coalesce(fp.issuer_level, 'unknown') AS issuer_level,
    coalesce(fp.province_code, '') AS province_code,
    coalesce(loc.short_name, fp.province_name) AS locality_name,
    fp.district_name,
    fp.issue_date,
    fp.published_date,
    fp.plan_year,
    coalesce(fp.issue_date, fp.published_date, make_date(fp.plan_year, 1, 1)) AS sort_date,
    CASE WHEN fp.issue_date IS NOT NULL THEN 'issue_date'
        WHEN fp.published_date IS NOT NULL THEN 'published_date'
        WHEN fp.plan_year IS NOT NULL THEN 'plan_year' END AS date_source,
    fp.n_sources,
    fp.n_channels,
    fp.n_themes,
    ch.channels_vi,
    ch.channels_en,
    th.themes_vi,
    th.themes_en
FROM own AS fp
LEFT JOIN channels AS ch ON ch.plan_no = fp.plan_no
LEFT JOIN themes AS th ON th.plan_no = fp.plan_no
LEFT JOIN (
    SELECT code, min(short_name) AS short_name
    FROM localities
    WHERE era = 'legacy' AND level = 'province'
    GROUP BY code
) AS loc ON loc.code = fp.province_code
ORDER BY sort_date NULLS LAST, fp.plan_number NULLS LAST, fp.plan_id
