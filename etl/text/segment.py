"""Sentence and clause spans of cleaned text (offsets into the text)."""

from __future__ import annotations

import bisect
import re

Span = tuple[int, int]

# A sentence ends at a line break, or at . ! ? … followed by space and a capital, digit,
# quote, bracket or dash; not after a short abbreviation such as "TP." or "Q.".
_ABBREV = r"(?<!\bTP)(?<!\bTp)(?<!\btp)(?<!\bTX)(?<!\bQ)(?<!\bP)(?<!\bTS)(?<!\bThS)(?<!\bv\.v)"
# The lookahead first: the abbreviation lookbehinds only run where a stop can begin.
_SENT_END = re.compile(
    r"\n+|(?=[.!?…])" + _ABBREV + r"(?:[.!?…]+[\"”’)]*)(?=\s+[\"“‘(\-–•*+\d" + r"A-ZÀ-ỸĐ])"
)
_CLAUSE_END = re.compile(r";|:(?=\s)")


def _split(
    text: str, pattern: re.Pattern[str], start: int = 0, end: int | None = None
) -> list[Span]:
    end = len(text) if end is None else end
    spans: list[Span] = []
    cursor = start
    for match in pattern.finditer(text, start, end):
        piece_end = match.end() if match.group(0).strip() not in {"", "\n"} else match.start()
        if text[match.start()] == "\n":
            piece_end = match.start()
        _append(text, spans, cursor, piece_end)
        cursor = match.end()
    _append(text, spans, cursor, end)
    return spans


def _append(text: str, spans: list[Span], start: int, end: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        spans.append((start, end))


def sentence_spans(text: str) -> list[Span]:
    """Sentences: split at line breaks and at sentence-final punctuation."""
    return _split(text, _SENT_END)


def clause_spans(text: str, sentences: list[Span] | None = None) -> list[Span]:
    """Clauses: sentences further split at ';' and ':'."""
    result: list[Span] = []
    for start, end in sentences if sentences is not None else sentence_spans(text):
        result.extend(_split(text, _CLAUSE_END, start, end))
    return result


class SpanIndex:
    """Sorted, non-overlapping spans (lines of a zone, say) with logarithmic lookups."""

    def __init__(self, spans: list[Span]) -> None:
        self.spans = sorted(spans)
        self._starts = [start for start, _ in self.spans]

    def covering(self, pos: int) -> Span | None:
        """The span containing `pos`, if any."""
        index = bisect.bisect_right(self._starts, pos) - 1
        if index >= 0 and self.spans[index][0] <= pos < self.spans[index][1]:
            return self.spans[index]
        return None

    def contains(self, start: int, end: int) -> bool:
        """True when [start, end) lies inside one span."""
        span = self.covering(start)
        return span is not None and end <= span[1]
