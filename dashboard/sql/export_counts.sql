-- How many rows each file of the Downloads page holds (one row; a column per export_*.sql
-- file, named after it without 'export_'): the filtered files from the per-plan counts of
-- plan_row_counts (summed over the filtered plans), localities and codebook counted whole.
-- Params: none.
SELECT
    count(*) AS plans,
    CAST(coalesce(sum(c.n_documents), 0) AS BIGINT) AS documents,
    CAST(coalesce(sum(c.n_plan_sources), 0) AS BIGINT) AS plan_sources,
    CAST(coalesce(sum(c.n_channel_mentions), 0) AS BIGINT) AS channel_mentions,
    CAST(coalesce(sum(c.n_theme_mentions), 0) AS BIGINT) AS theme_mentions,
    CAST(coalesce(sum(c.n_audience_mentions), 0) AS BIGINT) AS audience_mentions,
    CAST(coalesce(sum(c.n_platform_mentions), 0) AS BIGINT) AS platform_mentions,
    CAST(coalesce(sum(c.n_responsibilities), 0) AS BIGINT) AS responsibilities,
    (SELECT count(*) FROM localities) AS localities,
    (SELECT count(*) FROM codebook) AS codebook
FROM filtered_plans AS fp
LEFT JOIN plan_row_counts AS c ON c.plan_no = fp.plan_no
