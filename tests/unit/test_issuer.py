"""Issuer level and codes on our own texts."""

import pytest

from etl.extract.document import extract_document
from etl.models import ManifestRow
from tests.factories import raw_document as doc

BODY = " về tuyên truyền cải cách hành chính năm 2022, tập trung vào thủ tục hành chính."

CASES = [
    # centrally-run city: province level
    (
        "Đà Nẵng tuyên truyền CCHC",
        "UBND thành phố Đà Nẵng vừa ban hành Kế hoạch số 5/KH-UBND",
        ("province", "48", None, "48"),
    ),
    # a city under a province: district level
    (
        "Tuyên truyền CCHC năm 2022",
        "UBND thành phố Bạc Liêu ban hành Kế hoạch số 50/KH-UBND",
        ("district", "95", "954", "96"),
    ),
    # a province named only in the title
    (
        "Kon Tum: đẩy mạnh tuyên truyền CCHC",
        "UBND tỉnh vừa ban hành Kế hoạch số 9/KH-UBND",
        ("province", "62", None, "51"),
    ),
    # the text never names the province: codes stay null
    (
        "Đẩy mạnh tuyên truyền CCHC",
        "UBND tỉnh vừa ban hành Kế hoạch số 9/KH-UBND",
        ("province", None, None, None),
    ),
    # a district of Hà Nội
    (
        "Tuyên truyền CCHC",
        "UBND quận Hai Bà Trưng vừa ban hành Kế hoạch số 42/KH-UBND",
        ("district", "01", "007", "01"),
    ),
    # an ambiguous district name, disambiguated by the province in the text
    (
        "Tuyên truyền CCHC ở Đồng Tháp",
        "UBND huyện Tam Nông (tỉnh Đồng Tháp) vừa ban hành Kế hoạch số 3/KH-UBND",
        ("district", "87", None, "82"),
    ),
    # without diacritics
    (
        "Tuyen truyen CCHC",
        "UBND tinh Lang Son vua ban hanh Ke hoach so 12/KH-UBND",
        ("province", "20", None, "20"),
    ),
    # a department's own plan
    (
        "Sở Nội vụ tỉnh Quảng Trị tuyên truyền CCHC",
        "Sở Nội vụ tỉnh Quảng Trị vừa ban hành Kế hoạch số 45/KH-SNV",
        ("department", "45", None, None),
    ),
]


@pytest.mark.parametrize(("title", "lead", "expected"), CASES)
def test_issuer(title: str, lead: str, expected: tuple) -> None:
    ex = extract_document(doc(f"{title}\n{lead}{BODY}\n"))
    level, province, district, province_2025 = expected
    assert ex.issuer.level == level
    assert ex.issuer.province_code == province
    if district is not None or level != "district":
        assert ex.issuer.district_code == district
    if province_2025 is not None or province is None:
        assert ex.issuer.province_code_2025 == province_2025


def test_outlet_names_the_province() -> None:
    text = (
        "Tuyên truyền CCHC năm 2021\n"
        "UBND tỉnh vừa ban hành Kế hoạch số 77/KH-UBND về tuyên truyền cải cách hành chính, "
        "giao Báo Hà Giang và Đài PT-TH Hà Giang mở chuyên mục riêng.\n"
    )
    ex = extract_document(doc(text))
    assert (ex.issuer.level, ex.issuer.province_code) == ("province", "02")


def test_manifest_fills_the_locality() -> None:
    text = "Tuyên truyền CCHC\nUBND tỉnh vừa ban hành Kế hoạch số 9/KH-UBND" + BODY
    row = ManifestRow(file="t.txt", locality="Tỉnh Yên Bái")
    ex = extract_document(doc(text), row)
    assert ex.issuer.province_code == "15"
    assert ex.issuer.source == "manifest"


@pytest.mark.parametrize(
    ("lead", "expected"),
    [
        # a commune created in 2025 lies in the legacy province of the communes it merged
        (
            "Ngày 5/8/2025, UBND xã Liên Sơn (tỉnh Lào Cai) ban hành Kế hoạch số 12/KH-UBND",
            ("commune", "15", None, "15"),
        ),
        (
            "Ngày 5/9/2025, UBND phường Mỹ Trà ban hành Kế hoạch số 19/KH-UBND",
            ("commune", "87", None, "82"),
        ),
        # Huế became a centrally-run city; the legacy province it continues is 46
        (
            "Ngày 5/9/2025, UBND thành phố Huế ban hành Kế hoạch số 99/KH-UBND",
            ("province", "46", None, "46"),
        ),
        # before the merger the same name is the legacy district
        (
            "Ngày 5/3/2021, UBND huyện Tam Nông (tỉnh Phú Thọ) ban hành Kế hoạch số 9/KH-UBND",
            ("district", "25", "236", "25"),
        ),
    ],
)
def test_issuer_across_the_2025_merger(lead: str, expected: tuple) -> None:
    ex = extract_document(doc(f"Tin cải cách hành chính\n{lead}{BODY}\n"))
    issuer = ex.issuer
    assert (
        issuer.level,
        issuer.province_code,
        issuer.district_code,
        issuer.province_code_2025,
    ) == expected
