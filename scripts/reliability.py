"""Reliability report: broken and hostile files, concurrent rebuilds, a dashboard in use.

    python scripts/reliability.py [--small] [--time-limit S] [--workers N] [--keep DIR]

1. Writes a corpus in a temporary folder: the embedded sample documents (data/sample/docs,
   with their manifest) and a generated .docx plan, which must load, beside hostile files
   (empty, binary, NUL bytes, 20 MB, undecodable, zip-bomb .docx, malformed / cyclic / page-bomb
   PDFs, a scanned PDF, a .doc, deeply nested HTML, a very long line, mixed encodings, a
   `<script>` document, TCVN3 and VNI files).
2. Builds the valid documents alone, then everything: each hostile file must load (the
   readable ones) or be one `load_errors` row with a clear message; the valid documents' facts
   must be the same in both builds.
3. Serves the mixed warehouse (Streamlit AppTest runs of the dashboard's pages, and a read-only
   read loop in another process) while two rebuilds of it are started at the same moment: one
   must run, the other be refused; the readers must see no error.

Prints the inputs tried, the errors reported with a clear message, crashes, facts lost from
valid documents and dashboard errors during the rebuilds; exits 0 only when the last three
are 0. `--small`: a smaller corpus and time limit (the test suite runs it).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import duckdb  # noqa: E402

from etl.load.build import BuildSummary, build_warehouse  # noqa: E402
from etl.load.frames import FACT_TABLES  # noqa: E402
from etl.load.rebuild import EXIT_REFUSED, current_status  # noqa: E402
from etl.reading.legacy import encode_tcvn3, encode_vni  # noqa: E402

SAMPLE_DOCS = ROOT / "data" / "sample" / "docs"
APP = ROOT / "dashboard" / "app.py"
MB = 1024 * 1024
HOSTILE_DIR = "zz-hostile"
VALID_EXTRA = "extra/kh-19-khanh-hoa.docx"

# --- the corpus --------------------------------------------------------------------------------

PLAN_PARAGRAPHS = [
    "ỦY BAN NHÂN DÂN TỈNH KHÁNH HÒA",
    "Số: 19/KH-UBND",
    "Khánh Hòa, ngày 14 tháng 2 năm 2024",
    "KẾ HOẠCH",
    "Tuyên truyền cải cách hành chính tỉnh Khánh Hòa năm 2024",
    "III. HÌNH THỨC",
    "1. Đăng tải tin, bài trên Cổng thông tin điện tử tỉnh; in tờ rơi, sổ tay hỏi đáp về "
    "thủ tục hành chính.",
    "IV. TỔ CHỨC THỰC HIỆN",
    "1. Sở Nội vụ chủ trì, phối hợp với các cơ quan, đơn vị triển khai Kế hoạch này.",
]
LEGACY_TEXT = (
    "Ủy ban nhân dân huyện ban hành kế hoạch tuyên truyền cải cách hành chính năm 2019. "
    "Đài truyền thanh huyện mở chuyên mục về cải cách thủ tục hành chính, các xã phát tờ rơi "
    "hướng dẫn người dân nộp hồ sơ trực tuyến tại bộ phận một cửa.\n"
) * 6
SCRIPT_TEXT = (
    "Ngày 5/3/2022, UBND tỉnh Kon Tum ban hành Kế hoạch số 45/KH-UBND về thông tin, tuyên "
    "truyền cải cách hành chính năm 2022 <script>alert('x')</script> <img src=x "
    "onerror=alert(1)>. Các sở đăng tải tin bài trên Cổng thông tin điện tử tỉnh.\n"
)
DENSE = (
    "Sở Nội vụ chủ trì, phối hợp với Đài Phát thanh và Truyền hình tỉnh đưa tin về cải cách "
    "hành chính trên Cổng thông tin điện tử tỉnh và phát tờ rơi tại bộ phận một cửa. "
)
MIXED_LINE_UTF8 = "Ủy ban nhân dân xã ban hành kế hoạch tuyên truyền cải cách hành chính.\n"
MIXED_LINE_LEGACY = "Công chức văn hóa - xã hội phát thanh trên loa truyền thanh hằng tuần.\n"


def _pdf(objects: list[bytes]) -> bytes:
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    count = len(objects) + 1
    out += b"xref\n0 %d\n0000000000 65535 f \n" % count
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (count, xref)
    return bytes(out)


def scanned_pdf() -> bytes:
    return _pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
            b"/Resources << /XObject << /Im1 5 0 R >> >> >>",
            b"<< /Length 30 >>\nstream\nq 595 0 0 842 0 0 cm /Im1 Do Q\nendstream",
            b"<< /Type /XObject /Subtype /Image /Width 8 /Height 8 /ColorSpace /DeviceGray "
            b"/BitsPerComponent 8 /Length 64 >>\nstream\n" + b"\x80" * 64 + b"\nendstream",
        ]
    )


def cyclic_pdf() -> bytes:
    """A page tree that contains itself: a naive reader walks it for ever."""
    return _pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
        ]
    )


def page_bomb_pdf() -> bytes:
    """Eight kids per level, six levels, one shared page: 262,144 pages from 9 objects."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [" + b"3 0 R " * 8 + b"] /Count 262144 >>",
    ]
    for level in range(3, 8):
        kids = b"%d 0 R " % (level + 1)
        objects.append(
            b"<< /Type /Pages /Parent %d 0 R /Kids [" % (level - 1) + kids * 8 + b"] /Count 8 >>"
        )
    objects.append(b"<< /Type /Page /Parent 7 0 R /MediaBox [0 0 595 842] >>")
    return _pdf(objects)


def docx_bomb(path: Path, megabytes: int) -> None:
    chunk = b"<w:t>" + b" " * (MB - 11) + b"</w:t>"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w", force_zip64=True) as member:
            for _ in range(megabytes):
                member.write(chunk)


def plan_docx(path: Path) -> None:
    import docx

    document = docx.Document()
    for paragraph in PLAN_PARAGRAPHS:
        document.add_paragraph(paragraph)
    document.save(str(path))


def cp1258_bytes(text: str) -> bytes:
    import unicodedata

    out = bytearray()
    for char in text:
        try:
            out += char.encode("cp1258")
        except UnicodeEncodeError:
            marks = unicodedata.normalize("NFD", char)
            tone = "".join(c for c in marks if c in "\u0300\u0301\u0303\u0309\u0323")
            base = unicodedata.normalize("NFC", "".join(c for c in marks if c not in tone))
            out += (base + tone).encode("cp1258")
    return bytes(out)


@dataclass(frozen=True)
class Hostile:
    """A hostile file and what must become of it: 'error' (a load error whose message matches
    `message`), 'loaded', or 'either' (loaded, or an error matching `message`)."""

    relpath: str
    expect: str
    message: str = ""
    what: str = ""


def write_hostile(docs: Path, small: bool, time_limit: float) -> list[Hostile]:
    base = docs / HOSTILE_DIR
    base.mkdir(parents=True)
    rnd = random.Random(2026)
    timeout = rf"^timed out after {time_limit:g} s$"
    files: list[tuple[Hostile, bytes | None]] = [
        (Hostile("empty.txt", "error", r"^empty file$", "empty file"), b""),
        (
            Hostile("binary.txt", "error", r"^binary file, not text$", "PNG bytes named .txt"),
            b"\x89PNG\r\n\x1a\n" + rnd.randbytes(4096),
        ),
        (Hostile("nul.txt", "error", r"^binary file, not text$", "NUL bytes"), bytes(8192)),
        (
            Hostile("random.html", "error", r"^(binary file|could not decode)", "random bytes"),
            rnd.randbytes(16384),
        ),
        (
            Hostile("huge.txt", "error", r"^file too large: ", "20 MB of text"),
            None,  # written below, in pieces
        ),
        (
            Hostile("mixed-encodings.txt", "error", r"^could not decode", "UTF-8 and Windows-1258"),
            (MIXED_LINE_UTF8 * 20).encode()
            + cp1258_bytes(MIXED_LINE_LEGACY * 10)
            + (MIXED_LINE_UTF8 * 20).encode(),
        ),
        (Hostile("bomb.docx", "error", r"^archive expands to ", "zip bomb .docx"), None),
        (
            Hostile("fake.docx", "error", r"^not a \.docx file", "text named .docx"),
            "Kế hoạch tuyên truyền".encode(),
        ),
        (
            Hostile("broken.pdf", "error", r"^malformed PDF: ", "truncated PDF"),
            scanned_pdf()[:300],
        ),
        (
            Hostile("cyclic.pdf", "error", rf"^malformed PDF: |{timeout}", "cyclic page tree"),
            cyclic_pdf(),
        ),
        (
            Hostile("page-bomb.pdf", "error", rf"^malformed PDF: |{timeout}", "262,144 pages"),
            page_bomb_pdf(),
        ),
        (
            Hostile("scan.pdf", "error", r"^needs OCR: ", "scanned PDF, no text layer"),
            scanned_pdf(),
        ),
        (
            Hostile("old-word.doc", "error", r"^unsupported format \.doc ", "Word 97-2003"),
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4096),
        ),
        (
            Hostile(
                "nested.html",
                "error",
                r"^no text after cleaning: the HTML is nested deeper",
                "10,000 nested <div>",
            ),
            (
                "<html><body>"
                + "<div>" * 10_000
                + "<p>Tuyên truyền cải cách hành chính.</p>"
                + "</div>" * 10_000
                + "</body></html>"
            ).encode(),
        ),
        (
            Hostile("long-line.txt", "either", timeout, "one line of dense facts"),
            (DENSE * ((MB if small else 5 * MB) // len(DENSE.encode()) + 1))
            .encode()[: MB if small else 5 * MB]
            .decode("utf-8", "ignore")
            .encode(),
        ),
        (
            Hostile("script.html", "loaded", what="<script> and event handlers in a page"),
            (
                "<html><head><title>Tin</title><script>alert(1)</script></head><body>"
                f"<article><p>{SCRIPT_TEXT}</p></article></body></html>"
            ).encode(),
        ),
        (
            Hostile("script.txt", "loaded", what="<script> in a text"),
            SCRIPT_TEXT.replace("45/KH", "46/KH").encode(),
        ),
        (Hostile("tcvn3.txt", "loaded", what="TCVN3 (ABC) bytes"), encode_tcvn3(LEGACY_TEXT)),
        (Hostile("vni.txt", "loaded", what="VNI Windows bytes"), encode_vni(LEGACY_TEXT)),
    ]
    out = []
    for hostile, data in files:
        path = base / hostile.relpath
        if hostile.relpath == "huge.txt":
            line = ("Tuyên truyền cải cách hành chính. " * 30 + "\n").encode()
            with open(path, "wb") as handle:
                size = 0
                target = (11 if small else 20) * MB
                while size < target:
                    handle.write(line)
                    size += len(line)
        elif hostile.relpath == "bomb.docx":
            docx_bomb(path, 60 if small else 210)
        else:
            path.write_bytes(data or b"")
        out.append(
            Hostile(f"{HOSTILE_DIR}/{hostile.relpath}", *list(hostile.__dict__.values())[1:])
        )
    return out


def write_valid(docs: Path) -> list[str]:
    shutil.copytree(SAMPLE_DOCS, docs)
    (docs / VALID_EXTRA).parent.mkdir(parents=True, exist_ok=True)
    plan_docx(docs / VALID_EXTRA)
    return sorted(
        p.relative_to(docs).as_posix()
        for p in docs.rglob("*")
        if p.is_file() and p.name != "manifest.csv"
    )


# --- comparing facts ---------------------------------------------------------------------------

FACT_SOURCES = ("documents", *FACT_TABLES, "field_evidence")
# the dashboard's configuration: DuckDB refuses a second connection to a file with another one
READ_ONLY_CONFIG = {"enable_external_access": False}


def facts_of(db: Path, relpaths: list[str]) -> Counter[tuple[Any, ...]]:
    """Every fact row of the documents at `relpaths` (plan ids left out: grouping is across
    documents), as a multiset."""
    con = duckdb.connect(str(db), read_only=True, config=READ_ONLY_CONFIG)
    try:
        con.execute("CREATE TEMP TABLE wanted (relpath VARCHAR)")
        con.executemany("INSERT INTO wanted VALUES (?)", [[r] for r in relpaths])
        out: Counter[tuple[Any, ...]] = Counter()
        for table in FACT_SOURCES:
            columns = [
                row[0]
                for row in con.execute(
                    "SELECT column_name FROM information_schema.columns "
                    "WHERE table_name = ? AND column_name <> 'plan_id' ORDER BY ordinal_position",
                    [table],
                ).fetchall()
            ]
            select = ", ".join(f't."{c}"' for c in columns)
            rows = con.execute(
                f'SELECT {select} FROM "{table}" AS t JOIN documents AS d USING (doc_id) '
                "WHERE d.relpath IN (SELECT relpath FROM wanted)"
            ).fetchall()
            out.update((table, *map(str, row)) for row in rows)
        return out
    finally:
        con.close()


# --- the concurrent rebuild scenario -----------------------------------------------------------


def read_loop(db: str, stop: Any, results: Any) -> None:
    """In another process: open the warehouse read-only again and again and read it."""
    reads, errors, seen = 0, [], set()
    while not stop.is_set():
        try:
            con = duckdb.connect(db, read_only=True, config=READ_ONLY_CONFIG)
            try:
                row = con.execute(
                    "SELECT (SELECT count(*) FROM documents), (SELECT count(*) FROM plan_facts), "
                    "(SELECT count(*) FROM channel_mentions)"
                ).fetchone()
            finally:
                con.close()
            seen.add(tuple(row or ()))
            reads += 1
        except Exception as err:
            errors.append(f"{type(err).__name__}: {err}")
        time.sleep(0.01)
    results.put(
        {"reads": reads, "errors": errors[:20], "n_errors": len(errors), "seen": sorted(seen)}
    )


@dataclass
class Scenario:
    outcomes: list[tuple[int, str]] = field(default_factory=list)  # exit status, last stderr line
    page_runs: int = 0
    page_errors: list[str] = field(default_factory=list)
    reads: int = 0
    read_errors: list[str] = field(default_factory=list)
    n_read_errors: int = 0
    seconds: float = 0.0
    after: Counter[tuple[Any, ...]] = field(default_factory=Counter)

    @property
    def dashboard_errors(self) -> int:
        return len(self.page_errors) + self.n_read_errors


def dashboard_pages() -> list[str]:
    return re.findall(r"""\(\s*["'](\w+)["']\s*,\s*["']:material/""", APP.read_text("utf-8"))


def page_errors_of(at: Any) -> list[str]:
    return [str(e.value) for e in at.exception] + [
        str(e.value) for e in at.error if "dashboard/sql/" in str(e.value)
    ]


def concurrent_rebuilds(
    docs: Path, db: Path, relpaths: list[str], workers: int, time_limit: float
) -> Scenario:
    """Two rebuilds of `db` started at once while pages run and another process reads; the
    facts of `relpaths` in the rebuilt warehouse are kept in `Scenario.after`."""
    os.environ["CCHC_ATLAS_DB"] = str(db)
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from dashboard import queries

    scenario = Scenario()
    pages = dashboard_pages() or ["overview"]
    context = multiprocessing.get_context("spawn")
    stop, results = context.Event(), context.Queue()
    reader = context.Process(target=read_loop, args=(str(db), stop, results), daemon=True)
    reader.start()

    def run_page(page: str) -> None:
        at = AppTest.from_file(str(APP), default_timeout=120)
        at.switch_page(f"app_pages/{page}.py")
        try:
            at.run()
            scenario.page_errors += [f"{page}: {e}" for e in page_errors_of(at)]
        except Exception as err:  # the run itself failed
            scenario.page_errors.append(f"{page}: {type(err).__name__}: {err}")
        scenario.page_runs += 1

    run_page(pages[0])  # warm: the dashboard holds the warehouse open, as a server would
    command = [
        sys.executable,
        "-m",
        "etl.load.rebuild",
        "--docs",
        str(docs),
        "--db",
        str(db),
        "--workers",
        str(workers),
        "--time-limit",
        str(time_limit),
    ]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    started = time.monotonic()
    procs = [
        subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        for _ in range(2)
    ]
    index = 0
    while any(p.poll() is None for p in procs):
        run_page(pages[index % len(pages)])
        index += 1
    scenario.seconds = time.monotonic() - started
    for proc in procs:
        _, err = proc.communicate()
        lines = err.strip().splitlines()
        scenario.outcomes.append((proc.returncode, lines[-1] if lines else ""))
    # the new warehouse is in place: drop the caches as the Upload page does, read it again
    queries._connection.clear()
    st.cache_data.clear()
    scenario.after = facts_of(db, relpaths)
    for page in pages:
        run_page(page)
    stop.set()
    reader.join(60)
    report = results.get(timeout=30)
    scenario.reads = report["reads"]
    scenario.read_errors = report["errors"]
    scenario.n_read_errors = report["n_errors"]
    return scenario


# --- the report --------------------------------------------------------------------------------

CLEAR = re.compile(
    r"^(empty file|binary file|file too large|could not decode|not a |archive |malformed PDF|"
    r"needs OCR|encrypted PDF|unsupported format|no text after cleaning|timed out after|"
    r"tables nested|not a regular file|is a directory|file disappeared|cannot read)"
)
# what the build's catch-all writes for an exception no reader or extractor expected
INTERNAL = re.compile(r"^[A-Z][A-Za-z]*(Error|Exception|Exit|Interrupt)\b")


def timed_build(
    docs: Path, db: Path, workers: int, time_limit: float
) -> tuple[BuildSummary, float]:
    started = time.monotonic()
    summary = build_warehouse(docs, db, workers=workers, time_limit=time_limit)
    return summary, time.monotonic() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--small", action="store_true", help="smaller corpus and time limit")
    parser.add_argument("--time-limit", type=float, default=None, help="seconds per file")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--keep", type=Path, default=None, help="write the corpus here (kept)")
    args = parser.parse_args(argv)
    time_limit = args.time_limit or (3.0 if args.small else 5.0)

    with tempfile.TemporaryDirectory(prefix="cchc-reliability-") as tmp_name:
        tmp = args.keep or Path(tmp_name)
        if args.keep:
            shutil.rmtree(tmp, ignore_errors=True)
        valid_docs, all_docs = tmp / "valid", tmp / "all"
        valid = write_valid(valid_docs)
        write_valid(all_docs)
        hostile = write_hostile(all_docs, args.small, time_limit)
        print(f"CCHC Atlas reliability report ({'small' if args.small else 'full'} corpus)")
        print(f"corpus: {tmp}; per-file time limit {time_limit:g} s; {args.workers} workers")

        crashes: list[str] = []
        clean, clean_s = timed_build(valid_docs, tmp / "valid.duckdb", args.workers, time_limit)
        try:
            mixed, mixed_s = timed_build(all_docs, tmp / "all.duckdb", args.workers, time_limit)
        except BaseException as err:
            print(f"the build crashed: {type(err).__name__}: {err}")
            return 1
        if not (clean.written and mixed.written):
            crashes.append("a build wrote nothing")
        print(
            f"builds: valid documents only {clean_s:.1f} s; with the hostile files {mixed_s:.1f} s"
        )

        # --- each hostile file
        errors = {relpath: (stage, problem) for relpath, stage, problem in mixed.errors}
        con = duckdb.connect(str(tmp / "all.duckdb"), read_only=True)
        try:
            loaded = dict(con.execute("SELECT relpath, encoding FROM documents").fetchall())
            copies = {r[0] for r in con.execute("SELECT relpath FROM duplicate_files").fetchall()}
        finally:
            con.close()
        clear = unexpected = 0
        print(f"\n{'input':<34} {'outcome':<8} detail")
        for item in hostile:
            name = item.relpath.removeprefix(HOSTILE_DIR + "/")
            if item.relpath in errors:
                stage, problem = errors[item.relpath]
                outcome, detail = "error", f"[{stage}] {problem}"
                if INTERNAL.match(problem) or not CLEAR.match(problem):
                    crashes.append(f"{item.relpath}: unhandled: {problem}")
                    outcome = "CRASH"
                else:
                    clear += 1
                ok = item.expect in ("error", "either") and re.search(item.message, problem)
            elif item.relpath in loaded or item.relpath in copies:
                outcome, detail = "loaded", f"encoding {loaded.get(item.relpath, 'duplicate')}"
                ok = item.expect in ("loaded", "either")
            else:
                outcome, detail, ok = "MISSING", "neither loaded nor reported", False
                crashes.append(f"{item.relpath}: neither loaded nor reported")
            if not ok and outcome not in ("CRASH", "MISSING"):
                unexpected += 1
                detail += f"  (expected {item.expect})"
            print(f"{name:<34} {outcome:<8} {detail[:110]}   <- {item.what}")
        other_errors = sorted(set(errors) - {h.relpath for h in hostile})
        for relpath in other_errors:
            crashes.append(f"{relpath}: a valid document failed: {errors[relpath][1]}")

        # --- the valid documents' facts
        expected = facts_of(tmp / "valid.duckdb", valid)
        got = facts_of(tmp / "all.duckdb", valid)
        lost = sum((expected - got).values())
        n_valid_loaded = sum(1 for r in valid if r in loaded or r in copies)

        # --- rebuilds while the dashboard is in use
        # the page runs and the reader compete for the processors: the rebuilds get more time
        # per file, so that no valid document runs out of it on a busy machine
        rebuild_limit = max(4 * time_limit, 20.0)
        scenario = concurrent_rebuilds(
            all_docs, tmp / "all.duckdb", valid, args.workers, rebuild_limit
        )
        statuses = sorted(code for code, _ in scenario.outcomes)
        refused = [line for code, line in scenario.outcomes if code == EXIT_REFUSED]
        if statuses != [0, EXIT_REFUSED]:
            crashes.append(f"two rebuilds at once ended with {statuses} (expected 0 and 75)")
        if scenario.after != got:
            tables = sorted({row[0] for row in (got - scenario.after) + (scenario.after - got)})
            crashes.append(
                "the valid documents' facts differ between the rebuilt warehouse and the first "
                f"build (tables: {', '.join(tables)})"
            )
        status = current_status(tmp / "all.duckdb")
        if status is not None:
            hostile_names = {h.relpath for h in hostile}
            for relpath, stage, problem in status.errors:
                if relpath not in hostile_names:
                    crashes.append(f"the rebuild did not load {relpath}: [{stage}] {problem}")

        n_inputs = len(valid) + len(hostile)
        print()
        kinds = f"{len(valid)} valid, {len(hostile)} hostile"
        print(f"inputs tried:                         {n_inputs} ({kinds})")
        print(f"errors reported with a clear message: {clear} (unexpected outcomes: {unexpected})")
        print(f"crashes:                              {len(crashes)}")
        for crash in crashes:
            print(f"  - {crash}")
        print(
            f"facts lost from valid documents:      {lost} "
            f"(of {sum(expected.values())}; {n_valid_loaded}/{len(valid)} valid documents loaded)"
        )
        print(f"dashboard errors during rebuilds:     {scenario.dashboard_errors}")
        print(
            f"  two rebuilds started at once (time limit {rebuild_limit:g} s per file): exit "
            f"statuses {statuses} in {scenario.seconds:.1f} s; last status "
            f"{status.state if status else 'none'}"
        )
        for line in refused:
            print(f"  refused: {line}")
        print(
            f"  {scenario.page_runs} dashboard page runs, {scenario.reads} read-only reads "
            f"in another process"
        )
        for error in (scenario.page_errors + scenario.read_errors)[:10]:
            print(f"  - {error[:200]}")
        passed = not crashes and lost == 0 and scenario.dashboard_errors == 0
        print(f"result: {'PASS' if passed else 'FAIL'}")
        print(
            json.dumps(
                {
                    "inputs": n_inputs,
                    "clear_errors": clear,
                    "crashes": len(crashes),
                    "facts_lost": lost,
                    "dashboard_errors": scenario.dashboard_errors,
                }
            )
        )
        return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
