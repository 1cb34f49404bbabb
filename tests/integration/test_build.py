"""`build_warehouse` end to end: bad files are reported by name, the write is atomic, the
result does not change from one build to the next."""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import re
import shutil
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import pytest

import etl.extract.document as extract_module
import etl.reading.document as reading_module
from etl.cli import main
from etl.load import build as build_module
from etl.load import frames as fr
from etl.load import writer as writer_module
from etl.load.build import BuildSummary, build_warehouse
from etl.models import Evidence, Extraction, Issuer, Mention, RawDocument

# Two news items about the same plan, one about another plan, one without a plan number.
PLAN_A_1 = """\
Tin hoạt động
Ngày đăng: 14/03/2022
Kon Tum: Tuyên truyền cải cách hành chính năm 2022
Ngày 10/3/2022, UBND tỉnh Kon Tum ban hành Kế hoạch số 45/KH-UBND về thông tin, tuyên truyền \
cải cách hành chính năm 2022.
Theo kế hoạch, các sở, ngành đăng tải tin bài trên Cổng thông tin điện tử tỉnh, phối hợp với \
Đài Phát thanh - Truyền hình tỉnh mở chuyên mục về cải cách thủ tục hành chính, in tờ rơi \
hướng dẫn người dân nộp hồ sơ trực tuyến.
Giao Sở Nội vụ chủ trì, phối hợp với các cơ quan liên quan tổ chức thực hiện kế hoạch.
Minh An
"""

PLAN_A_2 = """\
Thời sự
Ngày đăng: 16/03/2022
UBND tỉnh Kon Tum triển khai Kế hoạch số 45/KH-UBND tuyên truyền cải cách hành chính năm 2022
UBND tỉnh Kon Tum vừa ban hành Kế hoạch số 45/KH-UBND ngày 10/3/2022 về tuyên truyền cải cách \
hành chính năm 2022.
Kế hoạch yêu cầu tăng cường tuyên truyền trên báo chí và mạng xã hội Facebook, Zalo về dịch vụ \
công trực tuyến, để doanh nghiệp và người dân biết và sử dụng.
Sở Nội vụ có trách nhiệm theo dõi, đôn đốc việc thực hiện.
Thu Hà
"""

PLAN_B = """\
Cải cách hành chính
Ngày đăng: 05/02/2021
Huyện tổ chức tuyên truyền cải cách hành chính năm 2021
Ngày 2/2/2021, UBND huyện Tam Nông, tỉnh Đồng Tháp ban hành Kế hoạch số 12/KH-UBND về công tác \
tuyên truyền cải cách hành chính năm 2021.
Huyện sẽ tổ chức hội nghị, tập huấn cho cán bộ, công chức; treo băng rôn, khẩu hiệu tại trụ sở \
các xã và phát trên hệ thống loa truyền thanh cơ sở.
Giao Phòng Văn hóa và Thông tin huyện chủ trì thực hiện.
Bảo Ngọc
"""

NO_NUMBER = """\
Tin tức
Ngày đăng: 20/09/2023
Xã tổ chức buổi nói chuyện về cải cách hành chính
Chiều 18/9, xã tổ chức buổi nói chuyện với người dân về thủ tục hành chính và dịch vụ công \
trực tuyến, phát tài liệu hướng dẫn cho các hộ gia đình.
PV
"""

GOOD = {
    "a/kon-tum-1.txt": PLAN_A_1,
    "b/kon-tum-2.txt": PLAN_A_2,
    "tam-nong.txt": PLAN_B,
    "xa/noi-chuyen.txt": NO_NUMBER,
}


def write_docs(folder: Path, files: dict[str, str | bytes]) -> Path:
    for name, content in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return folder


def snapshot(db: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every table and view, rows sorted; build_info without its timestamp."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        names = [
            row[0]
            for row in con.execute(
                "SELECT table_name FROM information_schema.tables "
                "WHERE table_schema = 'main' ORDER BY table_name"
            ).fetchall()
        ]
        out = {}
        for name in names:  # names come from the database itself
            rows = con.execute(f'SELECT * FROM "{name}"').fetchall()
            if name == "build_info":
                rows = [row for row in rows if row[0] != "built_at"]
            out[name] = sorted(rows, key=repr)
        return out
    finally:
        con.close()


def query(db: Path, sql: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if ".tmp-" in p.name)


@pytest.fixture
def good_docs(tmp_path: Path) -> Path:
    return write_docs(tmp_path / "docs", dict(GOOD))


# --- bad inputs ------------------------------------------------------------------------------

UNDECODABLE = b"\xff\xfe" + b"\x00\xd8" + "Kế hoạch".encode("utf-16-le")  # lone surrogate
BINARY = bytes(range(256)) * 8


def test_bad_files_are_reported_by_name_and_the_good_ones_load(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    docs = write_docs(
        tmp_path / "docs",
        {
            **GOOD,
            "bad/empty.txt": b"",
            "bad/binary.html": BINARY,
            "bad/undecodable.txt": UNDECODABLE,
            "bad/vanishing.txt": PLAN_B.replace("12/KH", "13/KH"),
            "manifest.csv": "name,link\na/kon-tum-1.txt,https://example.vn/1\n",  # no 'file'
        },
    )
    with (docs / "bad" / "huge.txt").open("wb") as handle:
        handle.write(("Kế hoạch tuyên truyền cải cách hành chính. " * 20).encode() + b"\n")
        handle.truncate(20 * 1024 * 1024)  # 20 MB
    real_read = reading_module.read_document

    def read_after_delete(path: Path, root: Path, *args: Any, **kwargs: Any) -> RawDocument:
        if Path(path).name == "vanishing.txt":
            Path(path).unlink()  # gone between discover and read
        return real_read(path, root, *args, **kwargs)

    monkeypatch.setattr(reading_module, "read_document", read_after_delete)
    db = tmp_path / "out" / "nested" / "atlas.duckdb"  # parent folders do not exist yet

    summary = build_warehouse(docs, db, workers=1)

    assert summary.written and db.is_file()
    assert summary.documents == len(GOOD)
    errors = {(relpath, stage) for relpath, stage, _ in summary.errors}
    expected = {
        ("bad/empty.txt", "read"),
        ("bad/binary.html", "read"),
        ("bad/undecodable.txt", "read"),
        ("bad/huge.txt", "read"),
        ("bad/vanishing.txt", "read"),
        ("manifest.csv", "manifest"),
    }
    assert expected <= errors
    problems = {relpath: problem for relpath, _, problem in summary.errors}
    assert re.search("empty", problems["bad/empty.txt"], re.I)
    assert re.search("binary", problems["bad/binary.html"], re.I)
    assert re.search("decode", problems["bad/undecodable.txt"], re.I)
    assert re.search("large", problems["bad/huge.txt"], re.I)
    assert re.search("disappeared|vanished|not found", problems["bad/vanishing.txt"], re.I)

    rows = query(db, "SELECT relpath, stage, problem FROM load_errors")
    assert set(rows) == set(summary.errors)
    loaded = {row[0] for row in query(db, "SELECT relpath FROM documents")}
    assert loaded == set(GOOD)
    text = summary.render()
    for relpath, _stage, problem in summary.errors:
        assert relpath in text and problem in text
    assert f"documents: {len(GOOD)}" in text


def test_a_failing_extractor_is_one_error_for_that_file(
    good_docs: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_extract = extract_module.extract_document

    def fragile(raw: RawDocument, manifest: Any = None) -> Extraction:
        if raw.relpath == "tam-nong.txt":
            raise IndexError("list index out of range")
        return real_extract(raw, manifest)

    monkeypatch.setattr(extract_module, "extract_document", fragile)
    summary = build_warehouse(good_docs, tmp_path / "w.duckdb", workers=1)
    assert summary.errors == [("tam-nong.txt", "extract", "IndexError: list index out of range")]
    assert summary.documents == len(GOOD) - 1


def test_exact_copies_load_once(good_docs: Path, tmp_path: Path) -> None:
    shutil.copy(good_docs / "tam-nong.txt", good_docs / "zz-copy.txt")
    db = tmp_path / "w.duckdb"
    summary = build_warehouse(good_docs, db, workers=1)
    assert (summary.documents, summary.duplicates) == (len(GOOD), 1)
    assert "1 duplicate" in summary.render()
    assert query(db, "SELECT relpath, kept_relpath FROM duplicate_files") == [
        ("zz-copy.txt", "tam-nong.txt")
    ]


def test_missing_folder_writes_nothing(tmp_path: Path, good_docs: Path) -> None:
    db = tmp_path / "w.duckdb"
    build_warehouse(good_docs, db, workers=1)
    before = snapshot(db)
    summary = build_warehouse(tmp_path / "no-such-folder", db, workers=1)
    assert not summary.written
    assert summary.errors and summary.errors[0][1] == "discover"
    assert "no-such-folder" in summary.render()
    assert snapshot(db) == before


# --- what lands in the warehouse -------------------------------------------------------------


def test_every_evidence_span_is_its_text(good_docs: Path, tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    build_warehouse(good_docs, db, workers=1)
    bad = query(
        db,
        "SELECT e.category, e.fact_id, e.relpath FROM fact_evidence e JOIN documents d "
        "USING (doc_id) WHERE substring(d.text, e.evidence_start + 1, "
        "e.evidence_end - e.evidence_start) <> e.evidence_text",
    )
    assert bad == []
    bad_fields = query(
        db,
        "SELECT f.field FROM field_evidence f JOIN documents d USING (doc_id) WHERE "
        "substring(d.text, f.evidence_start + 1, f.evidence_end - f.evidence_start) "
        "<> f.evidence_text",
    )
    assert bad_fields == []
    # every document has its plan, every plan its sources
    orphans = query(
        db,
        "SELECT count(*) FROM documents d LEFT JOIN plans p USING (plan_id) "
        "WHERE p.plan_id IS NULL",
    )
    assert orphans == [(0,)]
    sources = query(db, "SELECT sum(n_sources) FROM plans")[0][0]
    assert sources == len(GOOD) == query(db, "SELECT count(*) FROM plan_sources")[0][0]


def _fake_extract(raw: RawDocument, manifest: Any = None) -> Extraction:
    """A stand-in extractor: finds the plan number, Kon Tum and two channels by plain search."""
    text = raw.text
    number = re.search(r"\d+/KH-UBND", text)
    issuer = Issuer()
    if "Kon Tum" in text:
        issuer = Issuer(name="UBND tỉnh Kon Tum", level="province", province_code="62")
    channels = []
    for channel_id, needle in (("web_portal", "Cổng thông tin điện tử"), ("press", "báo chí")):
        start = text.find(needle)
        if start >= 0:
            ev = Evidence(start, start + len(needle), needle)
            channels.append(Mention("channel", channel_id, ev, f"{channel_id}.test"))
    published = re.search(r"Ngày đăng: (\d\d)/(\d\d)/(\d{4})", text)
    return Extraction(
        doc_id=raw.doc_id,
        file=raw.relpath,
        kind="plan" if number else "other",
        issuer=issuer,
        plan_number=number.group(0) if number else None,
        plan_year=int(published.group(3)) if published else None,
        published_date=(
            date(int(published.group(3)), int(published.group(2)), int(published.group(1)))
            if published
            else None
        ),
        channels=channels,
        extractor_version="test",
    )


def test_articles_about_one_plan_are_merged_with_provenance(
    good_docs: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(extract_module, "extract_document", _fake_extract)
    db = tmp_path / "w.duckdb"
    summary = build_warehouse(good_docs, db, workers=1)
    assert (summary.documents, summary.plans) == (4, 3)
    (plan,) = query(
        db,
        "SELECT plan_id, n_sources, published_date, plan_number FROM plans WHERE n_sources > 1",
    )
    assert plan[1:] == (2, date(2022, 3, 14), "45/KH-UBND")
    sources = query(db, "SELECT relpath FROM plan_sources WHERE plan_id = ? ORDER BY 1", [plan[0]])
    assert sources == [("a/kon-tum-1.txt",), ("b/kon-tum-2.txt",)]
    channels = query(
        db,
        "SELECT channel_id, n_documents, group_id FROM plan_channels WHERE plan_id = ? ORDER BY 1",
        [plan[0]],
    )
    assert channels == [("press", 1, "press"), ("web_portal", 1, "digital")]
    facts = query(
        db,
        "SELECT p.province_name, p.province_name_2025, p.region_id, p.n_channels "
        "FROM plan_facts p WHERE plan_id = ?",
        [plan[0]],
    )
    assert facts == [("Tỉnh Kon Tum", "Tỉnh Quảng Ngãi", "central_highlands", 2)]
    per_year = query(
        db, "SELECT n_plans, n_documents FROM locality_year WHERE province_code = '62'"
    )
    assert per_year == [(1, 2)]


def test_the_real_extractor_merges_two_articles_about_one_plan(
    good_docs: Path, tmp_path: Path
) -> None:
    db = tmp_path / "w.duckdb"
    build_warehouse(good_docs, db, workers=1)
    plan_ids = query(
        db,
        "SELECT DISTINCT plan_id FROM documents WHERE relpath IN (?, ?)",
        ["a/kon-tum-1.txt", "b/kon-tum-2.txt"],
    )
    assert len(plan_ids) == 1
    (row,) = query(
        db,
        "SELECT plan_number, province_code, plan_year, n_sources FROM plans WHERE plan_id = ?",
        [plan_ids[0][0]],
    )
    assert row == ("45/KH-UBND", "62", 2022, 2)


def test_manifest_fills_url_and_dates(good_docs: Path, tmp_path: Path) -> None:
    (good_docs / "manifest.csv").write_text(
        "file,url,published_date,synthetic\n"
        "xa/noi-chuyen.txt,https://example.vn/xa,2023-09-20,true\n",
        encoding="utf-8",
    )
    db = tmp_path / "w.duckdb"
    summary = build_warehouse(good_docs, db, workers=1)
    assert summary.errors == []
    row = query(
        db,
        "SELECT url, published_date, synthetic FROM documents WHERE relpath = ?",
        ["xa/noi-chuyen.txt"],
    )
    assert row == [("https://example.vn/xa", date(2023, 9, 20), True)]


# --- atomic, idempotent, parallel ------------------------------------------------------------


def test_a_failed_build_leaves_the_previous_database_untouched(
    good_docs: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "w.duckdb"
    build_warehouse(good_docs, db, workers=1)
    before = snapshot(db)
    stat_before = db.stat()
    real_sql = writer_module.sql_text

    def broken_views(name: str) -> str:
        if name == "views.sql":  # fail midway: tables created and filled, then this
            return "CREATE VIEW broken AS SELECT * FROM no_such_table;"
        return real_sql(name)

    monkeypatch.setattr(writer_module, "sql_text", broken_views)
    (good_docs / "new.txt").write_text(PLAN_B.replace("12/KH", "14/KH"), encoding="utf-8")
    with pytest.raises(duckdb.Error):
        build_warehouse(good_docs, db, workers=1)

    assert snapshot(db) == before
    assert db.stat().st_mtime_ns == stat_before.st_mtime_ns
    assert leftovers(tmp_path) == []
    assert not (tmp_path / "w.duckdb.wal").exists()


def test_a_crash_while_inserting_leaves_no_temp_file(
    good_docs: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "w.duckdb"
    build_warehouse(good_docs, db, workers=1)
    before = snapshot(db)

    def explode(*_args: Any, **_kwargs: Any) -> Any:
        raise RuntimeError("disk full (simulated)")

    monkeypatch.setattr(build_module.os, "replace", explode)
    with pytest.raises(RuntimeError, match="simulated"):
        build_warehouse(good_docs, db, workers=1)
    assert snapshot(db) == before
    assert leftovers(tmp_path) == []


def test_building_twice_gives_the_same_tables(good_docs: Path, tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    first = build_warehouse(good_docs, db, workers=1)
    snap = snapshot(db)
    second = build_warehouse(good_docs, db, workers=1)
    assert snapshot(db) == snap
    assert first.render() == second.render()
    other = tmp_path / "elsewhere" / "w.duckdb"
    build_warehouse(good_docs, other, workers=1)
    assert snapshot(other) == snap
    built_at = query(db, "SELECT value FROM build_info WHERE key = 'built_at'")[0][0]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00", built_at)


@pytest.mark.slow
def test_worker_processes_give_the_same_tables(good_docs: Path, tmp_path: Path) -> None:
    for i in range(6):  # enough files for several chunks
        (good_docs / f"more/{i}.txt").parent.mkdir(exist_ok=True)
        (good_docs / f"more/{i}.txt").write_text(
            PLAN_B.replace("12/KH", f"{20 + i}/KH"), encoding="utf-8"
        )
    (good_docs / "more/empty.txt").write_bytes(b"")
    serial, parallel = tmp_path / "serial.duckdb", tmp_path / "parallel.duckdb"
    one = build_warehouse(good_docs, serial, workers=1)
    two = build_warehouse(good_docs, parallel, workers=2)
    assert snapshot(serial) == snapshot(parallel)
    assert (one.documents, one.errors) == (two.documents, two.errors)


def ordered(db: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every table's rows in the order they were written (rowid), build_info without time."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        out = {}
        for table in fr.TABLES:  # fixed list of names
            rows = con.execute(f'SELECT * FROM "{table}" ORDER BY rowid').fetchall()
            if table == "build_info":
                rows = [row for row in rows if row[0] != "built_at"]
            out[table] = rows
        return out
    finally:
        con.close()


def test_documents_are_written_in_batches_that_do_not_change_the_tables(
    good_docs: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copy(
        good_docs / "a/kon-tum-1.txt", good_docs / "z-copy.txt"
    )  # a duplicate across batches
    whole, batched = tmp_path / "whole.duckdb", tmp_path / "batched.duckdb"
    first = build_warehouse(good_docs, whole, workers=1)

    written: list[tuple[str, int]] = []
    real_append = writer_module.WarehouseWriter.append

    def append(writer: writer_module.WarehouseWriter, table: str, data: Any) -> None:
        written.append((table, data.num_rows if hasattr(data, "num_rows") else len(data)))
        real_append(writer, table, data)

    monkeypatch.setattr(writer_module.WarehouseWriter, "append", append)
    second = build_warehouse(good_docs, batched, workers=1, batch_size=2)

    document_batches = [n for table, n in written if table == "documents"]
    assert first.documents >= 3 and len(document_batches) == -(-first.documents // 2)
    assert max(document_batches) == 2  # never more than one batch of texts at a time
    assert ordered(batched) == ordered(whole)
    assert first.render().replace(str(whole), "") == second.render().replace(str(batched), "")
    assert second.duplicates == 1


@pytest.mark.slow
def test_a_failing_write_stops_the_worker_processes_at_once(
    good_docs: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full_disk(*_args: Any, **_kwargs: Any) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(writer_module.WarehouseWriter, "append", full_disk)
    with pytest.raises(OSError, match="No space left") as caught:
        build_warehouse(good_docs, tmp_path / "w.duckdb", workers=2, batch_size=1)
    assert caught.traceback  # the failed build's frames are still referenced here
    assert multiprocessing.active_children() == []
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize(
    ("setting", "expected"),
    [(None, {"memory_limit": "1GB"}), ("64MB", {"memory_limit": "64MB"}), ("", {})],
)
def test_the_build_caps_duckdb_memory_unless_told_otherwise(
    setting: str | None, expected: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    if setting is None:
        monkeypatch.delenv(writer_module.MEMORY_ENV, raising=False)
    else:
        monkeypatch.setenv(writer_module.MEMORY_ENV, setting)
    assert writer_module.duckdb_config() == expected


def test_a_small_memory_cap_gives_the_same_tables(
    good_docs: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    uncapped, capped = tmp_path / "uncapped.duckdb", tmp_path / "capped.duckdb"
    monkeypatch.setenv(writer_module.MEMORY_ENV, "")
    build_warehouse(good_docs, uncapped, workers=1)
    monkeypatch.setenv(writer_module.MEMORY_ENV, "64MB")
    seen: list[str] = []
    real_commit = writer_module.WarehouseWriter.commit

    def commit(writer: writer_module.WarehouseWriter) -> None:
        seen.append(writer._con.execute("SELECT current_setting('memory_limit')").fetchone()[0])
        real_commit(writer)

    monkeypatch.setattr(writer_module.WarehouseWriter, "commit", commit)
    build_warehouse(good_docs, capped, workers=1)
    assert seen == ["61.0 MiB"]  # 64 MB, as DuckDB reports it
    assert ordered(capped) == ordered(uncapped)
    assert leftovers(tmp_path) == []


def test_cli_build_prints_the_summary(
    good_docs: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (good_docs / "empty.txt").write_bytes(b"")
    db = tmp_path / "w.duckdb"
    assert main(["build", "--docs", str(good_docs), "--db", str(db), "--workers", "1"]) == 0
    out = capsys.readouterr().out
    assert "empty.txt" in out and f"documents: {len(GOOD)}" in out


def test_summary_render_lists_errors() -> None:
    summary = BuildSummary(
        documents=2,
        duplicates=1,
        plans=2,
        facts={"channel_mentions": 5},
        errors=[("x/empty.txt", "read", "empty file")],
        docs="docs",
        db="w.duckdb",
        written=True,
    )
    text = summary.render()
    assert "x/empty.txt [read]: empty file" in text
    assert "channel_mentions" in text and "1 duplicate" in text


def test_doc_ids_are_sha256_of_the_bytes(good_docs: Path, tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    build_warehouse(good_docs, db, workers=1)
    for doc_id, relpath in query(db, "SELECT doc_id, relpath FROM documents"):
        data = (good_docs / relpath).read_bytes()
        assert doc_id == hashlib.sha256(data).hexdigest()
    assert not any(name.endswith(".wal") for name in os.listdir(tmp_path))
