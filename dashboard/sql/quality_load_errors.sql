-- Files the build could not load (or facts it dropped), with the reason (run with load_raw).
-- Params: none.
SELECT relpath, stage, problem
FROM load_errors
ORDER BY relpath, stage, problem
