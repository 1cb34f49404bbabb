-- One province's filtered plans in order (issue date, else earliest publication date, else
-- the plan year), with the labels of their channels and themes.
-- The labels are read off the plan's channel and theme masks (plan_index, one bit per id of
-- filter_bits, set for exactly the ids of the plan's plan_channels / plan_themes rows): each
-- facet's labels in label order with their bit, kept where the plan's mask has the bit, so
-- no per-plan table is joined or aggregated. Like string_agg, a plan without a labelled
-- channel (theme) gets NULL. The province's short name is the shared CTE
-- province_short_names (_province_short_names.sql).
-- Params: 1. province_code ('' = plans whose province is unknown).
WITH own AS (
    SELECT fp.*
    FROM filtered_plans AS fp
    WHERE coalesce(fp.province_code, '') = CAST(? AS VARCHAR)
),
labels AS (
    SELECT
        list({'mask': b.mask, 'label': c.label_vi} ORDER BY c.label_vi)
            FILTER (WHERE b.facet = 'channel' AND c.label_vi IS NOT NULL) AS channels_vi,
        list({'mask': b.mask, 'label': c.label_en} ORDER BY c.label_en)
            FILTER (WHERE b.facet = 'channel' AND c.label_en IS NOT NULL) AS channels_en,
        list({'mask': b.mask, 'label': c.label_vi} ORDER BY c.label_vi)
            FILTER (WHERE b.facet = 'theme' AND c.label_vi IS NOT NULL) AS themes_vi,
        list({'mask': b.mask, 'label': c.label_en} ORDER BY c.label_en)
            FILTER (WHERE b.facet = 'theme' AND c.label_en IS NOT NULL) AS themes_en
    FROM filter_bits AS b
    JOIN codebook AS c ON c.category = b.facet AND c.id = b.id
),
own_labels AS (
    SELECT
        fp.*,
        list_transform(
            list_filter(lb.channels_vi, lambda x: (fp.channel_mask & x.mask) <> 0),
            lambda x: x.label
        ) AS ch_vi,
        list_transform(
            list_filter(lb.channels_en, lambda x: (fp.channel_mask & x.mask) <> 0),
            lambda x: x.label
        ) AS ch_en,
        list_transform(
            list_filter(lb.themes_vi, lambda x: (fp.theme_mask & x.mask) <> 0),
            lambda x: x.label
        ) AS th_vi,
        list_transform(
            list_filter(lb.themes_en, lambda x: (fp.theme_mask & x.mask) <> 0),
            lambda x: x.label
        ) AS th_en
    FROM own AS fp
    CROSS JOIN labels AS lb
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
    CASE WHEN len(fp.ch_vi) > 0 THEN array_to_string(fp.ch_vi, '; ') END AS channels_vi,
    CASE WHEN len(fp.ch_en) > 0 THEN array_to_string(fp.ch_en, '; ') END AS channels_en,
    CASE WHEN len(fp.th_vi) > 0 THEN array_to_string(fp.th_vi, '; ') END AS themes_vi,
    CASE WHEN len(fp.th_en) > 0 THEN array_to_string(fp.th_en, '; ') END AS themes_en
FROM own_labels AS fp
LEFT JOIN province_short_names AS loc ON loc.code = fp.province_code
ORDER BY sort_date NULLS LAST, fp.plan_number NULLS LAST, fp.plan_id
