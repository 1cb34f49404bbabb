-- Every build fact as key/value text (run with load_raw).
-- Params: none.
SELECT key, value FROM build_info ORDER BY key
