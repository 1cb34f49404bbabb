"""The extraction cache (etl/load/cache.py): a rebuild extracts only what changed, gives the
same tables as a build without the cache, and survives a broken cache."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from etl.cli import main
from etl.load import build as build_module
from etl.load import cache as cache_module
from etl.load.build import build_warehouse
from etl.load.cache import ExtractCache, fingerprint
from tests.integration.test_build import GOOD, PLAN_B, ordered, snapshot, write_docs

MORE = {
    f"more/{i}.txt": PLAN_B.replace("12/KH", f"{20 + i}/KH").replace("Tam Nông", "Cao Lãnh")
    for i in range(5)
}


@pytest.fixture
def docs(tmp_path: Path) -> Path:
    return write_docs(tmp_path / "docs", {**GOOD, **MORE, "broken/empty.txt": ""})


@pytest.fixture
def extracted(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The relpaths of the files read and extracted (in this process: workers=1)."""
    seen: list[str] = []
    real = build_module.load_file

    def counting(task: tuple[str, str, Any], *args: Any, **kwargs: Any) -> Any:
        seen.append(Path(task[1]).relative_to(task[0]).as_posix())
        return real(task, *args, **kwargs)

    monkeypatch.setattr(build_module, "load_file", counting)
    return seen


def reference(docs: Path, tmp_path: Path, name: str = "plain.duckdb") -> Path:
    db = tmp_path / name
    build_warehouse(docs, db, workers=1)
    return db


def test_a_warm_rebuild_extracts_nothing_and_gives_the_same_tables(
    docs: Path, tmp_path: Path, extracted: list[str]
) -> None:
    plain = reference(docs, tmp_path)
    extracted.clear()
    cache = tmp_path / "cache"
    cold = build_warehouse(docs, tmp_path / "cold.duckdb", workers=1, cache=cache)
    assert len(extracted) == 10  # every file, the empty one included
    assert cold.cache is not None and cold.cache.startswith("0 of 10 files reused")
    assert "9 stored" in cold.cache  # not the empty file: errors are not kept
    extracted.clear()
    warm = build_warehouse(docs, tmp_path / "warm.duckdb", workers=1, cache=cache)
    assert extracted == ["broken/empty.txt"]  # errors are tried again, the rest reused
    assert warm.cache is not None and warm.cache.startswith("9 of 10 files reused")
    for db in (tmp_path / "cold.duckdb", tmp_path / "warm.duckdb"):
        assert snapshot(db) == snapshot(plain)
        assert ordered(db) == ordered(plain)  # same rows in the same order
    assert warm.errors == cold.errors and [e[0] for e in warm.errors] == ["broken/empty.txt"]
    assert "cache: 9 of 10 files reused" in warm.render()


def test_only_changed_renamed_and_new_files_are_extracted(
    docs: Path, tmp_path: Path, extracted: list[str]
) -> None:
    cache = tmp_path / "cache"
    build_warehouse(docs, tmp_path / "first.duckdb", workers=1, cache=cache)
    (docs / "tam-nong.txt").write_text(PLAN_B.replace("hội nghị", "hội thi"), encoding="utf-8")
    (docs / "more/0.txt").rename(docs / "more/zero.txt")
    (docs / "new.txt").write_text(MORE["more/1.txt"].replace("21/KH", "99/KH"), encoding="utf-8")
    extracted.clear()
    summary = build_warehouse(docs, tmp_path / "second.duckdb", workers=1, cache=cache)
    assert sorted(extracted) == ["broken/empty.txt", "more/zero.txt", "new.txt", "tam-nong.txt"]
    assert summary.cache is not None and summary.cache.startswith("7 of 11 files reused")
    assert snapshot(tmp_path / "second.duckdb") == snapshot(reference(docs, tmp_path))


def test_a_changed_manifest_row_is_extracted_again(
    docs: Path, tmp_path: Path, extracted: list[str]
) -> None:
    cache = tmp_path / "cache"
    manifest = docs / "manifest.csv"
    manifest.write_text("file,url\ntam-nong.txt,https://example.org/a\n", encoding="utf-8")
    build_warehouse(docs, tmp_path / "first.duckdb", workers=1, cache=cache)
    manifest.write_text("file,url\ntam-nong.txt,https://example.org/b\n", encoding="utf-8")
    extracted.clear()
    build_warehouse(docs, tmp_path / "second.duckdb", workers=1, cache=cache)
    assert sorted(extracted) == ["broken/empty.txt", "tam-nong.txt"]
    assert snapshot(tmp_path / "second.duckdb") == snapshot(reference(docs, tmp_path))


@pytest.mark.slow
def test_worker_processes_mix_cached_and_extracted_files_in_order(
    docs: Path, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    build_warehouse(docs, tmp_path / "first.duckdb", workers=2, cache=cache)
    for i in range(5, 12):  # new files between cached ones, in several chunks
        (docs / f"more/{i}b.txt").write_text(
            PLAN_B.replace("12/KH", f"{40 + i}/KH"), encoding="utf-8"
        )
    summary = build_warehouse(docs, tmp_path / "second.duckdb", workers=2, cache=cache)
    assert summary.cache is not None and summary.cache.startswith("9 of 17 files reused")
    plain = reference(docs, tmp_path)
    assert snapshot(tmp_path / "second.duckdb") == snapshot(plain)
    assert ordered(tmp_path / "second.duckdb") == ordered(plain)


# --- a broken cache never fails a build --------------------------------------------------------


def test_a_corrupt_cache_file_is_replaced_and_the_build_goes_on(
    docs: Path, tmp_path: Path, extracted: list[str]
) -> None:
    cache = tmp_path / "cache"
    cache.mkdir()
    path = ExtractCache(cache, fingerprint()).path
    path.write_bytes(b"this is not a database" * 100)
    summary = build_warehouse(docs, tmp_path / "w.duckdb", workers=1, cache=cache)
    assert summary.written and summary.documents == 9
    assert summary.cache is not None
    assert "cannot open" in summary.cache and "started a new cache file" in summary.cache
    assert snapshot(tmp_path / "w.duckdb") == snapshot(reference(docs, tmp_path))
    extracted.clear()
    again = build_warehouse(docs, tmp_path / "again.duckdb", workers=1, cache=cache)
    assert extracted == ["broken/empty.txt"]  # the new file works
    assert again.cache is not None and "9 of 10" in again.cache


def test_an_entry_that_cannot_be_decoded_is_extracted_again(
    docs: Path, tmp_path: Path, extracted: list[str]
) -> None:
    cache = tmp_path / "cache"
    build_warehouse(docs, tmp_path / "first.duckdb", workers=1, cache=cache)
    con = sqlite3.connect(ExtractCache(cache, fingerprint()).path)
    with con:
        con.execute("UPDATE outcomes SET blob = x'00ff' WHERE rowid = 1")
    con.close()
    extracted.clear()
    summary = build_warehouse(docs, tmp_path / "second.duckdb", workers=1, cache=cache)
    assert len(extracted) == 2  # the damaged entry and the empty file
    assert summary.cache is not None and "could not be decoded" in summary.cache
    assert snapshot(tmp_path / "second.duckdb") == snapshot(reference(docs, tmp_path))


def test_a_cache_folder_that_cannot_be_created_turns_the_cache_off(
    docs: Path, tmp_path: Path
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    summary = build_warehouse(docs, tmp_path / "w.duckdb", workers=1, cache=blocker / "cache")
    assert summary.written and summary.documents == 9
    assert summary.cache is not None and "extraction cache off: cannot open" in summary.cache
    assert snapshot(tmp_path / "w.duckdb") == snapshot(reference(docs, tmp_path))


def test_a_cache_that_cannot_be_written_is_still_read(
    docs: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, extracted: list[str]
) -> None:
    cache = tmp_path / "cache"
    build_warehouse(docs, tmp_path / "first.duckdb", workers=1, cache=cache)
    (docs / "tam-nong.txt").write_text(PLAN_B.replace("hội nghị", "hội thi"), encoding="utf-8")
    real_open = ExtractCache.open

    def read_only(folder: Path, fingerprint_: str | None = None) -> ExtractCache:
        opened = real_open(folder, fingerprint_)
        assert opened._con is not None
        opened._con.execute("PRAGMA query_only = ON")  # every write fails, like a full disk
        return opened

    monkeypatch.setattr(ExtractCache, "open", staticmethod(read_only))
    extracted.clear()
    summary = build_warehouse(docs, tmp_path / "second.duckdb", workers=1, cache=cache)
    assert sorted(extracted) == ["broken/empty.txt", "tam-nong.txt"]  # the rest was read
    assert summary.cache is not None and summary.cache.startswith("8 of 10 files reused")
    assert "extraction cache not written" in summary.cache and "0 stored" in summary.cache
    assert snapshot(tmp_path / "second.duckdb") == snapshot(reference(docs, tmp_path))


# --- the extractor's fingerprint ---------------------------------------------------------------


def test_the_fingerprint_follows_every_file_of_the_extractor_and_the_libraries(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "etl"
    (root / "vocab").mkdir(parents=True)
    (root / "code.py").write_text("X = 1\n", encoding="utf-8")
    (root / "vocab" / "words.txt").write_text("tuyên truyền\n", encoding="utf-8")
    (root / "__pycache__").mkdir()
    (root / "__pycache__" / "code.cpython-311.pyc").write_bytes(b"\0")
    first = fingerprint(root)
    assert first == fingerprint(root) and len(first) == 16
    (root / "__pycache__" / "code.cpython-311.pyc").write_bytes(b"\1")
    fingerprint.cache_clear()
    assert fingerprint(root) == first  # compiled files do not count
    (root / "vocab" / "words.txt").write_text("tuyen truyen\n", encoding="utf-8")
    fingerprint.cache_clear()
    second = fingerprint(root)
    assert second != first  # a vocabulary file (not only .py/.yaml) counts
    monkeypatch.setattr(cache_module, "_library_version", lambda name: "0.0-test")
    fingerprint.cache_clear()
    assert fingerprint(root) != second
    fingerprint.cache_clear()


def test_the_warehouse_sql_and_the_demo_generator_leave_the_fingerprint_alone(
    tmp_path: Path,
) -> None:
    root = tmp_path / "etl"
    for folder in ("load/sql", "demo", "extract"):
        (root / folder).mkdir(parents=True)
    files = {
        "load/sql/views.sql": "CREATE TABLE t AS SELECT 1;\n",
        "load/dictionary.yaml": "tables: {}\n",
        "load/frames.py": "X = 1\n",
        "demo/templates.yaml": "a: 1\n",
        "extract/categories.py": "Y = 1\n",
        "demography.py": "Z = 1\n",  # begins with "demo" but is not the folder
    }
    for name, text in files.items():
        (root / name).write_text(text, encoding="utf-8")
    first, first_whole = fingerprint(root), fingerprint(root, whole=True)
    assert first != first_whole
    for name in ("load/sql/views.sql", "load/dictionary.yaml", "demo/templates.yaml"):
        (root / name).write_text(files[name] + "-- changed\n", encoding="utf-8")
        fingerprint.cache_clear()
        assert fingerprint(root) == first, name
        whole = fingerprint(root, whole=True)
        assert whole != first_whole, name  # the bench's key of the whole ETL follows them
        first_whole = whole
    for name in ("load/frames.py", "extract/categories.py", "demography.py"):
        (root / name).write_text(files[name] + "# changed\n", encoding="utf-8")
        fingerprint.cache_clear()
        changed = fingerprint(root)
        assert changed != first, name
        first = changed
    fingerprint.cache_clear()


def test_extracting_a_file_imports_neither_the_demo_generator_nor_pandas(tmp_path: Path) -> None:
    """What NOT_EXTRACTION leaves out of the fingerprint must stay out of the extraction; and a
    build's worker, which only turns documents into row tuples, does not import pandas (about
    0.4 s of CPU in every worker; DataFrames are made in the build's process), not even for an
    issuer that needs the commune crosswalk."""
    # a commune of the 2025 era as issuer: its legacy province comes from the commune crosswalk
    commune_2025 = (
        "Phường Hoàn Kiếm đẩy mạnh tuyên truyền cải cách hành chính\n"
        "Ngày 15/8/2025, UBND phường Hoàn Kiếm, thành phố Hà Nội ban hành Kế hoạch số "
        "12/KH-UBND về tuyên truyền cải cách hành chính năm 2025, phát tờ rơi tới các tổ dân "
        "phố.\n"
    )
    docs = write_docs(tmp_path / "docs", {**GOOD, "zz/phuong-2025.txt": commune_2025})
    paths = [str(p) for p in sorted(p for p in docs.rglob("*") if p.is_file())]
    script = (
        "import sys\n"
        "from etl.load.build import load_file\n"
        f"outcomes = [load_file(({str(docs)!r}, path, None)) for path in {paths!r}]\n"
        "assert all(outcome[0] == 'ok' for outcome in outcomes), outcomes\n"
        "issuer = outcomes[-1][4][1].issuer\n"
        "assert (issuer.level, issuer.commune_code, issuer.province_code) == "
        "('commune', '00070', '01'), issuer\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'pandas'\n"
        "    or m == 'etl.demo' or m.startswith('etl.demo.')))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parents[2],
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
    assert cache_module.NOT_EXTRACTION == ("load/sql", "load/dictionary.yaml", "demo")


def test_opening_a_new_fingerprint_deletes_the_other_files(tmp_path: Path) -> None:
    old = ExtractCache.open(tmp_path, "a" * 16)
    old.put("k", ("ok", "x.txt", "id", {}, None, []))
    old.close()
    assert old.path.exists()
    new = ExtractCache.open(tmp_path, "b" * 16)
    new.close()
    assert not old.path.exists() and new.path.exists()
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix == ".sqlite") == [new.path.name]


def test_only_successful_outcomes_are_stored(tmp_path: Path) -> None:
    cache = ExtractCache.open(tmp_path, "c" * 16)
    cache.put("bad", ("error", "x.txt", "read", "empty file"))
    cache.put("good", ("ok", "y.txt", "id", {"documents": []}, None, []))
    cache.flush()
    assert cache.keys() == {"good"}
    assert cache.get("good") == ("ok", "y.txt", "id", {"documents": []}, None, [])
    assert cache.get("bad") is None
    cache.close()


# --- commands ----------------------------------------------------------------------------------


def test_the_build_command_uses_the_default_cache_unless_told_not_to(
    docs: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "env-cache"
    monkeypatch.setenv(cache_module.CACHE_ENV, str(folder))

    def build(db: str, *options: str) -> int:
        return main(
            ["build", "--docs", str(docs), "--db", str(tmp_path / db), "--workers", "1", *options]
        )

    assert build("a.duckdb") == 0
    assert f"cache: 0 of 10 files reused from {folder}" in capsys.readouterr().out
    assert build("b.duckdb") == 0
    assert "cache: 9 of 10 files reused" in capsys.readouterr().out
    assert build("c.duckdb", "--no-cache") == 0
    assert "cache:" not in capsys.readouterr().out
    other = tmp_path / "other-cache"
    assert build("d.duckdb", "--cache", str(other)) == 0
    assert f"0 of 10 files reused from {other}" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        build("e.duckdb", "--cache", str(other), "--no-cache")  # one or the other
