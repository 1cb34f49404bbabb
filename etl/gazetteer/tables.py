"""The gazetteer as data frames, for loading into the warehouse. Codes stay zero-padded strings."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from etl.gazetteer import source
from etl.gazetteer.resolve import get_gazetteer
from etl.gazetteer.units import ERA_2025, LEGACY, PROVINCE
from etl.gazetteer.vocab import REGIONS_2025_CSV, REGIONS_CSV, read_regions

if TYPE_CHECKING:  # pandas is imported when a frame is asked for, not with the package
    import pandas as pd

LOCALITY_COLUMNS = [
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


def localities_frame() -> pd.DataFrame:
    """One row per unit of both eras (provinces, legacy districts, communes).

    The region is that of the unit's province in its own era (etl/vocab/regions.csv for the
    legacy era, regions_2025.csv for 2025). `is_centrally_run_city` is true only on the rows of
    provinces that are centrally-run cities in that era.
    """
    import pandas as pd

    gaz = get_gazetteer()
    regions = {LEGACY: read_regions(REGIONS_CSV), ERA_2025: read_regions(REGIONS_2025_CSV)}
    rows: list[dict[str, Any]] = []
    for u in gaz.units():
        region = regions[u.era].get(u.province_code)
        rows.append(
            {
                "era": u.era,
                "level": u.level,
                "code": u.code,
                "name": u.name,
                "short_name": u.short,
                "name_en": u.name_en,
                "type_word": u.type_word,
                "province_code": u.province_code,
                "district_code": u.district_code,
                "province_code_2025": u.province_code_2025,
                "region_id": region.region_id if region else None,
                "region_vi": region.region_vi if region else None,
                "region_en": region.region_en if region else None,
                "lat": u.lat,
                "lon": u.lon,
                "is_centrally_run_city": u.level == PROVINCE
                and gaz.is_centrally_run_city(u.code, u.era),
            }
        )
    return pd.DataFrame(rows, columns=LOCALITY_COLUMNS)


def crosswalk_frame() -> pd.DataFrame:
    """Legacy province -> the 2025 province it was merged into (63 rows, each merged whole)."""
    import pandas as pd

    gaz = get_gazetteer()
    rows = []
    for old in gaz.units(PROVINCE, LEGACY):
        new = gaz.province(old.province_code_2025 or "", ERA_2025)
        rows.append(
            {
                "province_code": old.code,
                "province_name": old.name,
                "province_code_2025": new.code if new else None,
                "province_name_2025": new.name if new else None,
            }
        )
    return pd.DataFrame(
        rows,
        columns=["province_code", "province_name", "province_code_2025", "province_name_2025"],
    )


def commune_crosswalk_rows() -> list[dict[str, Any]]:
    """The rows of `commune_crosswalk_frame`, unsorted, without pandas (the extraction reads
    them in worker processes, which do not import pandas)."""
    gaz = get_gazetteer()
    legacy_codes = {
        f"{r.province_key}_{r.district_key}_{r.ward_key}": (r.district_code, r.ward_code)
        for r in source.legacy_rows()
    }
    new_codes = {(r.province_key, r.ward_key): r.ward_code for r in source.rows_2025()}
    rows = []
    for link in source.commune_links():
        district_code, ward_code = legacy_codes[link.legacy_key]
        old = gaz.commune(ward_code) if ward_code else None
        district = gaz.district(district_code)
        new = gaz.commune(new_codes[(link.province_key_2025, link.ward_key_2025)], ERA_2025)
        rows.append(
            {
                "commune_code": ward_code,
                "commune_name": old.name if old else None,
                "district_code": district_code,
                "district_name": district.name if district else None,
                "province_code": district.province_code if district else None,
                "commune_code_2025": new.code if new else None,
                "commune_name_2025": new.name if new else None,
                "province_code_2025": new.province_code if new else None,
                "is_split": link.is_split,
                "is_default": link.is_default,
            }
        )
    return rows


def commune_crosswalk_frame() -> pd.DataFrame:
    """Legacy commune -> 2025 commune(s), from the library's converter.

    A legacy commune divided among several 2025 communes has one row per part (`is_split`);
    `is_default` marks the part the library picks by default. The five island districts that
    had no communes appear with an empty `commune_code`.
    """
    import pandas as pd

    frame = pd.DataFrame(commune_crosswalk_rows())
    return frame.sort_values(
        ["province_code", "district_code", "commune_code", "commune_code_2025"], na_position="first"
    ).reset_index(drop=True)


__all__ = [
    "commune_crosswalk_frame",
    "commune_crosswalk_rows",
    "crosswalk_frame",
    "localities_frame",
]
