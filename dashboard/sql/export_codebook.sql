-- Export: the codebook the facts were coded with (run with load_raw). Params: none.
SELECT * FROM codebook ORDER BY category, id
