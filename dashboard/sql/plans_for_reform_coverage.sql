-- The filtered plans that address exactly k of the six reform areas.
-- Params: 1. k (number of reform areas).
SELECT fp.*
FROM filtered_plans AS fp
WHERE (
    SELECT count(DISTINCT pt.theme_id)
    FROM plan_themes AS pt
    WHERE pt.plan_id = fp.plan_id AND pt.group_id = 'reform_area'
) = CAST(? AS INTEGER)
ORDER BY fp.issue_date NULLS LAST, fp.plan_year NULLS LAST, fp.plan_id
