-- Channel mix by locality: for each province of the filtered plans (63-province era;
-- province_code '' = plans whose province is unknown) and each channel (or channel group)
-- used there, how many of the locality's filtered plans use it and what share of them.
-- A plan counts once per channel (or group); plans without channels count in the
-- denominator n_locality_plans only.
-- Params: 1. level: 'channel' (codebook channel ids) or 'group' (channel groups).
SELECT
    used.province_code,
    tot.locality_name,
    used.key_id,
    used.group_id,
    used.label_vi,
    used.label_en,
    used.n_plans,
    tot.n_locality_plans,
    used.n_plans / tot.n_locality_plans AS share
FROM (
    SELECT
        coalesce(fp.province_code, '') AS province_code,
        CASE WHEN prm.level = 'group' THEN coalesce(pc.group_id, 'other')
            ELSE pc.channel_id END AS key_id,
        coalesce(pc.group_id, 'other') AS group_id,
        min(CASE WHEN prm.level = 'group' THEN g.group_vi ELSE pc.label_vi END) AS label_vi,
        min(CASE WHEN prm.level = 'group' THEN g.group_en ELSE pc.label_en END) AS label_en,
        count(DISTINCT fp.plan_id) AS n_plans
    FROM filtered_plans AS fp
    JOIN plan_channels AS pc ON pc.plan_id = fp.plan_id
    CROSS JOIN (SELECT CAST(? AS VARCHAR) AS level) AS prm
    LEFT JOIN (
        SELECT group_id, min(group_vi) AS group_vi, min(group_en) AS group_en
        FROM codebook
        WHERE category = 'channel'
        GROUP BY group_id
    ) AS g ON g.group_id = pc.group_id
    GROUP BY 1, 2, 3
) AS used
JOIN (
    SELECT
        coalesce(fp.province_code, '') AS province_code,
        min(coalesce(loc.short_name, fp.province_name)) AS locality_name,
        count(DISTINCT fp.plan_id) AS n_locality_plans
    FROM filtered_plans AS fp
    LEFT JOIN (
        SELECT code, min(short_name) AS short_name
        FROM localities
        WHERE era = 'legacy' AND level = 'province'
        GROUP BY code
    ) AS loc ON loc.code = fp.province_code
    GROUP BY 1
) AS tot ON tot.province_code = used.province_code
ORDER BY tot.n_locality_plans DESC, tot.locality_name, used.province_code, used.key_id
