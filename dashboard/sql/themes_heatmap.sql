-- Locality x theme grid: every province of the filtered plans ('' = unknown province)
-- crossed with every theme of the codebook (or every theme group), with the number of the
-- locality's filtered plans that address it (0 when none) and their share.
-- Params: 1. level: 'theme' (codebook theme ids) or 'group' (theme groups).
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
FROM (SELECT CAST(? AS VARCHAR) AS level) AS prm
CROSS JOIN (
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
) AS tot
JOIN (
    SELECT 'theme' AS level, id AS key_id, coalesce(group_id, 'other') AS group_id,
        label_vi, label_en
    FROM codebook
    WHERE category = 'theme'
    UNION ALL
    SELECT 'group', coalesce(group_id, 'other'), coalesce(group_id, 'other'),
        min(group_vi), min(group_en)
    FROM codebook
    WHERE category = 'theme'
    GROUP BY group_id
) AS k ON k.level = prm.level
LEFT JOIN (
    SELECT 'theme' AS level, coalesce(fp.province_code, '') AS province_code,
        pt.theme_id AS key_id, count(DISTINCT fp.plan_id) AS n_plans
    FROM filtered_plans AS fp
    JOIN plan_themes AS pt ON pt.plan_id = fp.plan_id
    GROUP BY 2, 3
    UNION ALL
    SELECT 'group', coalesce(fp.province_code, ''), coalesce(pt.group_id, 'other'),
        count(DISTINCT fp.plan_id)
    FROM filtered_plans AS fp
    JOIN plan_themes AS pt ON pt.plan_id = fp.plan_id
    GROUP BY 2, 3
) AS used ON used.level = k.level
    AND used.key_id = k.key_id
    AND used.province_code = tot.province_code
ORDER BY tot.n_locality_plans DESC, tot.locality_name, tot.province_code, k.key_id
