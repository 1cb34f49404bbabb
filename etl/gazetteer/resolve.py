"""Name and code lookups over the units of both eras."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from functools import lru_cache

from etl.gazetteer.build import BuiltUnits, build_units
from etl.gazetteer.keys import name_key
from etl.gazetteer.units import COMMUNE, DISTRICT, ERA_2025, ERAS, LEGACY, LEVELS, PROVINCE, Unit
from etl.gazetteer.vocab import TYPE_WORD_LEVEL, Alias, read_aliases
from etl.text.fold import lower


class Gazetteer:
    """Official units of the legacy (63-province) and 2025 (34-province) eras.

    Lookups by name compare `name_key`s (folded, separators unified), so diacritics, case,
    NFD input and old/new tone placement do not matter. Results list legacy units before 2025
    ones; a type word, given or written in front of the name, ranks units of that type first.
    """

    def __init__(self, built: BuiltUnits, aliases: Iterable[Alias]) -> None:
        self._units = built.units
        self._position = {u: i for i, u in enumerate(built.units)}
        self._by_id: dict[tuple[str, str, str], Unit] = {
            (u.level, u.era, u.code): u for u in built.units
        }
        self._to_2025 = dict(built.province_2025)
        self._constituents = dict(built.constituents)
        self._central = frozenset(
            (u.era, u.code)
            for u in built.units
            if u.level == PROVINCE and u.type_word == "thành phố"
        )
        self._index: dict[str, dict[str, list[Unit]]] = {
            level: defaultdict(list) for level in LEVELS
        }
        self._level_types: dict[str, set[str]] = {level: set() for level in LEVELS}
        for unit in built.units:
            self._index[unit.level][name_key(unit.short)].append(unit)
            self._level_types[unit.level].add(unit.type_word)
        self._type_keys: dict[str, str] = {name_key(w): w for w in built.type_words}
        self._not_bare: set[str] = set()
        for alias in aliases:
            self._add_alias(alias)
        self._type_prefixes = sorted(self._type_keys.items(), key=lambda kv: -len(kv[0]))

    # -- construction -------------------------------------------------------------------

    def _add_alias(self, alias: Alias) -> None:
        key = name_key(alias.alias)
        if alias.level == TYPE_WORD_LEVEL:
            if alias.code not in self._type_keys.values():
                raise ValueError(f"alias {alias.alias!r}: unknown type word {alias.code!r}")
            self._type_keys[key] = alias.code
            return
        targets = self._alias_targets(alias.level, alias.code)
        if not targets:
            raise ValueError(f"alias {alias.alias!r}: no {alias.level} with code {alias.code}")
        entries = self._index[alias.level][key]
        entries.extend(u for u in targets if u not in entries)
        entries.sort(key=lambda u: (ERAS.index(u.era), self._position[u]))
        if not alias.bare:
            self._not_bare.add(key)

    def _alias_targets(self, level: str, code: str) -> list[Unit]:
        """The legacy unit with `code`, and the 2025 unit with that code when it continues it
        (same name, or formed from it alone)."""
        old = self._by_id.get((level, LEGACY, code))
        new = self._by_id.get((level, ERA_2025, code))
        targets = [old] if old else []
        if new and old and level != DISTRICT:
            same_name = name_key(new.short) == name_key(old.short)
            if same_name or self._constituents.get(code) == (code,):
                targets.append(new)
        return targets

    # -- codes --------------------------------------------------------------------------

    def province(self, code: str, era: str = LEGACY) -> Unit | None:
        return self._by_id.get((PROVINCE, era, code))

    def district(self, code: str) -> Unit | None:
        return self._by_id.get((DISTRICT, LEGACY, code))

    def commune(self, code: str, era: str = LEGACY) -> Unit | None:
        return self._by_id.get((COMMUNE, era, code))

    def units(self, level: str | None = None, era: str | None = None) -> list[Unit]:
        """All units, provinces then districts then communes, legacy before 2025."""
        return [
            u
            for u in self._units
            if (level is None or u.level == level) and (era is None or u.era == era)
        ]

    def province_2025(self, legacy_province_code: str) -> str | None:
        """The 2025 province a legacy province was merged into (whole)."""
        return self._to_2025.get(legacy_province_code)

    def constituents_2025(self, province_code_2025: str) -> tuple[str, ...]:
        """The legacy provinces merged into a 2025 province."""
        return self._constituents.get(province_code_2025, ())

    def is_centrally_run_city(self, province_code: str, era: str = LEGACY) -> bool:
        return (era, province_code) in self._central

    # -- names --------------------------------------------------------------------------

    def canonical_type_word(self, written: str) -> str | None:
        """'TP.' -> 'thành phố', 'Huyện' -> 'huyện'; None when not a type word."""
        return self._type_keys.get(name_key(written))

    def type_word_keys(self) -> dict[str, str]:
        """Key of every written type word (aliases included) -> canonical type word."""
        return dict(self._type_keys)

    def types_of(self, level: str) -> frozenset[str]:
        """The type words units of `level` carry ('tỉnh', 'thành phố' for provinces)."""
        return frozenset(self._level_types[level])

    def keys(self, level: str) -> list[str]:
        """Every name key (official short names and aliases) of a level."""
        return [k for k, units in self._index[level].items() if units]

    def bare_province_keys(self) -> list[str]:
        """Province keys that may be recognised in text without a type word."""
        return [k for k in self.keys(PROVINCE) if k not in self._not_bare]

    def by_key(self, level: str, key: str) -> list[Unit]:
        """Units of `level` whose short name or alias has this key."""
        found = self._index[level].get(key)
        return list(found) if found else []

    def _split_type(self, text: str, level: str) -> tuple[str, str | None, str]:
        """(full key, type word written in front or None, key without it)."""
        key = name_key(text)
        allowed = self._level_types[level]
        for type_key, word in self._type_prefixes:
            if word in allowed and key.startswith(type_key + " "):
                return key, word, key[len(type_key) + 1 :]
        return key, None, key

    def _find(self, level: str, name: str, type_word: str | None) -> tuple[list[Unit], str | None]:
        key, written_type, rest = self._split_type(name, level)
        found = self.by_key(level, rest) if written_type else []
        found += [u for u in self.by_key(level, key) if u not in found]
        wanted = self.canonical_type_word(type_word) or lower(type_word) if type_word else None
        return found, wanted or written_type

    @staticmethod
    def _prefer_type(units: list[Unit], type_word: str | None, strict: bool) -> list[Unit]:
        if not type_word:
            return units
        exact = [u for u in units if u.type_word == type_word]
        if strict or exact:
            return exact
        return units

    def find_provinces(self, name: str, era: str | None = None) -> list[Unit]:
        """'Kon Tum', 'tỉnh Kon Tum', 'TP. Cần Thơ', 'thành phố Hồ Chí Minh', aliases.

        A written type word only ranks units of that type first ('thành phố Huế' -> the 2025
        city before the legacy tỉnh Thừa Thiên Huế).
        """
        found, type_word = self._find(PROVINCE, name, None)
        found = [u for u in found if era is None or u.era == era]
        return sorted(
            found, key=lambda u: (bool(type_word) and u.type_word != type_word, ERAS.index(u.era))
        )

    def find_districts(
        self, name: str, type_word: str | None = None, province_code: str | None = None
    ) -> list[Unit]:
        """Legacy districts by name ('Tam Nông', 'huyện Tam Nông').

        `province_code` is a legacy code. A type word (argument, else written in front of the
        name) keeps only units of that type when there are any, else all: many huyện became
        thị xã or thành phố before 2025, and documents keep the old word.
        """
        found, wanted = self._find(DISTRICT, name, type_word)
        if province_code:
            found = [u for u in found if u.province_code == province_code]
        return self._prefer_type(found, wanted, strict=False)

    def find_communes(
        self,
        name: str,
        type_word: str | None = None,
        province_code: str | None = None,
        district_code: str | None = None,
        era: str | None = None,
    ) -> list[Unit]:
        """Communes by name, both eras unless `era` is given.

        `province_code` is compared with each unit's own-era province code; `district_code`
        (legacy) keeps only legacy communes. The type word works as in `find_districts`.
        """
        found, wanted = self._find(COMMUNE, name, type_word)
        found = [
            u
            for u in found
            if (era is None or u.era == era)
            and (province_code is None or u.province_code == province_code)
            and (district_code is None or u.district_code == district_code)
        ]
        found.sort(key=lambda u: ERAS.index(u.era))
        return self._prefer_type(found, wanted, strict=False)


@lru_cache(maxsize=1)
def get_gazetteer() -> Gazetteer:
    """The gazetteer, built once per process from the library's data and etl/vocab."""
    return Gazetteer(build_units(), read_aliases())
