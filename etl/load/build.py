"""Build the DuckDB warehouse from a folder of documents, atomically.

Steps: discover the files -> read the manifest -> read and extract each file (in worker
processes) -> drop exact copies -> write each batch of documents' rows into a new database
file next to the target -> group plans -> rename the file over the target.

- Memory: the build holds one batch of documents (`batch_size`, texts and facts) and a few
  fields per document for plan grouping, never the whole corpus (`etl.load.writer`).

- A bad file (empty, binary, too large, undecodable, vanished, or one the extractor chokes
  on) is one row of `load_errors` and one line of the summary; the others still load.
- Each file gets `time_limit` seconds (default 30) for reading and extracting; past that it
  is one `load_errors` row "timed out after 30 s" and the batch goes on (see `FileTimer`).
- The new database is written to `<db>.tmp-<pid>` and renamed over `<db>` only when complete:
  readers see the old database or the new one, never half of one. On any failure the temporary
  file is removed, the old database is left as it was, and the exception propagates.
- Same folder, same tables: rows are sorted and nothing depends on time or file order except
  `build_info.built_at`.
- `cache` (a folder, optional): files whose bytes, path, manifest row and extractor are
  unchanged since a build with the same cache are not read or extracted again; their rows
  come from `etl.load.cache` (same tables, much faster rebuilds). The summary says how many
  files were reused, and any problem with the cache, which never fails the build.
"""

from __future__ import annotations

import functools
import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Iterator
from contextlib import closing, nullcontext
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from types import FrameType
from typing import Any

from etl.load.cache import ExtractCache, content_id, file_key
from etl.load.writer import WarehouseWriter, sql_text
from etl.models import DocumentError, Extraction, ManifestRow

__all__ = [
    "BuildSummary",
    "FileTimeout",
    "FileTimer",
    "build_warehouse",
    "process_file",
    "sql_text",
    "timed_out",
]

MANIFEST_NAME = "manifest.csv"
STAGES = ("discover", "read", "extract", "manifest")
DEFAULT_TIME_LIMIT = 30.0  # seconds to read and extract one file
# documents whose rows are written to the database together: the build holds one batch of
# texts and facts at a time (plus a few fields per document for the plans table)
BATCH_DOCUMENTS = 2000

# one file's outcome in a worker: ('ok', relpath, raw, extraction) or ('error', relpath,
# stage, problem)
_Outcome = tuple[Any, ...]


@dataclass
class BuildSummary:
    """What a build loaded and what it could not."""

    documents: int = 0
    duplicates: int = 0  # extra copies of an already loaded file (same bytes)
    plans: int = 0
    facts: dict[str, int] = field(default_factory=dict)  # fact table -> rows
    errors: list[tuple[str, str, str]] = field(default_factory=list)  # relpath, stage, problem
    docs: str = ""
    db: str = ""
    written: bool = False  # False: the database was left as it was
    cache: str | None = None  # what the extraction cache did (None: no cache)
    cache_reused: int = 0  # files whose rows came from the cache

    def render(self) -> str:
        lines = []
        if self.written:
            lines.append(f"Built {self.db} from {self.docs}")
        else:
            lines.append(f"Nothing written to {self.db}: cannot list {self.docs}")
        copies = f" ({self.duplicates} duplicate copies skipped)" if self.duplicates else ""
        lines.append(f"  documents: {self.documents}{copies}")
        lines.append(f"  plans:     {self.plans}")
        for table, count in self.facts.items():
            lines.append(f"  {table + ':':<19}{count}")
        if self.errors:
            lines.append(f"  errors: {len(self.errors)} file(s) not loaded or partly loaded")
            for relpath, stage, problem in self.errors:
                lines.append(f"    - {relpath} [{stage}]: {problem}")
        else:
            lines.append("  errors: none")
        if self.cache:
            lines.append(f"  cache: {self.cache}")
        return "\n".join(lines)


# --- reading and extracting one file (runs in worker processes) ---------------------------


def _relpath(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def _describe(err: BaseException) -> str:
    message = str(err).strip()
    name = type(err).__name__
    return f"{name}: {message}" if message else name


class FileTimeout(BaseException):
    """A file's time is up. A BaseException, so that the `except Exception` of a reader or
    extractor that falls back on errors (the HTML reader does) cannot swallow it."""


# After a timeout that was swallowed, the next one comes this much later.
RETRY_SECONDS = 0.1


class FileTimer:
    """A per-file time limit: SIGALRM (a real-time interval timer) raises `FileTimeout`.

    Works where signals can be handled: on POSIX, in a process's main thread, i.e. in the
    build's worker processes and in the main process when the build runs in-process
    (workers=1). Elsewhere (Windows, another thread) it does nothing and files have no limit.
    Python code is interrupted between two bytecodes, and so is a regular expression that
    backtracks (the `re` engine checks for signals); other long calls into C (lxml parsing a
    huge document, zlib) finish first, then the timeout is raised.

    `start()` and `stop()` pair up; `stop()` may be called more than once. A timer armed by
    someone else is put back (less the time spent) when this one stops.
    """

    def __init__(self, seconds: float | None) -> None:
        self.seconds = seconds
        self._armed = False
        self._started = 0.0
        self._previous: Any = None
        self._outer: tuple[float, float] = (0.0, 0.0)

    @property
    def usable(self) -> bool:
        return (
            self.seconds is not None
            and self.seconds > 0
            and hasattr(signal, "setitimer")
            and threading.current_thread() is threading.main_thread()
        )

    def start(self) -> None:
        if not self.usable or self._previous is not None:
            return
        self._previous = signal.signal(signal.SIGALRM, self._on_alarm)
        self._armed = True
        self._started = time.monotonic()
        self._outer = signal.setitimer(signal.ITIMER_REAL, self.seconds or 0.0)

    def stop(self) -> None:
        if self._previous is None:
            return
        self._armed = False  # first: an alarm still on its way is ignored from here on
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, self._previous)
        self._previous = None
        delay, interval = self._outer
        if delay > 0:
            left = max(delay - (time.monotonic() - self._started), 0.001)
            signal.setitimer(signal.ITIMER_REAL, left, interval)

    def _on_alarm(self, _signum: int, _frame: FrameType | None) -> None:
        if self._armed:
            # Python swallows (prints as "unraisable") an exception raised while a gc callback
            # or a __del__ runs, and the alarm can land there. So the timer fires again a little
            # later until `stop()`, which every way out of the file's work goes through.
            signal.setitimer(signal.ITIMER_REAL, RETRY_SECONDS)
            raise FileTimeout


def timed_out(seconds: float) -> str:
    return f"timed out after {seconds:g} s"


def process_file(
    task: tuple[str, str, ManifestRow | None], time_limit: float | None = DEFAULT_TIME_LIMIT
) -> _Outcome:
    """Read and extract one file within `time_limit` seconds (None: no limit); never raises
    (spawn-safe top-level worker function)."""
    # imported before the clock starts: a worker's first file does not pay for the imports
    import etl.extract.document
    import etl.reading.document  # noqa: F401

    root_name, path_name, _ = task
    relpath = _relpath(Path(path_name), Path(root_name))
    stage = ["read"]  # where the time ran out
    timer = FileTimer(time_limit)
    try:
        timer.start()
        try:
            return _process(task, relpath, stage)
        finally:
            timer.stop()
    except FileTimeout:
        timer.stop()
        return ("error", relpath, stage[0], timed_out(time_limit or 0.0))


def _process(task: tuple[str, str, ManifestRow | None], relpath: str, stage: list[str]) -> _Outcome:
    from etl.extract.document import extract_document
    from etl.reading.document import read_document

    root_name, path_name, row = task
    root, path = Path(root_name), Path(path_name)
    try:
        raw = read_document(path, root)
    except DocumentError as err:
        return ("error", relpath, "read", err.problem)
    except FileNotFoundError:
        return ("error", relpath, "read", "the file disappeared during the build")
    except Exception as err:
        return ("error", relpath, "read", _describe(err))
    stage[0] = "extract"
    try:
        extraction = extract_document(raw, row)
    except DocumentError as err:
        return ("error", relpath, "extract", err.problem)
    except Exception as err:
        return ("error", relpath, "extract", _describe(err))
    if not isinstance(extraction, Extraction) or extraction.doc_id != raw.doc_id:
        return ("error", relpath, "extract", "the extractor returned a foreign result")
    return ("ok", raw.relpath, raw, extraction)


def load_file(
    task: tuple[str, str, ManifestRow | None], time_limit: float | None = DEFAULT_TIME_LIMIT
) -> _Outcome:
    """`process_file`, then what the warehouse keeps of the document, as plain rows (cheap to
    send from a worker process, unlike the extraction's objects):
    ('ok', relpath, doc_id, rows, plan stub, evidence problems) or the error outcome."""
    from etl.load import frames as fr
    from etl.load.plans import plan_id

    outcome = process_file(task, time_limit)
    if outcome[0] != "ok":
        return outcome
    _, relpath, raw, extraction = outcome
    raw, extraction = fr.apply_manifest(raw, extraction, task[2])
    extraction, problems = fr.check_evidence(raw, extraction)
    pid = plan_id(extraction)
    rows = fr.document_rows(raw, extraction, pid)
    return ("ok", relpath, raw.doc_id, rows, fr.plan_stub(raw, extraction, pid), problems)


def _outcomes(
    tasks: list[tuple[str, str, ManifestRow | None]],
    workers: int,
    time_limit: float | None = DEFAULT_TIME_LIMIT,
) -> Iterator[_Outcome]:
    """Each task's outcome, in the order of `tasks`, as soon as it is ready."""
    if workers <= 0:
        workers = os.cpu_count() or 1
    workers = min(workers, len(tasks))
    work = functools.partial(load_file, time_limit=time_limit)
    if workers <= 1:
        yield from map(work, tasks)
        return
    chunksize = max(1, min(32, len(tasks) // (workers * 4)))
    context = multiprocessing.get_context("spawn")
    with context.Pool(workers) as pool:
        yield from pool.imap(work, tasks, chunksize=chunksize)


# --- the build ------------------------------------------------------------------------------


def _cached_outcomes(
    tasks: list[tuple[str, str, ManifestRow | None]],
    workers: int,
    time_limit: float | None,
    cache: ExtractCache,
    docs: Path,
) -> Iterator[_Outcome]:
    """`_outcomes`, with the files found in `cache` taken from it (in the order of `tasks`):
    only the others go to the workers, and their successful outcomes are stored."""

    def key(task: tuple[str, str, ManifestRow | None], doc_id: str) -> str:
        path = Path(task[1])
        return file_key(doc_id, str(path), _relpath(path, docs), task[2])

    def lookup(task: tuple[str, str, ManifestRow | None]) -> str | None:
        doc_id = content_id(task[1])
        return key(task, doc_id) if doc_id is not None else None

    stored = cache.keys()
    # an empty cache (a first build) needs no hashing here: every file is extracted
    keys = [lookup(task) for task in tasks] if stored else [None] * len(tasks)
    missed = [task for task, k in zip(tasks, keys, strict=True) if k not in stored]
    with closing(_outcomes(missed, workers, time_limit)) as extracted:
        for task, k in zip(tasks, keys, strict=True):
            outcome = cache.get(k) if k in stored else None
            if outcome is not None:
                cache.hits += 1
                yield outcome
                continue
            # a stored entry that could not be decoded is extracted here, in this process
            outcome = load_file(task, time_limit) if k in stored else next(extracted)
            cache.misses += 1
            if outcome[0] == "ok":
                cache.put(key(task, outcome[2]), outcome)
            yield outcome
    cache.flush()


def _read_manifest(docs: Path, errors: list[tuple[str, str, str]]) -> dict[str, ManifestRow]:
    from etl.reading.manifest import read_manifest

    try:
        return read_manifest(docs)
    except DocumentError as err:
        errors.append((_relpath(Path(err.path), docs), "manifest", err.problem))
    except Exception as err:
        errors.append((MANIFEST_NAME, "manifest", _describe(err)))
    return {}


class _Batch:
    """Rows of a few documents, waiting to be written together."""

    def __init__(self) -> None:
        self.documents = 0
        self.rows: dict[str, list[tuple[Any, ...]]] = {}

    def add(self, rows: dict[str, list[tuple[Any, ...]]]) -> None:
        self.documents += 1
        for table, table_rows in rows.items():
            self.rows.setdefault(table, []).extend(table_rows)

    def flush(self, writer: WarehouseWriter) -> None:
        from etl.load.frames import arrow_table

        for table, rows in self.rows.items():
            writer.append(table, arrow_table(table, rows))
        self.documents = 0
        self.rows = {}


def build_warehouse(
    docs: Path,
    db: Path,
    workers: int = 0,
    time_limit: float | None = DEFAULT_TIME_LIMIT,
    batch_size: int = BATCH_DOCUMENTS,
    cache: Path | None = None,
) -> BuildSummary:
    """(Re)build the warehouse `db` from the documents under `docs`; see the module doc.

    `time_limit`: seconds each file may take to be read and extracted (None or 0: no limit).
    `batch_size`: documents written to the database together (the tables do not depend on
    it; memory does).
    `cache`: folder of the extraction cache (None: every file is extracted).
    """
    from etl import EXTRACTOR_VERSION
    from etl.codebook import codebook_frame, load_codebook
    from etl.gazetteer.tables import crosswalk_frame, localities_frame
    from etl.load import frames as fr
    from etl.reading.discover import discover
    from etl.reading.manifest import manifest_key

    docs, db = Path(docs), Path(db)
    summary = BuildSummary(docs=str(docs), db=str(db))
    errors: list[tuple[str, str, str]] = []
    if not docs.is_dir():
        summary.errors = [(str(docs), "discover", "the documents folder does not exist")]
        return summary
    try:
        paths = discover(docs)
    except Exception as err:
        summary.errors = [(str(docs), "discover", _describe(err))]
        return summary

    manifest = _read_manifest(docs, errors)
    tasks = [(str(docs), str(p), manifest.get(manifest_key(_relpath(p, docs)))) for p in paths]
    tasks.sort(key=lambda task: _relpath(Path(task[1]), docs))  # the first copy is kept

    stubs: list[fr.PlanItem] = []  # per document, what the plans table needs
    kept: dict[str, str] = {}  # doc_id -> relpath of the copy loaded
    duplicates: list[tuple[str, str, str]] = []
    batch = _Batch()
    store = ExtractCache.open(cache) if cache is not None else None
    stream = (
        _cached_outcomes(tasks, workers, time_limit, store, docs)
        if store is not None and store.usable
        else _outcomes(tasks, workers, time_limit)
    )
    # closing(): on an error the worker pool is shut down at once, not when collected
    with (
        WarehouseWriter(db) as writer,
        closing(stream) as outcomes,
        store if store is not None else nullcontext(),
    ):
        for outcome in outcomes:
            if outcome[0] == "error":
                errors.append((outcome[1], outcome[2], outcome[3]))
                continue
            _, relpath, doc_id, rows, stub, problems = outcome
            if doc_id in kept:
                duplicates.append((relpath, doc_id, kept[doc_id]))
                continue
            errors.extend((relpath, "extract", problem) for problem in problems)
            kept[doc_id] = relpath
            batch.add(rows)
            stubs.append(stub)
            if batch.documents >= batch_size:
                batch.flush(writer)
        batch.flush(writer)

        for table, rows in fr.plan_tables(stubs).items():
            writer.append(table, fr.arrow_table(table, rows))
        writer.append("duplicate_files", fr.duplicates_frame(duplicates))
        writer.append("localities", fr.conform("localities", localities_frame()))
        writer.append("locality_crosswalk", fr.conform("locality_crosswalk", crosswalk_frame()))
        writer.append("codebook", fr.conform("codebook", codebook_frame()))
        writer.append("load_errors", fr.errors_frame(errors))

        counts = {table: writer.rows.get(table, 0) for table in fr.TABLES}
        info: dict[str, str | None] = {
            "docs_folder": str(docs),
            "n_files": str(len(paths)),
            "n_documents": str(counts["documents"]),
            "n_duplicates": str(len(duplicates)),
            "n_plans": str(counts["plans"]),
            "n_errors": str(len(errors)),
            "extractor_version": EXTRACTOR_VERSION,
            "codebook_version": load_codebook().version,
            "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
        }
        info.update(
            {f"rows_{table}": str(n) for table, n in counts.items() if table != "build_info"}
        )
        writer.append("build_info", fr.build_info_frame(info))
        writer.commit()

    summary.documents = counts["documents"]
    summary.duplicates = len(duplicates)
    summary.plans = counts["plans"]
    summary.facts = {table: counts[table] for table in fr.FACT_TABLES}
    summary.errors = sorted(errors)
    summary.written = True
    if store is not None:
        summary.cache = store.describe()
        summary.cache_reused = store.hits
    return summary
