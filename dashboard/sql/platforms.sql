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
        count(DISTINCT fp.plan_id) AS n_plans_total,
        count(DISTINCT CASE WHEN fp.plan_id IN (
            SELECT plan_id FROM plan_channels WHERE channel_id = 'social_media'
            UNION
            SELECT plan_id FROM plan_platforms
        ) THEN fp.plan_id END) AS n_social_plans
    FROM filtered_plans AS fp
) AS tot
LEFT JOIN (
    SELECT pp.platform_id, count(DISTINCT fp.plan_id) AS n_plans
    FROM filtered_plans AS fp
    JOIN plan_platforms AS pp ON pp.plan_id = fp.plan_id
    GROUP BY 1
) AS used ON used.platform_id = k.platform_id
WHERE tot.n_plans_total > 0
ORDER BY n_plans DESC, k.platform_id
