"""Find codebook categories in a document, honouring each pattern's context rules."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from etl.codebook import load_codebook
from etl.match.patterns import CompiledPattern, compile_pattern, starts_word
from etl.text.segment import Span
from etl.text.views import TextViews

_WINDOW = 60


@dataclass(frozen=True, slots=True)
class Hit:
    category: str
    id: str
    rule: str
    start: int
    end: int


@lru_cache(maxsize=8)
def compiled_category(category: str) -> tuple[CompiledPattern, ...]:
    book = load_codebook()
    patterns = []
    for key, item in book.categories[category].items():
        for index, spec in enumerate(item.patterns):
            patterns.append(compile_pattern(category, key, index, spec, book.macros))
    return tuple(patterns)


def _in_zones(start: int, end: int, zones: Sequence[Span] | None) -> bool:
    if zones is None:
        return True
    return any(z_start <= start and end <= z_end for z_start, z_end in zones)


def _context_ok(pattern: CompiledPattern, views: TextViews, start: int, end: int) -> bool:
    accented = views.accented_at(start)
    view = views.acc if accented else views.fold
    ctx = pattern.context
    if not ctx and not pattern.next_upper:
        return True
    sent_start, sent_end = views.sentence_at(start)
    if "not_before" in ctx:
        window = view[max(sent_start, start - _WINDOW) : start]
        if re.search(f"(?:{ctx['not_before'].get(accented).pattern})\\s*$", window):
            return False
    if "not_after" in ctx:
        after = view[end : end + _WINDOW].lstrip()
        if ctx["not_after"].get(accented).match(after):
            return False
    if "requires" in ctx and not ctx["requires"].get(accented).search(view, sent_start, sent_end):
        return False
    if "excludes" in ctx and ctx["excludes"].get(accented).search(view, sent_start, sent_end):
        return False
    if "clause_requires" in ctx or "clause_excludes" in ctx:
        cl_start, cl_end = views.clause_at(start)
        if "clause_requires" in ctx and not ctx["clause_requires"].get(accented).search(
            view, cl_start, cl_end
        ):
            return False
        if "clause_excludes" in ctx and ctx["clause_excludes"].get(accented).search(
            view, cl_start, cl_end
        ):
            return False
    if pattern.next_upper:
        rest = views.text[end : end + 3].lstrip()
        if not rest or not rest[0].isupper():
            return False
    return True


def find_hits(
    views: TextViews,
    patterns: Iterable[CompiledPattern],
    zones: Sequence[Span] | None = None,
) -> list[Hit]:
    """Every context-valid match of the patterns inside the zones, in text order."""
    hits: list[Hit] = []
    for pattern in patterns:
        for accented, view in ((True, views.acc), (False, views.fold)):
            for match in pattern.main.get(accented).finditer(view):
                start, end = match.span()
                if start == end or not starts_word(view, start):
                    continue
                if views.accented_at(start) != accented:
                    continue
                if not _in_zones(start, end, zones):
                    continue
                if _context_ok(pattern, views, start, end):
                    hits.append(Hit(pattern.category, pattern.id, pattern.rule, start, end))
    hits.sort(key=lambda h: (h.start, h.end, h.category, h.id))
    return hits
