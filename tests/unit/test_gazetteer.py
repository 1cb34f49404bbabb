"""The gazetteer: official units of both eras, name lookups and locality mentions in text."""

from __future__ import annotations

import csv
import re
import unicodedata
from collections import Counter

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from etl.gazetteer import (
    ERA_2025,
    LEGACY,
    Gazetteer,
    LocalityMention,
    Unit,
    commune_crosswalk_frame,
    crosswalk_frame,
    find_locality_mentions,
    get_gazetteer,
    localities_frame,
)
from etl.gazetteer.vocab import ALIASES_CSV, REGIONS_2025_CSV, REGIONS_CSV

TYPE_WORDS = {"tỉnh", "thành phố", "quận", "huyện", "thị xã", "xã", "phường", "thị trấn", "đặc khu"}


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return get_gazetteer()


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def codes(units: list[Unit] | tuple[Unit, ...]) -> list[tuple[str, str]]:
    return [(u.era, u.code) for u in units]


# -- counts and the merger ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("level", "era", "count"),
    [
        ("province", LEGACY, 63),
        ("district", LEGACY, 696),
        ("province", ERA_2025, 34),
        ("district", ERA_2025, 0),
        ("commune", ERA_2025, 3321),
    ],
)
def test_unit_counts(gaz: Gazetteer, level: str, era: str, count: int) -> None:
    assert len(gaz.units(level, era)) == count


def test_legacy_communes_are_about_ten_thousand(gaz: Gazetteer) -> None:
    assert 10_000 <= len(gaz.units("commune", LEGACY)) <= 10_100


def test_every_legacy_province_merged_whole_into_one_2025_province(gaz: Gazetteer) -> None:
    new_codes = {u.code for u in gaz.units("province", ERA_2025)}
    merged_into = {u.code: gaz.province_2025(u.code) for u in gaz.units("province", LEGACY)}
    assert all(code in new_codes for code in merged_into.values())
    assert set(merged_into.values()) == new_codes
    # the 2025 provinces' constituents partition the 63 legacy provinces
    parts = [c for new in sorted(new_codes) for c in gaz.constituents_2025(new)]
    assert sorted(parts) == sorted(merged_into)
    # every legacy unit below a province follows its province
    for unit in gaz.units(era=LEGACY):
        assert unit.province_code_2025 == merged_into[unit.province_code]


def test_every_2025_unit_is_its_own_2025_province(gaz: Gazetteer) -> None:
    for unit in gaz.units(era=ERA_2025):
        assert unit.province_code_2025 == unit.province_code
        assert unit.district_code is None


@pytest.mark.parametrize(
    ("legacy_code", "code_2025"),
    [
        ("01", "01"),  # Hà Nội, unchanged
        ("62", "51"),  # Kon Tum -> Quảng Ngãi
        ("95", "96"),  # Bạc Liêu -> Cà Mau
        ("92", "92"),  # Cần Thơ stays 92 (with Hậu Giang, Sóc Trăng)
        ("93", "92"),
        ("94", "92"),
        ("46", "46"),  # Thừa Thiên Huế -> Huế
        ("15", "15"),  # Yên Bái -> Lào Cai, which took Yên Bái's code
        ("10", "15"),  # Lào Cai
        ("74", "79"),  # Bình Dương -> TP. Hồ Chí Minh
        ("77", "79"),  # Bà Rịa - Vũng Tàu -> TP. Hồ Chí Minh
        ("17", "25"),  # Hòa Bình -> Phú Thọ
        ("80", "80"),  # Long An -> Tây Ninh, which took Long An's code
        ("99", None),  # no such province
    ],
)
def test_province_2025(gaz: Gazetteer, legacy_code: str, code_2025: str | None) -> None:
    assert gaz.province_2025(legacy_code) == code_2025


def test_code_80_is_a_different_province_in_each_era(gaz: Gazetteer) -> None:
    old, new = gaz.province("80"), gaz.province("80", ERA_2025)
    assert old is not None and new is not None
    assert (old.short, new.short) == ("Long An", "Tây Ninh")


# -- codes and unit records ----------------------------------------------------------------


def test_ha_noi_and_hai_ba_trung(gaz: Gazetteer) -> None:
    hanoi = gaz.province("01")
    assert hanoi is not None
    assert (hanoi.name, hanoi.short, hanoi.type_word) == ("Thành phố Hà Nội", "Hà Nội", "thành phố")
    hbt = gaz.district("007")
    assert hbt is not None
    assert (hbt.name, hbt.short, hbt.type_word) == ("Quận Hai Bà Trưng", "Hai Bà Trưng", "quận")
    assert (hbt.province_code, hbt.district_code, hbt.era) == ("01", "007", LEGACY)


def test_kon_tum(gaz: Gazetteer) -> None:
    kon_tum = gaz.province("62")
    assert kon_tum is not None
    assert (kon_tum.name, kon_tum.name_en, kon_tum.province_code_2025) == (
        "Tỉnh Kon Tum",
        "Kon Tum",
        "51",
    )
    quang_ngai = gaz.province("51", ERA_2025)
    assert quang_ngai is not None and quang_ngai.name == "Tỉnh Quảng Ngãi"
    assert gaz.province("62", ERA_2025) is None


def test_bac_lieu_province_and_city(gaz: Gazetteer) -> None:
    province = gaz.province("95")
    city = gaz.district("954")
    assert province is not None and city is not None
    assert (province.name, province.type_word, province.province_code_2025) == (
        "Tỉnh Bạc Liêu",
        "tỉnh",
        "96",
    )
    assert (city.name, city.short, city.type_word, city.province_code) == (
        "Thành phố Bạc Liêu",
        "Bạc Liêu",
        "thành phố",
        "95",
    )
    assert city.name_en == "Bac Lieu"
    assert city.lat is not None and 9 < city.lat < 10
    assert not gaz.is_centrally_run_city("95")
    cau_mau = gaz.province("96", ERA_2025)
    assert cau_mau is not None and cau_mau.short == "Cà Mau"


def test_hue_is_a_province_before_2025_and_a_city_after(gaz: Gazetteer) -> None:
    old, new = gaz.province("46"), gaz.province("46", ERA_2025)
    assert old is not None and new is not None
    assert (old.name, old.type_word) == ("Tỉnh Thừa Thiên Huế", "tỉnh")
    assert (new.name, new.type_word) == ("Thành phố Huế", "thành phố")
    assert not gaz.is_centrally_run_city("46", LEGACY)
    assert gaz.is_centrally_run_city("46", ERA_2025)


@pytest.mark.parametrize("era", [LEGACY, ERA_2025])
def test_centrally_run_cities(gaz: Gazetteer, era: str) -> None:
    expected = {"01", "31", "48", "79", "92"} | ({"46"} if era == ERA_2025 else set())
    found = {u.code for u in gaz.units("province", era) if gaz.is_centrally_run_city(u.code, era)}
    assert found == expected
    for unit in gaz.units("province", era):
        assert (unit.type_word == "thành phố") == (unit.code in expected)


def test_district_level_cities_are_not_centrally_run(gaz: Gazetteer) -> None:
    assert not gaz.is_centrally_run_city("954")
    assert not gaz.is_centrally_run_city("99")


def test_commune_codes_are_per_era(gaz: Gazetteer) -> None:
    old, new = gaz.commune("00004"), gaz.commune("00004", ERA_2025)
    assert old is not None and new is not None
    assert old.name == "Phường Trúc Bạch" and old.district_code == "001"
    assert new.name == "Phường Ba Đình" and new.district_code is None


def test_unit_records_are_well_formed(gaz: Gazetteer) -> None:
    widths = {"province": 2, "district": 3, "commune": 5}
    seen: set[tuple[str, str, str]] = set()
    for u in gaz.units():
        assert len(u.code) == widths[u.level] and u.code.isdigit(), u
        assert len(u.province_code) == 2 and u.province_code.isdigit(), u
        assert u.type_word in TYPE_WORDS, u
        assert u.name == f"{u.type_word.capitalize()} {u.short}", u
        assert u.name_en.isascii() and u.name_en, u
        assert u.short[0].isupper() or u.short[0].isdigit(), u
        assert (u.level, u.era, u.code) not in seen
        seen.add((u.level, u.era, u.code))
        if u.level == "commune" and u.era == LEGACY:
            assert u.district_code is not None and gaz.district(u.district_code) is not None


@pytest.mark.parametrize(
    ("code", "name", "short"),
    [
        ("001", "Quận Ba Đình", "Ba Đình"),
        ("760", "Quận 1", "1"),
        ("447", "Huyện Kỳ Anh", "Kỳ Anh"),  # library short name "Kỳ Anh (Huyện)"
        ("449", "Thị xã Kỳ Anh", "Kỳ Anh"),
        ("058", "Thành phố Bắc Kạn", "Bắc Kạn"),  # library name "Thành Phố Bắc Kạn"
    ],
)
def test_district_names_are_normalised(gaz: Gazetteer, code: str, name: str, short: str) -> None:
    unit = gaz.district(code)
    assert unit is not None
    assert (unit.name, unit.short) == (name, short)


# -- province names --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "legacy_code"),
    [
        ("Kon Tum", "62"),
        ("KON TUM", "62"),
        ("kon tum", "62"),
        ("tỉnh Kon Tum", "62"),
        ("Tỉnh Kon Tum", "62"),
        ("UBND tinh Kon Tum"[5:], "62"),
        ("Kontum", "62"),
        ("Cần Thơ", "92"),
        ("Can Tho", "92"),
        ("TP. Cần Thơ", "92"),
        ("TP Can Tho", "92"),
        ("thành phố Cần Thơ", "92"),
        ("Hòa Bình", "17"),
        ("Hoà Bình", "17"),  # old tone placement
        ("HOÀ BÌNH", "17"),
        ("Hoa Binh", "17"),
        ("Thừa Thiên Huế", "46"),
        ("Thừa Thiên - Huế", "46"),
        ("tỉnh Thừa Thiên Huế", "46"),
        ("TT-Huế", "46"),
        ("Huế", "46"),
        ("thành phố Hồ Chí Minh", "79"),
        ("TP. Hồ Chí Minh", "79"),
        ("TP.HCM", "79"),
        ("TP HCM", "79"),
        ("TPHCM", "79"),
        ("HCM", "79"),
        ("Sài Gòn", "79"),
        ("Hồ Chí Minh", "79"),
        ("Đắk Lắk", "66"),
        ("Đắc Lắc", "66"),
        ("Dak Lak", "66"),
        ("Đăk Lăk", "66"),
        ("Bà Rịa - Vũng Tàu", "77"),
        ("Bà Rịa – Vũng Tàu", "77"),  # en dash
        ("Bà Rịa-Vũng Tàu", "77"),
        ("Ba Ria Vung Tau", "77"),
        ("BR-VT", "77"),
        ("Bắc Cạn", "06"),
        ("Đồng Tháp", "87"),
        ("Thanh Hoá", "38"),
        ("Khánh Hoà", "56"),
    ],
)
def test_find_provinces_legacy(gaz: Gazetteer, name: str, legacy_code: str) -> None:
    found = gaz.find_provinces(name, era=LEGACY)
    assert [u.code for u in found] == [legacy_code]
    # NFD input is normalised
    assert gaz.find_provinces(nfd(name), era=LEGACY) == found


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Kon Tum", [(LEGACY, "62")]),
        ("Quảng Ngãi", [(LEGACY, "51"), (ERA_2025, "51")]),
        ("Cần Thơ", [(LEGACY, "92"), (ERA_2025, "92")]),
        ("Đồng Tháp", [(LEGACY, "87"), (ERA_2025, "82")]),
        ("Thừa Thiên Huế", [(LEGACY, "46"), (ERA_2025, "46")]),
        ("thành phố Huế", [(ERA_2025, "46"), (LEGACY, "46")]),  # the written type ranks first
        ("Yên Bái", [(LEGACY, "15")]),  # its aliases never reach 2025 Lào Cai
        ("Lào Cai", [(LEGACY, "10"), (ERA_2025, "15")]),
        ("Đắc Lắc", [(LEGACY, "66"), (ERA_2025, "66")]),
        ("BR-VT", [(LEGACY, "77")]),
        ("Hà Nam Ninh", []),
        ("Long Anh", []),
        ("", []),
    ],
)
def test_find_provinces_both_eras(
    gaz: Gazetteer, name: str, expected: list[tuple[str, str]]
) -> None:
    assert codes(gaz.find_provinces(name)) == expected


def test_find_provinces_2025_only(gaz: Gazetteer) -> None:
    assert codes(gaz.find_provinces("Kon Tum", era=ERA_2025)) == []
    assert codes(gaz.find_provinces("tỉnh Quảng Ngãi", era=ERA_2025)) == [(ERA_2025, "51")]


# -- districts and communes -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "type_word", "province_code", "expected"),
    [
        ("Tam Nông", None, None, [("236", "25"), ("871", "87")]),
        ("huyện Tam Nông", None, None, [("236", "25"), ("871", "87")]),
        ("Tam Nong", None, None, [("236", "25"), ("871", "87")]),
        (nfd("huyện Tam Nông"), None, None, [("236", "25"), ("871", "87")]),
        ("Tam Nông", "huyện", "87", [("871", "87")]),
        ("huyện Tam Nông", None, "25", [("236", "25")]),
        ("Phú Tân", None, None, [("888", "89"), ("972", "96")]),
        ("Phú Tân", None, "89", [("888", "89")]),
        ("Phú Tân", "Huyện", "96", [("972", "96")]),
        ("Phú Tân", None, "01", []),
        ("Hai Bà Trưng", None, None, [("007", "01")]),
        ("quận Hai Bà Trưng", None, "01", [("007", "01")]),
        ("thành phố Bạc Liêu", None, None, [("954", "95")]),
        ("TP Bạc Liêu", None, None, [("954", "95")]),
        ("Hòa Bình", None, None, [("148", "17"), ("961", "95")]),
        ("huyện Hoà Bình", None, None, [("961", "95")]),  # the type word keeps its type only
        ("thành phố Hòa Bình", None, None, [("148", "17")]),
        # reclassified: the data has thị xã Phong Điền, an older text says huyện
        ("huyện Phong Điền", None, "46", [("476", "46")]),
        ("huyện Phong Điền", None, None, [("926", "92")]),
        ("Quận 1", None, None, [("760", "79")]),
        ("quận 10", None, None, [("771", "79")]),
        ("Không Có Huyện Này", None, None, []),
    ],
)
def test_find_districts(
    gaz: Gazetteer,
    name: str,
    type_word: str | None,
    province_code: str | None,
    expected: list[tuple[str, str]],
) -> None:
    found = gaz.find_districts(name, type_word=type_word, province_code=province_code)
    assert [(u.code, u.province_code) for u in found] == expected
    assert all(u.level == "district" and u.era == LEGACY for u in found)


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({"name": "Phúc Xá"}, [(LEGACY, "00001")]),
        ({"name": "phường Phúc Xá"}, [(LEGACY, "00001")]),
        ({"name": "Phuc Xa", "district_code": "001"}, [(LEGACY, "00001")]),
        ({"name": "phường Ba Đình", "era": ERA_2025}, [(ERA_2025, "00004")]),
        ({"name": "Ba Đình", "province_code": "01", "era": ERA_2025}, [(ERA_2025, "00004")]),
        ({"name": "Phú Quốc", "type_word": "đặc khu"}, [(ERA_2025, "31078")]),
        ({"name": "Cái Đôi Vàm", "type_word": "thị trấn"}, [(LEGACY, "32212")]),
        ({"name": "xã Cái Đôi Vàm"}, [(ERA_2025, "32212")]),
    ],
)
def test_find_communes(
    gaz: Gazetteer, kwargs: dict[str, str], expected: list[tuple[str, str]]
) -> None:
    assert codes(gaz.find_communes(**kwargs)) == expected


def test_find_communes_ambiguous_name(gaz: Gazetteer) -> None:
    found = gaz.find_communes("xã Tân Hòa")
    assert len(found) > 10
    assert all(u.level == "commune" and u.type_word == "xã" for u in found)
    eras = [u.era for u in found]
    assert eras == sorted(eras, key=[LEGACY, ERA_2025].index)  # legacy first
    in_district = gaz.find_communes("Tân Hòa", district_code=found[0].district_code)
    assert found[0] in in_district


# -- locality mentions ------------------------------------------------------------------------


def first(mentions: list[LocalityMention], text: str) -> LocalityMention:
    return next(m for m in mentions if m.text == text)


def check_spans(text: str, mentions: list[LocalityMention]) -> None:
    last_end = 0
    for m in mentions:
        assert text[m.start : m.end] == m.text
        assert m.text.endswith(m.name)
        assert m.start >= last_end
        assert m.candidates
        last_end = m.end


@pytest.mark.parametrize(
    ("text", "mention", "type_word", "name", "first_candidate"),
    [
        (
            "Ngày 5/3, UBND huyện Tam Nông (Đồng Tháp) ban hành kế hoạch tuyên truyền CCHC.",
            "huyện Tam Nông",
            "huyện",
            "Tam Nông",
            ("district", LEGACY, "871"),  # Đồng Tháp's, named in the same text
        ),
        (
            "Ngày 5/3, UBND huyện Tam Nông (Đồng Tháp) ban hành kế hoạch tuyên truyền CCHC.",
            "Đồng Tháp",
            None,
            "Đồng Tháp",
            ("province", LEGACY, "87"),
        ),
        (
            "UBND huyện Tam Nông, tỉnh Phú Thọ vừa ban hành Kế hoạch số 50/KH-UBND.",
            "huyện Tam Nông",
            "huyện",
            "Tam Nông",
            ("district", LEGACY, "236"),
        ),
        (
            "Sở Nội vụ tỉnh Hòa Bình chủ trì, phối hợp với các sở, ngành.",
            "tỉnh Hòa Bình",
            "tỉnh",
            "Hòa Bình",
            ("province", LEGACY, "17"),
        ),
        (
            "Sở Nội vụ tỉnh Hoà Bình chủ trì, phối hợp với các sở, ngành.",
            "tỉnh Hoà Bình",
            "tỉnh",
            "Hoà Bình",
            ("province", LEGACY, "17"),
        ),
        (
            "UBND tinh Kon Tum ban hanh ke hoach tuyen truyen cai cach hanh chinh nam 2022.",
            "tinh Kon Tum",
            "tỉnh",
            "Kon Tum",
            ("province", LEGACY, "62"),
        ),
        (
            "ỦY BAN NHÂN DÂN TỈNH KON TUM\nSố: 12/KH-UBND",
            "TỈNH KON TUM",
            "tỉnh",
            "KON TUM",
            ("province", LEGACY, "62"),
        ),
        (
            "Người dân TP.HCM có thể nộp hồ sơ trực tuyến.",
            "TP.HCM",
            "thành phố",
            "HCM",
            ("province", LEGACY, "79"),
        ),
        (
            "Sở Nội vụ TP. Hồ Chí Minh tổ chức hội nghị.",
            "TP. Hồ Chí Minh",
            "thành phố",
            "Hồ Chí Minh",
            ("province", LEGACY, "79"),
        ),
        (
            "UBND thành phố Bạc Liêu triển khai kế hoạch.",
            "thành phố Bạc Liêu",
            "thành phố",
            "Bạc Liêu",
            ("district", LEGACY, "954"),
        ),
        (
            "UBND TP. Cần Thơ ban hành kế hoạch.",
            "TP. Cần Thơ",
            "thành phố",
            "Cần Thơ",
            ("province", LEGACY, "92"),
        ),
        (
            "UBND thành phố Huế ban hành kế hoạch năm 2025.",
            "thành phố Huế",
            "thành phố",
            "Huế",
            ("province", ERA_2025, "46"),
        ),
        (
            "UBND tỉnh Thừa Thiên Huế ban hành kế hoạch năm 2022.",
            "tỉnh Thừa Thiên Huế",
            "tỉnh",
            "Thừa Thiên Huế",
            ("province", LEGACY, "46"),
        ),
        (
            "UBND quận Hai Bà Trưng tổ chức tuyên truyền.",
            "quận Hai Bà Trưng",
            "quận",
            "Hai Bà Trưng",
            ("district", LEGACY, "007"),
        ),
        (
            "UBND thị xã Phú Thọ phối hợp.",
            "thị xã Phú Thọ",
            "thị xã",
            "Phú Thọ",
            ("district", LEGACY, "228"),
        ),
        (
            "UBND huyện Phú Tân, tỉnh Cà Mau ban hành kế hoạch.",
            "huyện Phú Tân",
            "huyện",
            "Phú Tân",
            ("district", LEGACY, "972"),
        ),
        (
            "UBND huyện Phú Tân (An Giang) ban hành kế hoạch.",
            "huyện Phú Tân",
            "huyện",
            "Phú Tân",
            ("district", LEGACY, "888"),
        ),
        (
            "UBND phường Phúc Xá, quận Ba Đình tổ chức hội nghị.",
            "phường Phúc Xá",
            "phường",
            "Phúc Xá",
            ("commune", LEGACY, "00001"),
        ),
        (
            "UBND xã Cái Đôi Vàm tổ chức tuyên truyền.",
            "xã Cái Đôi Vàm",
            "xã",
            "Cái Đôi Vàm",
            ("commune", ERA_2025, "32212"),
        ),
        (
            "Đặc khu Phú Quốc triển khai dịch vụ công trực tuyến.",
            "Đặc khu Phú Quốc",
            "đặc khu",
            "Phú Quốc",
            ("commune", ERA_2025, "31078"),
        ),
        (
            "Tỉnh Bà Rịa – Vũng Tàu đứng đầu về chỉ số PAR INDEX.",
            "Tỉnh Bà Rịa – Vũng Tàu",
            "tỉnh",
            "Bà Rịa – Vũng Tàu",
            ("province", LEGACY, "77"),
        ),
        (
            "Kết quả của BR-VT năm 2023.",
            "BR-VT",
            None,
            "BR-VT",
            ("province", LEGACY, "77"),
        ),
        (
            "Đoàn công tác làm việc tại Kon Tum và Gia Lai.",
            "Kon Tum",
            None,
            "Kon Tum",
            ("province", LEGACY, "62"),
        ),
        (
            "UBND Quận 10 và Quận 1 phối hợp.",
            "Quận 10",
            "quận",
            "10",
            ("district", LEGACY, "771"),
        ),
        (
            "UBND Quận 10 và Quận 1 phối hợp.",
            "Quận 1",
            "quận",
            "1",
            ("district", LEGACY, "760"),
        ),
        (
            "Hội nghị tổ chức tại Cần Thơ.",
            "Cần Thơ",
            None,
            "Cần Thơ",
            ("province", LEGACY, "92"),
        ),
        (
            "UBND tỉnh Đắc Lắc ban hành kế hoạch.",
            "tỉnh Đắc Lắc",
            "tỉnh",
            "Đắc Lắc",
            ("province", LEGACY, "66"),
        ),
    ],
)
def test_find_locality_mentions(
    text: str,
    mention: str,
    type_word: str | None,
    name: str,
    first_candidate: tuple[str, str, str],
) -> None:
    mentions = find_locality_mentions(text)
    check_spans(text, mentions)
    found = first(mentions, mention)
    assert found.type_word == type_word
    assert found.name == name
    top = found.candidates[0]
    assert (top.level, top.era, top.code) == first_candidate


@pytest.mark.parametrize(
    "text",
    [
        "Ngày 5/3, UBND huyện Tam Nông (Đồng Tháp) ban hành kế hoạch.",
        "Sở Nội vụ tỉnh Hòa Bình; UBND tinh Kon Tum; TP.HCM; thành phố Bạc Liêu.",
    ],
)
def test_mentions_in_nfc_and_their_spans(text: str) -> None:
    mentions = find_locality_mentions(text)
    assert mentions
    check_spans(text, mentions)


def test_tam_nong_candidates_include_both_provinces() -> None:
    mentions = find_locality_mentions("UBND huyện Tam Nông ban hành kế hoạch.")
    assert [m.text for m in mentions] == ["huyện Tam Nông"]
    assert {(u.code, u.province_code) for u in mentions[0].candidates} == {
        ("236", "25"),
        ("871", "87"),
    }


def test_city_candidates_rank_district_city_before_province() -> None:
    (mention,) = find_locality_mentions("thành phố Bạc Liêu")
    assert [(u.level, u.code) for u in mention.candidates] == [
        ("district", "954"),
        ("province", "95"),
    ]
    (mention,) = find_locality_mentions("Thành phố Cần Thơ")
    assert [(u.era, u.code) for u in mention.candidates] == [(LEGACY, "92"), (ERA_2025, "92")]


def test_tp_hcm_is_one_mention_of_both_eras() -> None:
    (mention,) = find_locality_mentions("TP.HCM")
    assert (mention.start, mention.end) == (0, 6)
    assert codes(mention.candidates) == [(LEGACY, "79"), (ERA_2025, "79")]


def test_phrase_with_type_word_wins_over_bare_name() -> None:
    text = "UBND thành phố Hà Nội và UBND tỉnh Long An."
    assert [m.text for m in find_locality_mentions(text)] == ["thành phố Hà Nội", "tỉnh Long An"]


@pytest.mark.parametrize(
    "text",
    [
        "Tỉnh Hà Nam Ninh cũ.",  # a longer name goes on with a capitalised word
        "Cụm dân cư Long Anh.",
        "long an toàn, an giang hồ",  # bare names need a capital
        "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh.",
        "Đoàn TNCS Hồ Chí Minh phối hợp tuyên truyền.",
        "phát triển kinh tế - xã hội của địa phương",
        "Trao đổi với bà Nguyễn Thị Huế, chuyên viên.",
        "huyền thoại, quân đội, tĩnh lặng",
        "",
    ],
)
def test_no_false_mentions(text: str) -> None:
    assert find_locality_mentions(text) == []


def test_xa_without_diacritics_in_accented_text_is_not_a_commune() -> None:
    mentions = find_locality_mentions("Trụ sở cách xa Hà Nội 50 km.")
    assert [(m.text, m.type_word) for m in mentions] == [("Hà Nội", None)]


def test_hai_nam_is_not_found_inside_hai_nam_ninh_but_alone() -> None:
    assert [m.text for m in find_locality_mentions("Hà Nam, Ninh Bình")] == ["Hà Nam", "Ninh Bình"]


def test_commune_ranked_by_district_named_in_text(gaz: Gazetteer) -> None:
    text = "UBND xã Hòa Bình, thành phố Hòa Bình ban hành kế hoạch."
    mentions = find_locality_mentions(text)
    commune = first(mentions, "xã Hòa Bình")
    assert len(commune.candidates) > 5
    assert commune.candidates[0].district_code == "148"


_FRAGMENTS = [
    "UBND tỉnh Kon Tum",
    "huyện Tam Nông",
    "TP.HCM",
    "Cần Thơ",
    "thành phố Bạc Liêu",
    "xã Tân Hòa",
    "Đồng Tháp",
    "cải cách hành chính",
    "Sở Nội vụ",
    "kinh tế - xã hội",
    "Hà Nam Ninh",
    " ",
    ", ",
    ".\n",
    "(",
    ")",
]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(_FRAGMENTS), max_size=12), st.text(max_size=20))
def test_mention_spans_always_map_to_the_text(parts: list[str], noise: str) -> None:
    text = "".join(parts) + noise
    check_spans(text, find_locality_mentions(text))


# -- frames and vocabulary files --------------------------------------------------------------


def test_localities_frame() -> None:
    frame = localities_frame()
    assert list(frame.columns) == [
        "era",
        "level",
        "code",
        "name",
        "short_name",
        "name_en",
        "type_word",
        "province_code",
        "district_code",
        "province_code_2025",
        "region_id",
        "region_vi",
        "region_en",
        "lat",
        "lon",
        "is_centrally_run_city",
    ]
    sizes = frame.groupby(["era", "level"]).size().to_dict()
    assert sizes[(LEGACY, "province")] == 63
    assert sizes[(LEGACY, "district")] == 696
    assert sizes[(ERA_2025, "province")] == 34
    assert frame["region_id"].notna().all()
    assert frame["code"].map(lambda c: isinstance(c, str) and c.isdigit()).all()
    hbt = frame[(frame.level == "district") & (frame.code == "007")].iloc[0]
    assert (hbt["province_code"], hbt["region_vi"]) == ("01", "Đồng bằng sông Hồng")
    central = frame[frame.is_centrally_run_city]
    assert sorted(zip(central.era, central.code, strict=True)) == sorted(
        [(LEGACY, c) for c in ("01", "31", "48", "79", "92")]
        + [(ERA_2025, c) for c in ("01", "31", "46", "48", "79", "92")]
    )


def test_crosswalk_frame() -> None:
    frame = crosswalk_frame()
    assert len(frame) == 63
    assert frame["province_code"].is_unique
    assert frame["province_code_2025"].nunique() == 34
    row = frame.set_index("province_code").loc["62"]
    assert (row["province_name"], row["province_code_2025"], row["province_name_2025"]) == (
        "Tỉnh Kon Tum",
        "51",
        "Tỉnh Quảng Ngãi",
    )
    assert frame.set_index("province_code").loc["95", "province_code_2025"] == "96"


def test_commune_crosswalk_agrees_with_province_crosswalk(gaz: Gazetteer) -> None:
    frame = commune_crosswalk_frame()
    legacy_codes = {u.code for u in gaz.units("commune", LEGACY)}
    assert set(frame["commune_code"].dropna()) == legacy_codes
    assert frame["commune_code"].isna().sum() == 5  # island districts without communes
    for province_code, code_2025 in zip(
        frame["province_code"], frame["province_code_2025"], strict=True
    ):
        assert gaz.province_2025(province_code) == code_2025
    whole = frame[~frame.is_split]
    assert whole["commune_code"].dropna().is_unique
    split = frame[frame.is_split]
    assert (split.groupby("commune_code")["is_default"].sum() == 1).all()


def _read_csv(path: object) -> list[dict[str, str]]:
    with open(str(path), encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_regions_files(gaz: Gazetteer) -> None:
    legacy = _read_csv(REGIONS_CSV)
    new = _read_csv(REGIONS_2025_CSV)
    assert sorted(r["province_code"] for r in legacy) == sorted(
        u.code for u in gaz.units("province", LEGACY)
    )
    assert sorted(r["province_code"] for r in new) == sorted(
        u.code for u in gaz.units("province", ERA_2025)
    )
    sizes = Counter(r["region_vi"] for r in legacy)
    assert sizes == {
        "Trung du và miền núi phía Bắc": 14,
        "Đồng bằng sông Hồng": 11,
        "Bắc Trung Bộ và duyên hải miền Trung": 14,
        "Tây Nguyên": 5,
        "Đông Nam Bộ": 6,
        "Đồng bằng sông Cửu Long": 13,
    }
    assert len({(r["region_id"], r["region_vi"], r["region_en"]) for r in legacy + new}) == 6
    # a 2025 province's region is one of its constituents'
    by_code = {r["province_code"]: r["region_id"] for r in legacy}
    for row in new:
        parts = gaz.constituents_2025(row["province_code"])
        assert row["region_id"] in {by_code[p] for p in parts}


def test_aliases_file_is_well_formed() -> None:
    rows = _read_csv(ALIASES_CSV)
    assert rows and list(rows[0]) == ["level", "code", "alias", "bare"]
    for row in rows:
        assert row["level"] in {"province", "district", "commune", "type_word"}
        assert row["bare"] in {"yes", "no", ""}
        if row["level"] != "type_word":
            assert re.fullmatch(r"\d{2}|\d{3}|\d{5}", row["code"])


def test_gazetteer_is_cached() -> None:
    assert get_gazetteer() is get_gazetteer()


_SCAN_PIECES = [
    "xã ", "thị xã ", "thi xa ", "thị trấn ", "huyện ", "quận ", "tỉnh ", "tinh ", "TP. ",
    "thành phố ", "Long An", "Hà Nội", "Cần Thơ", "Tân Phú", "Kon Tum", "Bình Minh", "Phú Mỹ",
    "Phú Yên", "Yên Bái", "Bái", "an", "x", "thi", " ", ". ", ", ", "-", "1",
]  # fmt: skip


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(_SCAN_PIECES), min_size=1, max_size=14))
@example(["x", "Phú Yên", " ", "Bái"])  # a match inside a word hides none after its start
@example(["xthị xã ", "Tân Phú"])
def test_scanning_without_a_leading_lookbehind_finds_what_finditer_finds(
    pieces: list[str],
) -> None:
    from etl.gazetteer.scan import _scanner
    from etl.match.patterns import matches_starting, word_start_matches
    from etl.text.fold import fold

    folded = fold("".join(pieces))
    scanner = _scanner()
    for typed in scanner.typed:
        reference = re.compile(typed.start_ok.pattern + typed.pattern.pattern)
        found = matches_starting(typed.pattern, folded, typed.starts_here)
        assert [m.span() for m in found] == [m.span() for m in reference.finditer(folded)]
    reference = re.compile(r"(?<!\w)" + scanner.bare.pattern)
    assert [m.span() for m in word_start_matches(scanner.bare, folded)] == [
        m.span() for m in reference.finditer(folded)
    ]
