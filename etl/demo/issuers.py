"""Who issues the demo plans: real units of both eras, taken from the gazetteer.

- 63-province era (until 30 June 2025): every province, a fixed sample of its districts (the
  same ones recur over the years, so a district can be followed), and its departments.
- 34-province era (since 1 July 2025): every province, a fixed sample of its communes and wards
  (no districts any more), and its departments.

Ground-truth codes follow the gold rules: `province_code` is the 63-era province; for a unit of
the 34-province era it is the legacy province it continues (a province keeps the name of one of
the provinces merged into it) or lay in (a commune, from the commune crosswalk).
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache

from etl.demo.templating import weighted_sample
from etl.gazetteer import ERA_2025, LEGACY, Unit, get_gazetteer
from etl.gazetteer import source as gazetteer_source
from etl.gazetteer.vocab import REGIONS_2025_CSV, REGIONS_CSV, read_regions


@dataclass(frozen=True, slots=True)
class Department:
    agency: str  # codebook agency id: home_affairs, justice, ...
    name: str  # "Sở Nội vụ"
    short: str  # "Sở TT&TT"
    code: str  # plan-number code: SNV
    counterpart: str  # the agency that does the same work in the localities below


@dataclass(frozen=True, slots=True)
class Issuer:
    key: str  # stable id of the locality (and department): preferences hang on it
    era: str  # legacy | 2025
    level: str  # province | district | commune | department
    unit: Unit  # the locality: a province, district or commune
    province: Unit  # its province, same era
    department: Department | None
    region: str
    big_city: bool
    # ground truth: level, province_code (63 era), district_code, province_code_2025
    gold: tuple[str, str | None, str | None, str | None]

    @property
    def type_word(self) -> str:
        return self.unit.type_word

    @property
    def is_city_province(self) -> bool:
        return self.province.type_word == "thành phố"


@dataclass(frozen=True, slots=True)
class IssuerPool:
    provinces: dict[str, tuple[Unit, ...]]  # era -> provinces sorted by code
    districts: dict[str, tuple[Unit, ...]]  # legacy province code -> its sampled districts
    communes: dict[str, tuple[Unit, ...]]  # 2025 province code -> its sampled communes
    legacy_of_2025: dict[str, str]  # 2025 province code -> the legacy province it continues
    legacy_of_commune: dict[str, str]  # 2025 commune code -> its legacy province
    departments: dict[str, tuple[Department, ...]]
    department_weights: dict[str, tuple[float, ...]]
    regions: dict[str, dict[str, str]]  # era -> province code -> region id

    def make(
        self, era: str, level: str, province: Unit, rng: random.Random, no_ict: bool = False
    ) -> Issuer:
        """An issuer of `level` in `province`; districts/communes/departments drawn by rng."""
        gaz = get_gazetteer()
        big_city = gaz.is_centrally_run_city(province.code, era)
        region = self.regions[era].get(province.code, "")
        if era == LEGACY:
            p2025 = province.province_code_2025 or gaz.province_2025(province.code)
            legacy_code = province.code
        else:
            p2025 = province.code
            legacy_code = self.legacy_of_2025[province.code]
        department = None
        unit = province
        if level == "district":
            options = self.districts[province.code]
            unit = options[rng.randrange(len(options))]
            gold = ("district", unit.province_code, unit.code, p2025)
        elif level == "commune":
            options = self.communes[province.code]
            unit = options[rng.randrange(len(options))]
            gold = ("commune", self.legacy_of_commune[unit.code], None, p2025)
        elif level == "department":
            choices = self.departments[era]
            weights = list(self.department_weights[era])
            if no_ict:  # Sở TT&TT no longer exists on that date
                weights = [
                    0.0 if d.agency == "information_communications" else w
                    for d, w in zip(choices, weights, strict=True)
                ]
            department = choices[rng.choices(range(len(choices)), weights)[0]]
            gold = ("department", legacy_code, None, p2025)
        else:
            gold = ("province", legacy_code, None, p2025)
        key = f"{era}:{unit.level}:{unit.code}"
        if department is not None:
            key += f":{department.code}"
        return Issuer(
            key=key,
            era=era,
            level=level,
            unit=unit,
            province=province,
            department=department,
            region=region,
            big_city=big_city,
            gold=gold,
        )


def _legacy_province_of_communes() -> dict[str, set[str]]:
    """2025 commune code -> the legacy provinces of the communes it was formed from."""
    legacy = {
        f"{r.province_key}_{r.district_key}_{r.ward_key}": r.province_code
        for r in gazetteer_source.legacy_rows()
    }
    new = {(r.province_key, r.ward_key): r.ward_code for r in gazetteer_source.rows_2025()}
    found: dict[str, set[str]] = defaultdict(set)
    for link in gazetteer_source.commune_links():
        code = new.get((link.province_key_2025, link.ward_key_2025))
        province = legacy.get(link.legacy_key)
        if code and province:
            found[code].add(province)
    return found


@lru_cache(maxsize=8)
def issuer_pool(seed: int) -> IssuerPool:
    """The issuers of a corpus: all provinces, and samples of districts and communes."""
    from etl.demo.templating import load_config

    config = load_config()
    gaz = get_gazetteer()
    provinces = {
        LEGACY: tuple(sorted(gaz.units("province", LEGACY), key=lambda u: u.code)),
        ERA_2025: tuple(sorted(gaz.units("province", ERA_2025), key=lambda u: u.code)),
    }
    type_weights: dict[str, float] = config["district_types"]

    by_province: dict[str, list[Unit]] = defaultdict(list)
    for unit in sorted(gaz.units("district", LEGACY), key=lambda u: u.code):
        by_province[unit.province_code].append(unit)
    districts: dict[str, tuple[Unit, ...]] = {}
    k = int(config["districts_per_province"])
    for province in provinces[LEGACY]:
        units = by_province[province.code]
        rng = random.Random(f"{seed}:districts:{province.code}")
        weights = {u: float(type_weights.get(u.type_word, 0.1)) for u in units}
        picked = weighted_sample(rng, weights, k)
        districts[province.code] = tuple(sorted(picked, key=lambda u: u.code))

    origins = _legacy_province_of_communes()
    communes_by: dict[str, list[Unit]] = defaultdict(list)
    for unit in sorted(gaz.units("commune", ERA_2025), key=lambda u: u.code):
        if unit.type_word in ("xã", "phường") and len(origins.get(unit.code, ())) == 1:
            communes_by[unit.province_code].append(unit)
    communes: dict[str, tuple[Unit, ...]] = {}
    k = int(config["communes_per_province"])
    for province in provinces[ERA_2025]:
        units = communes_by[province.code]
        rng = random.Random(f"{seed}:communes:{province.code}")
        picked = rng.sample(units, min(k, len(units)))
        communes[province.code] = tuple(sorted(picked, key=lambda u: u.code))
    legacy_of_commune = {
        unit.code: next(iter(origins[unit.code])) for units in communes.values() for unit in units
    }

    legacy_of_2025: dict[str, str] = {}
    for province in provinces[ERA_2025]:
        found = gaz.find_provinces(province.short, era=LEGACY)
        if not found:
            raise LookupError(f"no legacy province continues {province.name}")
        legacy_of_2025[province.code] = found[0].code

    departments: dict[str, tuple[Department, ...]] = {}
    department_weights: dict[str, tuple[float, ...]] = {}
    for era, rows in config["departments"].items():
        departments[str(era)] = tuple(
            Department(row["agency"], row["name"], row["short"], row["code"], row["counterpart"])
            for row in rows
        )
        department_weights[str(era)] = tuple(float(row["weight"]) for row in rows)

    regions = {
        LEGACY: {code: r.region_id for code, r in read_regions(REGIONS_CSV).items()},
        ERA_2025: {code: r.region_id for code, r in read_regions(REGIONS_2025_CSV).items()},
    }
    return IssuerPool(
        provinces=provinces,
        districts=districts,
        communes=communes,
        legacy_of_2025=legacy_of_2025,
        legacy_of_commune=legacy_of_commune,
        departments=departments,
        department_weights=department_weights,
        regions=regions,
    )
