"""Gazetteer: Vietnamese administrative units of both eras, by code and by name.

Eras: 'legacy' is the 63-province era (provinces, districts, communes; until 30 June 2025);
'2025' is the 34-province era (provinces and communes, no district level). Codes are the
statistics office's (GSO), zero-padded strings: 2 digits province, 3 district, 5 commune.

Sources:
- the `vietnamadminunits` library's data files (MIT), read directly (`source.py`): units, codes,
  coordinates, the province merger and the commune crosswalk. Its legacy table is a snapshot of
  June 2025; one correction is applied (`build.py`): province 46 is 'Tỉnh Thừa Thiên Huế' in the
  legacy era (it became the centrally-run 'Thành phố Huế' on 1 January 2025), so
  `is_centrally_run_city('46', 'legacy')` is False and `('46', '2025')` is True.
- `etl/vocab/gazetteer_aliases.csv`, columns `level,code,alias,bare`:
  - level 'province' / 'district' / 'commune': `code` is the legacy GSO code; the alias also
    names the 2025 unit with the same code when that unit continues it (same name, or formed
    from it alone: 'Thừa Thiên Huế' -> legacy 46 and 2025 46, not 'Yên Bái' -> 2025 15 Lào Cai).
  - level 'type_word': `code` is the canonical type word, `alias` a written form ('TP', 'TX').
  - `bare` ('yes'/'no', empty = yes): whether `find_locality_mentions` may find the name
    without a type word in front. A 'no' row for an official short name switches that off
    ('Hồ Chí Minh' alone is usually the person, as in 'Đoàn TNCS Hồ Chí Minh').
  - Old/new tone placement and missing diacritics need no alias: names match by `fold`.
- `etl/vocab/regions.csv` (63 legacy provinces) and `etl/vocab/regions_2025.csv` (34 provinces
  of 2025), both `province_code,region_id,region_vi,region_en`, the six socio-economic regions.
  A 2025 province takes the region of the legacy province whose name it keeps (Quảng Ngãi with
  Kon Tum: Bắc Trung Bộ và duyên hải miền Trung; Gia Lai with Bình Định: Tây Nguyên).

Modules: `units` (the Unit record), `source` (library files), `build` (rows -> Units), `vocab`
(the CSVs), `keys` (name keys and trie regexes), `resolve` (Gazetteer lookups), `scan`
(locality mentions in text), `tables` (pandas frames).
"""

from etl.gazetteer.resolve import Gazetteer, get_gazetteer
from etl.gazetteer.scan import LocalityMention, find_locality_mentions
from etl.gazetteer.tables import commune_crosswalk_frame, crosswalk_frame, localities_frame
from etl.gazetteer.units import ERA_2025, LEGACY, Unit

__all__ = [
    "ERA_2025",
    "LEGACY",
    "Gazetteer",
    "LocalityMention",
    "Unit",
    "commune_crosswalk_frame",
    "crosswalk_frame",
    "find_locality_mentions",
    "get_gazetteer",
    "localities_frame",
]
