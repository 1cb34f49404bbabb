-- Social platforms: for each platform of the codebook, how many filtered plans name it,
-- of how many filtered plans in all (n_plans_total) and of how many use social media at all
-- (n_social_plans: channel 'social_media' or any platform named).
-- Params: none.
SELECT
    k.platform_id,
    k.label_vi,
    k.label_en,
    coalesce(used.n_plans, 0) AS n_plans,
    tot.n_plans_total,
    tot.n_social_plans,
    coalesce(used.n_plans, 0) / nullif(tot.n_plans_total, 0) AS share,
    coalesce(used.n_plans, 0) / nullif(tot.n_social_plans, 0) AS share_of_social
FROM (
    SELECT id AS platform_id, label_vi, label_en
    FROM codebook
    WHERE category = 'platform'
) AS k
CROSS JOIN (
    SELECT
        count(*) AS n_plans_total,
        count(*) FILTER (WHERE (fp.channel_mask & social.mask) <> 0
            OR fp.plan_no IN (SELECT plan_no FROM plan_platforms)) AS n_social_plans
    FROM filtered_plans AS fp
    CROSS JOIN (
        SELECT coalesce(bit_or(mask), CAST(0 AS UBIGINT)) AS mask
        FROM filter_bits
        WHERE facet = 'channel' AND id = 'social_media'
    ) AS social
) AS tot
LEFT JOIN (
    SELECT pp.platform_id, count(DISTINCT fp.plan_no) AS n_plans
    FROM filtered_plans AS fp
    JOIN plan_platforms AS pp ON pp.plan_no = fp.plan_no
    GROUP BY 1
) AS used ON used.platform_id = k.platform_id
WHERE tot.n_plans_total > 0
ORDER BY n_plans DESC, k.platform_id
