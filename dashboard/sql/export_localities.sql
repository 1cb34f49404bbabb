-- Export: the gazetteer of both eras (run with load_raw: not filtered). Params: none.
SELECT * FROM localities ORDER BY era, level, code
