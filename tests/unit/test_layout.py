"""Page furniture and footers (etl/vocab/layout.yaml), recognised whatever the spelling.

Each vocabulary regex is folded once and matched against the folded line, so a line reads the
same with or without diacritics, in capitals, and with old- or new-style tones.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from etl.match.patterns import fold_form
from etl.text.fold import fold
from etl.text.layout import _is_footer, analyse, is_chrome

CHROME = [
    "Cỡ chữ: A+ A-",
    "Xem với cỡ chữ",
    "A- | A+",
    "Bản in",
    "In bài viết",
    "Về đầu trang",
    "Lượt xem: 1.204",
    "Số lượt truy cập: 99.310",
    "Đang online: 37",
    "Hôm nay: 1.352",
    "Chia sẻ bài viết",
    "Zalo",
    "Gửi email",
    "Tìm kiếm nâng cao",
    "Trang chủ > Tin tức > Cải cách hành chính",
    "Sơ đồ cổng",
    "12 | 3 | 2024",
    "Từ khóa: cải cách hành chính, một cửa",
    "Tags: CCHC",
    "Ảnh: Minh Tâm",
    "Ảnh minh họa",
    "Xem thêm",
    "Chứng nhận Tín nhiệm mạng",
]
NOT_CHROME = [
    "UBND huyện tổ chức hội nghị tuyên truyền cải cách hành chính cho cán bộ xã.",
    "Kế hoạch số 12/KH-UBND",
    "Hòa Bình đẩy mạnh cải cách hành chính",
    "Tuyên truyền trên Zalo và Facebook của xã",  # names channels, but is a sentence
    "Trang thông tin điện tử của huyện đăng tải tin, bài hằng tuần",
    "Inh ỏi tiếng loa",  # "in" only as part of a word
]
FOOTERS = [
    "Tin liên quan",
    "Các tin khác",
    "Bài viết cùng chuyên mục",
    "Ý kiến bạn đọc",
    "Gửi bình luận",
    "Họ và tên:",
    "Mã xác nhận",
    "Nơi nhận:",
    "Bản quyền thuộc Sở Nội vụ",
    "© 2024 Cổng thông tin điện tử",
]


def _spellings(line: str) -> list[str]:
    """The line as typed on different sites: as is, without diacritics, in capitals, both."""
    return [line, fold(line), line.upper(), fold(line).upper(), f"  {line}  "]


@pytest.mark.parametrize("line", CHROME)
def test_chrome_line_in_every_spelling(line: str) -> None:
    for spelling in _spellings(line):
        assert is_chrome(spelling), spelling


@pytest.mark.parametrize("line", NOT_CHROME)
def test_running_text_is_not_chrome(line: str) -> None:
    for spelling in _spellings(line):
        assert not is_chrome(spelling), spelling


@pytest.mark.parametrize("line", FOOTERS)
def test_footer_start_in_every_spelling(line: str) -> None:
    for spelling in _spellings(line):
        assert _is_footer(spelling), spelling


@pytest.mark.parametrize(
    ("old", "new", "chrome"),
    [
        ("Ảnh minh hoạ", "Ảnh minh họa", True),
        ("Xem tin Thanh Hoá, cỡ chữ", "Xem tin Thanh Hóa, cỡ chữ", True),
        ("Khánh Hoà", "Khánh Hòa", False),
    ],
)
def test_old_and_new_tone_placement_read_the_same(old: str, new: str, chrome: bool) -> None:
    assert is_chrome(old) is is_chrome(new) is chrome


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("cỡ chữ.*", "co chu.*"),
        ("Đăng nhập", "dang nhap"),
        ("ảnh minh hoạ", "anh minh hoa"),
        # escapes keep their case: \S (not whitespace) must not turn into \s (whitespace)
        (r"\S+ đã xem", r"\S+ da xem"),
        (r"\D{2}\W\B", r"\D{2}\W\B"),
        (r"tin\b.*\|\s*Ả", r"tin\b.*\|\s*a"),
    ],
)
def test_fold_form(source: str, expected: str) -> None:
    assert fold_form(source) == expected


@given(st.text(alphabet="ĐđĂăÂâÊêÔôƠơƯưÁàảãạ \\SDWBsdwb.*+?()[]|{}0-9", max_size=40))
def test_fold_form_keeps_every_escape(source: str) -> None:
    folded = fold_form(source)
    assert len(folded) == len(source)
    assert re.findall(r"\\.", folded) == re.findall(r"\\.", source)
    assert folded == fold(folded) or "\\" in source  # only escapes keep capitals


def test_source_line_typed_without_diacritics_gives_the_whole_name() -> None:
    text = (
        "Tuyen truyen cai cach hanh chinh\n"
        "UBND xa vua ban hanh ke hoach tuyen truyen cai cach hanh chinh nam 2023 tren loa "
        "truyen thanh cua xa va cac thon.\n"
        "Nguon: Trang TTDT huyen Dak Ha\n"
    )
    layout = analyse(text)
    assert layout.source_name == "Trang TTDT huyen Dak Ha"
    assert layout.author is None
