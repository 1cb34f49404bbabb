"""Find mentions of localities in cleaned (NFC) text.

Two kinds of mention:

- a type word followed by a unit name: "tỉnh Kon Tum", "TP. Cần Thơ", "TP.HCM", "quận Hai Bà
  Trưng", "thị xã ...", "xã/phường/thị trấn X" (communes are only found with a type word);
- a bare province name of either era ("Kon Tum", "Cần Thơ"), or a province alias that may stand
  alone (see etl/vocab/gazetteer_aliases.csv), written with a capital first letter.

Matching runs on `fold(text)`, which has the same length as `text`, so spans map 1:1. At one
start the longest name wins, names end at word boundaries, and overlapping mentions keep the
one that starts first (then the longest). Candidates are ranked: units of the written type
first ("thành phố X": a centrally-run city X, else the district-level city X, then a province X
of another type); then units in a province (or district) named elsewhere in the same text.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache

from etl.gazetteer.keys import name_key, trie_pattern
from etl.gazetteer.resolve import Gazetteer, get_gazetteer
from etl.gazetteer.units import COMMUNE, DISTRICT, ERA_2025, ERAS, LEVELS, PROVINCE, Unit
from etl.match.patterns import matches_starting, word_start_matches
from etl.text.fold import fold, has_diacritics, lower


@dataclass(frozen=True, slots=True)
class LocalityMention:
    start: int  # span in the text given: the whole phrase, type word included
    end: int
    text: str  # text[start:end]
    type_word: str | None  # canonical lowercase type word, None for a bare name
    name: str  # the name part as written
    candidates: tuple[Unit, ...]  # units it may denote, most plausible first


@dataclass(frozen=True, slots=True)
class _Typed:
    """One regex for the type words that can name units of `levels`, and the lookbehinds a
    match must pass where it starts (tested apart: see `matches_starting`)."""

    levels: tuple[str, ...]
    pattern: re.Pattern[str]
    start_ok: re.Pattern[str]

    def starts_here(self, text: str, pos: int) -> bool:
        return self.start_ok.match(text, pos) is not None


@dataclass(frozen=True, slots=True)
class _Scanner:
    typed: tuple[_Typed, ...]
    bare: re.Pattern[str]
    type_keys: dict[str, str]  # key of a written type word -> canonical type word


@dataclass(slots=True)
class _Found:
    start: int
    end: int
    name_start: int
    type_word: str | None
    ranked: list[tuple[int, Unit]]  # (type rank, unit), best first


_NEXT_WORD = re.compile(r"[ \t]+([^\W\d_])([^\W\d_]*)")
_PREV_WORD = re.compile(r"([^\W\d_])([^\W\d_]*)[ \t]+$")


def _is_title_word(first: str, rest: str) -> bool:
    return first.isupper() and any(c.islower() for c in rest)


def _name_goes_on(text: str, name: str, end: int) -> bool:
    """True when a capitalised word right after the name continues it ('Hà Nam Ninh'): the name
    found is then only the start of a longer, unknown one. Not for names in capitals."""
    if name.isupper() or name[0].isdigit():
        return False
    after = _NEXT_WORD.match(text, end)
    return bool(after and _is_title_word(after.group(1), after.group(2)))


def _ends_longer_name(text: str, name: str, start: int) -> bool:
    """True when a one-word name follows a capitalised word, ending a longer one ('Thị Huế')."""
    if name.isupper() or len(name.split()) > 1:
        return False
    before = _PREV_WORD.search(text, max(0, start - 40), start)
    return bool(before and _is_title_word(before.group(1), before.group(2)))


@lru_cache(maxsize=1)
def _scanner() -> _Scanner:
    gaz = get_gazetteer()
    type_keys = gaz.type_word_keys()
    levels_of: dict[str, tuple[str, ...]] = {
        word: tuple(level for level in LEVELS if word in gaz.types_of(level))
        for word in set(type_keys.values())
    }
    groups: dict[tuple[str, ...], list[str]] = defaultdict(list)
    for key, word in type_keys.items():
        groups[levels_of[word]].append(key)
    typed = []
    for levels, keys in sorted(groups.items()):
        names = trie_pattern({k for level in levels for k in gaz.keys(level)})
        # "xã" right after "thị" is the district type "thị xã", never a commune
        guard = r"(?<!thi\s)" if COMMUNE in levels else ""
        pattern = re.compile(
            rf"(?P<tw>{trie_pattern(keys)})(?:\s*\.\s*|\s+)(?P<name>{names})(?!\w)"
        )
        typed.append(_Typed(levels, pattern, re.compile(rf"(?<!\w){guard}")))
    bare = re.compile(rf"(?P<name>{trie_pattern(gaz.bare_province_keys())})(?!\w)")
    return _Scanner(tuple(typed), bare, type_keys)


def _rank(units: list[Unit], type_word: str) -> list[tuple[int, Unit]]:
    """0: a province of the written type, 1: a lower unit of that type, 2: a lower unit of
    another type (reclassified since the text was written), 3: a province of another type."""

    def rank(unit: Unit) -> int:
        same = unit.type_word == type_word
        if unit.level == PROVINCE:
            return 0 if same else 3
        return 1 if same else 2

    ranked = [(rank(u), u) for u in units]
    ranked.sort(key=lambda ru: (ru[0], ERAS.index(ru[1].era)))
    return ranked


def _type_word_ok(written: str, canonical: str, name: str) -> bool:
    """A type word with diacritics must be that word ('xa' in 'cách xa Hà Nội' is not 'xã');
    one without them counts when it is an ASCII alias ('TP') or the name has none either."""
    if has_diacritics(written):
        return lower(written) == canonical
    return written.isascii() and (lower(written) != fold(canonical) or not has_diacritics(name))


def _typed_mentions(text: str, folded: str, scanner: _Scanner, gaz: Gazetteer) -> list[_Found]:
    found: list[_Found] = []
    for typed in scanner.typed:
        for match in matches_starting(typed.pattern, folded, typed.starts_here):
            tw_start, tw_end = match.span("tw")
            name_start, end = match.span("name")
            written_tw, name = text[tw_start:tw_end], text[name_start:end]
            canonical = scanner.type_keys[name_key(written_tw)]
            if not _type_word_ok(written_tw, canonical, name):
                continue
            if "." in text[tw_end:name_start] and fold(written_tw) == fold(canonical):
                continue  # "tỉnh. Kon Tum": only an abbreviation takes a dot ("TP. Cần Thơ")
            if _name_goes_on(text, name, end):
                continue
            key = name_key(name)
            capital = name[0].isupper() or name[0].isdigit()
            units = [
                u
                for level in typed.levels
                for u in gaz.by_key(level, key)
                if capital or u.level == PROVINCE
            ]
            if units:
                ranked = _rank(units, canonical)
                found.append(_Found(match.start(), end, name_start, canonical, ranked))
    return found


def _bare_mentions(text: str, folded: str, scanner: _Scanner, gaz: Gazetteer) -> list[_Found]:
    found: list[_Found] = []
    for match in word_start_matches(scanner.bare, folded):
        start, end = match.span()
        name = text[start:end]
        if not name[0].isupper() or _name_goes_on(text, name, end):
            continue
        if _ends_longer_name(text, name, start):
            continue
        units = gaz.by_key(PROVINCE, name_key(name))
        found.append(_Found(start, end, start, None, [(0, u) for u in units]))
    return found


def _non_overlapping(found: list[_Found]) -> list[_Found]:
    found.sort(key=lambda f: (f.start, -(f.end - f.start), f.type_word is None))
    kept: list[_Found] = []
    last_end = -1
    for item in found:
        if item.start >= last_end:
            kept.append(item)
            last_end = item.end
    return kept


def _rerank_by_context(found: list[_Found]) -> None:
    """Within a type rank, put units in a province (district) the text also names first."""
    provinces = {
        (u.era, u.code)
        for f in found
        if f.ranked and f.ranked[0][1].level == PROVINCE
        for _, u in f.ranked
        if u.level == PROVINCE
    }

    def province_score(unit: Unit) -> int:
        if (unit.era, unit.province_code) in provinces:
            return 2
        return 1 if (ERA_2025, unit.province_code_2025) in provinces else 0

    for f in found:
        if len(f.ranked) > 1 and f.ranked[0][1].level == DISTRICT:
            f.ranked.sort(key=lambda ru: (ru[0], -province_score(ru[1])))
    districts = {
        f.ranked[0][1].code for f in found if f.ranked and f.ranked[0][1].level == DISTRICT
    }
    for f in found:
        if len(f.ranked) > 1 and f.ranked[0][1].level not in (PROVINCE, DISTRICT):
            f.ranked.sort(
                key=lambda ru: (
                    ru[0],
                    -(ru[1].district_code in districts),
                    -province_score(ru[1]),
                )
            )


def find_locality_mentions(text: str, folded: str | None = None) -> list[LocalityMention]:
    """Locality mentions in `text` (cleaned NFC text, any case, with or without diacritics).

    `folded` is `fold(text)` when the caller has it already (a slice of a document's folded
    view: folding maps each character alone, so a slice of the fold is the fold of the slice).
    """
    if not text:
        return []
    gaz, scanner = get_gazetteer(), _scanner()
    if folded is None:
        folded = fold(text)
    found = _typed_mentions(text, folded, scanner, gaz) + _bare_mentions(text, folded, scanner, gaz)
    kept = _non_overlapping(found)
    _rerank_by_context(kept)
    return [
        LocalityMention(
            start=f.start,
            end=f.end,
            text=text[f.start : f.end],
            type_word=f.type_word,
            name=text[f.name_start : f.end],
            candidates=tuple(u for _, u in f.ranked),
        )
        for f in kept
    ]
