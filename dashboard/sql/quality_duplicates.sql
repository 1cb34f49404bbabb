-- Extra copies of already loaded files, skipped by the build (run with load_raw).
-- Params: none.
SELECT relpath, kept_relpath, doc_id
FROM duplicate_files
ORDER BY relpath
