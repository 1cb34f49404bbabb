"""etl.reading.decode: bytes -> (text, encoding), for the encodings Vietnamese files use."""

from __future__ import annotations

import codecs
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from etl.models import DocumentError
from etl.reading.decode import decode_bytes
from etl.text.repair import repair

SENTENCE = (
    "Ủy ban nhân dân xã Phước Hưng ban hành kế hoạch tuyên truyền cải cách hành chính "
    "năm 2023; đài truyền thanh xã phát tin hằng tuần, Đoàn Thanh niên lập nhóm Zalo."
)
SHORT = "Tờ rơi và pa nô"
_TONES = "\u0300\u0301\u0303\u0309\u0323"


def cp1258_bytes(text: str) -> bytes:
    """Encode NFC text the way Windows-1258 writers do: letter, then a combining tone mark."""
    out = bytearray()
    for char in unicodedata.normalize("NFC", text):
        try:
            out += char.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        decomposed = unicodedata.normalize("NFD", char)
        tone = "".join(c for c in decomposed if c in _TONES)
        base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in _TONES))
        out += (base + tone).encode("cp1258")
    return bytes(out)


_CASES: list[tuple[str, str, bytes, str]] = [
    # (id, original text, bytes, expected encoding)
    ("utf-8", SENTENCE, SENTENCE.encode("utf-8"), "utf-8"),
    ("ascii", "Ke hoach tuyen truyen CCHC", b"Ke hoach tuyen truyen CCHC", "utf-8"),
    ("utf-8-bom", SENTENCE, codecs.BOM_UTF8 + SENTENCE.encode("utf-8"), "utf-8-sig"),
    ("utf-16-le-bom", SENTENCE, codecs.BOM_UTF16_LE + SENTENCE.encode("utf-16-le"), "utf-16-le"),
    ("utf-16-be-bom", SENTENCE, codecs.BOM_UTF16_BE + SENTENCE.encode("utf-16-be"), "utf-16-be"),
    ("utf-16-python", SENTENCE, SENTENCE.encode("utf-16"), "utf-16-le"),  # LE BOM
    ("utf-16-le-nobom", SENTENCE, SENTENCE.encode("utf-16-le"), "utf-16-le"),
    ("utf-16-be-nobom", SENTENCE, SENTENCE.encode("utf-16-be"), "utf-16-be"),
    ("utf-16-le-short", SHORT, SHORT.encode("utf-16-le"), "utf-16-le"),
    ("utf-32-le-bom", SENTENCE, codecs.BOM_UTF32_LE + SENTENCE.encode("utf-32-le"), "utf-32-le"),
    ("utf-32-be-bom", SENTENCE, codecs.BOM_UTF32_BE + SENTENCE.encode("utf-32-be"), "utf-32-be"),
    ("nfd-utf-8", SENTENCE, unicodedata.normalize("NFD", SENTENCE).encode("utf-8"), "utf-8"),
    ("cp1258", SENTENCE, cp1258_bytes(SENTENCE), "cp1258"),
    ("cp1258-short", SHORT, cp1258_bytes(SHORT), "cp1258"),
    ("cp1258-long", SENTENCE * 50, cp1258_bytes(SENTENCE * 50), "cp1258"),
]


@pytest.mark.parametrize(
    ("original", "data", "encoding"),
    [case[1:] for case in _CASES],
    ids=[case[0] for case in _CASES],
)
def test_decodes_to_the_original_text(original: str, data: bytes, encoding: str) -> None:
    text, used = decode_bytes(data, "doc.txt")
    assert used == encoding
    assert unicodedata.normalize("NFC", text) == original
    assert repair(text) == original


def test_cp1258_round_trips_to_nfc_after_repair() -> None:
    data = cp1258_bytes(SENTENCE)
    assert data.decode("cp1258") != SENTENCE  # tone marks are combining characters
    text, encoding = decode_bytes(data, "legacy.txt")
    assert encoding == "cp1258"
    assert unicodedata.normalize("NFC", text) == SENTENCE
    assert repair(text) == SENTENCE


def test_nfd_utf8_is_decoded_as_is_and_composed_by_repair() -> None:
    nfd = unicodedata.normalize("NFD", SENTENCE)
    text, encoding = decode_bytes(nfd.encode("utf-8"), "mac.txt")
    assert (encoding, text) == ("utf-8", nfd)
    assert repair(text) == SENTENCE


def test_utf8_bom_is_not_part_of_the_text() -> None:
    text, _ = decode_bytes(codecs.BOM_UTF8 + SHORT.encode(), "bom.txt")
    assert text == SHORT


def test_truncated_utf8_keeps_the_text_with_a_replacement_mark() -> None:
    data = (SENTENCE + " Việt").encode("utf-8")[:-2]  # cut inside "ệ"
    text, encoding = decode_bytes(data, "cut.txt")
    assert encoding == "utf-8-lossy"
    assert text.startswith(SENTENCE)
    assert text.endswith("Vi\ufffd")


def test_utf8_bom_on_legacy_bytes_is_skipped() -> None:
    text, encoding = decode_bytes(codecs.BOM_UTF8 + cp1258_bytes(SENTENCE), "odd.txt")
    assert encoding == "cp1258"
    assert repair(text) == SENTENCE


def test_declared_charset_is_used_for_legacy_html() -> None:
    html = '<html><head><meta charset="iso-8859-1"></head><body><p>Café crème</p></body></html>'
    text, encoding = decode_bytes(html.encode("latin-1"), "page.html")
    assert encoding == "iso8859-1"
    assert "Café crème" in text


def test_charset_normalizer_handles_other_legacy_text() -> None:
    russian = "Администрация района утвердила план информационной работы на текущий год."
    text, encoding = decode_bytes(russian.encode("cp1251"), "ru.txt")
    assert text == russian
    assert encoding


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (b"", "empty file"),
        (codecs.BOM_UTF8, "empty file"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00", "binary file, not text"),
        (b"PK\x03\x04\x14\x00\x06\x00\x08\x00word/document.xml", "binary file, not text"),
        (b"Van ban\x00 co mot NUL", "binary file, not text"),
        (bytes(range(1, 9)) * 40 + b"abc", "binary file, not text"),
        (
            b"%PDF-1.4\n\x01\x02\x03\x04\x05\x06\x07\x08\x0e\x0f\x10\x11\x12",
            "binary file, not text",
        ),
        (bytes(range(0x80, 0x100)) * 4, "could not decode"),
        (codecs.BOM_UTF16_LE + b"\x00\xd8", "could not decode"),  # a lone surrogate
    ],
    ids=["empty", "bom-only", "png", "docx-zip", "nul", "controls", "pdf-ish", "noise", "utf16"],
)
def test_rejected_data_names_the_problem(data: bytes, problem: str) -> None:
    with pytest.raises(DocumentError) as caught:
        decode_bytes(data, "docs/x.txt")
    assert caught.value.problem.startswith(problem)
    assert caught.value.path == "docs/x.txt"
    assert "docs/x.txt" in str(caught.value)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=300))
def test_any_bytes_decode_or_raise_a_document_error(data: bytes) -> None:
    try:
        text, encoding = decode_bytes(data, "x.txt")
    except DocumentError as err:
        assert err.problem.startswith(("empty file", "binary file", "could not decode"))
    else:
        assert isinstance(text, str)
        assert encoding
