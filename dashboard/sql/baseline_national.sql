-- The national profile a comparison is measured against: of all filtered plans (every
-- province) of the given years, how many use each channel / address each theme, and the
-- share; both for the codebook ids (level 'id') and for their groups (level 'group'). Every
-- codebook key is listed (0 when no plan has it).
-- Columns: category ('channel' | 'theme'), level ('id' | 'group'), key_id, group_id,
-- label_vi, label_en, n_plans, n_total (plans of those years), share.
-- Params: 1. plan years INTEGER[] ([] = every year).
WITH prm AS (
    SELECT CAST(? AS INTEGER[]) AS years
),
base AS (
    SELECT fp.plan_no, fp.channel_mask, fp.theme_mask
    FROM filtered_plans AS fp
    CROSS JOIN prm
    WHERE len(prm.years) = 0 OR list_contains(prm.years, fp.plan_year)
),
total AS (
    SELECT count(*) AS n_total FROM base
),
key_masks AS (
    SELECT facet AS category, 'id' AS level, id AS key_id, mask
    FROM filter_bits
    UNION ALL
    SELECT facet, 'group', coalesce(group_id, 'other'), bit_or(mask)
    FROM filter_bits
    GROUP BY facet, coalesce(group_id, 'other')
),
keys AS (
    SELECT category, 'id' AS level, id AS key_id, coalesce(group_id, 'other') AS group_id,
        label_vi, label_en, rowid AS ord
    FROM codebook
    WHERE category IN ('channel', 'theme')
    UNION ALL
    SELECT category, 'group', coalesce(group_id, 'other'), coalesce(group_id, 'other'),
        min(group_vi), min(group_en), min(rowid)
    FROM codebook
    WHERE category IN ('channel', 'theme')
    GROUP BY category, coalesce(group_id, 'other')
),
used AS (
    SELECT k.category, k.level, k.key_id, count(*) AS n_plans
    FROM base AS b
    JOIN key_masks AS k
        ON ((CASE WHEN k.category = 'channel' THEN b.channel_mask ELSE b.theme_mask END)
            & k.mask) <> 0
    GROUP BY 1, 2, 3
)
SELECT
    k.category,
    k.level,
    k.key_id,
    k.group_id,
    k.label_vi,
    k.label_en,
    coalesce(u.n_plans, 0) AS n_plans,
    t.n_total,
    coalesce(u.n_plans, 0) / t.n_total AS share
FROM keys AS k
CROSS JOIN total AS t
LEFT JOIN used AS u
    ON u.category = k.category AND u.level = k.level AND u.key_id = k.key_id
WHERE t.n_total > 0
ORDER BY k.category, k.level, k.ord
