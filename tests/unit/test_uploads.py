"""etl/uploads.py: safe names, types, limits, duplicates, storing without overwriting."""

from __future__ import annotations

import hashlib
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from etl import uploads
from etl.reading.document import UNSUPPORTED_DOC
from etl.uploads import (
    MAX_NAME_BYTES,
    MAX_NAME_CHARS,
    UploadLimits,
    sanitize_filename,
    unique_name,
    validate_batch,
)

NFD_NAME = unicodedata.normalize("NFD", "Kế hoạch tuyên truyền.txt")

# hostile name -> the safe name
NAMES = [
    ("../../etc/passwd", "passwd"),
    ("../../etc/passwd.txt", "passwd.txt"),
    ("a/b.txt", "b.txt"),
    ("/abs/path/plan.html", "plan.html"),
    ("C:\\x.txt", "x.txt"),
    ("C:x.txt", "x.txt"),
    ("..\\..\\windows\\win.ini.txt", "win.ini.txt"),
    ("\x00.txt", "document.txt"),
    ("a\x00b.txt", "ab.txt"),
    ("line\nbreak.txt", "line_break.txt"),
    ("tab\there.txt", "tab_here.txt"),
    ("a\u202eb.txt", "ab.txt"),  # right-to-left override
    ("zero\u200bwidth.txt", "zerowidth.txt"),
    (".hidden.txt", "hidden.txt"),
    ("~$plan.docx", "plan.docx"),  # Word's lock file: skipped by the build
    ("..", "document"),
    ("...txt", "document.txt"),
    ("", "document"),
    ("   ", "document"),
    ("a..b...txt", "a.b.txt"),
    ("report .txt ", "report.txt"),
    ("con.txt", "_con.txt"),
    ("NUL", "_NUL"),
    ("com1.tar.gz", "_com1.tar.gz"),
    ("plan.TXT", "plan.txt"),
    ("Kế hoạch số 12-KH (bản cuối).docx", "Kế_hoạch_số_12-KH_bản_cuối.docx"),
    (NFD_NAME, "Kế_hoạch_tuyên_truyền.txt"),
    ("<script>alert(1)</script>.html", "script.html"),  # "/script>" is the basename
    ("<img src=x onerror=alert(1)>.html", "img_src_x_onerror_alert_1.html"),
    ("a;rm -rf ~;b.txt", "a_rm_-rf_b.txt"),
    ("$(reboot).pdf", "reboot.pdf"),
    ("a*b?c|d\"e'f.txt", "a_b_c_d_e_f.txt"),
    # trailing dots and separators go before the suffix is read (found by Hypothesis: "0.A."
    # gave "0.A", which a second pass turned into "0.a")
    ("0.A.", "0.a"),
    ("Kế hoạch.TXT._", "Kế_hoạch.txt"),
    ("bao-cao.docx -", "bao-cao.docx"),
]


@pytest.mark.parametrize(("name", "expected"), NAMES)
def test_hostile_names_are_sanitised(name: str, expected: str) -> None:
    assert sanitize_filename(name) == expected


def test_very_long_names_are_cut_keeping_the_suffix() -> None:
    name = sanitize_filename("x" * 5000 + ".docx")
    assert name.endswith(".docx") and len(name) == MAX_NAME_CHARS
    vietnamese = sanitize_filename("ệ" * 300 + ".pdf")
    assert vietnamese.endswith(".pdf")
    assert len(vietnamese.encode("utf-8")) <= MAX_NAME_BYTES


@given(st.text(max_size=300))
@settings(max_examples=300, deadline=None)
def test_any_name_becomes_a_safe_one(name: str) -> None:
    safe = sanitize_filename(name)
    assert safe and safe not in (".", "..")
    assert "/" not in safe and "\\" not in safe and ".." not in safe and "\x00" not in safe
    assert not safe.startswith((".", "-", "~"))
    assert all(ch.isalnum() or ch in "._-" for ch in safe)
    assert unicodedata.is_normalized("NFC", safe)
    assert len(safe) <= MAX_NAME_CHARS and len(safe.encode("utf-8")) <= MAX_NAME_BYTES
    assert sanitize_filename(safe) == safe  # idempotent


def test_unique_name_adds_a_number() -> None:
    assert unique_name("a.txt", []) == "a.txt"
    assert unique_name("a.txt", ["a.txt"]) == "a-2.txt"
    assert unique_name("a.txt", ["A.TXT", "a-2.txt"]) == "a-3.txt"  # case-insensitive
    assert unique_name("noext", ["noext"]) == "noext-2"
    long = sanitize_filename("y" * 500 + ".txt")
    assert len(unique_name(long, [long])) <= MAX_NAME_CHARS


# --- validation ----------------------------------------------------------------------------


def codes(verdicts: list[uploads.Verdict]) -> list[str]:
    return [v.code for v in verdicts]


def test_types() -> None:
    batch = [
        ("a.txt", b"a"),
        ("b.HTML", b"b"),
        ("c.htm", b"c"),
        ("d.docx", b"d"),
        ("e.pdf", b"e"),
        ("f.doc", b"f"),
        ("g.exe", b"g"),
        ("h", b"h"),
        ("manifest.csv", b"i"),
    ]
    verdicts = validate_batch(batch)
    assert codes(verdicts) == ["ok"] * 5 + ["doc", "type", "type", "type"]
    assert verdicts[5].message == UNSUPPORTED_DOC
    assert "save it as .docx or PDF" in verdicts[5].message
    assert verdicts[6].message.startswith("unsupported file type .exe")
    assert verdicts[7].params == {"suffix": "(none)"}


def test_empty_and_too_large() -> None:
    limits = UploadLimits(max_file_bytes=10)
    verdicts = validate_batch(
        [("a.txt", b""), ("b.txt", b"x" * 11), ("c.txt", b"x" * 10)], None, limits
    )
    assert codes(verdicts) == ["empty", "size", "ok"]
    assert verdicts[1].message == "file too large: 11 bytes (limit 10 bytes for .txt files)"


def test_default_size_limits_are_the_readers() -> None:
    limits = UploadLimits()
    assert limits.file_limit(".txt") == 10 * 1024 * 1024
    assert limits.file_limit(".pdf") == 30 * 1024 * 1024
    big = b"x" * (10 * 1024 * 1024 + 1)
    assert codes(validate_batch([("a.txt", big), ("a.pdf", big)])) == ["size", "ok"]


def test_count_and_total_limits() -> None:
    files = [(f"{i}.txt", str(i).encode()) for i in range(5)]
    assert (
        codes(validate_batch(files, None, UploadLimits(max_files=3))) == ["ok"] * 3 + ["count"] * 2
    )
    sized = [(f"{i}.txt", bytes([65 + i]) * 4) for i in range(4)]
    verdicts = validate_batch(sized, None, UploadLimits(max_total_bytes=10))
    assert codes(verdicts) == ["ok", "ok", "total", "total"]
    assert verdicts[2].message == "the upload is too large: at most 10 bytes in all"


def test_refused_files_do_not_count_towards_the_limits() -> None:
    files = [("a.doc", b"1"), ("b.txt", b""), ("c.txt", b"3"), ("d.txt", b"4")]
    assert codes(validate_batch(files, None, UploadLimits(max_files=2))) == [
        "doc",
        "empty",
        "ok",
        "ok",
    ]


def test_duplicates_in_the_batch_and_in_the_folder() -> None:
    same = b"the same bytes"
    existing = {hashlib.sha256(b"stored").hexdigest(): "old/plan.txt"}
    verdicts = validate_batch(
        [("a.txt", same), ("b.txt", same), ("c.pdf", b"stored"), ("d.txt", b"other")], existing
    )
    assert codes(verdicts) == ["ok", "duplicate", "duplicate", "ok"]
    assert verdicts[1].params == {"other": "a.txt"}
    assert verdicts[2].message == "the same file is already there as old/plan.txt"
    assert verdicts[0].sha256 == hashlib.sha256(same).hexdigest()


def test_a_hostile_name_is_validated_on_its_safe_form() -> None:
    (verdict,) = validate_batch([("../../etc/passwd.txt", b"x")])
    assert (
        verdict.ok and verdict.name == "passwd.txt" and verdict.original == "../../etc/passwd.txt"
    )


# --- the folder ----------------------------------------------------------------------------


def test_store_never_overwrites(tmp_path: Path) -> None:
    folder = tmp_path / "uploads"
    first = uploads.store(folder, "plan.txt", b"one")
    second = uploads.store(folder, "plan.txt", b"two")
    third = uploads.store(folder, "PLAN.txt", b"three")
    assert [p.name for p in (first, second, third)] == ["plan.txt", "plan-2.txt", "PLAN-3.txt"]
    assert first.read_bytes() == b"one" and second.read_bytes() == b"two"
    assert all(p.parent == folder for p in (first, second, third))


def test_existing_hashes(tmp_path: Path) -> None:
    folder = tmp_path / "uploads"
    assert uploads.existing_hashes(folder) == {}
    uploads.store(folder, "a.txt", b"A")
    (folder / "sub").mkdir()
    (folder / "sub" / "b.txt").write_bytes(b"B")
    (folder / "link.txt").symlink_to(folder / "a.txt")
    found = uploads.existing_hashes(folder)
    assert found == {
        hashlib.sha256(b"A").hexdigest(): "a.txt",
        hashlib.sha256(b"B").hexdigest(): "sub/b.txt",
    }


def test_folders_from_the_environment(tmp_path: Path) -> None:
    env = {"CCHC_ATLAS_UPLOADS": str(tmp_path / "up"), "CCHC_ATLAS_DOCS": str(tmp_path)}
    assert uploads.uploads_dir(env) == tmp_path / "up"
    assert uploads.docs_dir(env) == tmp_path
    assert uploads.uploads_dir({}) == uploads.PROJECT_ROOT / "data" / "raw" / "uploads"
    assert uploads.docs_dir({}) == uploads.PROJECT_ROOT / "data" / "raw"
    assert uploads.uploads_in_docs(uploads.docs_dir({}), uploads.uploads_dir({}))
    assert uploads.uploads_in_docs(tmp_path, tmp_path / "a" / "b")
    assert uploads.uploads_in_docs(tmp_path, tmp_path)
    assert not uploads.uploads_in_docs(tmp_path / "docs", tmp_path / "uploads")
    assert not uploads.uploads_in_docs(tmp_path, tmp_path / ".hidden" / "up")  # not read


def test_the_default_uploads_folder_is_ignored_by_git() -> None:
    ignored = (uploads.PROJECT_ROOT / ".gitignore").read_text(encoding="utf-8").split()
    assert "data/raw/" in ignored


def test_preview_reads_and_extracts_in_another_process(tmp_path: Path) -> None:
    good = tmp_path / "plan.txt"
    good.write_text(
        "Ngày 5/5/2023, UBND huyện Đức Trọng, tỉnh Lâm Đồng ban hành Kế hoạch số 71/KH-UBND "
        "về thông tin, tuyên truyền cải cách hành chính năm 2023. Theo kế hoạch, huyện phát "
        "tờ rơi và mở chuyên mục trên Đài Truyền thanh - Truyền hình huyện.\n",
        encoding="utf-8",
    )
    binary = tmp_path / "nul.txt"
    binary.write_bytes(bytes(100))
    ok, bad = uploads.preview_files([good, binary], tmp_path, time_limit=20)
    assert ok.ok and ok.relpath == "plan.txt" and ok.plan_number == "71/KH-UBND"
    assert ok.channels >= 2 and ok.plan_year == 2023
    assert not bad.ok and bad.stage == "read" and bad.problem == "binary file, not text"
