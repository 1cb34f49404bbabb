"""One document's text in the forms matching needs, all of the same length."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from functools import cached_property

from etl.text.fold import fold, has_diacritics, lower, tone_normalize
from etl.text.segment import Span, clause_spans, sentence_spans

# A line is matched in "accented" mode when this share of its letters carry diacritics;
# lines below it (text typed without diacritics) are matched in folded mode.
ACCENT_SHARE = 0.04
_WORD = re.compile(r"\w+")
_LETTER = re.compile(r"[^\W\d_]")  # a letter
_MARKED_LETTER = re.compile(r"[^\W\d_\x00-\x7f]")  # a letter outside ASCII


@dataclass
class TextViews:
    text: str
    acc: str = ""  # lowercase, new-style tone placement
    fold: str = ""  # lowercase, no diacritics
    line_starts: list[int] = field(default_factory=list)
    line_accented: list[bool] = field(default_factory=list)
    sentences: list[Span] = field(default_factory=list)
    clauses: list[Span] = field(default_factory=list)
    _sentence_starts: list[int] = field(default_factory=list)
    _clause_starts: list[int] = field(default_factory=list)

    @classmethod
    def of(cls, text: str) -> TextViews:
        acc = lower(tone_normalize(text))
        folded = fold(text)
        starts = [0]
        accented = []
        pos = 0
        for line in text.split("\n"):
            accented.append(_accented(line))
            pos += len(line) + 1
            starts.append(pos)
        starts.pop()
        sentences = sentence_spans(text)
        clauses = clause_spans(text, sentences)
        return cls(
            text=text,
            acc=acc,
            fold=folded,
            line_starts=starts,
            line_accented=accented,
            sentences=sentences,
            clauses=clauses,
            _sentence_starts=[s for s, _ in sentences],
            _clause_starts=[s for s, _ in clauses],
        )

    @property
    def acc_words(self) -> set[str]:
        """The words of the accented view (for the matcher's prefilter)."""
        return self._acc_positions.keys()  # type: ignore[return-value]

    @property
    def fold_words(self) -> set[str]:
        return self._fold_positions.keys()  # type: ignore[return-value]

    def word_positions(self, accented: bool) -> dict[str, list[int]]:
        """word -> offsets where it starts, in the accented or folded view, on the lines that
        are matched in that mode only (words elsewhere could never give a kept match)."""
        return self._acc_positions if accented else self._fold_positions

    def has_mode(self, accented: bool) -> bool:
        """Whether any line is matched in this mode (accented or folded)."""
        return accented in self._modes

    @cached_property
    def _modes(self) -> frozenset[bool]:
        return frozenset(self.line_accented)

    @cached_property
    def _acc_positions(self) -> dict[str, list[int]]:
        return self._mode_positions(True)

    @cached_property
    def _fold_positions(self) -> dict[str, list[int]]:
        return self._mode_positions(False)

    def _mode_positions(self, accented: bool) -> dict[str, list[int]]:
        view = self.acc if accented else self.fold
        if len(self._modes) == 1:
            return _positions(view) if accented in self._modes else {}
        positions: dict[str, list[int]] = {}
        ends = [*self.line_starts[1:], len(view)]
        for start, end, mode in zip(self.line_starts, ends, self.line_accented, strict=True):
            if mode is accented:
                for match in _WORD.finditer(view, start, end):
                    positions.setdefault(match.group(0), []).append(match.start())
        return positions

    def accented_at(self, pos: int) -> bool:
        return self.line_accented[bisect.bisect_right(self.line_starts, pos) - 1]

    def line_at(self, pos: int) -> int:
        return bisect.bisect_right(self.line_starts, pos) - 1

    def sentence_at(self, pos: int) -> Span:
        return _containing(self.sentences, self._sentence_starts, pos)

    def clause_at(self, pos: int) -> Span:
        return _containing(self.clauses, self._clause_starts, pos)


def _positions(view: str) -> dict[str, list[int]]:
    positions: dict[str, list[int]] = {}
    for match in _WORD.finditer(view):
        positions.setdefault(match.group(0), []).append(match.start())
    return positions


def _containing(spans: list[Span], starts: list[int], pos: int) -> Span:
    index = bisect.bisect_right(starts, pos) - 1
    if index >= 0 and spans[index][0] <= pos < spans[index][1]:
        return spans[index]
    return (pos, pos)


def _accented(line: str) -> bool:
    if line.isascii():  # no diacritics: folded, unless there is no letter at all
        return _LETTER.search(line) is None
    marked = len(_MARKED_LETTER.findall(line))
    # most lines: marked letters are that share of all characters, so of the letters too
    if marked >= ACCENT_SHARE * len(line) and marked and has_diacritics(line):
        return True
    letters = len(_LETTER.findall(line))
    if not letters:
        return True
    if not has_diacritics(line):
        return False
    return marked / letters >= ACCENT_SHARE
