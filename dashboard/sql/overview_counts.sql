-- Headline counts of the filtered plans: plans, their source documents, issuing localities
-- (distinct province/district/commune codes), provinces, distinct plan years and their range.
-- Params: none.
SELECT
    count(*) AS n_plans,
    (
        SELECT count(DISTINCT s.doc_id)
        FROM plan_sources AS s
        WHERE s.plan_id IN (SELECT plan_id FROM filtered_plans)
    ) AS n_documents,
    count(DISTINCT CASE WHEN fp.province_code IS NOT NULL THEN
        concat_ws('|', fp.province_code, fp.district_code, fp.commune_code) END) AS n_localities,
    count(DISTINCT fp.province_code) AS n_provinces,
    count(DISTINCT fp.plan_year) AS n_years,
    min(fp.plan_year) AS year_first,
    max(fp.plan_year) AS year_last
FROM filtered_plans AS fp
