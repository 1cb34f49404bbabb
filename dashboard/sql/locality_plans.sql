-- One province's filtered plans in order (issue date, else earliest publication date, else
-- the plan year), with the labels of their channels and themes.
-- Params: 1. province_code ('' = plans whose province is unknown).
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
    (SELECT string_agg(pc.label_vi, '; ' ORDER BY pc.label_vi)
        FROM plan_channels AS pc WHERE pc.plan_id = fp.plan_id) AS channels_vi,
    (SELECT string_agg(pc.label_en, '; ' ORDER BY pc.label_en)
        FROM plan_channels AS pc WHERE pc.plan_id = fp.plan_id) AS channels_en,
    (SELECT string_agg(pt.label_vi, '; ' ORDER BY pt.label_vi)
        FROM plan_themes AS pt WHERE pt.plan_id = fp.plan_id) AS themes_vi,
    (SELECT string_agg(pt.label_en, '; ' ORDER BY pt.label_en)
        FROM plan_themes AS pt WHERE pt.plan_id = fp.plan_id) AS themes_en
FROM filtered_plans AS fp
LEFT JOIN (
    SELECT code, min(short_name) AS short_name
    FROM localities
    WHERE era = 'legacy' AND level = 'province'
    GROUP BY code
) AS loc ON loc.code = fp.province_code
WHERE coalesce(fp.province_code, '') = CAST(? AS VARCHAR)
ORDER BY sort_date NULLS LAST, fp.plan_number NULLS LAST, fp.plan_id
