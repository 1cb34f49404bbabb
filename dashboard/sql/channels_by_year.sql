-- Channel mix by year: for each plan year of the filtered plans and each channel (or channel
-- group) used that year, how many of that year's filtered plans use it and what share of
-- them. Plans whose year is unknown are left out. A plan counts once per channel (or group).
-- Counted on the plans' channel masks (plan_index.channel_mask, filter_bits): no join.
-- Params: 1. level: 'channel' (codebook channel ids) or 'group' (channel groups).
WITH prm AS (
    SELECT CAST(? AS VARCHAR) AS level
),
keys AS (
    SELECT
        CASE WHEN prm.level = 'group' THEN coalesce(b.group_id, 'other') ELSE b.id END
            AS key_id,
        min(coalesce(b.group_id, 'other')) AS group_id,
        bit_or(b.mask) AS mask
    FROM filter_bits AS b
    CROSS JOIN prm
    WHERE b.facet = 'channel'
    GROUP BY 1
),
labels AS (
    SELECT
        CASE WHEN prm.level = 'group' THEN coalesce(c.group_id, 'other') ELSE c.id END
            AS key_id,
        min(CASE WHEN prm.level = 'group' THEN c.group_vi ELSE c.label_vi END) AS label_vi,
        min(CASE WHEN prm.level = 'group' THEN c.group_en ELSE c.label_en END) AS label_en
    FROM codebook AS c
    CROSS JOIN prm
    WHERE c.category = 'channel'
    GROUP BY 1
),
used AS (
    SELECT fp.plan_year, k.key_id, k.group_id, count(*) AS n_plans
    FROM filtered_plans AS fp
    JOIN keys AS k ON (fp.channel_mask & k.mask) <> 0
    WHERE fp.plan_year IS NOT NULL
    GROUP BY 1, 2, 3
)
SELECT
    used.plan_year,
    used.key_id,
    used.group_id,
    l.label_vi,
    l.label_en,
    used.n_plans,
    tot.n_year_plans,
    used.n_plans / tot.n_year_plans AS share
FROM used
LEFT JOIN labels AS l ON l.key_id = used.key_id
JOIN (
    SELECT fp.plan_year, count(*) AS n_year_plans
    FROM filtered_plans AS fp
    WHERE fp.plan_year IS NOT NULL
    GROUP BY 1
) AS tot ON tot.plan_year = used.plan_year
ORDER BY used.plan_year, used.key_id
