-- Channel mix by locality: for each province of the filtered plans (63-province era;
-- province_code '' = plans whose province is unknown) and each channel (or channel group)
-- used there, how many of the locality's filtered plans use it and what share of them.
-- A plan counts once per channel (or group); plans without channels count in the
-- denominator n_locality_plans only.
-- Counted on the plans' channel masks (plan_index.channel_mask, filter_bits): no join.
-- The plans per province are the shared CTE province_plans (_province_plans.sql).
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
    SELECT coalesce(fp.province_code, '') AS province_code, k.key_id, k.group_id,
        count(*) AS n_plans
    FROM filtered_plans AS fp
    JOIN keys AS k ON (fp.channel_mask & k.mask) <> 0
    GROUP BY 1, 2, 3
)
SELECT
    used.province_code,
    tot.locality_name,
    used.key_id,
    used.group_id,
    l.label_vi,
    l.label_en,
    used.n_plans,
    tot.n_locality_plans,
    used.n_plans / tot.n_locality_plans AS share
FROM used
LEFT JOIN labels AS l ON l.key_id = used.key_id
JOIN province_plans AS tot ON tot.province_code = used.province_code
ORDER BY tot.n_locality_plans DESC, tot.locality_name, used.province_code, used.key_id
