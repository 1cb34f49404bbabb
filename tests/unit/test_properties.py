"""Properties of the normaliser and the extractor on any text (hypothesis).

- `repair` never fails, is idempotent, and its output is NFC with no invisible characters,
  unified line breaks, no trailing spaces and no runs of blank lines;
- `extract_document` never fails on a cleaned text (what the reader hands it), whatever it
  holds: Vietnamese letters, punctuation, line breaks, HTML-looking strings, fragments of real
  plans; every evidence span lies inside the text and equals the text it quotes;
- the build does not depend on file order: the same documents discovered in another order, or
  under permuted names, give the same tables.

Example counts are modest so the file runs in well under a minute.
"""

from __future__ import annotations

import shutil
import unicodedata
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from etl.extract.document import extract_document
from etl.load.build import build_warehouse
from etl.load.frames import TABLES
from etl.models import Evidence, Extraction
from etl.reading import discover as discover_module
from etl.text.repair import repair
from tests.factories import raw_document

ROOT = Path(__file__).resolve().parents[2]
SAMPLE_DOCS = ROOT / "data" / "sample" / "docs"

VIETNAMESE = (
    "aăâbcdđeêghiklmnoôơpqrstuưvxyàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵ"
)
ALPHABET = (
    VIETNAMESE
    + VIETNAMESE.upper()
    + "0123456789 \n\t.,;:!?-–—/()[]\"'“”‘’…%&<>=#*_$@"
    + "\u00a0\u200b\u200d\ufeff\u00ad\r\u2028\x0b\x0c\u0300\u0301\u0303\u0309\u0323"
)
# pieces of real plans and hostile markup, so the extractors' patterns fire
FRAGMENTS = [
    "UBND tỉnh Hà Giang",
    "ỦY BAN NHÂN DÂN\nHUYỆN ĐỨC TRỌNG",
    "Số: 58/KH-UBND",
    "Kế hoạch số 12/KH-UBND ngày 5/3/2022",
    "ngày 14 tháng 2 năm 2024",
    "KẾ HOẠCH\nTuyên truyền cải cách hành chính năm 2023",
    "về thông tin, tuyên truyền cải cách hành chính",
    "Đăng tải trên Cổng thông tin điện tử tỉnh",
    "Đài Phát thanh - Truyền hình tỉnh mở chuyên mục",
    "in tờ rơi, sổ tay hỏi đáp về thủ tục hành chính",
    "tổ chức hội nghị đối thoại với doanh nghiệp",
    "trang Facebook, Zalo của UBND xã",
    "Sở Nội vụ chủ trì, phối hợp với các sở, ngành",
    "Giao Phòng Nội vụ huyện chủ trì; các xã, thị trấn thực hiện",
    "IV. TỔ CHỨC THỰC HIỆN",
    "Nơi nhận:\n- Lưu: VT.",
    "Ngày đăng: 09/05/2023",
    "Theo Báo Thái Bình",
    "người dân, doanh nghiệp, cán bộ, công chức",
    "dịch vụ công trực tuyến, bộ phận một cửa",
    "<script>alert('x')</script>",
    "<img src=x onerror=alert(1)>",
    "<div><p>đoạn</p></div>",
    "&lt;b&gt; &amp; &#39;",
    "**đậm** _nghiêng_ $x$ :red[đỏ] [liên kết](http://x)",
    "\n\n\n",
    "    ",
]

texts = st.one_of(
    st.text(alphabet=ALPHABET, max_size=400),
    st.lists(
        st.one_of(st.sampled_from(FRAGMENTS), st.text(alphabet=ALPHABET, max_size=40)),
        max_size=25,
    ).map(lambda parts: " ".join(parts)),
    st.text(max_size=200),  # anything at all, astral planes and surrogates included
)

INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00ad\u200e\u200f\r\x0b\x0c\u2028\u2029\x00"


# --- the normaliser ------------------------------------------------------------------------


@given(texts)
@settings(max_examples=300, deadline=None)
@example("e\u0302\u0323")
@example("a\u200b\u0301")
@example("\r\n\r\n\r\n x \u00a0 \n")
def test_repair_is_idempotent_and_clean(text: str) -> None:
    once = repair(text)
    assert repair(once) == once
    assert unicodedata.is_normalized("NFC", once)
    assert not any(ch in once for ch in INVISIBLE)
    assert "\t" not in once and "  " not in once and " \n" not in once
    assert "\n\n\n" not in once
    assert once == once.strip(" \n")
    once.encode("utf-8")  # storable: no lone surrogate survives


# --- the extractor ---------------------------------------------------------------------------


def spans(extraction: Extraction) -> list[tuple[str, Evidence]]:
    out: list[tuple[str, Evidence]] = []
    for attr in ("channels", "themes", "audiences", "platforms"):
        out += [(f"{attr}:{m.id}", m.evidence) for m in getattr(extraction, attr)]
    out += [(f"responsibility:{r.agency}", r.evidence) for r in extraction.responsibilities]
    out += [(f"field:{k}", ev) for k, ev in extraction.field_evidence.items()]
    if extraction.issuer.evidence is not None:
        out.append(("issuer", extraction.issuer.evidence))
    return out


def check_extraction(text: str) -> Extraction:
    raw = raw_document(text)
    extraction = extract_document(raw)
    assert isinstance(extraction, Extraction) and extraction.doc_id == raw.doc_id
    assert extraction.kind in ("plan", "report", "directive", "other")
    for what, ev in spans(extraction):
        assert 0 <= ev.start <= ev.end <= len(text), (what, ev)
        assert text[ev.start : ev.end] == ev.text, (what, ev, text[ev.start : ev.end])
    for mention in (*extraction.channels, *extraction.themes, *extraction.audiences):
        assert mention.evidence.text.strip(), mention
    if extraction.plan_year is not None:
        assert 1900 <= extraction.plan_year <= 2100
    return extraction


@given(texts)
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@example("")
@example("Kế hoạch số 12/KH-UBND ngày 5/3/2022 của UBND tỉnh Hà Giang <script>x</script>")
@example("Sở Nội vụ chủ trì, phối hợp với Đài Phát thanh - Truyền hình tỉnh " * 30)
def test_extraction_never_fails_and_every_span_quotes_the_text(text: str) -> None:
    check_extraction(repair(text))


@given(st.lists(st.sampled_from(FRAGMENTS), min_size=1, max_size=30), st.randoms())
@settings(max_examples=120, deadline=None)
def test_extraction_of_shuffled_plan_fragments(parts: list[str], rnd: Any) -> None:
    rnd.shuffle(parts)
    separator = rnd.choice(["\n", " ", ". ", "\n\n", "; "])
    extraction = check_extraction(repair(separator.join(parts)))
    # deterministic: the same text gives the same facts
    again = extract_document(raw_document(repair(separator.join(parts))))
    assert again == extraction


# --- file order ------------------------------------------------------------------------------

DOCS = {
    "a": SAMPLE_DOCS / "tin-tuc" / "01_ha-giang_kh58-2022.txt",
    "b": SAMPLE_DOCS / "tin-tuc" / "09_thai-binh_kh34-2023_bao-thai-binh.txt",
    "c": SAMPLE_DOCS / "tin-tuc" / "10_thai-binh_kh34-2023_trang-huyen.txt",  # the same plan as b
    "d": SAMPLE_DOCS / "html" / "02_duc-trong_kh112-2023.html",
}
# an exact copy of "a" under another name: which copy loads must not depend on the order
ORDER_DOCS = {**DOCS, "e": DOCS["a"]}
# columns naming files, or the build's time: they may differ between the builds compared
VOLATILE = {"relpath", "path", "file", "docs_folder", "built_at", "source_relpath"}


def snapshot(
    db: Path, by_name: bool, in_written_order: bool = False
) -> dict[str, list[tuple[Any, ...]]]:
    """Every table's rows, sorted (or in the order written); file names (and the build time)
    left out when `by_name` is False, so builds of the same files under other names compare
    equal."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        out: dict[str, list[tuple[Any, ...]]] = {}
        for table in TABLES:
            order = " ORDER BY rowid" if in_written_order else ""
            frame: pd.DataFrame = con.execute(f'SELECT * FROM "{table}"{order}').df()
            if table == "build_info":
                frame = frame[~frame["key"].isin(sorted(VOLATILE))]
            drop = [c for c in frame.columns if c in VOLATILE or (not by_name and "relpath" in c)]
            frame = frame.drop(columns=drop)
            rows = [
                tuple(None if pd.isna(v) else str(v) for v in row)
                for row in frame.itertuples(index=False)
            ]
            out[table] = rows if in_written_order else sorted(rows, key=repr)
    finally:
        con.close()
    return out


def build_named(
    tmp: Path,
    names: dict[str, str],
    shuffle: list[int] | None = None,
    sources: dict[str, Path] = DOCS,
) -> Path:
    """Copy the `sources` under `names` (key -> relative path), build (the files found in the
    order `shuffle` when given), and return the database."""
    docs = tmp / "docs"
    for key, relpath in names.items():
        target = docs / relpath
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(sources[key], target)
    db = tmp / "w.duckdb"
    if shuffle is None:
        assert build_warehouse(docs, db, workers=1).written
        return db
    real = discover_module.discover

    def discover_shuffled(root: Path) -> list[Path]:
        found = real(root)
        return [found[i] for i in shuffle]

    discover_module.discover = discover_shuffled  # type: ignore[assignment]
    try:
        assert build_warehouse(docs, db, workers=1).written
    finally:
        discover_module.discover = real  # type: ignore[assignment]
    return db


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> Path:
    names = {key: f"{key}/{DOCS[key].name}" for key in DOCS}
    return build_named(tmp_path_factory.mktemp("order-ref"), names)


ORDER_NAMES = {key: f"{key}/{ORDER_DOCS[key].name}" for key in ORDER_DOCS}


@pytest.fixture(scope="module")
def order_reference(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_named(tmp_path_factory.mktemp("order-ref"), ORDER_NAMES, sources=ORDER_DOCS)


@given(st.permutations(range(len(ORDER_DOCS))))
@example([4, 3, 2, 1, 0])  # the copy "e" found first
@settings(
    max_examples=5,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
def test_the_order_files_are_found_in_does_not_matter(
    order_reference: Path, tmp_path_factory: pytest.TempPathFactory, order: list[int]
) -> None:
    db = build_named(tmp_path_factory.mktemp("order"), ORDER_NAMES, order, ORDER_DOCS)
    expected = snapshot(order_reference, by_name=True, in_written_order=True)
    assert snapshot(db, by_name=True, in_written_order=True) == expected


@given(st.permutations(["w", "x", "y"]), st.sampled_from(["", "sub/", "zz/"]))
@settings(
    max_examples=5,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
def test_the_names_files_go_by_do_not_change_the_facts(
    reference: Path, tmp_path_factory: pytest.TempPathFactory, names: list[str], folder: str
) -> None:
    # the three articles take the names in another order (so they sort differently, and
    # another copy is first), the page goes in a folder that sorts before or after them
    chosen = {key: f"{name}.txt" for key, name in zip("abc", names, strict=True)}
    chosen["d"] = f"{folder}page.html"
    db = build_named(tmp_path_factory.mktemp("names"), chosen)
    assert snapshot(db, by_name=False) == snapshot(reference, by_name=False)


def test_the_reference_build_groups_the_two_articles_of_one_plan(reference: Path) -> None:
    con = duckdb.connect(str(reference), read_only=True)
    try:
        (n_docs,) = con.execute("SELECT count(*) FROM documents").fetchone() or (0,)
        (n_plans,) = con.execute("SELECT count(*) FROM plans").fetchone() or (0,)
    finally:
        con.close()
    assert (n_docs, n_plans) == (4, 3)
