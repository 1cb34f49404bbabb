"""CCHC Atlas benchmarks at national scale: `python -m bench` (`make bench`, `make bench-quick`).

For N generated documents (`cchc-atlas demo-corpus --n N --seed 2026`, cached under
data/interim/bench/<N>), it measures and prints ONE table, written as JSON to
bench-results/latest.json (and a dated copy):

- etl: wall time of `build_warehouse(docs, db, workers=0, cache=<empty folder>)` (a first
  build, which fills the extraction cache), documents/s, MB/s of input, peak RSS (build
  process + its largest worker), the floor (read + NFC-normalise every file, one process) and
  the ratio, how time grows from N to 10N, the CPU spent per document by the build and its
  workers with the throughput that allows on this machine's cores, and the warm rebuild: the
  same files built again with that cache (bench/etl.py);
- queries: every dashboard/sql/*.sql query, composed and run exactly as the dashboard does,
  on the largest N's warehouse under four filters, p50/p95, and the pandas equivalent where
  there is one (bench/queries.py, bench/pandas_eq.py);
- pages: time from a sidebar click to an idle, drawn page in headless Chromium, first load,
  the Streamlit server's RSS (bench/pages.py; skipped without /usr/bin/chromium or with
  --no-pages).

Benchmarks report; they assert nothing about times. Warehouses and their ETL measurements are
cached by N, ETL code version and corpus (bench/corpus.py): an interrupted `make bench`
resumes without rebuilding what it already measured (`--fresh` measures again).
"""
