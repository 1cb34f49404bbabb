-- Headline counts of the filtered plans: plans, their source documents, issuing localities
-- (distinct province/district/commune codes), provinces, distinct plan years and their range.
-- The documents are counted from plan_row_counts (a document is the source of one plan only,
-- so the plans' source counts add up to the distinct documents).
-- Params: none.
SELECT
    count(*) AS n_plans,
    CAST(coalesce(sum(c.n_plan_sources), 0) AS BIGINT) AS n_documents,
    count(DISTINCT CASE WHEN fp.province_code IS NOT NULL THEN
        concat_ws('|', fp.province_code, fp.district_code, fp.commune_code) END) AS n_localities,
    count(DISTINCT fp.province_code) AS n_provinces,
    count(DISTINCT fp.plan_year) AS n_years,
    min(fp.plan_year) AS year_first,
    max(fp.plan_year) AS year_last
FROM filtered_plans AS fp
LEFT JOIN plan_row_counts AS c ON c.plan_no = fp.plan_no
