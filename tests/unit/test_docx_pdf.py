"""Word (.docx) and PDF plan documents: reading, provenance positions, and the facts the
extractor takes from a plan laid out in the standard way (header, "Căn cứ", sections I-IV,
"Nơi nhận"). Every document is generated here, in tmp_path: python-docx for .docx, fpdf2
(a dev extra) with DejaVu Sans for PDFs with Vietnamese text, and a few hand-written PDF
objects for scanned and broken files."""

from __future__ import annotations

import io
import json
import zipfile
import zlib
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from etl.extract.document import extract_document
from etl.models import DocumentError, Extraction, RawDocument
from etl.reading.discover import SUPPORTED_SUFFIXES, discover
from etl.reading.document import UNSUPPORTED_DOC, read_document
from etl.reading.legacy import encode_vni
from etl.reading.pdf import NEEDS_OCR, _Line, _unwrap
from etl.text.repair import repair

FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")  # Debian: fonts-dejavu-core

# --- our own plan, in the standard layout --------------------------------------------------

HEADER = [  # the two-column header block: (left cell, right cell), lines split by '\n'
    (
        "ỦY BAN NHÂN DÂN\nTỈNH PHÚ YÊN",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc",
    ),
    ("Số: 86/KH-UBND", "Phú Yên, ngày 18 tháng 3 năm 2022"),
]
TITLE = [
    "KẾ HOẠCH",
    "Thông tin, tuyên truyền cải cách hành chính trên địa bàn tỉnh Phú Yên năm 2022",
]
BODY = [
    "Căn cứ Quyết định số 1234/QĐ-UBND ngày 25/12/2021 của UBND tỉnh ban hành Kế hoạch cải "
    "cách hành chính nhà nước năm 2022;",
    "Căn cứ Kế hoạch số 210/KH-UBND ngày 30/12/2021 của UBND tỉnh về chuyển đổi số năm 2022;",
    "Ủy ban nhân dân tỉnh ban hành Kế hoạch thông tin, tuyên truyền cải cách hành chính năm "
    "2022 với các nội dung như sau:",
    "I. MỤC ĐÍCH, YÊU CẦU",
    "1. Mục đích",
    "- Giúp cán bộ, công chức, viên chức và người dân trong tỉnh hiểu rõ chủ trương, mục tiêu "
    "và kết quả của công cuộc cải cách hành chính, từ đó đồng thuận và tích cực tham gia.",
    "2. Yêu cầu",
    "- Việc tuyên truyền phải thiết thực, có trọng tâm, gắn với nhiệm vụ chính trị của từng cơ "
    "quan, đơn vị và địa phương; tránh hình thức, lãng phí.",
    "II. NỘI DUNG",
    "1. Kết quả cải cách thủ tục hành chính, việc thực hiện cơ chế một cửa, một cửa liên thông "
    "ở các cấp.",
    "2. Lợi ích của dịch vụ công trực tuyến và việc thanh toán phí, lệ phí không dùng tiền mặt.",
    "III. HÌNH THỨC",
    "1. Đăng tải tin, bài, văn bản chỉ đạo trên Cổng thông tin điện tử tỉnh và trang thông tin "
    "điện tử của các sở, ngành, địa phương.",
    "2. Đài Phát thanh và Truyền hình Phú Yên mở chuyên mục cải cách hành chính phát sóng định "
    "kỳ hằng tháng.",
    "3. In và phát tờ rơi hướng dẫn người dân nộp hồ sơ trực tuyến; treo băng rôn, khẩu hiệu "
    "tại trụ sở các cơ quan.",
    "4. Tổ chức hội nghị chuyên đề và lớp tập huấn cho công chức làm công tác cải cách hành chính.",
    "IV. TỔ CHỨC THỰC HIỆN",
    "1. Sở Nội vụ: Chủ trì, theo dõi, đôn đốc các cơ quan, đơn vị triển khai Kế hoạch này; "
    "tổng hợp kết quả, báo cáo UBND tỉnh trước ngày 15/12/2022.",
    "2. Sở Tư pháp: Phối hợp với Sở Nội vụ tuyên truyền về cải cách thể chế và kiểm soát thủ "
    "tục hành chính.",
    "3. Các sở, ban, ngành; UBND các huyện, thị xã, thành phố: Căn cứ Kế hoạch này xây dựng "
    "kế hoạch tuyên truyền của cơ quan, địa phương mình.",
    "Trong quá trình thực hiện, nếu có khó khăn, vướng mắc, các cơ quan, đơn vị phản ánh về "
    "Sở Nội vụ để tổng hợp./.",
]
FOOTER = [  # "Nơi nhận" beside the signature block
    ("Nơi nhận:", "TM. ỦY BAN NHÂN DÂN"),
    ("- Bộ Nội vụ (b/c);", "KT. CHỦ TỊCH"),
    ("- Thường trực Tỉnh ủy;", "PHÓ CHỦ TỊCH"),
    ("- Sở Văn hóa, Thể thao và Du lịch;", ""),
    ("- Ủy ban MTTQ Việt Nam tỉnh;", ""),
    ("- Văn phòng UBND tỉnh;", "Trần Văn Minh"),
    ("- Lưu: VT, NC.", ""),
]
# agencies of the codebook named only in "Nơi nhận": a distribution list, not responsibilities
ONLY_IN_RECIPIENTS = {"culture_sports_tourism", "front_mass_orgs", "committee_office"}
CHANNELS = {"web_portal", "radio_tv", "leaflet", "banner_slogan", "conference", "training"}
SECTION_IV = {
    ("home_affairs", "lead"),
    ("justice", "coordinate"),
    ("all_agencies", "implement"),
    ("people_committee", "implement"),
}


def write_docx(path: Path, body: list[str] = BODY) -> Path:
    import docx

    document = docx.Document()
    header = document.add_table(rows=len(HEADER), cols=2)
    for r, pair in enumerate(HEADER):
        for c, value in enumerate(pair):
            cell = header.cell(r, c)
            first, *more = value.split("\n")
            cell.paragraphs[0].text = first
            for line in more:
                cell.add_paragraph(line)
    document.add_paragraph("")  # an empty paragraph: counted, not read
    for line in TITLE + body:
        document.add_paragraph(line)
    footer = document.add_table(rows=len(FOOTER), cols=2)
    for r, (left, right) in enumerate(FOOTER):
        footer.cell(r, 0).text = left
        footer.cell(r, 1).text = right
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(path))
    return path


def fpdf_or_skip() -> Any:
    fpdf = pytest.importorskip("fpdf", reason="fpdf2 (dev extra) writes the test PDFs")
    if not FONT.is_file():
        pytest.skip(f"no Vietnamese TTF font at {FONT} (apt-get install fonts-dejavu-core)")
    return fpdf


def write_pdf(path: Path, body: list[str] = BODY) -> Path:
    """The plan as a Word export would look: a two-column header, centred title, paragraphs
    with a first-line indent wrapped by the page width, "Nơi nhận" beside the signature on
    the second page."""
    fpdf = fpdf_or_skip()
    pdf = fpdf.FPDF(format="A4")
    pdf.add_font("dejavu", fname=str(FONT))
    pdf.set_font("dejavu", size=12)
    pdf.set_margins(20, 15, 15)
    pdf.set_auto_page_break(True, margin=20)
    pdf.add_page()

    def two_columns(rows: list[tuple[str, str]], align: str) -> None:
        for left, right in rows:
            lefts, rights = left.split("\n"), right.split("\n")
            for i in range(max(len(lefts), len(rights))):
                pdf.set_x(20)
                pdf.cell(70, 6, lefts[i] if i < len(lefts) else "", align=align)
                pdf.cell(105, 6, rights[i] if i < len(rights) else "", align="C")
                pdf.ln(6)

    two_columns(HEADER, "C")
    pdf.ln(6)
    for line in TITLE:
        pdf.multi_cell(0, 6, line, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    for line in body:
        pdf.set_x(pdf.l_margin + 10)  # first-line indent; wrapped lines start at the margin
        pdf.write(6, line)
        pdf.ln(6)
    pdf.add_page()
    two_columns(FOOTER, "L")
    path.parent.mkdir(parents=True, exist_ok=True)
    pdf.output(str(path))
    return path


def positions(raw: RawDocument) -> list[tuple[int, str]]:
    return [(offset, label) for offset, label in json.loads(raw.meta["positions"])]


def label_at(raw: RawDocument, needle: str) -> str:
    """The position label of the paragraph/page holding the first `needle`."""
    at = raw.text.index(needle)
    return [label for offset, label in positions(raw) if offset <= at][-1]


def facts(ex: Extraction) -> tuple[Any, ...]:
    return (
        ex.plan_number,
        ex.issue_date,
        ex.plan_year,
        ex.kind,
        ex.issuer.province_code,
        {m.id for m in ex.channels},
        {(r.agency, r.role) for r in ex.responsibilities},
    )


def assert_plan_facts(raw: RawDocument) -> Extraction:
    """What the extractor must take from our plan, whatever the file format."""
    ex = extract_document(raw)
    text = raw.text
    assert ex.plan_number == "86/KH-UBND"
    assert text[ex.field_evidence["plan_number"].start :].startswith("86/KH-UBND")
    assert ex.issue_date == date(2022, 3, 18)  # the date line, not a cited document's date
    assert ex.field_evidence["issue_date"].text.endswith("18 tháng 3 năm 2022")
    assert ex.plan_year == 2022
    assert ex.kind == "plan"
    assert ex.issuer.province_code == "54"  # Phú Yên
    assert ex.title is not None and ex.title.startswith("Thông tin, tuyên truyền")

    section_iii = (text.index("III. HÌNH THỨC"), text.index("IV. TỔ CHỨC THỰC HIỆN"))
    section_iv = (section_iii[1], text.index("Nơi nhận:"))
    found = {m.id: m for m in ex.channels}
    assert set(found) >= CHANNELS
    for channel in CHANNELS:
        assert section_iii[0] <= found[channel].evidence.start < section_iii[1], channel

    roles = {(r.agency, r.role) for r in ex.responsibilities}
    assert roles >= SECTION_IV
    for resp in ex.responsibilities:
        if (resp.agency, resp.role) in SECTION_IV - {("people_committee", "implement")}:
            assert section_iv[0] <= resp.evidence.start < section_iv[1]
    # "Nơi nhận" is a distribution list
    assert not {r.agency for r in ex.responsibilities} & ONLY_IN_RECIPIENTS
    assert all(r.evidence.start < section_iv[1] for r in ex.responsibilities)
    assert all(m.evidence.start < section_iv[1] for m in ex.channels + ex.themes)
    return ex


def assert_positions_are_exact(raw: RawDocument) -> None:
    pairs = positions(raw)
    offsets = [offset for offset, _ in pairs]
    assert offsets == sorted(offsets) and offsets[0] == 0
    for offset in offsets[1:]:
        assert raw.text[offset - 1] == "\n"  # every piece starts a line
    assert repair(raw.text) == raw.text  # the pieces were cleaned one by one, exactly


# --- .docx ------------------------------------------------------------------------------------


def test_docx_plan_document(tmp_path: Path) -> None:
    path = write_docx(tmp_path / "van-ban" / "kh86.docx")
    raw = read_document(path, tmp_path)
    assert (raw.fmt, raw.encoding, raw.relpath) == ("docx", "utf-8", "van-ban/kh86.docx")
    lines = raw.text.split("\n")
    # the header table is read row by row, cell by cell, one paragraph per line
    assert lines[:6] == [
        "ỦY BAN NHÂN DÂN",
        "TỈNH PHÚ YÊN",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Số: 86/KH-UBND",
        "Phú Yên, ngày 18 tháng 3 năm 2022",
    ]
    assert lines[6:8] == TITLE and lines[8 : 8 + len(BODY)] == BODY
    assert lines[8 + len(BODY)] == "Nơi nhận:"
    assert_positions_are_exact(raw)
    assert label_at(raw, "Số: 86/KH-UBND") == "t1 r2 c1 p1"
    assert label_at(raw, "Độc lập") == "t1 r1 c2 p2"
    assert label_at(raw, "KẾ HOẠCH") == "p2"  # p1 is the empty paragraph after the table
    assert label_at(raw, "III. HÌNH THỨC") == f"p{4 + BODY.index('III. HÌNH THỨC')}"
    assert label_at(raw, "Trần Văn Minh") == "t2 r6 c2 p1"
    assert_plan_facts(raw)


W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
MC = 'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"'
TRICKY_PARAGRAPHS = [
    # a soft line break and a tab inside one paragraph
    f"<w:p {W}><w:r><w:t>Số: 12/KH-UBND</w:t><w:br/><w:t>ngày 2 tháng 2</w:t>"
    "<w:tab/><w:t>năm 2023</w:t></w:r></w:p>",
    # tracked changes: the inserted text is read, the deleted one is not; field code skipped
    f'<w:p {W}><w:r><w:t xml:space="preserve">Giao </w:t></w:r><w:del><w:r>'
    "<w:delText>Phòng Tư pháp</w:delText></w:r></w:del><w:ins><w:r><w:t>Phòng Nội vụ</w:t>"
    '</w:r></w:ins><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> PAGE '
    '</w:instrText></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r><w:r>'
    '<w:t xml:space="preserve"> chủ trì.</w:t></w:r></w:p>',
    # a content control around a paragraph
    f"<w:sdt {W}><w:sdtContent><w:p><w:r><w:t>Nội dung trong ô điều khiển.</w:t></w:r></w:p>"
    "</w:sdtContent></w:sdt>",
    # a text box (modern copy and the VML fallback: read once), after its anchor paragraph
    f"<w:p {W} {MC}><w:r><w:t>Đoạn neo.</w:t></w:r><w:r><mc:AlternateContent><mc:Choice "
    'Requires="wps"><w:drawing><w:txbxContent><w:p><w:r><w:t>Chữ trong khung.</w:t></w:r>'
    "</w:p></w:txbxContent></w:drawing></mc:Choice><mc:Fallback><w:pict><w:txbxContent><w:p>"
    "<w:r><w:t>Chữ trong khung.</w:t></w:r></w:p></w:txbxContent></w:pict></mc:Fallback>"
    "</mc:AlternateContent></w:r></w:p>",
    # a table in a table
    f"<w:tbl {W}><w:tr><w:tc><w:p><w:r><w:t>Ô ngoài</w:t></w:r></w:p><w:tbl><w:tr><w:tc><w:p>"
    "<w:r><w:t>Ô trong</w:t></w:r></w:p></w:tc></w:tr></w:tbl></w:tc><w:tc><w:p><w:r>"
    "<w:t>Ô thứ hai</w:t></w:r></w:p></w:tc></w:tr></w:tbl>",
]


def test_docx_reading_order_and_markup(tmp_path: Path) -> None:
    import docx
    from docx.oxml import parse_xml

    document = docx.Document()
    body = document.element.body
    for xml in TRICKY_PARAGRAPHS:
        body.insert(len(body) - 1, parse_xml(xml))  # before the section properties
    path = tmp_path / "tricky.docx"
    document.save(str(path))
    raw = read_document(path, tmp_path)
    assert raw.text.split("\n") == [
        "Số: 12/KH-UBND",
        "ngày 2 tháng 2 năm 2023",
        "Giao Phòng Nội vụ chủ trì.",
        "Nội dung trong ô điều khiển.",
        "Đoạn neo.",
        "Chữ trong khung.",
        "Ô ngoài",
        "Ô trong",
        "Ô thứ hai",
    ]
    assert positions(raw) == [
        (0, "p1"),
        (39, "p2"),
        (66, "p3"),
        (95, "p4"),
        (105, "p4 box1 p1"),
        (122, "t1 r1 c1 p1"),
        (130, "t1 r1 c1 t1 r1 c1 p1"),
        (138, "t1 r1 c2 p1"),
    ]
    assert_positions_are_exact(raw)


def test_docx_typed_with_a_legacy_vni_font(tmp_path: Path) -> None:
    """Old documents typed with VNI fonts store Windows-1252 look-alikes: converted per
    paragraph, so the positions stay exact although VNI pairs become one letter."""
    lines = [BODY[0], BODY[14], BODY[17]]
    path = write_docx(tmp_path / "vni.docx", body=[encode_vni(x).decode("cp1252") for x in lines])
    raw = read_document(path, tmp_path)
    assert raw.encoding == "vni-in-docx"
    assert "Sở Nội vụ: Chủ trì" in raw.text
    assert_positions_are_exact(raw)
    for line in lines:
        start = raw.text.index(line)
        assert [o for o, _ in positions(raw)].count(start) == 1


def zip_bomb(path: Path, expanded: int = 210 * 1024 * 1024) -> Path:
    """A .docx whose document.xml inflates to `expanded` bytes (a few hundred KB on disk)."""
    chunk = b" " * (1024 * 1024)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w", force_zip64=True) as member:
            for _ in range(expanded // len(chunk)):
                member.write(chunk)
    return path


def test_docx_zip_bomb_is_refused_from_the_directory(tmp_path: Path) -> None:
    path = zip_bomb(tmp_path / "bomb.docx")
    assert path.stat().st_size < 2 * 1024 * 1024
    with pytest.raises(DocumentError) as caught:
        read_document(path, tmp_path)
    assert caught.value.problem.startswith("archive expands to 210 MB (limit 50 MB)")


SHEET_TYPES = (
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Override PartName="/xl/workbook.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>'
)
SHEET_RELS = (
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (b"plain text, not a zip", "not a .docx file: not a valid zip archive"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512), "not a .docx file: an OLE2 container"),
        (b"PK\x03\x04" + bytes(100), "not a .docx file: not a valid zip archive"),
        ("zip-without-word", "not a readable .docx: KeyError: There is no item named"),
        ("spreadsheet", "not a readable .docx: ValueError: the file is not a Word file"),
        ("truncated", "not a .docx file: not a valid zip archive"),
        ("many-entries", "archive has 5,001 entries (limit 5,000)"),
    ],
)
def test_broken_docx(tmp_path: Path, data: bytes | str, problem: str) -> None:
    if data == "zip-without-word":
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("hello.txt", "xin chào")
        data = buffer.getvalue()
    elif data == "spreadsheet":  # an .xlsx renamed: a valid package, not a Word one
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("[Content_Types].xml", SHEET_TYPES)
            archive.writestr("_rels/.rels", SHEET_RELS)
            archive.writestr("xl/workbook.xml", "<workbook/>")
        data = buffer.getvalue()
    elif data == "many-entries":
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            for i in range(5001):
                archive.writestr(f"word/media/{i}.bin", b"")
        data = buffer.getvalue()
    elif data == "truncated":
        whole = write_docx(tmp_path / "whole.docx").read_bytes()
        data = whole[: len(whole) // 2]
    assert isinstance(data, bytes)
    path = tmp_path / "broken.docx"
    path.write_bytes(data)
    with pytest.raises(DocumentError) as caught:
        read_document(path, tmp_path)
    assert caught.value.problem.startswith(problem)


# --- .doc -------------------------------------------------------------------------------------


def test_old_word_doc_is_reported_not_read(tmp_path: Path) -> None:
    path = tmp_path / "ke-hoach.DOC"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4096))
    with pytest.raises(DocumentError) as caught:
        read_document(path, tmp_path)
    assert caught.value.problem == UNSUPPORTED_DOC
    assert UNSUPPORTED_DOC == (
        "unsupported format .doc (Word 97-2003): save it as .docx or PDF and load that"
    )


def test_a_doc_that_is_really_a_docx_is_read(tmp_path: Path) -> None:
    path = tmp_path / "renamed.doc"
    path.write_bytes(write_docx(tmp_path / "x.docx").read_bytes())
    raw = read_document(path, tmp_path)
    assert raw.fmt == "docx" and raw.text.startswith("ỦY BAN NHÂN DÂN")


def test_discover_reports_word_and_pdf_files(tmp_path: Path) -> None:
    for name in ("a.docx", "b.PDF", "c.doc", "~$a.docx", "d.odt", "e.txt"):
        (tmp_path / name).write_bytes(b"x")
    found = [p.name for p in discover(tmp_path)]
    assert found == ["a.docx", "b.PDF", "c.doc", "e.txt"]
    assert {".docx", ".pdf", ".doc"} <= SUPPORTED_SUFFIXES


# --- .pdf -------------------------------------------------------------------------------------


def test_pdf_plan_document(tmp_path: Path) -> None:
    path = write_pdf(tmp_path / "kh86.pdf")
    raw = read_document(path, tmp_path)
    assert (raw.fmt, raw.encoding, raw.meta["pages"]) == ("pdf", "pdf-text", "2")
    assert "pages_without_text" not in raw.meta
    lines = raw.text.split("\n")
    # the header's two columns are cut apart (not "Số: 86/KH-UBND Phú Yên, ngày ...")
    assert "Số: 86/KH-UBND" in lines and "Phú Yên, ngày 18 tháng 3 năm 2022" in lines
    assert lines.index("ỦY BAN NHÂN DÂN") < lines.index("TỈNH PHÚ YÊN")
    # wrapped lines are joined back into their paragraphs; headings keep their lines
    for paragraph in TITLE + BODY:
        assert paragraph in lines, paragraph
    # page 2 starts after a blank line
    (first, page_1), (second, page_2) = positions(raw)
    assert (first, page_1, page_2) == (0, "page 1", "page 2")
    assert raw.text[second - 2 : second] == "\n\n"
    assert raw.text[second:].startswith("Nơi nhận:\nTM. ỦY BAN NHÂN DÂN\n- Bộ Nội vụ (b/c);")
    assert label_at(raw, "IV. TỔ CHỨC THỰC HIỆN") == "page 1"
    assert label_at(raw, "Trần Văn Minh") == "page 2"
    assert_positions_are_exact(raw)
    assert_plan_facts(raw)


def test_docx_and_pdf_of_one_plan_give_the_same_facts(tmp_path: Path) -> None:
    from_docx = extract_document(read_document(write_docx(tmp_path / "a.docx"), tmp_path))
    from_pdf = extract_document(read_document(write_pdf(tmp_path / "a.pdf"), tmp_path))
    assert facts(from_docx) == facts(from_pdf)


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        # a centred title is not run into the indented "Căn cứ" paragraph below it
        (
            [
                (0, "Thông tin, tuyên truyền cải cách hành chính trên địa bàn tỉnh năm 2022"),
                (5, "Căn cứ Kế hoạch số 210/KH-UBND ngày 30/12/2021 của UBND tỉnh về"),
                (0, "chuyển đổi số năm 2022;"),
            ],
            [
                "Thông tin, tuyên truyền cải cách hành chính trên địa bàn tỉnh năm 2022",
                "Căn cứ Kế hoạch số 210/KH-UBND ngày 30/12/2021 của UBND tỉnh về chuyển đổi "
                "số năm 2022;",
            ],
        ),
        # a full line goes on at the margin with a capital (an agency's name)
        (
            [
                (5, "1. Giao Sở Văn hóa, Thể thao và Du lịch chủ trì tổ chức hội thi, phối hợp"),
                (0, "Sở Nội vụ hướng dẫn các đơn vị."),
                (5, "2. Các xã thực hiện."),
                (5, "- Đài Truyền thanh xã"),
                (5, "II. KINH PHÍ"),
                (5, "KINH PHÍ THỰC HIỆN"),
            ],
            [
                "1. Giao Sở Văn hóa, Thể thao và Du lịch chủ trì tổ chức hội thi, phối hợp Sở "
                "Nội vụ hướng dẫn các đơn vị.",
                "2. Các xã thực hiện.",
                "- Đài Truyền thanh xã",
                "II. KINH PHÍ",
                "KINH PHÍ THỰC HIỆN",
            ],
        ),
    ],
)
def test_pdf_line_unwrapping(lines: list[tuple[int, str]], expected: list[str]) -> None:
    assert _unwrap([_Line(text, indent, True) for indent, text in lines]) == expected


def raw_pdf(pages: list[bytes], extra: list[bytes] | None = None) -> bytes:
    """A minimal PDF: one content stream per page (Helvetica as F1, an image as Im1)."""
    objects: list[bytes] = [b"", b""]  # catalog, page tree
    kids = []
    image = b"\x80" * 64
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")  # 3
    objects.append(  # 4: an 8x8 grey "scan"
        b"<< /Type /XObject /Subtype /Image /Width 8 /Height 8 /ColorSpace /DeviceGray "
        b"/BitsPerComponent 8 /Length %d >>\nstream\n" % len(image) + image + b"\nendstream"
    )
    for content in pages:
        objects.append(b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream")
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents %d 0 R "
            b"/Resources << /Font << /F1 3 0 R >> /XObject << /Im1 4 0 R >> >> >>" % len(objects)
        )
        kids.append(b"%d 0 R" % len(objects))
    objects[0] = b"<< /Type /Catalog /Pages 2 0 R >>"
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(kids), len(kids))
    objects.extend(extra or [])
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


SCAN = b"q 595 0 0 842 0 0 cm /Im1 Do Q"
TEXT_PAGE = (
    b"BT /F1 11 Tf 72 760 Td 14 TL "
    + b" ".join(
        b"(Ke hoach tuyen truyen cai cach hanh chinh nam 2023, dong %d.) '" % i for i in range(30)
    )
    + b" ET"
)


@pytest.mark.parametrize(
    "pages",
    [
        [SCAN],
        [SCAN, SCAN, SCAN],
        # a scan with a page number and a few words of a signature stamp
        [
            SCAN + b" BT /F1 9 Tf 300 20 Td (1) Tj ET",
            SCAN + b" BT /F1 8 Tf 400 60 Td (Ky boi: UBND tinh) Tj ET",
        ],
    ],
)
def test_scanned_pdf_needs_ocr(tmp_path: Path, pages: list[bytes]) -> None:
    path = tmp_path / "scan.pdf"
    path.write_bytes(raw_pdf(pages))
    with pytest.raises(DocumentError) as caught:
        read_document(path, tmp_path)
    assert (
        caught.value.problem
        == NEEDS_OCR
        == ("needs OCR: the PDF has no text layer (scanned pages)")
    )


def test_pdf_with_some_scanned_pages_loads_and_says_which(tmp_path: Path) -> None:
    path = tmp_path / "mixed.pdf"
    path.write_bytes(raw_pdf([TEXT_PAGE, SCAN, SCAN, TEXT_PAGE]))
    raw = read_document(path, tmp_path)
    assert raw.meta["pages"] == "4"
    assert raw.meta["pages_without_text"] == "2-3"
    assert [label for _, label in positions(raw)] == ["page 1", "page 4"]
    assert raw.text.count("dong 29.") == 2


def test_pdf_text_drawn_rotated_is_read(tmp_path: Path) -> None:
    """Layout mode skips rotated text (a landscape table turned on a portrait page): such a
    page is read in plain mode, not taken for a scan."""
    turned = TEXT_PAGE.replace(b"72 760 Td", b"0 1 -1 0 300 100 Tm")
    path = tmp_path / "turned.pdf"
    path.write_bytes(raw_pdf([turned]))
    raw = read_document(path, tmp_path)
    assert raw.text.count("Ke hoach tuyen truyen") == 30


def flate_bomb() -> bytes:
    bomb = zlib.compress(b"BT ET " * 20_000_000, 9)  # 120 MB of operators, ~120 KB packed
    page = b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(bomb) + bomb + b"\nendstream"
    data = raw_pdf([b"BT ET"])
    return data.replace(b"<< /Length 5 >>\nstream\nBT ET\nendstream", page)


@pytest.mark.parametrize(
    ("name", "data", "problem"),
    [
        ("header-only", b"%PDF-1.4\n%%EOF\n", "malformed PDF: PdfReadError"),
        ("no-header", b"<html><body>404 Not Found</body></html>", "not a PDF file"),
        ("garbage", b"%PDF-1.7\n" + bytes(range(256)) * 40, "malformed PDF"),
        ("truncated", raw_pdf([TEXT_PAGE])[:400], "malformed PDF"),
        (
            "cyclic-pages",
            raw_pdf([TEXT_PAGE]).replace(b"/Kids [6 0 R]", b"/Kids [2 0 R]"),
            "malformed PDF: PdfReadError: Detected cyclic page references",
        ),
        ("flate-bomb", "bomb", "malformed PDF: page 1: LimitReachedError"),
    ],
)
def test_malformed_pdf(tmp_path: Path, name: str, data: bytes | str, problem: str) -> None:
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(flate_bomb() if data == "bomb" else data)  # type: ignore[arg-type]
    with pytest.raises(DocumentError) as caught:
        read_document(path, tmp_path)
    assert caught.value.problem.startswith(problem)


@pytest.mark.parametrize(("user", "problem"), [("bi-mat", "encrypted PDF: needs a password")])
def test_encrypted_pdf(tmp_path: Path, user: str, problem: str) -> None:
    fpdf = fpdf_or_skip()
    pdf = fpdf.FPDF()
    pdf.add_font("dejavu", fname=str(FONT))
    pdf.set_font("dejavu", size=12)
    pdf.add_page()
    pdf.multi_cell(0, 6, " ".join(BODY[:6]))
    pdf.set_encryption(owner_password="chu-so-huu", user_password=user)
    path = tmp_path / "locked.pdf"
    pdf.output(str(path))
    with pytest.raises(DocumentError) as caught:
        read_document(path, tmp_path)
    assert caught.value.problem == problem


def test_pdf_locked_only_against_editing_is_read(tmp_path: Path) -> None:
    """An owner password alone (printing/copying restrictions) does not stop reading."""
    fpdf = fpdf_or_skip()
    pdf = fpdf.FPDF()
    pdf.add_font("dejavu", fname=str(FONT))
    pdf.set_font("dejavu", size=12)
    pdf.add_page()
    pdf.multi_cell(0, 6, " ".join(BODY[:6]))
    pdf.set_encryption(owner_password="chu-so-huu")
    path = tmp_path / "restricted.pdf"
    pdf.output(str(path))
    raw = read_document(path, tmp_path)
    assert "Căn cứ Quyết định số 1234/QĐ-UBND" in raw.text
