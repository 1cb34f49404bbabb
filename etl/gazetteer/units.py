"""The `Unit` record: one administrative unit of one era."""

from __future__ import annotations

from dataclasses import dataclass

LEGACY = "legacy"  # the 63-province era, until 30 June 2025
ERA_2025 = "2025"  # the 34-province era, since 1 July 2025
ERAS = (LEGACY, ERA_2025)

PROVINCE = "province"
DISTRICT = "district"
COMMUNE = "commune"
LEVELS = (PROVINCE, DISTRICT, COMMUNE)


@dataclass(frozen=True, slots=True)
class Unit:
    """An official unit. Codes are the statistics office's (GSO), zero-padded strings."""

    level: str  # 'province' | 'district' | 'commune'
    era: str  # 'legacy' | '2025'
    code: str  # 2 digits province, 3 district, 5 commune
    name: str  # official, with type: 'Thành phố Bạc Liêu', 'Tỉnh Kon Tum'
    short: str  # without type: 'Bạc Liêu'
    name_en: str  # ASCII of `short`, case kept: 'Bac Lieu'
    type_word: str  # lowercase: 'tỉnh', 'thành phố', 'quận', 'huyện', 'thị xã', 'xã', ...
    province_code: str  # the province it belongs to (itself for a province), same era
    district_code: str | None  # legacy era only
    province_code_2025: str | None  # the 2025 province (itself for a 2025 unit)
    lat: float | None
    lon: float | None
