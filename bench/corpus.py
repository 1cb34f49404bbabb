"""Generated corpora and built warehouses, cached between runs.

- Corpus of N documents: `<cache>/<N>/`, written by `cchc-atlas demo-corpus --n N --seed S`.
  Reused when complete: the generator's marker file is there (it is written last, and the
  folder is renamed into place only when whole), names the same seed, and the manifest lists
  N documents.
- Warehouse of N documents: `<cache>/warehouses/<N>-<code version>-<corpus hash>.duckdb`, with
  the measurements of the build that made it beside it (`.etl.json`). The code version is a
  hash of the ETL's source (etl/**/*.py|yaml|csv|sql), the corpus hash one of its manifest,
  so any change to either builds (and measures) again; older warehouses of that N are removed.
"""

from __future__ import annotations

import csv
import hashlib
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ETL_DIR = ROOT / "etl"
MARKER = ".demo-corpus"  # etl.demo.generator.MARKER, written last by the generator
MANIFEST = "manifest.csv"


def code_version(root: Path = ETL_DIR) -> str:
    """12 hex digits identifying the ETL: the extraction cache's fingerprint over every file
    under etl/ (code, vocabulary and the warehouse's SQL, plus the Python and reading
    libraries' versions)."""
    from etl.load.cache import fingerprint

    return fingerprint(root, whole=True)[:12]


def manifest_rows(folder: Path) -> int:
    path = folder / MANIFEST
    if not path.is_file():
        return -1
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return max(sum(1 for _ in csv.reader(handle)) - 1, 0)


def corpus_complete(folder: Path, n: int, seed: int) -> bool:
    marker = folder / MARKER
    if not marker.is_file():
        return False
    text = marker.read_text(encoding="utf-8", errors="replace")
    if "seed=" in text and f"seed={seed}" not in text.split():
        return False
    return manifest_rows(folder) == n


def corpus_hash(folder: Path) -> str:
    return hashlib.sha256((folder / MANIFEST).read_bytes()).hexdigest()[:8]


@dataclass
class Corpus:
    n: int
    seed: int
    path: Path
    generated: bool  # False: reused from the cache
    seconds: float  # generation time (0 when reused)


def ensure_corpus(n: int, seed: int, cache: Path) -> Corpus:
    """The corpus of `n` documents in the cache, generated when missing or incomplete."""
    folder = cache / str(n)
    if corpus_complete(folder, n, seed):
        return Corpus(n, seed, folder, generated=False, seconds=0.0)
    cache.mkdir(parents=True, exist_ok=True)
    cmd = [sys.executable, "-m", "etl.cli", "demo-corpus", "--n", str(n), "--seed", str(seed)]
    started = time.perf_counter()
    done = subprocess.run(
        [*cmd, "--out", str(folder)], cwd=ROOT, capture_output=True, text=True, check=False
    )
    seconds = time.perf_counter() - started
    if done.returncode != 0 or not corpus_complete(folder, n, seed):
        raise RuntimeError(
            f"demo-corpus --n {n} --seed {seed} failed (exit {done.returncode}):\n"
            f"{done.stdout[-2000:]}{done.stderr[-2000:]}"
        )
    return Corpus(n, seed, folder, generated=True, seconds=seconds)


def warehouse_path(cache: Path, n: int, version: str, corpus: Path) -> Path:
    return cache / "warehouses" / f"{n}-{version}-{corpus_hash(corpus)}.duckdb"


def remove_other_warehouses(cache: Path, n: int, keep: Path) -> None:
    folder = cache / "warehouses"
    if not folder.is_dir():
        return
    for path in folder.glob(f"{n}-*"):
        if path.name.startswith(keep.name.removesuffix(".duckdb")):
            continue
        path.unlink(missing_ok=True)
