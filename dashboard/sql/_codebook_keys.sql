-- The keys of the channel and theme charts, for every facet (codebook category) and level:
-- each id of the codebook (level = the facet itself: 'channel', 'theme', ...) and each group
-- of ids (level 'group'; key 'other' = the ids without a group), with its group, its labels
-- and ord, its first row in the codebook (the codebook's order). One row per facet, level and
-- key_id.
-- Not a query of its own: dashboard/queries.py puts it in front of the files that name
-- codebook_keys, as `codebook_keys AS (...)`.
-- Columns: facet, level, key_id, group_id, label_vi, label_en, ord. No parameters.
SELECT category AS facet, category AS level, id AS key_id,
    coalesce(group_id, 'other') AS group_id, label_vi, label_en, rowid AS ord
FROM codebook
UNION ALL
SELECT category, 'group', coalesce(group_id, 'other'), coalesce(group_id, 'other'),
    min(group_vi), min(group_en), min(rowid)
FROM codebook
GROUP BY category, coalesce(group_id, 'other')
