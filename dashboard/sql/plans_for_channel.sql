-- The filtered plans behind a channel chart's bar or cell: plans using the channel (or a
-- channel of the group), optionally of one province and one year.
-- Params: 1. level: 'channel' or 'group'; 2. the channel id or group id;
--         3. province_code ('' = unknown province; NULL = any);
--         4. plan_year (NULL = any).
SELECT fp.*
FROM filtered_plans AS fp
CROSS JOIN (
    SELECT
        CAST(? AS VARCHAR) AS level,
        CAST(? AS VARCHAR) AS key_id,
        CAST(? AS VARCHAR) AS province_code,
        CAST(? AS INTEGER) AS plan_year
) AS prm
WHERE EXISTS (
        SELECT 1
        FROM plan_channels AS pc
        WHERE pc.plan_id = fp.plan_id
            AND CASE WHEN prm.level = 'group' THEN coalesce(pc.group_id, 'other')
                ELSE pc.channel_id END = prm.key_id
    )
    AND (prm.province_code IS NULL OR coalesce(fp.province_code, '') = prm.province_code)
    AND (prm.plan_year IS NULL OR fp.plan_year = prm.plan_year)
ORDER BY fp.issue_date NULLS LAST, fp.plan_year NULLS LAST, fp.plan_id
