"""Raw rows from the `vietnamadminunits` data files (read directly: sqlite3 and json).

- `dataset.db`, table `admin_units_legacy`: one row per commune of the 63-province era (plus
  one row for each of the five island districts without communes), with GSO codes.
- `dataset.db`, table `admin_units`: one row per commune of the 34-province era.
- `converter_2025.json`: the old -> new crosswalk, keyed by the library's name keys
  ("tinhkontum", "tinhkontum_huyendakha_xadakla").
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from functools import lru_cache
from importlib.util import find_spec
from pathlib import Path
from typing import Any


@dataclass(frozen=True, slots=True)
class LegacyRow:
    province: str
    province_short: str
    province_code: str
    province_key: str
    province_lat: float | None
    province_lon: float | None
    district: str
    district_short: str
    district_type: str
    district_code: str
    district_key: str
    district_lat: float | None
    district_lon: float | None
    ward: str | None  # None for the island districts that have no communes
    ward_short: str | None
    ward_type: str | None
    ward_code: str | None
    ward_key: str  # '' when there is no commune
    ward_lat: float | None
    ward_lon: float | None


@dataclass(frozen=True, slots=True)
class Row2025:
    province: str
    province_short: str
    province_code: str
    province_key: str
    province_lat: float | None
    province_lon: float | None
    ward: str
    ward_short: str
    ward_type: str
    ward_code: str
    ward_key: str
    ward_lat: float | None
    ward_lon: float | None


@dataclass(frozen=True, slots=True)
class CommuneLink:
    """One legacy commune (or commune-less district) -> one 2025 commune."""

    legacy_key: str  # 'province_district_ward' library key
    province_key_2025: str
    ward_key_2025: str
    is_split: bool  # the legacy commune was divided among several 2025 communes
    is_default: bool  # for a split: the library's default 2025 commune for it


@lru_cache(maxsize=1)
def data_dir() -> Path:
    """The library's data folder, located without importing it (its import is slow)."""
    spec = find_spec("vietnamadminunits")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("vietnamadminunits is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "data"


def _connect() -> sqlite3.Connection:
    path = data_dir() / "dataset.db"
    return sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)


_LEGACY_SQL = """
SELECT province, provinceShort, provinceCode, provinceKey, provinceLat, provinceLon,
       district, districtShort, districtType, districtCode, districtKey, districtLat,
       districtLon, ward, wardShort, wardType, wardCode, COALESCE(wardKey, ''), wardLat, wardLon
FROM admin_units_legacy
ORDER BY provinceCode, districtCode, wardCode
"""

_SQL_2025 = """
SELECT province, provinceShort, provinceCode, provinceKey, provinceLat, provinceLon,
       ward, wardShort, wardType, wardCode, wardKey, wardLat, wardLon
FROM admin_units
ORDER BY provinceCode, wardCode
"""


@lru_cache(maxsize=1)
def legacy_rows() -> tuple[LegacyRow, ...]:
    with _connect() as conn:
        return tuple(LegacyRow(*row) for row in conn.execute(_LEGACY_SQL))


@lru_cache(maxsize=1)
def rows_2025() -> tuple[Row2025, ...]:
    with _connect() as conn:
        return tuple(Row2025(*row) for row in conn.execute(_SQL_2025))


@lru_cache(maxsize=1)
def _converter() -> dict[str, Any]:
    with (data_dir() / "converter_2025.json").open(encoding="utf-8") as handle:
        data: dict[str, Any] = json.load(handle)
    return data


def province_merges() -> dict[str, tuple[str, ...]]:
    """2025 province key -> the legacy province keys merged into it."""
    return {new: tuple(olds) for new, olds in _converter()["DICT_PROVINCE"].items()}


def commune_links() -> list[CommuneLink]:
    """Every legacy commune's 2025 commune(s), from the library's crosswalk."""
    conv = _converter()
    links: list[CommuneLink] = []
    for province_key, wards in conv["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        for ward_key, olds in wards.items():
            links.extend(
                CommuneLink(old, province_key, ward_key, is_split=False, is_default=True)
                for old in olds
            )
    for province_key, olds in conv["DICT_PROVINCE_WARD_DIVIDED"].items():
        for old, targets in olds.items():
            links.extend(
                CommuneLink(
                    old,
                    province_key,
                    target["newWardKey"],
                    is_split=True,
                    is_default=bool(target.get("isDefaultNewWard")),
                )
                for target in targets
            )
    return links
