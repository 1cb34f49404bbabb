-- Map metric "share of plans using a channel (or a channel group)": for each province of an
-- era, how many of its filtered plans use the channel (a channel of the group) and what share.
-- Provinces are placed as in map_metric_plans.sql (2025: province_code_2025, else the
-- crosswalk of the legacy province); code '' = plans with no province in that era.
-- Columns: code, name_vi, name_en, n_plans (plans in the province), n_hits (of them, plans
-- using it), value (n_hits / n_plans, 0..1), legacy_codes.
-- Counted on the plans' channel masks (plan_index.channel_mask, filter_bits): no join.
-- Params: 1. era: 'legacy' | '2025'; 2. level: 'channel' | 'group'; 3. channel id or group id.
WITH prm AS (
    SELECT
        CAST(? AS VARCHAR) AS era,
        CAST(? AS VARCHAR) AS level,
        CAST(? AS VARCHAR) AS key_id
),
placed AS (
    SELECT
        fp.plan_no,
        fp.channel_mask AS mask,
        fp.province_code AS legacy_code,
        coalesce(
            CASE WHEN prm.era = '2025'
                THEN coalesce(fp.province_code_2025, cw.province_code_2025)
                ELSE fp.province_code END,
            ''
        ) AS code
    FROM filtered_plans AS fp
    CROSS JOIN prm
    LEFT JOIN locality_crosswalk AS cw ON cw.province_code = fp.province_code
),
key_mask AS (
    SELECT coalesce(bit_or(b.mask), CAST(0 AS UBIGINT)) AS mask
    FROM filter_bits AS b
    CROSS JOIN prm
    WHERE b.facet = 'channel'
        AND CASE WHEN prm.level = 'group' THEN coalesce(b.group_id, 'other')
            ELSE b.id END = prm.key_id
)
SELECT
    p.code,
    min(loc.name) AS name_vi,
    min(loc.name_en) AS name_en,
    count(*) AS n_plans,
    count(*) FILTER (WHERE (p.mask & k.mask) <> 0) AS n_hits,
    count(*) FILTER (WHERE (p.mask & k.mask) <> 0) / count(*) AS value,
    string_agg(DISTINCT p.legacy_code, ',' ORDER BY p.legacy_code) AS legacy_codes
FROM placed AS p
CROSS JOIN prm
CROSS JOIN key_mask AS k
LEFT JOIN localities AS loc
    ON loc.era = prm.era AND loc.level = 'province' AND loc.code = p.code
GROUP BY p.code
ORDER BY p.code
