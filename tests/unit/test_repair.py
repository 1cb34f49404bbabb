"""etl.text.repair: canonical cleaned text (NFC, invisible characters, spaces, lines)."""

from __future__ import annotations

import sys
import unicodedata

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from etl.text.repair import repair

NFC_SENTENCE = "Huyện Yên Thế đẩy mạnh tuyên truyền cải cách thủ tục hành chính"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # Unicode form: decomposed tone marks compose
        (unicodedata.normalize("NFD", NFC_SENTENCE), NFC_SENTENCE),
        ("Vie\u0302\u0323t Nam", "Việt Nam"),
        ("Vie\u0323\u0302t Nam", "Việt Nam"),  # marks in the other order
        ("Vie\u200b\u0302\u0323t", "Việt"),  # a zero-width space between letter and marks
        # invisible characters
        ("cải\u200bcách", "cảicách"),
        ("hành\u200c\u200dchính\u2060", "hànhchính"),
        ("\ufeffKế hoạch", "Kế hoạch"),
        ("Kế\ufeff hoạch", "Kế hoạch"),
        ("tuyên\u00adtruyền", "tuyêntruyền"),
        ("\u200eUBND\u200f", "UBND"),
        # spaces
        ("Sở\u00a0Nội\u00a0vụ", "Sở Nội vụ"),
        ("Sở\u2002Tư\u2009pháp\u202f\u3000huyện", "Sở Tư pháp huyện"),
        ("băng\trôn", "băng rôn"),
        ("pa    nô", "pa nô"),
        ("pa \t \u00a0 nô", "pa nô"),
        ("pa \u200b nô", "pa nô"),
        # control characters
        ("tờ\x00 rơi\x07\x1b", "tờ rơi"),
        ("a\x85b", "a\nb"),
        ("trang 1\x0ctrang 2", "trang 1\ntrang 2"),
        ("dòng 1\x0bdòng 2", "dòng 1\ndòng 2"),
        ("dòng 1\u2028dòng 2", "dòng 1\ndòng 2"),
        # line breaks and blank lines
        ("dòng 1\r\ndòng 2\rdòng 3", "dòng 1\ndòng 2\ndòng 3"),
        ("dòng 1   \ndòng 2 \t\n", "dòng 1\ndòng 2"),
        ("đoạn 1\n\nđoạn 2", "đoạn 1\n\nđoạn 2"),
        ("đoạn 1\n\n\nđoạn 2", "đoạn 1\n\nđoạn 2"),
        ("đoạn 1\n \n\t\n  \n\r\nđoạn 2", "đoạn 1\n\nđoạn 2"),
        ("\r\n\r\n\r\nđoạn 1\r\n\r\n\r\n\r\nđoạn 2\r\n\r\n", "đoạn 1\n\nđoạn 2"),
        ("  lùi đầu dòng\n  giữ một dấu cách", "lùi đầu dòng\n giữ một dấu cách"),
        # whole text
        ("  \n\t Kế hoạch \n \n", "Kế hoạch"),
        ("", ""),
        (" \u200b\ufeff\n\t\u00a0", ""),
        # lone surrogates cannot be stored as UTF-8
        ("a\ud800b", "ab"),
    ],
)
def test_repair_cases(raw: str, expected: str) -> None:
    assert repair(raw) == expected


def test_every_unicode_space_becomes_a_space() -> None:
    spaces = [chr(cp) for cp in range(sys.maxunicode + 1) if unicodedata.category(chr(cp)) == "Zs"]
    assert len(spaces) > 10
    for space in spaces:
        assert repair(f"a{space}b") == "a b", hex(ord(space))


def test_nothing_to_repair_returns_the_same_text() -> None:
    text = "Kế hoạch số 12/KH-UBND\n\nI. MỤC ĐÍCH, YÊU CẦU\n1. Mục đích"
    assert repair(text) == text


# Strings rich in the characters repair treats specially, mixed with arbitrary characters
# (surrogates included).
_SPECIAL = list(
    " \t\n\r\x0b\x0c\x00\x1f\x7f\x85\u00a0\u00ad\u2000\u2001\u200b\u200c\u200d\u2028\u2029"
    "\u2060\u202f\u3000\ufeff\u0300\u0301\u0302\u0303\u0309\u0323\u031b"
    "aeoueêôơưĂăđĐ"
)
_TEXT = st.text(
    st.one_of(st.sampled_from(_SPECIAL), st.characters(exclude_categories=())), max_size=200
)


@settings(max_examples=500)
@given(_TEXT)
@example("e\u200b\u0301")
@example("\u2000")
@example("a \u0301\n")
def test_repair_is_idempotent(text: str) -> None:
    once = repair(text)
    assert repair(once) == once


@settings(max_examples=500)
@given(_TEXT)
def test_repair_output_is_nfc_and_clean(text: str) -> None:
    out = repair(text)
    assert unicodedata.is_normalized("NFC", out)
    assert out == out.strip(" \n")
    assert "\n\n\n" not in out
    assert "  " not in out
    assert " \n" not in out
    assert "\r" not in out
    assert "\t" not in out
    for char in out:
        assert char == "\n" or unicodedata.category(char) not in {"Cc", "Cs", "Zl", "Zp"}
        assert char not in "\u00a0\u00ad\u200b\u200c\u200d\u2060\ufeff"


@given(st.text(st.characters(exclude_categories=())))
def test_repair_never_crashes(text: str) -> None:
    assert isinstance(repair(text), str)


def test_fast_path_covers_every_character_the_slow_path_changes() -> None:
    """repair skips its regexes when text (with '\\n' as ' ') is printable: it must be safe."""
    from etl.text.repair import _INVISIBLE, _LINE_BREAK, _SPACE_RUN

    for cp in range(sys.maxunicode + 1):
        char = chr(cp)
        if char == " ":
            continue
        if _INVISIBLE.match(char) or _LINE_BREAK.match(char) or _SPACE_RUN.match(char):
            assert not char.isprintable(), hex(cp)
