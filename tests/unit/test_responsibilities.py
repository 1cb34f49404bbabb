"""Responsibilities on our own sentences: (agency, role) pairs, and what must not count."""

import pytest

from etl.extract.responsibilities import extract_responsibilities
from etl.text.views import TextViews


def pairs(text: str) -> set[tuple[str, str]]:
    views = TextViews.of(text)
    found = extract_responsibilities(views, [(0, len(text))])
    for item in found:
        assert text[item.evidence.start : item.evidence.end] == item.evidence.text
    return {(r.agency, r.role) for r in found}


CASES = [
    (
        "Giao Sở Nội vụ chủ trì, phối hợp với Sở Thông tin và Truyền thông triển khai Kế hoạch.",
        {("home_affairs", "lead"), ("information_communications", "coordinate")},
    ),
    (
        "UBND tỉnh giao Sở TT&TT hướng dẫn các cơ quan báo chí đưa tin.",
        {("information_communications", "lead")},
    ),
    (
        "Sở Tư pháp có trách nhiệm lồng ghép nội dung CCHC vào phổ biến pháp luật.",
        {("justice", "implement")},
    ),
    (
        "Đề nghị Ủy ban MTTQ và các đoàn thể phối hợp tuyên truyền tới đoàn viên, hội viên.",
        {("front_mass_orgs", "coordinate")},
    ),
    (
        "Các sở, ban, ngành, UBND các huyện căn cứ Kế hoạch này xây dựng kế hoạch của đơn vị.",
        {("all_agencies", "implement"), ("people_committee", "implement")},
    ),
    (
        "Phòng Văn hóa và Thông tin chủ trì, phối hợp với Phòng Nội vụ thực hiện.",
        {("culture_information", "lead"), ("home_affairs", "coordinate")},
    ),
    (
        "Văn phòng UBND tỉnh chủ trì hướng dẫn cập nhật Cổng dịch vụ công.",
        {("committee_office", "lead")},
    ),
    (
        "UBND các xã, phường, thị trấn tổ chức niêm yết thủ tục tại trụ sở.",
        {("commune_committees", "implement")},
    ),
    # the issuer announcing its own plan is not assigned anything
    ("UBND huyện Tân Phú vừa ban hành Kế hoạch tuyên truyền CCHC năm 2022.", set()),
    # "các đơn vị có liên quan" as a partner is filler
    ("Sở Nội vụ chủ trì, phối hợp với các đơn vị có liên quan.", {("home_affairs", "lead")}),
    # an audience list is not an assignment
    ("Đối tượng: các cơ quan, đơn vị, cán bộ, công chức và người dân.", set()),
    # without diacritics
    (
        "Giao So Noi vu chu tri, phoi hop voi So Tu phap trien khai.",
        {("home_affairs", "lead"), ("justice", "coordinate")},
    ),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_pairs(text: str, expected: set[tuple[str, str]]) -> None:
    assert pairs(text) == expected


def test_heading_agency_applies_to_its_tasks() -> None:
    text = (
        "IV. TỔ CHỨC THỰC HIỆN\n"
        "1. Sở Nội vụ:\n"
        "- Chủ trì, phối hợp với Sở Tư pháp theo dõi việc thực hiện Kế hoạch.\n"
        "2. Đài Phát thanh và Truyền hình tỉnh:\n"
        "- Xây dựng chuyên mục về cải cách hành chính.\n"
    )
    assert pairs(text) == {
        ("home_affairs", "lead"),
        ("justice", "coordinate"),
        ("broadcaster", "implement"),
    }


def test_task_text_is_the_predicate() -> None:
    text = "Sở Tư pháp có trách nhiệm rà soát thủ tục."
    views = TextViews.of(text)
    (item,) = extract_responsibilities(views, [(0, len(text))])
    assert item.agency_text == "Sở Tư pháp"
    assert item.task.startswith("có trách nhiệm rà soát")
