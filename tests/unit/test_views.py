"""TextViews: per-line matching mode and the word index the matcher uses."""

import pytest

from etl.text.views import TextViews, _accented


@pytest.mark.parametrize(
    ("line", "accented"),
    [
        ("Kế hoạch tuyên truyền cải cách hành chính", True),
        ("Ke hoach tuyen truyen cai cach hanh chinh", False),
        ("", True),  # no letter: accented (the default)
        ("2025 - 12", True),
        ("12/KH-UBND", False),  # ASCII letters: typed without diacritics
        ("Ke hoach tuyen truyen nam 2025 cua Ủy", False),  # one marked letter of 30: < 4 %
        ("Ke hoach tuyên truyen", True),
        ("Пример текста", False),  # letters, none of them Vietnamese diacritics
        ("– “ … ”", True),
    ],
)
def test_line_mode(line: str, accented: bool) -> None:
    assert _accented(line) is accented


def test_word_positions_only_on_lines_of_that_mode() -> None:
    text = "Tuyên truyền trên báo chí\nTuyen truyen tren bao chi"
    views = TextViews.of(text)
    second = text.index("\n") + 1
    assert views.has_mode(True) and views.has_mode(False)
    assert views.word_positions(True)["tuyên"] == [0]
    assert "tuyen" not in views.word_positions(True)
    assert views.word_positions(False)["tuyen"] == [second]  # the folded first line is not there


def test_single_mode_document() -> None:
    text = "Tuyên truyền trên Cổng thông tin điện tử.\nPhát thanh, truyền hình."
    views = TextViews.of(text)
    assert views.has_mode(True) and not views.has_mode(False)
    assert views.word_positions(False) == {}
    assert views.word_positions(True)["truyền"] == [6, text.rindex("truyền")]
