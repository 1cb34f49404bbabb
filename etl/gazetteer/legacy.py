"""The 63-province-era province of a unit of the 2025 era.

A commune created on 1 July 2025 lies in the legacy province(s) of the communes it was formed
from (the library's commune crosswalk); a 2025 province continues the legacy province whose
name (or code) it keeps among those it was formed from.
"""

from __future__ import annotations

from collections import defaultdict
from functools import lru_cache

from etl.gazetteer.resolve import get_gazetteer
from etl.gazetteer.units import Unit


@lru_cache(maxsize=1)
def _commune_sources() -> dict[str, frozenset[str]]:
    from etl.gazetteer.tables import commune_crosswalk_rows

    sources: dict[str, set[str]] = defaultdict(set)
    for row in commune_crosswalk_rows():
        new_code, old_province = row["commune_code_2025"], row["province_code"]
        if new_code and old_province:
            sources[str(new_code)].add(str(old_province))
    return {code: frozenset(provinces) for code, provinces in sources.items()}


def legacy_province_code(unit: Unit) -> str | None:
    """The legacy province of `unit`; None when it spans several or cannot be told."""
    if unit.era != "2025":
        return unit.province_code
    if unit.level == "commune":
        provinces = _commune_sources().get(unit.code, frozenset())
        return next(iter(provinces)) if len(provinces) == 1 else None
    if unit.level == "province":
        gazetteer = get_gazetteer()
        constituents = [gazetteer.province(code) for code in gazetteer.constituents_2025(unit.code)]
        for old in constituents:
            if old is not None and old.short == unit.short:
                return old.code
        for old in constituents:
            if old is not None and old.code == unit.code:
                return old.code
    return None
