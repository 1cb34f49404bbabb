"""The Documents page: accent-insensitive search, safe highlighted text, provenance."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard import components, queries
from dashboard.i18n import translate

OpenPage = Callable[..., AppTest]
TextOf = Callable[[AppTest], str]
Ok = Callable[[AppTest], None]


def _doc_id(db: Path, relpath_like: str) -> str:
    con = queries.connect_readonly(db)
    try:
        row = con.execute(
            "SELECT doc_id FROM documents WHERE relpath LIKE ?", [relpath_like]
        ).fetchone()
    finally:
        con.close()
    assert row, relpath_like
    return str(row[0])


def _results(at: AppTest) -> int:
    caption = next(
        (c.value for c in at.caption if re.fullmatch(r"\d+ (văn bản|documents)", c.value)), "0"
    )
    return int(caption.split()[0])


def _document_html(at: AppTest) -> str:
    bodies = [m.value for m in at.markdown if 'class="cchc-document"' in m.value]
    assert len(bodies) == 1
    return bodies[0]


def test_documents_page_lists_every_document(
    demo_db: Path, open_page: OpenPage, text_of: TextOf, ok: Ok
) -> None:
    at = open_page(demo_db, "documents")
    ok(at)
    assert at.title[0].value == "Văn bản"
    assert _results(at) == 13
    assert at.dataframe[0].value.shape[0] == 13
    assert at.selectbox[0].value is None
    assert "Dữ liệu minh họa (tổng hợp)" in text_of(at)


@pytest.mark.parametrize(
    "query", ["tuyen truyen", "TUYÊN TRUYỀN", "tuyên   truyền", "Tuyên truyền"]
)
def test_search_ignores_accents_case_and_spaces(
    query: str, demo_db: Path, open_page: OpenPage, ok: Ok
) -> None:
    at = open_page(demo_db, "documents", q=query)
    ok(at)
    assert _results(at) == 13  # every sample talks about tuyên truyền (one has no accents)


def test_search_with_d_stroke_and_numbers(demo_db: Path, open_page: OpenPage, ok: Ok) -> None:
    at = open_page(demo_db, "documents", q="duc trong")
    ok(at)
    assert _results(at) == 1
    assert "Đức Trọng" in at.dataframe[0].value.iloc[0].to_string()
    at = open_page(demo_db, "documents", q="34/KH-UBND")
    assert _results(at) == 2  # the two sources of the Thái Bình plan


def test_search_typed_in_the_box_goes_to_the_url(
    demo_db: Path, open_page: OpenPage, text_of: TextOf, ok: Ok
) -> None:
    at = open_page(demo_db, "documents")
    at.text_input(key="doc_q").input("kon tum").run()
    ok(at)
    assert at.query_params["q"] == "kon tum"
    assert _results(at) == 1
    at.text_input(key="doc_q").input("zzqxw không có").run()
    assert translate("empty.search", "vi") in text_of(at)


def test_search_follows_the_sidebar_filters(demo_db: Path, open_page: OpenPage, ok: Ok) -> None:
    at = open_page(demo_db, "documents", q="tuyen truyen", level="district")
    ok(at)
    assert _results(at) == 5


def test_filters_matching_nothing(
    demo_db: Path, open_page: OpenPage, text_of: TextOf, ok: Ok
) -> None:
    at = open_page(demo_db, "documents", kind="other")
    ok(at)
    assert translate("empty.filters", "vi") in text_of(at)


def test_a_document_with_markup_is_shown_as_text(
    demo_db: Path, open_page: OpenPage, text_of: TextOf, ok: Ok
) -> None:
    doc_id = _doc_id(demo_db, "extra/%_script.txt")  # conftest.SCRIPT_FILE
    at = open_page(demo_db, "documents", doc=doc_id)
    ok(at)
    body = _document_html(at)
    assert "<script" not in body and "<img" not in body and "<b>" not in body
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in body
    assert "&lt;img src=x onerror=alert(1)&gt;" in body
    assert "&#36;x&#36;" in body and "&#58;red&#91;" in body  # no LaTeX, no colour directive
    # the header shows the title literally, not as Markdown/HTML
    assert at.header[0].value.startswith("Kon Tum\\: Tuyên truyền")
    assert at.selectbox[0].value == doc_id


def test_every_fact_is_highlighted_with_a_legend(
    demo_db: Path, open_page: OpenPage, text_of: TextOf, ok: Ok
) -> None:
    doc_id = _doc_id(demo_db, "%09_thai-binh%")
    at = open_page(demo_db, "documents", doc=doc_id)
    ok(at)
    body = _document_html(at)
    facts = queries.load_raw("document_facts", doc_id)
    assert set(facts["category"]) >= {"channel", "theme", "audience", "platform", "agency"}
    for category in set(facts["category"]):
        assert f"cchc-{category}" in body
    # every evidence text is inside highlighted markup
    visible = html.unescape(re.sub(r"<[^>]+>", "", body.replace("<br>", "\n")))
    for evidence in facts["evidence_text"]:
        assert evidence in visible
    legend = next(m.value for m in at.markdown if 'class="cchc-legend"' in m.value)
    for category in ("channel", "theme", "audience", "platform", "agency"):
        assert html.unescape(translate_label(category)) in html.unescape(legend)
    text = text_of(at)
    assert translate("documents.facts", "vi", n=len(facts)) in text


def translate_label(category: str) -> str:
    from dashboard.i18n import label_in

    return label_in("category", category, "vi")


def test_provenance_and_other_sources(demo_db: Path, open_page: OpenPage, ok: Ok) -> None:
    doc_id = _doc_id(demo_db, "%09_thai-binh%")
    other = _doc_id(demo_db, "%10_thai-binh%")
    at = open_page(demo_db, "documents", doc=doc_id)
    ok(at)
    assert at.code[0].value == doc_id  # the sha256 id, copyable
    fields = next(m.value for m in at.markdown if m.value.startswith("**Tệp:**"))
    info = queries.load_raw("build_info").set_index("key")["value"]
    assert components.md_escape("tin-tuc/09_thai-binh_kh34-2023_bao-thai-binh.txt") in fields
    extractor = components.md_escape(info["extractor_version"])
    assert f"**Phiên bản bộ trích xuất:** {extractor}" in fields
    assert f"**Phiên bản bộ mã:** {components.md_escape(info['codebook_version'])}" in fields
    assert "**Ngày đăng:** 2023" in fields
    assert f"**{components.md_escape('Tổng hợp (minh họa)')}:** Có" in fields
    button = at.button(key=f"open_{other}")
    button.click().run()
    ok(at)
    assert at.query_params["doc"] == other
    assert at.selectbox[0].value == other


def test_bad_doc_parameters(demo_db: Path, open_page: OpenPage, text_of: TextOf, ok: Ok) -> None:
    at = open_page(demo_db, "documents", doc="<script>")
    ok(at)
    assert at.selectbox[0].value is None and not at.warning
    unknown = "0" * 64
    at = open_page(demo_db, "documents", doc=unknown)
    ok(at)
    assert translate("documents.not_found", "vi", doc=unknown) in text_of(at)


def test_english(demo_db: Path, open_page: OpenPage, text_of: TextOf, ok: Ok) -> None:
    doc_id = _doc_id(demo_db, "%01_ha-giang%")
    at = open_page(demo_db, "documents", doc=doc_id, lang="en")
    ok(at)
    text = text_of(at)
    assert at.title[0].value == "Documents"
    assert "Cleaned text" in text and "Provenance" in text and "Demo data (synthetic)" in text
    legend = next(m.value for m in at.markdown if 'class="cchc-legend"' in m.value)
    assert "Channel" in legend and "Kênh" not in legend


def test_empty_warehouse(empty_db: Path, open_page: OpenPage, text_of: TextOf, ok: Ok) -> None:
    at = open_page(empty_db, "documents", q="tuyen truyen")
    ok(at)
    assert translate("empty.search", "vi") in text_of(at)


# --- the pure pieces -------------------------------------------------------------------------


def test_highlight_html_escapes_and_covers_overlaps() -> None:
    text = "Giao <Sở> & Đài PT-TH\n\nphối hợp"
    spans = [
        components.Span(0, 9, "agency", "Trách nhiệm: Sở"),
        components.Span(5, 9, "channel", 'Kênh: "x"'),
        components.Span(12, 21, "channel", "Kênh: Đài"),
        components.Span(30, 99, "theme", "out of range is clipped"),
    ]
    out = components.highlight_html(text, spans)
    assert "<Sở>" not in out and "&lt;Sở&gt;" in out and "&amp;" in out
    assert "\n" not in out  # one HTML block for Markdown
    assert 'title="Kênh: &quot;x&quot;' in out or "&quot;x&quot;" in out
    visible = html.unescape(re.sub(r"<[^>]+>", "", out.replace("<br>", "\n")))
    assert visible == text
    assert out.count("<span") == out.count("</span>")
    assert re.search(r"<span[^>]*>[^<]*<span", out) is None  # never nested


def test_escape_text_neutralises_markdown() -> None:
    escaped = components.escape_text("**a** _b_ `c` [d](e) $f$ :red[g] #h |i| ~j~ \\k")
    for char in "*_`[]$:#|~\\":
        assert char not in escaped.replace("&#", "")


def test_md_escape() -> None:
    assert components.md_escape("58/KH-UBND *x*") == "58/KH\\-UBND \\*x\\*"
