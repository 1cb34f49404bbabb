"""Build the DuckDB warehouse from a folder of documents, atomically.

Steps: discover the files -> read the manifest -> read and extract each file (in worker
processes) -> drop exact copies -> group plans -> DataFrames -> write a new database file
next to the target -> rename it over the target.

- A bad file (empty, binary, too large, undecodable, vanished, or one the extractor chokes
  on) is one row of `load_errors` and one line of the summary; the others still load.
- Each file gets `time_limit` seconds (default 30) for reading and extracting; past that it
  is one `load_errors` row "timed out after 30 s" and the batch goes on (see `FileTimer`).
- The new database is written to `<db>.tmp-<pid>` and renamed over `<db>` only when complete:
  readers see the old database or the new one, never half of one. On any failure the temporary
  file is removed, the old database is left as it was, and the exception propagates.
- Same folder, same tables: rows are sorted and nothing depends on time or file order except
  `build_info.built_at`.
"""

from __future__ import annotations

import functools
import multiprocessing
import os
import signal
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from types import FrameType
from typing import Any

from etl.models import DocumentError, Extraction, ManifestRow, RawDocument

SQL_FILES = ("schema.sql", "views.sql")
MANIFEST_NAME = "manifest.csv"
STAGES = ("discover", "read", "extract", "manifest")
DEFAULT_TIME_LIMIT = 30.0  # seconds to read and extract one file

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
            self._armed = False  # one timeout per file
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


def _run(
    tasks: list[tuple[str, str, ManifestRow | None]],
    workers: int,
    time_limit: float | None = DEFAULT_TIME_LIMIT,
) -> list[_Outcome]:
    if workers <= 0:
        workers = os.cpu_count() or 1
    workers = min(workers, len(tasks))
    work = functools.partial(process_file, time_limit=time_limit)
    if workers <= 1:
        outcomes = [work(task) for task in tasks]
    else:
        chunksize = max(1, min(32, len(tasks) // (workers * 4)))
        context = multiprocessing.get_context("spawn")
        with context.Pool(workers) as pool:
            outcomes = list(pool.imap(work, tasks, chunksize=chunksize))
    return sorted(outcomes, key=lambda outcome: outcome[1])


# --- the build ------------------------------------------------------------------------------


def _read_manifest(docs: Path, errors: list[tuple[str, str, str]]) -> dict[str, ManifestRow]:
    from etl.reading.manifest import read_manifest

    try:
        return read_manifest(docs)
    except DocumentError as err:
        errors.append((_relpath(Path(err.path), docs), "manifest", err.problem))
    except Exception as err:
        errors.append((MANIFEST_NAME, "manifest", _describe(err)))
    return {}


def sql_text(name: str) -> str:
    return resources.files("etl.load").joinpath("sql", name).read_text(encoding="utf-8")


def build_warehouse(
    docs: Path, db: Path, workers: int = 0, time_limit: float | None = DEFAULT_TIME_LIMIT
) -> BuildSummary:
    """(Re)build the warehouse `db` from the documents under `docs`; see the module doc.

    `time_limit`: seconds each file may take to be read and extracted (None or 0: no limit).
    """
    from etl import EXTRACTOR_VERSION
    from etl.codebook import codebook_frame, load_codebook
    from etl.gazetteer.tables import crosswalk_frame, localities_frame
    from etl.load import frames as fr
    from etl.load.plans import assign_plans
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
    outcomes = _run(tasks, workers, time_limit)

    loaded: dict[str, tuple[RawDocument, Extraction]] = {}  # doc_id -> first copy
    duplicates: list[tuple[str, str, str]] = []
    for outcome in outcomes:
        if outcome[0] == "error":
            errors.append((outcome[1], outcome[2], outcome[3]))
            continue
        _, relpath, raw, extraction = outcome
        if raw.doc_id in loaded:
            duplicates.append((relpath, raw.doc_id, loaded[raw.doc_id][0].relpath))
            continue
        row = manifest.get(manifest_key(relpath))
        raw, extraction = fr.apply_manifest(raw, extraction, row)
        extraction, problems = fr.check_evidence(raw, extraction)
        errors.extend((relpath, "extract", problem) for problem in problems)
        loaded[raw.doc_id] = (raw, extraction)

    items = assign_plans(list(loaded.values()))
    tables = fr.extractions_to_frames(items)
    tables["duplicate_files"] = fr.duplicates_frame(duplicates)
    tables["localities"] = fr.conform("localities", localities_frame())
    tables["locality_crosswalk"] = fr.conform("locality_crosswalk", crosswalk_frame())
    tables["codebook"] = fr.conform("codebook", codebook_frame())
    tables["load_errors"] = fr.errors_frame(errors)

    counts = {table: len(tables[table]) for table in fr.TABLES if table in tables}
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
    info.update({f"rows_{table}": str(n) for table, n in counts.items()})
    tables["build_info"] = fr.build_info_frame(info)

    write_database(db, tables)

    summary.documents = counts["documents"]
    summary.duplicates = len(duplicates)
    summary.plans = counts["plans"]
    summary.facts = {table: counts[table] for table in fr.FACT_TABLES}
    summary.errors = sorted(errors)
    summary.written = True
    return summary


def _wal(path: Path) -> Path:
    return path.with_name(path.name + ".wal")


def _unlink(*paths: Path) -> None:
    for path in paths:
        path.unlink(missing_ok=True)


def write_database(db: Path, tables: dict[str, Any]) -> None:
    """Write `tables` (name -> DataFrame) into a new database and rename it over `db`."""
    import duckdb
    import pyarrow as pa

    from etl.load.frames import TABLES

    unknown = sorted(set(tables) - set(TABLES))
    if unknown:
        raise ValueError(f"not warehouse tables: {unknown}")
    db.parent.mkdir(parents=True, exist_ok=True)
    tmp = db.with_name(f"{db.name}.tmp-{os.getpid()}")
    _unlink(tmp, _wal(tmp))
    try:
        con = duckdb.connect(str(tmp))
        try:
            con.execute(sql_text("schema.sql"))
            for table in TABLES:  # fixed list: safe to name in SQL
                if table not in tables:
                    continue
                arrow = pa.Table.from_pandas(tables[table], preserve_index=False)
                con.register("incoming", arrow)
                con.execute(f'INSERT INTO "{table}" BY NAME SELECT * FROM incoming')
                con.unregister("incoming")
            con.execute(sql_text("views.sql"))
            con.execute("CHECKPOINT")
        finally:
            con.close()
        _unlink(_wal(db))  # a stale log of the old file must not be replayed onto the new one
        os.replace(tmp, db)
    except BaseException:
        _unlink(tmp, _wal(tmp))
        raise
