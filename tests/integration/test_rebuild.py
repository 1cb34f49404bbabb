"""etl/load/rebuild.py: one rebuild at a time, the old warehouse served meanwhile and kept on
failure, the status file, and the background rebuild the dashboard starts."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import pytest

from etl.load import build as build_module
from etl.load import rebuild as rb
from etl.load import writer as writer_module
from etl.load.build import build_warehouse

ROOT = Path(__file__).resolve().parents[2]
SAMPLE_DOCS = ROOT / "data" / "sample" / "docs"
REFUSED = re.compile(r"^a rebuild is already running \(started \d{4}-\d\d-\d\dT\S+ by pid \d+\)$")


def counts(db: Path) -> tuple[int, int]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        row = con.execute(
            "SELECT (SELECT count(*) FROM documents), (SELECT count(*) FROM channel_mentions)"
        ).fetchone()
    finally:
        con.close()
    assert row is not None
    return int(row[0]), int(row[1])


@pytest.fixture
def small(tmp_path: Path) -> tuple[Path, Path]:
    """A folder of two sample files, and a warehouse built from it."""
    docs = tmp_path / "docs"
    (docs / "tin-tuc").mkdir(parents=True)
    for name in ("01_ha-giang_kh58-2022.txt", "05_so-tu-phap-soc-trang_kh61-2024.txt"):
        shutil.copyfile(SAMPLE_DOCS / "tin-tuc" / name, docs / "tin-tuc" / name)
    db = tmp_path / "w.duckdb"
    assert build_warehouse(docs, db, workers=1).written
    return docs, db


@pytest.fixture
def gate(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, threading.Event]]:
    """build_warehouse waits for `release` (after setting `entered`): a rebuild held open."""
    events = {"entered": threading.Event(), "release": threading.Event()}
    real = build_module.build_warehouse

    def held(*args: Any, **kwargs: Any) -> Any:
        events["entered"].set()
        assert events["release"].wait(60)
        return real(*args, **kwargs)

    monkeypatch.setattr(build_module, "build_warehouse", held)
    yield events
    events["release"].set()


def in_thread(target: Any, *args: Any) -> tuple[threading.Thread, dict[str, Any]]:
    box: dict[str, Any] = {}

    def run() -> None:
        try:
            box["result"] = target(*args)
        except BaseException as err:
            box["error"] = err

    thread = threading.Thread(target=run)
    thread.start()
    return thread, box


# --- one at a time -----------------------------------------------------------------------------


def test_a_second_rebuild_is_refused_while_one_runs(
    small: tuple[Path, Path], gate: dict[str, threading.Event]
) -> None:
    docs, db = small
    thread, box = in_thread(rb.rebuild, SAMPLE_DOCS, db, 1)
    assert gate["entered"].wait(30)

    with pytest.raises(rb.RebuildRunning) as caught:
        rb.rebuild(docs, db, 1)
    message = str(caught.value)
    assert REFUSED.match(message), message
    assert f"by pid {os.getpid()})" in message
    holder = rb.running(db)
    assert holder is not None and holder.pid == os.getpid()
    status = rb.current_status(db)
    assert status is not None and status.state == "running" and status.pid == os.getpid()

    # another process is refused too, with the same message and exit status 75
    proc = subprocess.run(
        [sys.executable, "-m", "etl.load.rebuild", "--docs", str(docs), "--db", str(db)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert proc.returncode == rb.EXIT_REFUSED, proc.stderr
    assert REFUSED.match(proc.stderr.strip()), proc.stderr

    gate["release"].set()
    thread.join(60)
    assert "error" not in box, box
    assert box["result"].written and box["result"].documents == 12
    assert rb.running(db) is None
    status = rb.current_status(db)
    assert status is not None and status.state == "done" and status.documents == 12
    # the lock is free again: the next rebuild goes ahead
    assert rb.rebuild(docs, db, 1).documents == 2


def test_a_running_rebuild_refuses_a_background_start(small: tuple[Path, Path]) -> None:
    docs, db = small
    with rb.rebuild_lock(db):
        job = rb.start_rebuild(docs, db)
        assert job.finished and job.state == "refused"
        assert REFUSED.match(job.message), job.message


def test_the_lock_file_says_who_holds_it(small: tuple[Path, Path]) -> None:
    _, db = small
    with rb.rebuild_lock(db) as holder:
        data = json.loads(rb.lock_path(db).read_text(encoding="utf-8"))
        assert data == {"pid": holder.pid, "started_at": holder.started_at}
        assert rb.read_holder(db) == holder
    assert rb.lock_path(db).read_text(encoding="utf-8") == ""  # emptied on release
    assert rb.read_holder(db) == rb.Holder()
    assert rb.Holder().describe() == "started at an unknown time by pid unknown"


# --- failures leave the old warehouse ----------------------------------------------------------


def test_a_failing_rebuild_leaves_the_old_warehouse(
    small: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    _, db = small
    before = counts(db)
    original = db.read_bytes()

    def broken(writer: writer_module.WarehouseWriter) -> None:
        assert writer.tmp.exists()  # half a database, with the documents' rows in it
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(writer_module.WarehouseWriter, "commit", broken)
    with pytest.raises(rb.RebuildFailed) as caught:
        rb.rebuild(SAMPLE_DOCS, db, 1)
    assert caught.value.reason == "OSError: [Errno 28] No space left on device"
    assert str(caught.value) == (
        "rebuild failed: OSError: [Errno 28] No space left on device; "
        "the previous warehouse is unchanged"
    )
    assert db.read_bytes() == original
    assert counts(db) == before
    status = rb.current_status(db)
    assert status is not None and status.state == "failed"
    assert status.reason == "OSError: [Errno 28] No space left on device"
    assert rb.running(db) is None  # the lock is released

    monkeypatch.undo()
    assert rb.rebuild(SAMPLE_DOCS, db, 1).documents == 12  # and the next one works


def test_a_missing_documents_folder_fails_and_writes_nothing(small: tuple[Path, Path]) -> None:
    _, db = small
    original = db.read_bytes()
    with pytest.raises(rb.RebuildFailed) as caught:
        rb.rebuild(db.parent / "nowhere", db, 1)
    assert caught.value.reason == "the documents folder does not exist"
    assert caught.value.summary is not None and not caught.value.summary.written
    assert db.read_bytes() == original
    status = rb.current_status(db)
    assert status is not None and status.state == "failed"


def test_a_rebuild_whose_process_died_is_reported_failed(small: tuple[Path, Path]) -> None:
    _, db = small
    rb.status_path(db).write_text(
        json.dumps({"state": "running", "pid": 999999, "started_at": "2026-01-01T00:00:00+00:00"}),
        encoding="utf-8",
    )
    assert rb.read_status(db).state == "running"  # type: ignore[union-attr]
    status = rb.current_status(db)
    assert status is not None and status.state == "failed"
    assert status.reason == "the rebuild process (pid 999999) ended without finishing"


@pytest.mark.parametrize("content", ["", "not json", "[]", '{"state": "odd"}', '{"state": 1}'])
def test_an_unreadable_status_file_is_no_status(small: tuple[Path, Path], content: str) -> None:
    _, db = small
    rb.status_path(db).write_text(content, encoding="utf-8")
    assert rb.current_status(db) is None


# --- readers during a rebuild --------------------------------------------------------------------


def test_readers_keep_reading_during_a_rebuild(small: tuple[Path, Path]) -> None:
    """Read-only readers loop while a rebuild runs in a thread: no error, and every read sees
    the old warehouse or the new one, never a mixture."""
    _, db = small
    old = counts(db)
    stop = threading.Event()
    errors: list[str] = []
    seen: set[tuple[int, int]] = set()
    reads = [0]

    def fresh_reader() -> None:
        while not stop.is_set():
            try:
                seen.add(counts(db))
                reads[0] += 1
            except Exception as err:
                errors.append(f"{type(err).__name__}: {err}")

    def long_reader() -> None:
        con = duckdb.connect(str(db), read_only=True)
        try:
            while not stop.is_set():
                try:
                    row = con.execute(
                        "SELECT count(*) FROM plan_facts JOIN documents USING (plan_id)"
                    ).fetchone()
                    assert row is not None
                    reads[0] += 1
                except Exception as err:
                    errors.append(f"{type(err).__name__}: {err}")
        finally:
            con.close()

    readers = [threading.Thread(target=fresh_reader) for _ in range(2)]
    readers.append(threading.Thread(target=long_reader))
    for thread in readers:
        thread.start()
    time.sleep(0.3)
    builder, box = in_thread(rb.rebuild, SAMPLE_DOCS, db, 1)
    builder.join(120)
    time.sleep(0.3)
    stop.set()
    for thread in readers:
        thread.join(30)
    assert "error" not in box, box
    assert not errors, errors[:5]
    assert reads[0] > 10
    new = counts(db)
    assert new != old and new[0] == 12
    assert seen <= {old, new}
    assert not list(db.parent.glob("*.tmp-*"))


# --- in the background ---------------------------------------------------------------------------


def test_a_background_rebuild_runs_in_a_subprocess(small: tuple[Path, Path]) -> None:
    _, db = small
    finished: list[rb.RebuildJob] = []
    job = rb.start_rebuild(SAMPLE_DOCS, db, workers=1, on_done=finished.append)
    assert job.state == "running"
    assert job.wait(180)
    assert job.state == "done", (job.message, job.output)
    assert job.returncode == 0 and job.message.startswith("Built ")
    assert finished == [job]
    assert counts(db)[0] == 12
    status = rb.current_status(db)
    assert status is not None and status.state == "done"
    assert status.pid != os.getpid() and status.documents == 12 and status.plans == 11
    assert status.summary.startswith("Built ")
    # the extraction cache of the session ($CCHC_ATLAS_EXTRACT_CACHE, tests/conftest.py)
    assert f"from {os.environ['CCHC_ATLAS_EXTRACT_CACHE']}" in status.summary


def test_a_background_rebuild_reuses_the_cache_unless_told_not_to(
    small: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    docs, db = small
    monkeypatch.setenv("CCHC_ATLAS_EXTRACT_CACHE", str(tmp_path / "cache"))
    summaries = []
    for use_cache in (True, True, False):
        job = rb.start_rebuild(docs, db, workers=1, use_cache=use_cache)
        assert job.wait(180) and job.state == "done", (job.message, job.output)
        summaries.append(job.output)
    assert "cache: 0 of 2 files reused" in summaries[0]
    assert "cache: 2 of 2 files reused" in summaries[1]
    assert "cache:" not in summaries[2]
    assert counts(db)[0] == 2


def test_a_background_rebuild_that_fails_says_why(small: tuple[Path, Path]) -> None:
    _, db = small
    original = db.read_bytes()
    job = rb.start_rebuild(db.parent / "nowhere", db, workers=1)
    assert job.wait(180)
    assert job.state == "failed" and job.returncode == 1
    assert job.message == (
        "rebuild failed: the documents folder does not exist; the previous warehouse is unchanged"
    )
    assert db.read_bytes() == original
