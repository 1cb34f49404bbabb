"""Rebuild the warehouse while the dashboard serves it: one rebuild at a time, never half a file.

- One at a time: `rebuild()` takes an exclusive, non-blocking `fcntl.flock` on `<db>.lock`
  (beside the database). A second rebuild of the same warehouse while one runs, from this
  process or another, is **refused at once** (it does not wait): `RebuildRunning`, "a rebuild
  is already running (started <time> by pid <pid>)". The kernel drops the lock when its
  holder ends, even killed, so a crash never leaves the warehouse locked. POSIX only.
- The previous warehouse is served throughout: `build_warehouse` writes `<db>.tmp-<pid>` and
  renames it over `<db>` when complete, so readers see the old file or the new one.
- A failed rebuild (an exception, or a documents folder that cannot be listed) leaves the
  previous warehouse as it was and raises `RebuildFailed` saying why.
- Status: the lock holder writes `<db>.rebuild.json` (running, then done or failed, with the
  summary); `current_status()` reads it and reports a rebuild whose process died as failed.
- `start_rebuild()`: for the dashboard. Runs `python -m etl.load.rebuild` in a subprocess,
  watched by a thread: the page never blocks, the per-file time limit works (it needs a main
  thread), and a crash in a reader cannot take the server down.

Command line: `python -m etl.load.rebuild --docs DIR --db FILE [--workers N] [--time-limit S]`;
exit status 0 done, 1 failed, 75 refused (a rebuild is running).
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import fcntl
import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from etl.load import build as _build
from etl.load.build import DEFAULT_TIME_LIMIT, BuildSummary
from etl.load.cache import add_cache_arguments, cache_folder

__all__ = [
    "EXIT_REFUSED",
    "Holder",
    "RebuildFailed",
    "RebuildJob",
    "RebuildRunning",
    "RebuildStatus",
    "current_status",
    "lock_path",
    "read_status",
    "rebuild",
    "running",
    "start_rebuild",
    "status_path",
]

EXIT_FAILED = 1
EXIT_REFUSED = 75  # EX_TEMPFAIL: try again later
GRACE_SECONDS = 0.25  # a status probe holds the lock for microseconds: retry this long
MAX_STATUS_ERRORS = 200
PROJECT_ROOT = Path(__file__).resolve().parents[2]


def lock_path(db: Path) -> Path:
    return db.with_name(db.name + ".lock")


def status_path(db: Path) -> Path:
    return db.with_name(db.name + ".rebuild.json")


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


# --- the lock --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Holder:
    """Who holds the rebuild lock (as written in the lock file)."""

    pid: int | None = None
    started_at: str | None = None

    def describe(self) -> str:
        when = self.started_at or "at an unknown time"
        who = self.pid if self.pid is not None else "unknown"
        return f"started {when} by pid {who}"


class RebuildRunning(RuntimeError):
    """Refused: another rebuild of the same warehouse is running."""

    def __init__(self, holder: Holder) -> None:
        super().__init__(f"a rebuild is already running ({holder.describe()})")
        self.holder = holder


class RebuildFailed(RuntimeError):
    """The rebuild did not complete; the previous warehouse is unchanged."""

    def __init__(self, reason: str, summary: BuildSummary | None = None) -> None:
        super().__init__(f"rebuild failed: {reason}; the previous warehouse is unchanged")
        self.reason = reason
        self.summary = summary


def read_holder(db: Path) -> Holder:
    try:
        data = json.loads(lock_path(db).read_text(encoding="utf-8") or "{}")
    except (OSError, ValueError):
        return Holder()
    if not isinstance(data, dict):
        return Holder()
    pid = data.get("pid")
    started = data.get("started_at")
    return Holder(
        pid if isinstance(pid, int) else None, started if isinstance(started, str) else None
    )


def _locked(err: OSError) -> bool:
    return err.errno in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES)


@contextlib.contextmanager
def rebuild_lock(db: Path, grace: float = GRACE_SECONDS) -> Iterator[Holder]:
    """Hold the rebuild lock of `db`, or raise RebuildRunning (after `grace` seconds)."""
    db.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(lock_path(db), os.O_RDWR | os.O_CREAT, 0o644)
    try:
        deadline = time.monotonic() + grace
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError as err:
                if not _locked(err):
                    raise
                if time.monotonic() >= deadline:
                    raise RebuildRunning(read_holder(db)) from None
                time.sleep(0.02)
        holder = Holder(os.getpid(), _now())
        payload = json.dumps({"pid": holder.pid, "started_at": holder.started_at})
        os.ftruncate(fd, 0)
        os.pwrite(fd, payload.encode("utf-8"), 0)
        try:
            yield holder
        finally:
            os.ftruncate(fd, 0)  # still ours: nobody else can have written since
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def running(db: Path) -> Holder | None:
    """The holder of the rebuild lock of `db`, or None when no rebuild runs."""
    try:
        fd = os.open(lock_path(db), os.O_RDONLY)
    except FileNotFoundError:
        return None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except OSError as err:
            if _locked(err):
                return read_holder(db)
            raise
        fcntl.flock(fd, fcntl.LOCK_UN)
        return None
    finally:
        os.close(fd)


# --- the status file -------------------------------------------------------------------------


@dataclass(frozen=True)
class RebuildStatus:
    """The last rebuild of a warehouse: running | done | failed."""

    state: str
    pid: int | None = None
    started_at: str | None = None
    finished_at: str | None = None
    docs: str = ""
    db: str = ""
    reason: str = ""
    documents: int = 0
    duplicates: int = 0
    plans: int = 0
    facts: dict[str, int] = field(default_factory=dict)
    errors: list[list[str]] = field(default_factory=list)  # [relpath, stage, problem]
    n_errors: int = 0
    summary: str = ""


def _write_status(db: Path, status: RebuildStatus) -> None:
    path = status_path(db)
    tmp = path.with_name(f"{path.name}.tmp-{os.getpid()}-{threading.get_ident()}")
    try:
        tmp.write_text(json.dumps(status.__dict__, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, path)
    except OSError:  # the status is a courtesy: never fail a rebuild over it
        tmp.unlink(missing_ok=True)


def read_status(db: Path) -> RebuildStatus | None:
    """The status file of `db` as written, or None (no rebuild yet, or unreadable)."""
    try:
        data = json.loads(status_path(db).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("state") not in ("running", "done", "failed"):
        return None
    known = {k: v for k, v in data.items() if k in RebuildStatus.__dataclass_fields__}
    try:
        return RebuildStatus(**known)
    except TypeError:
        return None


def current_status(db: Path) -> RebuildStatus | None:
    """The status of the last rebuild; a 'running' one whose process is gone is 'failed'."""
    status = read_status(db)
    if status is None or status.state != "running" or running(db) is not None:
        return status
    again = read_status(db)  # it may have finished between the two looks
    if again is None or again.state != "running" or again.started_at != status.started_at:
        return again
    return RebuildStatus(
        **{
            **again.__dict__,
            "state": "failed",
            "reason": f"the rebuild process (pid {again.pid}) ended without finishing",
        }
    )


# --- the rebuild -----------------------------------------------------------------------------


def _describe(err: BaseException) -> str:
    message = str(err).strip()
    return f"{type(err).__name__}: {message}" if message else type(err).__name__


def rebuild(
    docs: Path,
    db: Path,
    workers: int = 0,
    time_limit: float | None = DEFAULT_TIME_LIMIT,
    cache: Path | None = None,
) -> BuildSummary:
    """Rebuild `db` from `docs` under the rebuild lock (see the module doc); `cache`: the
    extraction cache's folder (None: extract every file).

    Returns the summary of a build that was written. Raises `RebuildRunning` when another
    rebuild of `db` runs (refused, not queued), `RebuildFailed` when the build failed or could
    not list `docs` (the previous warehouse is left as it was).
    """
    docs, db = Path(docs), Path(db)
    with rebuild_lock(db) as holder:
        base = RebuildStatus(
            "running", holder.pid, holder.started_at, docs=str(docs), db=str(db)
        ).__dict__
        _write_status(db, RebuildStatus(**base))
        try:
            summary = _build.build_warehouse(
                docs, db, workers=workers, time_limit=time_limit, cache=cache
            )
        except Exception as err:
            reason = _describe(err)
            _write_status(db, RebuildStatus(**{**base, "state": "failed", "reason": reason}))
            raise RebuildFailed(reason) from err
        except BaseException as err:  # interrupted: say so, then let it go on
            reason = f"interrupted ({type(err).__name__})"
            _write_status(db, RebuildStatus(**{**base, "state": "failed", "reason": reason}))
            raise
        done = {
            **base,
            "finished_at": _now(),
            "documents": summary.documents,
            "duplicates": summary.duplicates,
            "plans": summary.plans,
            "facts": dict(summary.facts),
            "errors": [list(e) for e in summary.errors[:MAX_STATUS_ERRORS]],
            "n_errors": len(summary.errors),
            "summary": summary.render(),
        }
        if not summary.written:
            reason = "; ".join(problem for _, _, problem in summary.errors) or "nothing written"
            _write_status(db, RebuildStatus(**{**done, "state": "failed", "reason": reason}))
            raise RebuildFailed(reason, summary)
        _write_status(db, RebuildStatus(**{**done, "state": "done"}))
        return summary


# --- in the background -----------------------------------------------------------------------


@dataclass
class RebuildJob:
    """A rebuild started by `start_rebuild`: starting -> running -> done | failed | refused."""

    docs: str
    db: str
    state: str = "starting"
    message: str = ""
    returncode: int | None = None
    output: str = ""
    started: float = field(default_factory=time.monotonic)
    _done: threading.Event = field(default_factory=threading.Event, repr=False)

    @property
    def finished(self) -> bool:
        return self._done.is_set()

    def wait(self, timeout: float | None = None) -> bool:
        """Wait until the rebuild ends; False when `timeout` ran out first."""
        return self._done.wait(timeout)


def _command(
    docs: Path, db: Path, workers: int, time_limit: float | None, use_cache: bool = True
) -> list[str]:
    command = [sys.executable, "-m", "etl.load.rebuild", "--docs", str(docs), "--db", str(db)]
    command += ["--workers", str(workers), "--time-limit", str(time_limit or 0)]
    return command if use_cache else [*command, "--no-cache"]


def start_rebuild(
    docs: Path,
    db: Path,
    workers: int = 0,
    time_limit: float | None = DEFAULT_TIME_LIMIT,
    on_done: Callable[[RebuildJob], Any] | None = None,
    use_cache: bool = True,
) -> RebuildJob:
    """Start a rebuild in a subprocess and return at once (see the module doc). With
    `use_cache` it uses the default extraction cache (`etl.load.cache.default_cache_dir`):
    only new and changed files are extracted.

    A rebuild already running makes the job 'refused' straight away (no process started).
    `on_done(job)` runs in the watching thread when the job ends (any state but refused).
    """
    docs, db = Path(docs), Path(db)
    job = RebuildJob(str(docs), str(db))
    holder = running(db)
    if holder is not None:
        job.state, job.message = "refused", str(RebuildRunning(holder))
        job._done.set()
        return job
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        p for p in (str(PROJECT_ROOT), env.get("PYTHONPATH", "")) if p
    )
    env["PYTHONUNBUFFERED"] = "1"
    try:
        proc = subprocess.Popen(
            _command(docs, db, workers, time_limit, use_cache),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            cwd=str(PROJECT_ROOT),
            env=env,
            text=True,
            encoding="utf-8",
            errors="replace",
        )
    except OSError as err:
        job.state, job.message = "failed", f"cannot start the rebuild: {_describe(err)}"
        job._done.set()
        return job
    job.state = "running"

    def watch() -> None:
        try:
            out, err = proc.communicate()
            job.returncode = proc.returncode
            job.output = out
            last = err.strip().splitlines()[-1] if err.strip() else ""
            if proc.returncode == 0:
                job.state, job.message = "done", out.strip().splitlines()[0] if out else ""
            elif proc.returncode == EXIT_REFUSED:
                job.state, job.message = "refused", last
            else:
                job.state = "failed"
                job.message = last or f"the rebuild process ended with status {proc.returncode}"
            if on_done is not None and job.state != "refused":
                with contextlib.suppress(Exception):
                    on_done(job)
        finally:
            job._done.set()

    threading.Thread(target=watch, name=f"rebuild-{proc.pid}", daemon=True).start()
    return job


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m etl.load.rebuild",
        description="Rebuild the warehouse under its rebuild lock (refused while one runs).",
    )
    parser.add_argument("--docs", required=True, type=Path)
    parser.add_argument("--db", required=True, type=Path)
    parser.add_argument("--workers", type=int, default=0)
    parser.add_argument("--time-limit", type=float, default=DEFAULT_TIME_LIMIT)
    add_cache_arguments(parser)
    args = parser.parse_args(argv)
    try:
        summary = rebuild(
            args.docs, args.db, args.workers, args.time_limit or None, cache_folder(args)
        )
    except RebuildRunning as err:
        print(err, file=sys.stderr)
        return EXIT_REFUSED
    except RebuildFailed as err:
        print(err, file=sys.stderr)
        return EXIT_FAILED
    print(summary.render())
    return 0


if __name__ == "__main__":
    sys.exit(main())
