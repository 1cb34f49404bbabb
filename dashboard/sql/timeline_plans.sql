-- The filtered plans with their dates, for the timeline: issue date (NULL when no source
-- states it), earliest publication date, plan year, locality and issuer.
-- Params: none.
SELECT
    fp.plan_id,
    fp.plan_number,
    fp.title,
    fp.kind,
    fp.issuer_name,
    coalesce(fp.issuer_level, 'unknown') AS issuer_level,
    coalesce(fp.province_code, '') AS province_code,
    coalesce(loc.short_name, fp.province_name) AS locality_name,
    fp.issue_date,
    fp.published_date,
    fp.plan_year,
    fp.n_sources,
    fp.n_channels,
    fp.n_themes
FROM filtered_plans AS fp
LEFT JOIN (
    SELECT code, min(short_name) AS short_name
    FROM localities
    WHERE era = 'legacy' AND level = 'province'
    GROUP BY code
) AS loc ON loc.code = fp.province_code
ORDER BY fp.issue_date NULLS LAST, fp.plan_year NULLS LAST, fp.plan_id
