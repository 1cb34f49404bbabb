"""Find codebook categories in a document, honouring each pattern's context rules."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache

from etl.codebook import load_codebook
from etl.match.patterns import CompiledPattern, compile_pattern, starts_word
from etl.match.prefilter import may_match
from etl.text.segment import Span, SpanIndex
from etl.text.views import TextViews

_WINDOW = 60


@dataclass(frozen=True, slots=True)
class Hit:
    category: str
    id: str
    rule: str
    start: int
    end: int


class PatternSet:
    """Compiled patterns of one category, indexed by the first word every match starts with.

    A pattern whose matches all begin with a known word is only tried (`regex.match`) where
    that word starts in the text: one pass over the document's words instead of one scan of
    the whole text per pattern. Patterns without such a word are scanned as before.
    """

    def __init__(self, patterns: tuple[CompiledPattern, ...]) -> None:
        self.patterns = patterns
        self.by_word: dict[bool, dict[str, list[CompiledPattern]]] = {True: {}, False: {}}
        self.scanned: dict[bool, list[CompiledPattern]] = {True: [], False: []}
        for pattern in patterns:
            for accented in (True, False):
                _, words = pattern.main.prefilter(accented)
                if words is None:
                    self.scanned[accented].append(pattern)
                    continue
                for word in words:
                    self.by_word[accented].setdefault(word, []).append(pattern)

    def __iter__(self) -> Iterator[CompiledPattern]:
        return iter(self.patterns)

    def __len__(self) -> int:
        return len(self.patterns)


@lru_cache(maxsize=8)
def compiled_category(category: str) -> PatternSet:
    book = load_codebook()
    patterns = []
    for key, item in book.categories[category].items():
        for index, spec in enumerate(item.patterns):
            patterns.append(compile_pattern(category, key, index, spec, book.macros))
    return PatternSet(tuple(patterns))


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


def _candidates(
    pattern_set: PatternSet, views: TextViews, accented: bool
) -> Iterator[tuple[CompiledPattern, re.Match[str]]]:
    view = views.acc if accented else views.fold
    index = pattern_set.by_word[accented]
    positions = views.word_positions(accented)
    tries: dict[str, tuple[CompiledPattern, list[int]]] = {}
    merged: set[str] = set()  # patterns tried at the starts of several words
    for word in index.keys() & positions.keys():
        starts = positions[word]  # in text order
        for pattern in index[word]:
            rule = pattern.rule
            if rule in tries:
                tries[rule] = (pattern, tries[rule][1] + starts)
                merged.add(rule)
            else:
                tries[rule] = (pattern, starts)
    starts_with = view.startswith
    for rule, (pattern, starts) in tries.items():
        match_at = pattern.main.get(accented).match
        # every match begins with one of these literal prefixes: testing them first (one C
        # call) spares most regex calls, as most places where the first word occurs go on
        # with another word
        prefixes = pattern.main.prefilter(accented)[0]
        last_end = 0
        for pos in sorted(starts) if rule in merged else starts:
            if pos < last_end:
                continue  # as finditer would: no match starting inside the previous one
            if prefixes is not None and not starts_with(prefixes, pos):
                continue
            match = match_at(view, pos)
            if match is not None and match.end() > pos:
                last_end = match.end()
                yield pattern, match
    for pattern in pattern_set.scanned[accented]:
        prefixes, first = pattern.main.prefilter(accented)
        words = views.acc_words if accented else views.fold_words
        if not may_match(prefixes, first, view, words):
            continue
        for match in pattern.main.get(accented).finditer(view):
            if starts_word(view, match.start()):
                yield pattern, match


def find_hits(
    views: TextViews,
    patterns: PatternSet,
    zones: Sequence[Span] | None = None,
) -> list[Hit]:
    """Every context-valid match of the patterns inside the zones, in text order."""
    index = SpanIndex(list(zones)) if zones is not None else None
    hits: list[Hit] = []
    for accented in (True, False):
        if not views.has_mode(accented):
            continue  # no line is matched in this mode: none of its matches would be kept
        for pattern, match in _candidates(patterns, views, accented):
            start, end = match.span()
            if start == end or views.accented_at(start) != accented:
                continue
            if index is not None and not index.contains(start, end):
                continue
            if _context_ok(pattern, views, start, end):
                hits.append(Hit(pattern.category, pattern.id, pattern.rule, start, end))
    hits.sort(key=lambda h: (h.start, h.end, h.category, h.id))
    return hits
