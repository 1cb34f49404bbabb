"""Length-preserving text views: folding, lowercasing, tone placement."""

import re
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from etl.text.fold import _move_tone, fold, has_diacritics, lower, tone_normalize


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Đổi mới", "doi moi"),
        ("ỦY BAN NHÂN DÂN", "uy ban nhan dan"),
        ("tuyên truyền trực quan", "tuyen truyen truc quan"),
        ("Cổng TTĐT", "cong ttdt"),
        ("pa-nô, áp phích", "pa-no, ap phich"),
    ],
)
def test_fold(text: str, folded: str) -> None:
    assert fold(text) == folded


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("hoà giải", "hòa giải"),
        ("thuỷ lợi", "thủy lợi"),
        ("toạ đàm", "tọa đàm"),
        ("Uỷ ban", "Ủy ban"),
        ("khoẻ", "khỏe"),
        ("quý vị", "quý vị"),  # after q the mark stays
        ("hoàn thành", "hoàn thành"),  # not word-final: unchanged
        ("văn hoá", "văn hóa"),
    ],
)
def test_tone_normalize(old: str, new: str) -> None:
    assert tone_normalize(old) == new


def test_has_diacritics() -> None:
    assert has_diacritics("tuyên truyền")
    assert not has_diacritics("tuyen truyen CCHC 2021")


@given(st.text())
def test_views_keep_length(text: str) -> None:
    assert len(fold(text)) == len(text)
    assert len(lower(text)) == len(text)
    assert len(tone_normalize(text)) == len(text)


@given(st.text(alphabet=st.characters(min_codepoint=0x41, max_codepoint=0x1EF9)))
def test_fold_is_idempotent(text: str) -> None:
    assert fold(fold(text)) == fold(text)


def test_nfd_input_folds_like_nfc_after_normalisation() -> None:
    text = "Thông tin tuyên truyền cải cách hành chính"
    assert fold(unicodedata.normalize("NFC", unicodedata.normalize("NFD", text))) == fold(text)


@given(st.text())
def test_fold_and_lower_map_each_character_as_alone(text: str) -> None:
    # the translation tables cover the whole BMP; beyond it characters go one by one
    assert fold(text) == "".join(fold(c) for c in text)
    assert lower(text) == "".join(lower(c) for c in text)


@pytest.mark.parametrize(
    ("text", "lowered"),
    [
        ("ĐỔI MỚI", "đổi mới"),
        ("Ủy Ban", "ủy ban"),
        ("İ", "İ"),  # its lowercase has two characters: left as it is
        ("ΟΔΟΣ Σ", "οδοσ σ"),  # str.lower would end a word with "ς": here each letter alone
        ("Huyện ĐỨC HÒA – “Hoà”", "huyện đức hòa – “hoà”"),
        ("𝐀", "𝐀"),  # beyond the BMP, no one-character lowercase change
        ("– “x” …", "– “x” …"),
    ],
)
def test_lower_is_one_to_one(text: str, lowered: str) -> None:
    assert lower(text) == lowered


@given(st.text(alphabet="qQoOuUaàáạyýỳAÁÀYÝ hnt1_", max_size=30))
def test_tone_normalize_is_the_lookbehind_rule(text: str) -> None:
    # the rule as first written: a lookbehind for q in front of the o/u
    reference = re.compile(r"(?<![qQ])([oOuU])([àáảãạÀÁẢÃẠèéẻẽẹÈÉẺẼẸỳýỷỹỵỲÝỶỸỴ])(?![^\W\d_])")
    assert tone_normalize(text) == reference.sub(_move_tone, text)
