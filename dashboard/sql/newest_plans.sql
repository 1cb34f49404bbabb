-- The newest filtered plans (by issue date, else publication date, else year).
-- Params: 1. how many rows (INTEGER).
SELECT fp.* EXCLUDE (plan_no, channel_mask, theme_mask, date_rank)
FROM filtered_plans AS fp
ORDER BY coalesce(fp.issue_date, fp.published_date, make_date(fp.plan_year, 1, 1)) DESC NULLS LAST,
    fp.plan_id
LIMIT CAST(? AS INTEGER)
