"""Single-valued fields on our own texts: plan number, dates, plan year, kind, byline."""

from datetime import date

import pytest

from etl.extract import metadata
from etl.extract.document import extract_document
from etl.text.layout import analyse
from etl.text.views import TextViews
from tests.factories import raw_document as doc

LEAD = "Ngày {d}, UBND huyện Ea Kar ban hành {n} về tuyên truyền cải cách hành chính năm 2022."


@pytest.mark.parametrize(
    ("number_text", "expected"),
    [
        ("Kế hoạch số 50/KH-UBND", "50/KH-UBND"),
        ("Kế hoạch số 50/KH/UBND", "50/KH-UBND"),
        ("Kế hoạch số 7 / KH - UBND", "7/KH-UBND"),
        ("Kế hoạch 112/KH-SNV", "112/KH-SNV"),
        ("Kế hoạch số 15/2022/KH-UBND", "15/2022/KH-UBND"),
        ("KH số 09/KH-UBND", "09/KH-UBND"),  # kept as written
    ],
)
def test_plan_number_forms(number_text: str, expected: str) -> None:
    text = (
        LEAD.format(d="3/2", n=number_text)
        + "\nTheo đó, các xã tuyên truyền trên loa truyền thanh."
    )
    ex = extract_document(doc(text))
    assert ex.plan_number == expected


def test_cited_plan_number_is_not_the_plans_own() -> None:
    text = (
        "Thực hiện Kế hoạch số 88/KH-UBND ngày 10/01/2021 của UBND tỉnh, UBND huyện Ea Kar "
        "vừa ban hành Kế hoạch số 21/KH-UBND về tuyên truyền cải cách hành chính năm 2021."
    )
    views, layout = TextViews.of(text), analyse(text)
    number = metadata.find_plan_number(views, layout)
    assert number is not None and number.value == "21/KH-UBND"


def test_day_month_takes_the_publication_year() -> None:
    text = (
        "Tuyên truyền cải cách hành chính\n"
        "Ngày đăng: 20/04/2019 08:15\n"
        "Ngày 16/4, UBND huyện Ea Kar ban hành Kế hoạch số 50/KH-UBND về tuyên truyền CCHC.\n"
        "Lan Anh"
    )
    ex = extract_document(doc(text))
    assert ex.issue_date == date(2019, 4, 16)
    assert ex.published_date == date(2019, 4, 20)
    assert ex.plan_year == 2019
    assert ex.author == "Lan Anh"


def test_page_clock_is_not_the_publication_date() -> None:
    text = (
        "Thứ 2, Ngày 01/06/2020 -\n"
        "Kế hoạch tuyên truyền CCHC năm 2020\n"
        "Ngày đăng: 12/03/2020 10:20\n"
        "UBND tỉnh vừa ban hành Kế hoạch số 12/KH-UBND về tuyên truyền cải cách hành chính "
        "năm 2020 "
        "trên địa bàn tỉnh.\n"
        "Minh Hà"
    )
    ex = extract_document(doc(text))
    assert ex.published_date == date(2020, 3, 12)


def test_date_after_number_without_year_takes_plan_year() -> None:
    text = (
        "Quảng bá cải cách hành chính tới người dân\n"
        "Theo Kế hoạch số 71/KH-UBND ngày 27/02, tỉnh sẽ đổi mới cách thông tin về cải cách "
        "hành chính trong năm 2024, ưu tiên các thủ tục liên quan đến đất đai.\n"
    )
    ex = extract_document(doc(text))
    assert ex.plan_number == "71/KH-UBND"
    assert ex.issue_date == date(2024, 2, 27)
    assert ex.plan_year == 2024


def test_plan_document_header() -> None:
    text = (
        "ỦY BAN NHÂN DÂN\nTỈNH LẠNG SƠN\n"
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
        "Số: 123/KH-UBND\nLạng Sơn, ngày 5 tháng 3 năm 2021\n"
        "KẾ HOẠCH\nThông tin, tuyên truyền cải cách hành chính năm 2021\n"
        "Căn cứ Quyết định số 45/QĐ-UBND ngày 10/01/2021 của UBND tỉnh về Kế hoạch cải cách "
        "hành chính năm 2021; Căn cứ Kế hoạch số 99/KH-UBND ngày 2/2/2021 của UBND tỉnh.\n"
    )
    ex = extract_document(doc(text))
    assert ex.plan_number == "123/KH-UBND"
    assert ex.issue_date == date(2021, 3, 5)
    assert ex.plan_year == 2021


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        (
            "UBND huyện vừa ban hành Kế hoạch số 3/KH-UBND về tuyên truyền cải cách hành chính.",
            "plan",
        ),
        (
            "UBND tỉnh vừa có Công văn số 456/UBND-NC đề nghị các sở, ngành đẩy mạnh tuyên truyền "
            "cải cách hành chính trong thời gian tới.",
            "directive",
        ),
        (
            "Năm 2023, huyện đã tổ chức 12 hội nghị và phát hành 5.000 tờ rơi; kết quả thực hiện "
            "công tác tuyên truyền cải cách hành chính đạt nhiều chuyển biến.",
            "report",
        ),
    ],
)
def test_kind(text: str, kind: str) -> None:
    assert extract_document(doc("Tin cải cách hành chính\n" + text)).kind == kind


@pytest.mark.parametrize(
    ("byline", "author", "source"),
    [
        ("Thu Hằng", "Thu Hằng", None),
        ("HN (tổng hợp)", "HN", None),
        ("Theo Cổng TTĐT tỉnh Lào Cai", None, "Cổng TTĐT tỉnh Lào Cai"),
        # typed without diacritics, or in capitals: the outlet as written, whole
        ("Nguon: Cong TTDT tinh Lao Cai", None, "Cong TTDT tinh Lao Cai"),
        ("NGUỒN: BÁO LÀO CAI", None, "BÁO LÀO CAI"),
        ("Theo baolaocai.vn", None, "baolaocai.vn"),
    ],
)
def test_byline(byline: str, author: str | None, source: str | None) -> None:
    text = (
        "Tuyên truyền cải cách hành chính năm 2022\n"
        "UBND huyện vừa ban hành Kế hoạch số 3/KH-UBND về tuyên truyền cải cách hành chính "
        "năm 2022 trên địa bàn.\n"
        f"{byline}\nTin liên quan\nHội nghị tổng kết năm"
    )
    layout = analyse(text)
    assert layout.author == author
    assert layout.source_name == source


def test_chrome_and_related_news_give_no_facts() -> None:
    text = (
        "Cỡ chữ: A+ A-  Bản in\nLượt xem: 245\n"
        "Huyện đẩy mạnh tuyên truyền cải cách hành chính\n"
        "UBND huyện vừa ban hành Kế hoạch số 3/KH-UBND về tuyên truyền cải cách hành chính; "
        "theo đó, phát tờ rơi tới từng hộ dân.\n"
        "Thu Hằng\n"
        "Tin liên quan\nHội nghị trực tuyến về chuyển đổi số\nRa mắt fanpage của huyện\n"
        "Họ tên\nMã kiểm tra\nipv6 ready"
    )
    ex = extract_document(doc(text))
    assert {m.id for m in ex.channels} == {"leaflet"}
    assert not ex.platforms
    assert "e_government" not in {m.id for m in ex.themes}


PLAN_DOCUMENT = (
    "ỦY BAN NHÂN DÂN\nTỈNH PHÚ YÊN\n"
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
    "Số: 86/KH-UBND\nPhú Yên, ngày 18 tháng 3 năm 2022\n"
    "KẾ HOẠCH\nTuyên truyền cải cách hành chính năm 2022\n"
    "Căn cứ Kế hoạch số 201/KH-UBND ngày 25/12/2021 của UBND tỉnh về cải cách hành chính năm "
    "2022, Ủy ban nhân dân tỉnh ban hành Kế hoạch tuyên truyền cải cách hành chính như sau:\n"
    "III. HÌNH THỨC TUYÊN TRUYỀN\n"
    "Đài Phát thanh và Truyền hình Phú Yên mở chuyên mục về cải cách hành chính hằng tháng.\n"
    "IV. TỔ CHỨC THỰC HIỆN\n"
    "1. Sở Nội vụ: Chủ trì, phối hợp với Sở Tư pháp theo dõi việc thực hiện Kế hoạch.\n"
    "2. Các sở, ban, ngành, UBND các huyện căn cứ Kế hoạch này xây dựng kế hoạch riêng.\n"
    "Nơi nhận:\n- Sở Văn hóa, Thể thao và Du lịch;\n- Lưu: VT.\n"
)


def test_plan_document_letterhead_section_iv_and_distribution_list() -> None:
    ex = extract_document(doc(PLAN_DOCUMENT))
    assert ex.issuer.name is not None and "PHÚ YÊN" in ex.issuer.name.upper()
    assert (ex.issuer.level, ex.issuer.province_code) == ("province", "54")
    assert ex.issue_date == date(2022, 3, 18)  # the date line, not the cited plan's date
    assert "radio_tv" in {m.id for m in ex.channels}
    pairs = {(r.agency, r.role) for r in ex.responsibilities}
    # section IV only: the radio in section III, the committee issuing the plan in the
    # preamble and the agencies under "Nơi nhận" are not assigned anything
    assert pairs == {
        ("home_affairs", "lead"),
        ("justice", "coordinate"),
        ("all_agencies", "implement"),
        ("people_committee", "implement"),
    }


def test_dated_lead_of_a_directive() -> None:
    text = (
        "Tin cải cách hành chính\n"
        "Ngày 12/6/2024, UBND tỉnh Bắc Ninh có Công văn số 1234/UBND-NC đề nghị các sở, ngành "
        "tăng cường tuyên truyền cải cách hành chính.\n"
    )
    ex = extract_document(doc(text))
    assert (ex.kind, ex.issue_date) == ("directive", date(2024, 6, 12))


def test_long_source_line_is_not_body() -> None:
    text = (
        "Tuyên truyền cải cách hành chính năm 2022\n"
        "UBND huyện vừa ban hành Kế hoạch số 3/KH-UBND về tuyên truyền cải cách hành chính "
        "năm 2022 bằng tờ rơi.\n"
        "Theo Cổng Thông tin điện tử tỉnh Phú Yên và Báo Phú Yên điện tử\n"
    )
    ex = extract_document(doc(text))
    assert ex.source_name == "Cổng Thông tin điện tử tỉnh Phú Yên và Báo Phú Yên điện tử"
    assert {m.id for m in ex.channels} == {"leaflet"}
