-- Channel mix by year: for each plan year of the filtered plans and each channel (or channel
-- group) used that year, how many of that year's filtered plans use it and what share of
-- them. Plans whose year is unknown are left out. A plan counts once per channel (or group).
-- Params: 1. level: 'channel' (codebook channel ids) or 'group' (channel groups).
SELECT
    used.plan_year,
    used.key_id,
    used.group_id,
    used.label_vi,
    used.label_en,
    used.n_plans,
    tot.n_year_plans,
    used.n_plans / tot.n_year_plans AS share
FROM (
    SELECT
        fp.plan_year,
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
    WHERE fp.plan_year IS NOT NULL
    GROUP BY 1, 2, 3
) AS used
JOIN (
    SELECT fp.plan_year, count(DISTINCT fp.plan_id) AS n_year_plans
    FROM filtered_plans AS fp
    WHERE fp.plan_year IS NOT NULL
    GROUP BY 1
) AS tot ON tot.plan_year = used.plan_year
ORDER BY used.plan_year, used.key_id
