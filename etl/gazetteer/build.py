"""Turn the library's rows into `Unit`s of both eras."""

from __future__ import annotations

from dataclasses import dataclass

from etl.gazetteer import source
from etl.gazetteer.keys import ascii_name
from etl.gazetteer.units import COMMUNE, DISTRICT, ERA_2025, LEGACY, PROVINCE, Unit

# Thừa Thiên Huế became the centrally-run city of Huế on 1 January 2025 (Resolution
# 1314/NQ-UBTVQH15). The library's legacy table already carries the new name; the legacy era
# stands here for the years before, when it was a tỉnh, so its legacy unit keeps that name.
_LEGACY_HUE_CODE = "46"
_LEGACY_HUE_TYPE, _LEGACY_HUE_SHORT = "tỉnh", "Thừa Thiên Huế"


@dataclass(frozen=True, slots=True)
class BuiltUnits:
    units: tuple[Unit, ...]  # provinces, then districts, then communes; legacy before 2025
    province_2025: dict[str, str]  # legacy province code -> 2025 province code
    constituents: dict[str, tuple[str, ...]]  # 2025 province code -> legacy province codes
    type_words: tuple[str, ...]  # every type word in the data, lowercase, longest first


def _type_words(legacy: tuple[source.LegacyRow, ...], new: tuple[source.Row2025, ...]) -> set[str]:
    words: set[str] = set()
    for row in legacy:
        words.add(row.province[: len(row.province) - len(row.province_short)].strip().lower())
        words.add(row.district_type.lower())
        if row.ward_type:
            words.add(row.ward_type.lower())
    for row2 in new:
        words.add(row2.province[: len(row2.province) - len(row2.province_short)].strip().lower())
        words.add(row2.ward_type.lower())
    words.discard("")
    return words


def _split(name: str, data_type: str, data_short: str, types: tuple[str, ...]) -> tuple[str, str]:
    """(type word, short name) of an official name, trusting the name's own prefix.

    The library's type column disagrees with the name for a few communes ('Thị trấn Ngọc Lặc'
    typed 'Xã') and its short names carry suffixes ('Kỳ Anh (Huyện)'); the name is cleaner.
    """
    low = name.lower()
    for word in types:
        if low.startswith(word + " "):
            short = name[len(word) + 1 :].strip()
            break
    else:
        word, short = data_type.lower(), data_short.split(" (")[0].strip()
    if short[:1].islower():
        short = short[0].upper() + short[1:]
    return word, short


def _unit(
    level: str,
    era: str,
    code: str,
    named: tuple[str, str],
    parents: tuple[str, str | None, str | None],
    at: tuple[float | None, float | None],
) -> Unit:
    """`named` = (type word, short name); `parents` = (province, district, 2025 province)."""
    type_word, short = named
    province_code, district_code, province_code_2025 = parents
    return Unit(
        level=level,
        era=era,
        code=code,
        name=f"{type_word.capitalize()} {short}",
        short=short,
        name_en=ascii_name(short),
        type_word=type_word,
        province_code=province_code,
        district_code=district_code,
        province_code_2025=province_code_2025,
        lat=at[0],
        lon=at[1],
    )


def build_units() -> BuiltUnits:
    legacy, new = source.legacy_rows(), source.rows_2025()
    types = tuple(sorted(_type_words(legacy, new), key=lambda w: (-len(w), w)))

    legacy_code_by_key = {row.province_key: row.province_code for row in legacy}
    new_code_by_key = {row.province_key: row.province_code for row in new}
    to_2025: dict[str, str] = {}
    constituents: dict[str, tuple[str, ...]] = {}
    for new_key, old_keys in source.province_merges().items():
        new_code = new_code_by_key[new_key]
        constituents[new_code] = tuple(sorted(legacy_code_by_key[k] for k in old_keys))
        for old_key in old_keys:
            to_2025[legacy_code_by_key[old_key]] = new_code

    provinces: dict[tuple[str, str], Unit] = {}
    districts: dict[str, Unit] = {}
    communes: list[Unit] = []
    for row in legacy:
        pcode, dcode = row.province_code, row.district_code
        p2025 = to_2025.get(pcode)
        if (LEGACY, pcode) not in provinces:
            named = _split(row.province, "", row.province_short, types)
            if pcode == _LEGACY_HUE_CODE:
                named = (_LEGACY_HUE_TYPE, _LEGACY_HUE_SHORT)
            at = (row.province_lat, row.province_lon)
            provinces[(LEGACY, pcode)] = _unit(
                PROVINCE, LEGACY, pcode, named, (pcode, None, p2025), at
            )
        if dcode not in districts:
            named = _split(row.district, row.district_type, row.district_short, types)
            at = (row.district_lat, row.district_lon)
            districts[dcode] = _unit(DISTRICT, LEGACY, dcode, named, (pcode, dcode, p2025), at)
        if row.ward_code and row.ward and row.ward_type and row.ward_short:
            named = _split(row.ward, row.ward_type, row.ward_short, types)
            at = (row.ward_lat, row.ward_lon)
            communes.append(_unit(COMMUNE, LEGACY, row.ward_code, named, (pcode, dcode, p2025), at))
    for row2 in new:
        pcode = row2.province_code
        if (ERA_2025, pcode) not in provinces:
            named = _split(row2.province, "", row2.province_short, types)
            at = (row2.province_lat, row2.province_lon)
            provinces[(ERA_2025, pcode)] = _unit(
                PROVINCE, ERA_2025, pcode, named, (pcode, None, pcode), at
            )
        named = _split(row2.ward, row2.ward_type, row2.ward_short, types)
        at = (row2.ward_lat, row2.ward_lon)
        communes.append(_unit(COMMUNE, ERA_2025, row2.ward_code, named, (pcode, None, pcode), at))
    return BuiltUnits(
        units=(*provinces.values(), *districts.values(), *communes),
        province_2025=to_2025,
        constituents=constituents,
        type_words=types,
    )
