"""Extraction cache: a rebuild reads every file but extracts only those that changed.

Reading and extracting a document costs ~4-6 ms of CPU; a rebuild after an upload of a few
files to a folder of 100,000 would otherwise extract all 100,000 again. The cache keeps what
`build.load_file` returns for each successfully extracted file (the rows the warehouse keeps
of it), so a rebuild only pays for reading and hashing the unchanged ones.

- **Key of a file**: the sha256 of its bytes (its doc_id), its path as given and its path
  relative to the documents folder, and its manifest row (`repr`). Any change to one of them is
  a miss.
- **Key of the extractor** (`fingerprint`): the bytes and paths of every file under `etl/`
  (code and vocabulary: patterns, codebook, gazetteer aliases...), the Python version (its
  Unicode tables drive NFC and case folding) and the versions of the libraries that read
  documents (trafilatura and its HTML stack, charset-normalizer, pypdf, python-docx, the
  gazetteer's data package). Each fingerprint has its own file `extract-<fingerprint>.sqlite`
  in the cache folder; opening the cache deletes the files of other fingerprints, so editing
  one pattern invalidates every entry at once and old entries never pile up.
  Left out (`NOT_EXTRACTION`): the warehouse's SQL (`load/sql/`, run on the rows after they
  leave `load_file`, at every build), its data dictionary and the demo-corpus generator
  (`demo/`, which no extraction module imports: tests/integration/test_extract_cache.py). A
  change to a dashboard table in views.sql then rebuilds the warehouse from the cache instead
  of extracting every document again.
- **What is stored**: only files that were read and extracted ("ok" outcomes). Errors are not:
  a timeout depends on the machine, and a broken file is cheap to refuse again.
- **Never wrong, never fatal**: a cached build gives the same tables as a build without the
  cache (tests/integration/test_extract_cache.py). Any problem with the cache (a folder that
  cannot be created, a corrupt or locked file, a disk full, an entry that cannot be decoded)
  becomes a `problem` message in the build's summary, and the build goes on extracting: the
  cache can make a build faster, never fail it.
- Entries are pickled (zlib level 1, ~3 KB per document): the cache folder must be as trusted
  as the code, like any pickle cache. The default folder is `data/interim/extract-cache`
  (git-ignored; `$CCHC_ATLAS_EXTRACT_CACHE` overrides it).
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import logging
import os
import pickle
import sqlite3
import sys
import unicodedata
import zlib
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Any

from etl.models import ManifestRow, file_document_id

__all__ = [
    "CACHE_ENV",
    "DEFAULT_CACHE",
    "LIBRARIES",
    "NOT_EXTRACTION",
    "ExtractCache",
    "add_cache_arguments",
    "cache_folder",
    "content_id",
    "default_cache_dir",
    "file_key",
    "fingerprint",
]

CACHE_ENV = "CCHC_ATLAS_EXTRACT_CACHE"
PROJECT_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_CACHE = "data/interim/extract-cache"
ETL_DIR = Path(__file__).resolve().parents[1]
# The distributions whose behaviour reaches the extracted text or facts.
LIBRARIES = (
    "charset-normalizer",
    "courlan",
    "htmldate",
    "justext",
    "lxml",
    "lxml_html_clean",
    "pypdf",
    "python-docx",
    "trafilatura",
    "vietnamadminunits",
)
# Paths under etl/ (folders or files) that no extraction reads: see the module doc.
NOT_EXTRACTION = ("load/sql", "load/dictionary.yaml", "demo")
_FILE_PREFIX = "extract-"
_FILE_SUFFIX = ".sqlite"
_WRITE_BATCH = 256  # entries per transaction
_COMPRESSION = 1  # zlib level: ~2.2x smaller for ~0.08 ms per document
_LOG = logging.getLogger(__name__)


def default_cache_dir() -> Path:
    """`$CCHC_ATLAS_EXTRACT_CACHE`, else `data/interim/extract-cache` in the project."""
    value = os.environ.get(CACHE_ENV, "").strip()
    return Path(value).expanduser() if value else PROJECT_ROOT / DEFAULT_CACHE


def add_cache_arguments(parser: argparse.ArgumentParser) -> None:
    """`--cache DIR` and `--no-cache`, for the commands that build a warehouse."""
    group = parser.add_mutually_exclusive_group()
    group.add_argument(
        "--cache",
        type=Path,
        default=None,
        help=f"folder of the extraction cache (default: ${CACHE_ENV}, else {DEFAULT_CACHE})",
    )
    group.add_argument(
        "--no-cache", action="store_true", help="extract every file; do not use the cache"
    )


def cache_folder(args: argparse.Namespace) -> Path | None:
    """The cache folder `add_cache_arguments`' options ask for (None: no cache)."""
    if args.no_cache:
        return None
    return Path(args.cache) if args.cache is not None else default_cache_dir()


def _outside_extraction(relpath: Path) -> bool:
    parts = relpath.as_posix()
    return any(parts == skip or parts.startswith(f"{skip}/") for skip in NOT_EXTRACTION)


def _library_version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "absent"


@lru_cache(maxsize=8)
def fingerprint(root: Path = ETL_DIR, *, whole: bool = False) -> str:
    """16 hex digits naming the extractor: the files under `root` (content and paths) but those
    of `NOT_EXTRACTION`, the Python and Unicode versions, and the versions of `LIBRARIES`.
    `whole`: every file under `root`, NOT_EXTRACTION too (a key of the whole ETL, warehouse SQL
    included, as bench/corpus.py names built warehouses)."""
    digest = hashlib.sha256()
    files = sorted(
        p
        for p in root.rglob("*")
        if p.is_file()
        and "__pycache__" not in p.parts
        and p.suffix not in (".pyc", ".pyo")
        and (whole or not _outside_extraction(p.relative_to(root)))
    )
    for path in files:
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    digest.update(f"python {sys.version_info[:3]} unicode {unicodedata.unidata_version}".encode())
    for name in LIBRARIES:
        digest.update(f"\0{name}=={_library_version(name)}".encode())
    return digest.hexdigest()[:16]


def file_key(doc_id: str, path: str, relpath: str, row: ManifestRow | None) -> str:
    """The cache key of one file: what `load_file` depends on besides the extractor."""
    digest = hashlib.sha256()
    for part in (doc_id, path, relpath, repr(row)):
        digest.update(part.encode("utf-8", "surrogatepass"))
        digest.update(b"\0")
    return digest.hexdigest()


def content_id(path: str) -> str | None:
    """The sha256 of the file's bytes (its doc_id), or None when it cannot be read now (the
    worker will say why)."""
    try:
        return file_document_id(path)
    except OSError:
        return None


@dataclass
class ExtractCache:
    """One fingerprint's cache file. Use `ExtractCache.open(folder)`; every method is safe to
    call after a problem (the cache is then off, and `problem` says why)."""

    folder: Path
    fingerprint: str
    hits: int = 0
    misses: int = 0
    stored: int = 0
    problem: str | None = None
    writable: bool = True  # False after a failed write: entries are still read
    _con: sqlite3.Connection | None = field(default=None, repr=False)
    _pending: list[tuple[str, bytes]] = field(default_factory=list, repr=False)

    @property
    def path(self) -> Path:
        return self.folder / f"{_FILE_PREFIX}{self.fingerprint}{_FILE_SUFFIX}"

    @property
    def usable(self) -> bool:
        return self._con is not None

    @classmethod
    def open(cls, folder: Path, fingerprint_: str | None = None) -> ExtractCache:
        cache = cls(Path(folder), fingerprint_ or fingerprint())
        try:
            cache.folder.mkdir(parents=True, exist_ok=True)
            cache._remove_other_fingerprints()
            cache._con = _connect(cache.path)
        except (OSError, sqlite3.Error) as err:
            cache._fail(f"cannot open {cache.path}", err)
            if isinstance(err, sqlite3.DatabaseError) and cache.path.exists():
                cache._reset()
        return cache

    def _reset(self) -> None:
        """A corrupt cache file: delete it and start an empty one (it holds nothing that
        cannot be extracted again)."""
        try:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{self.path}{suffix}").unlink(missing_ok=True)
            self._con = _connect(self.path)
            self.problem = f"{self.problem}; started a new cache file"
        except (OSError, sqlite3.Error) as err:
            self._fail(f"cannot recreate {self.path}", err)

    def _remove_other_fingerprints(self) -> None:
        keep = self.path.name
        for path in self.folder.glob(f"{_FILE_PREFIX}*{_FILE_SUFFIX}*"):
            if not path.name.startswith(keep):
                path.unlink(missing_ok=True)

    def _fail(self, what: str, err: BaseException) -> None:
        message = f"extraction cache off: {what}: {type(err).__name__}: {err}".rstrip(": ")
        _LOG.warning("%s", message)
        self.problem = message
        if self._con is not None:
            with contextlib.suppress(sqlite3.Error):
                self._con.close()
        self._con = None
        self._pending.clear()

    def keys(self) -> set[str]:
        """Every key stored (one query: cheaper than one lookup per file)."""
        if self._con is None:
            return set()
        try:
            return {key for (key,) in self._con.execute("SELECT key FROM outcomes")}
        except sqlite3.Error as err:
            self._fail(f"cannot read {self.path}", err)
            return set()

    def get(self, key: str) -> tuple[Any, ...] | None:
        """The stored outcome, or None (absent, or not decodable: then a problem is noted and
        the entry is extracted again, and overwritten)."""
        if self._con is None:
            return None
        try:
            row = self._con.execute("SELECT blob FROM outcomes WHERE key = ?", (key,)).fetchone()
        except sqlite3.Error as err:
            self._fail(f"cannot read {self.path}", err)
            return None
        if row is None:
            return None
        try:
            outcome = pickle.loads(zlib.decompress(row[0]))
        except Exception as err:
            self.problem = f"an entry of {self.path} could not be decoded ({type(err).__name__})"
            _LOG.warning("%s", self.problem)
            return None
        if not (isinstance(outcome, tuple) and outcome and outcome[0] == "ok"):
            self.problem = f"an entry of {self.path} is not an extraction"
            return None
        return outcome

    def put(self, key: str, outcome: tuple[Any, ...]) -> None:
        """Store an "ok" outcome (others are ignored); written in batches."""
        if self._con is None or not self.writable or not outcome or outcome[0] != "ok":
            return
        blob = zlib.compress(pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL), _COMPRESSION)
        self._pending.append((key, blob))
        if len(self._pending) >= _WRITE_BATCH:
            self.flush()

    def flush(self) -> None:
        if self._con is None or not self.writable or not self._pending:
            return
        try:
            self._con.execute("BEGIN IMMEDIATE")
            self._con.executemany(
                "INSERT OR REPLACE INTO outcomes (key, blob) VALUES (?, ?)", self._pending
            )
            self._con.execute("COMMIT")
        except sqlite3.Error as err:  # e.g. a full disk: stop writing, go on reading
            _rollback(self._con)
            self.writable = False
            self._pending.clear()
            self.problem = f"extraction cache not written: {self.path}: {type(err).__name__}: {err}"
            _LOG.warning("%s", self.problem)
            return
        self.stored += len(self._pending)
        self._pending.clear()

    def close(self) -> None:
        self.flush()
        if self._con is not None:
            with contextlib.suppress(sqlite3.Error):
                self._con.close()
            self._con = None

    def __enter__(self) -> ExtractCache:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def describe(self) -> str:
        """One line for the build's summary."""
        total = self.hits + self.misses
        line = f"{self.hits} of {total} files reused from {self.path}, {self.stored} stored"
        return f"{line}; {self.problem}" if self.problem else line


def _connect(path: Path) -> sqlite3.Connection:
    """The cache file at `path` (created if absent), checked readable: a corrupt file raises
    sqlite3.DatabaseError here rather than at the first lookup."""
    con = sqlite3.connect(path, timeout=30, isolation_level=None)
    try:
        con.execute("PRAGMA journal_mode=WAL")
        con.execute("PRAGMA synchronous=NORMAL")
        con.execute(
            "CREATE TABLE IF NOT EXISTS outcomes (key TEXT PRIMARY KEY, blob BLOB NOT NULL)"
        )
        con.execute("SELECT count(*) FROM outcomes").fetchone()
    except BaseException:
        con.close()
        raise
    return con


def _rollback(con: sqlite3.Connection) -> None:
    with contextlib.suppress(sqlite3.Error):
        con.execute("ROLLBACK")
