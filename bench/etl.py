"""ETL throughput: `build_warehouse(docs, db, workers=0)` against a floor.

- The build runs in a child process (`python -m bench.etl --docs D --db F --json OUT`), so its
  peak memory is its own: peak RSS = ru_maxrss of the child itself (RUSAGE_SELF) plus that of
  its largest worker (RUSAGE_CHILDREN: the pool's processes, reaped when the pool closes), in
  MiB. Wall time is the call to build_warehouse only (the child's Python start-up and imports
  are not counted; the worker processes' start-up is, as it is part of every build).
- The floor: read every file the build reads (etl.reading.discover) and NFC-normalise it in
  Python (bytes -> str, UTF-8 with replacement, unicodedata.normalize), nothing else, in ONE
  process. It runs after an untimed read of the files, so both it and the build find the files
  in the page cache. floor_ratio = ETL wall time / floor time (single process); the build uses
  every core, so floor_ratio_per_core = ETL wall time / (floor time / cores) says how far the
  build is from the floor spread perfectly over the cores.
- CPU: user + system seconds of the build process (`cpu_main_s`, from the call to
  build_warehouse) and of its workers (`cpu_workers_s`: RUSAGE_CHILDREN, the pool's processes).
  `cpu_ms_per_doc` is their sum per file, and `cpu_bound_docs_per_s` = cores * 1000 /
  cpu_ms_per_doc: the most the build could do on these cores with no waiting at all, which
  says whether a throughput target needs less work per document or just more cores.
- The extraction cache (etl/load/cache.py): the build runs as `cchc-atlas build` does, with a
  cache folder, empty at first (`--cache DIR`): its figures include storing every document's
  rows. A second build into another file with the now full cache is the warm rebuild
  (`rebuild_*`: what a rebuild after an upload costs when nearly every file is unchanged).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.corpus import ROOT

MB = 1_000_000  # input sizes and throughput: decimal megabytes


@dataclass
class Floor:
    files: int
    bytes: int
    chars: int  # characters after NFC normalisation
    seconds: float


def read_all(paths: Sequence[Path]) -> int:
    """Read every file once (untimed warm-up); the number of bytes read."""
    return sum(len(path.read_bytes()) for path in paths)


def floor(paths: Sequence[Path]) -> Floor:
    """Read each file and NFC-normalise its text, nothing else, in this process."""
    n_bytes = n_chars = 0
    started = time.perf_counter()
    for path in paths:
        data = path.read_bytes()
        text = unicodedata.normalize("NFC", data.decode("utf-8", errors="replace"))
        n_bytes += len(data)
        n_chars += len(text)
    return Floor(len(paths), n_bytes, n_chars, time.perf_counter() - started)


def _maxrss_mib(who: int) -> float:
    # Linux: kibibytes; macOS: bytes
    value = resource.getrusage(who).ru_maxrss
    return value / (1024 * 1024) if sys.platform == "darwin" else value / 1024


def _cpu_s(who: int) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def child_main(argv: list[str] | None = None) -> int:
    """Entry point of the child: build, then write the measurements as JSON."""
    parser = argparse.ArgumentParser(prog="python -m bench.etl")
    parser.add_argument("--docs", required=True)
    parser.add_argument("--db", required=True)
    parser.add_argument("--json", required=True)
    parser.add_argument("--cache", default=None, help="extraction cache folder (default: none)")
    args = parser.parse_args(argv)

    # what build_warehouse imports lazily, imported before the clock starts
    import duckdb  # noqa: F401
    import pandas  # noqa: F401
    import pyarrow  # noqa: F401

    import etl.codebook
    import etl.gazetteer.tables
    import etl.load.frames
    import etl.load.plans
    import etl.reading.discover
    import etl.reading.manifest  # noqa: F401
    from etl.load.build import build_warehouse

    cpu_before = _cpu_s(resource.RUSAGE_SELF)
    started = time.perf_counter()
    cache = Path(args.cache) if args.cache else None
    summary = build_warehouse(Path(args.docs), Path(args.db), workers=0, cache=cache)
    wall = time.perf_counter() - started
    result = {
        "wall_s": wall,
        "documents": summary.documents,
        "duplicates": summary.duplicates,
        "plans": summary.plans,
        "errors": len(summary.errors),
        "written": summary.written,
        "workers": os.cpu_count() or 1,
        "rss_self_mb": _maxrss_mib(resource.RUSAGE_SELF),
        "rss_children_mb": _maxrss_mib(resource.RUSAGE_CHILDREN),
        "cpu_main_s": _cpu_s(resource.RUSAGE_SELF) - cpu_before,
        "cpu_workers_s": _cpu_s(resource.RUSAGE_CHILDREN),  # no child ran before the build
        "cache": summary.cache,
        "cache_reused": summary.cache_reused,
    }
    out = Path(args.json)
    tmp = out.with_name(out.name + ".tmp")
    tmp.write_text(json.dumps(result, indent=2), encoding="utf-8")
    os.replace(tmp, out)
    return 0 if summary.written else 1


def measure_build(
    docs: Path, db: Path, result_json: Path, cache: Path | None = None
) -> dict[str, Any]:
    """Build `db` from `docs` in a child process (with the extraction cache `cache`); its
    measurements."""
    db.parent.mkdir(parents=True, exist_ok=True)
    result_json.unlink(missing_ok=True)
    cmd = [
        sys.executable,
        "-m",
        "bench.etl",
        "--docs",
        str(docs),
        "--db",
        str(db),
        "--json",
        str(result_json),
        *(["--cache", str(cache)] if cache is not None else []),
    ]
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, check=False)
    if done.returncode != 0 or not result_json.is_file():
        raise RuntimeError(
            f"the build of {docs} failed (exit {done.returncode}):\n"
            f"{done.stdout[-3000:]}{done.stderr[-3000:]}"
        )
    return json.loads(result_json.read_text(encoding="utf-8"))


def cpu_ms_per_doc(build: dict[str, Any], files: int) -> float | None:
    cpu_main = build.get("cpu_main_s")
    cpu_workers = build.get("cpu_workers_s")
    if cpu_main is None or cpu_workers is None or not files:
        return None
    return (float(cpu_main) + float(cpu_workers)) * 1000 / files


def rebuild_entry(rebuild: dict[str, Any], files: int) -> dict[str, Any]:
    """The warm rebuild's figures (added to the ETL entry of the same N)."""
    wall = float(rebuild["wall_s"])
    cpu_ms = cpu_ms_per_doc(rebuild, files)
    return {
        "rebuild_wall_s": round(wall, 3),
        "rebuild_docs_per_s": round(files / wall, 2) if wall else None,
        "rebuild_reused": rebuild.get("cache_reused"),
        "rebuild_cpu_ms_per_doc": round(cpu_ms, 3) if cpu_ms else None,
        "rebuild_peak_rss_mb": round(rebuild["rss_self_mb"] + rebuild["rss_children_mb"], 1),
    }


def etl_entry(build: dict, fl: Floor, cores: int) -> dict[str, float | int | bool | None]:
    """The JSON entry of one N from the child's measurements and the floor."""
    wall = float(build["wall_s"])
    files = fl.files
    floor_s = fl.seconds
    cpu_main = build.get("cpu_main_s")
    cpu_workers = build.get("cpu_workers_s")
    cpu_ms = cpu_ms_per_doc(build, files)
    return {
        "files": files,
        "documents": build["documents"],
        "plans": build["plans"],
        "errors": build["errors"],
        "input_mb": round(fl.bytes / MB, 3),
        "wall_s": round(wall, 3),
        "docs_per_s": round(files / wall, 2) if wall else None,
        "mb_per_s": round(fl.bytes / MB / wall, 4) if wall else None,
        "peak_rss_mb": round(build["rss_self_mb"] + build["rss_children_mb"], 1),
        "rss_self_mb": round(build["rss_self_mb"], 1),
        "rss_children_mb": round(build["rss_children_mb"], 1),
        "workers": build.get("workers", cores),
        "floor_s": round(floor_s, 4),
        "floor_docs_per_s": round(files / floor_s, 1) if floor_s else None,
        "floor_mb_per_s": round(fl.bytes / MB / floor_s, 2) if floor_s else None,
        "floor_processes": 1,
        "floor_ratio": round(wall / floor_s, 2) if floor_s else None,
        "floor_ratio_per_core": round(wall / (floor_s / cores), 2) if floor_s else None,
        "cpu_main_s": round(float(cpu_main), 2) if cpu_main is not None else None,
        "cpu_workers_s": round(float(cpu_workers), 2) if cpu_workers is not None else None,
        "cpu_ms_per_doc": round(cpu_ms, 3) if cpu_ms else None,
        "cpu_bound_docs_per_s": round(cores * 1000 / cpu_ms, 1) if cpu_ms else None,
    }


if __name__ == "__main__":
    raise SystemExit(child_main())
