"""Legacy Vietnamese encodings: our own sentences converted into each and read back."""

import unicodedata
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from etl.reading.decode import decode_bytes
from etl.reading.legacy import (
    encode_tcvn3,
    encode_vni,
    from_tcvn3,
    from_viqr,
    from_vni,
    repair_legacy_text,
    to_viqr,
)

SENTENCES = [
    "Ủy ban nhân dân huyện Mường Khương ban hành kế hoạch tuyên truyền cải cách hành chính "
    "năm 2012, giao Phòng Nội vụ chủ trì, phối hợp với Đài Truyền thanh huyện thực hiện.",
    "Các cơ quan, đơn vị đẩy mạnh thông tin về thủ tục hành chính trên trang thông tin điện "
    "tử, niêm yết công khai tại trụ sở và phát tờ rơi tới người dân, doanh nghiệp.",
    "Sở Tư pháp tổ chức hội nghị, tọa đàm; in sổ tay hỏi đáp; dựng pa nô, băng rôn, khẩu hiệu "
    "ở các xã vùng cao; ứng dụng công nghệ thông tin trong cải cách hành chính.",
]
ALPHABET = (
    "aàáảãạăằắẳẵặâầấẩẫậbcdđeèéẻẽẹêềếểễệghiìíỉĩịklmnoòóỏõọôồốổỗộơờớởỡợpqrstuùúủũụưừứửữựvxyỳýỷỹỵ"
)


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


@pytest.mark.parametrize("sentence", SENTENCES)
def test_tcvn3_round_trip(sentence: str) -> None:
    data = encode_tcvn3(sentence)
    # TCVN3 has no codes for uppercase toned letters: they come back lowercase
    assert from_tcvn3(data.decode("latin-1")) == encode_tcvn3_expected(sentence)


def encode_tcvn3_expected(sentence: str) -> str:
    return "".join(
        c if c in "ĂÂĐÊÔƠƯ" or unicodedata.normalize("NFD", c) == c else c.lower()
        for c in nfc(sentence)
    )


@pytest.mark.parametrize("sentence", SENTENCES)
def test_vni_and_viqr_round_trip(sentence: str) -> None:
    assert from_vni(encode_vni(sentence).decode("cp1252")) == nfc(sentence)
    assert from_viqr(to_viqr(sentence)) == nfc(sentence)


@given(st.text(alphabet=ALPHABET + " ,.", min_size=1, max_size=80))
def test_vni_round_trip_any_lowercase_text(text: str) -> None:
    assert from_vni(encode_vni(text).decode("cp1252")) == nfc(text)


@pytest.mark.parametrize(
    ("encode", "name"),
    [(encode_tcvn3, "tcvn3"), (encode_vni, "vni")],
)
def test_decode_bytes_detects_legacy_files(encode, name: str) -> None:
    data = encode(" ".join(SENTENCES))
    text, encoding = decode_bytes(data, Path("cu.txt"))
    assert encoding == name
    assert "tuyên truyền cải cách hành chính" in nfc(text).lower()


def test_mis_decoded_legacy_saved_as_utf8_is_repaired() -> None:
    mojibake = encode_vni(" ".join(SENTENCES)).decode("cp1252").encode("utf-8")
    text, encoding = decode_bytes(mojibake, Path("cu.txt"))
    assert encoding == "vni-in-utf-8"
    assert "thủ tục hành chính" in nfc(text)


def test_viqr_file_is_converted() -> None:
    data = to_viqr(" ".join(SENTENCES)).encode("ascii")
    text, encoding = decode_bytes(data, Path("viqr.txt"))
    assert encoding == "viqr-in-utf-8"
    assert "Phòng Nội vụ" in nfc(text)


@pytest.mark.parametrize(
    "text",
    [
        " ".join(SENTENCES),  # ordinary Unicode Vietnamese stays as it is
        "Tuyen truyen cai cach hanh chinh tren Cong thong tin dien tu.",  # no diacritics
        "Price list: café 2€, crème brûlée 5€, naïve façade — déjà vu.",  # other Latin text
    ],
)
def test_ordinary_text_is_left_alone(text: str) -> None:
    assert repair_legacy_text(text) is None
    assert decode_bytes(text.encode("utf-8"), Path("a.txt"))[1] == "utf-8"
