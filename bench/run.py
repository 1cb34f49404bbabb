"""Command line and orchestration of the benchmarks (see bench/__init__.py)."""

from __future__ import annotations

import argparse
import itertools
import json
import os
import platform
import shutil
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench import corpus as cc
from bench import etl as etl_bench
from bench.report import render_table, write_results

ROOT = cc.ROOT
FULL_SIZES = (1_000, 10_000, 100_000)
QUICK_SIZES = (1_000,)
SEED = 2026


@dataclass
class Config:
    sizes: tuple[int, ...] = FULL_SIZES
    seed: int = SEED
    query_runs: int = 30
    pandas_runs: int = 10  # the pandas equivalents: slower, so fewer timed runs (each pooled)
    page_runs: int = 5
    pages: bool = True  # False: skip the browser step (it is skipped anyway without chromium)
    page_names: tuple[str, ...] = ()
    query_names: tuple[str, ...] = ()
    cache: Path = ROOT / "data" / "interim" / "bench"
    out: Path = ROOT / "bench-results"
    fresh: bool = False
    mode: str = "full"


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def _versions() -> dict[str, str]:
    import duckdb
    import pandas
    import streamlit

    return {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "duckdb": duckdb.__version__,
        "pandas": pandas.__version__,
        "streamlit": streamlit.__version__,
    }


def _write_json(path: Path, data: dict[str, Any]) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(data, indent=2), encoding="utf-8")
    os.replace(tmp, path)


def bench_etl(n: int, config: Config, version: str, cores: int) -> tuple[dict[str, Any], Path]:
    """The ETL entry of N documents and its warehouse (built, or reused from the cache)."""
    from etl.reading.discover import discover

    corpus = cc.ensure_corpus(n, config.seed, config.cache)
    how = f"generated in {corpus.seconds:.1f} s" if corpus.generated else "cached"
    log(f"N={n:,}: corpus {how} ({corpus.path})")
    db = cc.warehouse_path(config.cache, n, version, corpus.path)
    entry_path = db.with_name(db.name.removesuffix(".duckdb") + ".etl.json")
    if not config.fresh and db.is_file() and entry_path.is_file():
        entry = json.loads(entry_path.read_text(encoding="utf-8"))
        entry["cached"] = True
        log(f"N={n:,}: warehouse and ETL measurements cached ({db.name})")
        return entry, db
    paths = discover(corpus.path)
    etl_bench.read_all(paths)  # untimed: the floor and the build both find them in page cache
    floor = etl_bench.floor(paths)
    log(f"N={n:,}: floor {floor.seconds:.2f} s; building with every core ...")
    extract_cache = config.cache / "extract-cache" / str(n)
    shutil.rmtree(extract_cache, ignore_errors=True)  # a first build: the cache starts empty
    stem = db.name.removesuffix(".duckdb")
    build = etl_bench.measure_build(
        corpus.path, db, db.with_name(stem + ".build.json"), extract_cache
    )
    entry = etl_bench.etl_entry(build, floor, cores)
    log(f"N={n:,}: build {entry['wall_s']} s; warm rebuild with the extraction cache ...")
    warm_db = db.with_name(stem + ".rebuild.duckdb")
    try:
        rebuild = etl_bench.measure_build(
            corpus.path, warm_db, db.with_name(stem + ".rebuild.json"), extract_cache
        )
    finally:
        warm_db.unlink(missing_ok=True)
        shutil.rmtree(extract_cache, ignore_errors=True)
    entry |= etl_bench.rebuild_entry(rebuild, floor.files)
    entry["measured_at"] = datetime.now(UTC).isoformat(timespec="seconds")
    entry["corpus_generated_s"] = round(corpus.seconds, 2) if corpus.generated else None
    entry["warehouse"] = str(db)
    _write_json(entry_path, entry)
    cc.remove_other_warehouses(config.cache, n, db)
    entry["cached"] = False
    log(
        f"N={n:,}: build {entry['wall_s']} s, {entry['docs_per_s']} docs/s; warm rebuild "
        f"{entry['rebuild_wall_s']} s ({entry['rebuild_reused']} files reused)"
    )
    return entry, db


def run_bench(config: Config) -> dict[str, Any]:
    """Run every step; the result (the JSON written to bench-results/)."""
    started = time.perf_counter()
    cores = os.cpu_count() or 1
    version = cc.code_version()
    result: dict[str, Any] = {
        "schema_version": 1,
        "mode": config.mode,
        "started_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "cores": cores,
        "seed": config.seed,
        "sizes": list(config.sizes),
        "code_version": version,
        "machine": _versions(),
        "query_runs": config.query_runs,
        "pandas_runs": min(config.pandas_runs, config.query_runs),
        "page_runs": config.page_runs,
        "units": {
            "mb": "input: 10^6 bytes; RSS: MiB",
            "peak_rss_mb": "ru_maxrss of the build process (RUSAGE_SELF) + of its largest worker "
            "(RUSAGE_CHILDREN)",
            "floor": "read + NFC-normalise every file in ONE process; floor_ratio = ETL wall / "
            "floor; floor_ratio_per_core = ETL wall / (floor / cores)",
            "cpu": "cpu_main_s / cpu_workers_s = user + system seconds of the build process and "
            "of its workers; cpu_ms_per_doc = their sum per file; cpu_bound_docs_per_s = cores "
            "* 1000 / cpu_ms_per_doc (the throughput with no waiting at all)",
            "rebuild": "the build runs with an empty extraction cache (its figures include "
            "filling it); rebuild_* = a second build of the same files with that cache "
            "(rebuild_reused files taken from it)",
            "queries": "p50/p95 pooled over the filters' runs (query_runs per filter; the pandas "
            "equivalents pandas_runs per filter); by_filter has each; ratio_p95 = duckdb p95 / "
            "pandas p95",
            "pages": "idle_s = median over the rounds of click -> idle and drawn; first_s = "
            "first round (cold result cache)",
        },
    }

    etl: dict[str, Any] = {}
    dbs: dict[int, Path] = {}
    for n in sorted(config.sizes):
        etl[str(n)], dbs[n] = bench_etl(n, config, version, cores)
    sizes = sorted(config.sizes)
    for prev, n in itertools.pairwise(sizes):
        etl[str(n)]["growth"] = {
            "from_n": prev,
            "n_factor": n / prev,
            "time_factor": round(etl[str(n)]["wall_s"] / etl[str(prev)]["wall_s"], 2),
        }
    result["etl"] = etl

    n_max = sizes[-1]
    db = dbs[n_max]
    result["queries_db"] = {"n": n_max, "path": str(db)}
    log(f"queries on N={n_max:,}: {config.query_runs} runs each after a warm-up ...")
    from bench.queries import bench_queries

    q = bench_queries(
        db,
        config.query_runs,
        progress=lambda name: log(f"query {name}"),
        pandas_runs=min(config.pandas_runs, config.query_runs),
        only=config.query_names,
    )
    result["filters"] = q["filters"]
    result["queries"] = q["queries"]
    result["pandas"] = {"load_s": q["pandas_load_s"], "frames_mb": q["pandas_frames_mb"]}

    result.update(
        {
            "pages": {},
            "first_load": {},
            "streamlit_rss_mb": None,
            "streamlit_peak_rss_mb": None,
            "pages_skipped": None,
        }
    )
    from bench.pages import bench_pages, chromium_available

    if not config.pages:
        result["pages_skipped"] = "--no-pages"
    elif not chromium_available():
        result["pages_skipped"] = "no /usr/bin/chromium (apt-get install chromium)"
    else:
        log(f"pages on N={n_max:,}: {config.page_runs} rounds ...")
        try:
            pages = bench_pages(
                db,
                config.page_runs,
                config.out / "streamlit.log",
                only=config.page_names,
                progress=log,
            )
            result.update(pages)
        except Exception as err:  # report what was measured; say why the rest is missing
            result["pages_skipped"] = f"failed: {type(err).__name__}: {str(err)[:300]}"
    result["duration_s"] = round(time.perf_counter() - started, 1)
    return result


def _sizes(text: str) -> tuple[int, ...]:
    sizes = tuple(sorted({int(part.replace("_", "")) for part in text.split(",") if part}))
    if not sizes or min(sizes) < 1:
        raise argparse.ArgumentTypeError("sizes must be positive integers, e.g. 1000,10000")
    return sizes


def parse_args(argv: list[str] | None = None) -> Config:
    parser = argparse.ArgumentParser(
        prog="python -m bench",
        description="Benchmark the ETL, the dashboard's queries and its pages; print one table "
        "and write bench-results/latest.json.",
    )
    parser.add_argument(
        "--quick", action="store_true", help="N=1,000, 3 query runs, 2 page runs (make bench-quick)"
    )
    parser.add_argument(
        "--sizes", type=_sizes, help="comma-separated N (default 1000,10000,100000)"
    )
    parser.add_argument("--seed", type=int, default=SEED, help="demo corpus seed (2026)")
    parser.add_argument("--query-runs", type=int, help="timed runs per query and filter (30)")
    parser.add_argument(
        "--pandas-runs", type=int, help="timed runs per pandas equivalent and filter (10)"
    )
    parser.add_argument("--page-runs", type=int, help="rounds over the pages, first loads (5)")
    parser.add_argument("--no-pages", action="store_true", help="skip the browser step")
    parser.add_argument("--page-names", default="", help="only these pages (comma-separated)")
    parser.add_argument("--queries", default="", help="only these queries (comma-separated)")
    parser.add_argument("--cache", type=Path, help="corpora and warehouses (data/interim/bench)")
    parser.add_argument("--out", type=Path, help="where the JSON goes (bench-results)")
    parser.add_argument("--fresh", action="store_true", help="rebuild even if cached")
    args = parser.parse_args(argv)

    config = Config()
    if args.quick:
        config = Config(sizes=QUICK_SIZES, query_runs=3, page_runs=2, mode="quick")
    if args.sizes:
        config.sizes = args.sizes
        if not args.quick and args.sizes != FULL_SIZES:
            config.mode = "custom"
    config.seed = args.seed
    if args.query_runs is not None:
        config.query_runs = max(1, args.query_runs)
    if args.pandas_runs is not None:
        config.pandas_runs = max(1, args.pandas_runs)
    if args.page_runs is not None:
        config.page_runs = max(1, args.page_runs)
    config.pages = not args.no_pages
    config.page_names = tuple(n.strip() for n in args.page_names.split(",") if n.strip())
    config.query_names = tuple(n.strip() for n in args.queries.split(",") if n.strip())
    if args.cache:
        config.cache = args.cache
    if args.out:
        config.out = args.out
    config.fresh = args.fresh
    return config


def main(argv: list[str] | None = None) -> int:
    config = parse_args(argv)
    result = run_bench(config)
    table = render_table(result)
    print(table)
    latest = write_results(result, config.out, table)
    log(f"wrote {latest}")
    return 0
