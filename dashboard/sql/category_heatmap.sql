-- Locality x channel (or theme) grid: every province of the filtered plans ('' = unknown
-- province) crossed with every channel (theme) of the codebook, or every group of them, with
-- the number of the locality's filtered plans that use (address) it, 0 when none, and their
-- share. Counted on the plans' channel or theme masks (plan_index, filter_bits): no join.
-- The provinces and the codebook keys are the shared CTEs province_plans and codebook_keys
-- (_province_plans.sql, _codebook_keys.sql).
-- Params: 1. facet: 'channel' or 'theme';
--         2. level: the facet again (codebook ids) or 'group' (codebook groups).
WITH prm AS (
    SELECT CAST(? AS VARCHAR) AS facet, CAST(? AS VARCHAR) AS level
),
keys AS (
    SELECT
        CASE WHEN prm.level = 'group' THEN coalesce(b.group_id, 'other') ELSE b.id END
            AS key_id,
        bit_or(b.mask) AS mask
    FROM filter_bits AS b
    CROSS JOIN prm
    WHERE b.facet = prm.facet
    GROUP BY 1
),
used AS (
    SELECT coalesce(fp.province_code, '') AS province_code, k.key_id, count(*) AS n_plans
    FROM filtered_plans AS fp
    CROSS JOIN prm
    JOIN keys AS k
        ON (CASE WHEN prm.facet = 'channel' THEN fp.channel_mask ELSE fp.theme_mask END
            & k.mask) <> 0
    GROUP BY 1, 2
)
SELECT
    tot.province_code,
    tot.locality_name,
    k.key_id,
    k.group_id,
    k.label_vi,
    k.label_en,
    coalesce(used.n_plans, 0) AS n_plans,
    tot.n_locality_plans,
    coalesce(used.n_plans, 0) / tot.n_locality_plans AS share
FROM prm
CROSS JOIN province_plans AS tot
JOIN codebook_keys AS k ON k.facet = prm.facet AND k.level = prm.level
LEFT JOIN used ON used.key_id = k.key_id AND used.province_code = tot.province_code
ORDER BY tot.n_locality_plans DESC, tot.locality_name, tot.province_code, k.key_id
