"""Where the article is on the page: chrome, title, date line, body, byline, footer.

Facts are only taken from the title and the body, so page furniture (visit counters,
font-size widgets, related-news lists, comment forms) never produces one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

import yaml

from etl.codebook import VOCAB_DIR
from etl.match.patterns import fold_form
from etl.text.fold import fold
from etl.text.segment import Span

_DATE = re.compile(
    r"\b\d{1,2}\s*[/.-]\s*\d{1,2}\s*[/.-]\s*\d{4}\b|ngày \d{1,2} tháng \d{1,2} năm \d{4}"
)
_SENTENCE_END = re.compile(r"[.:;!?…\"”)]\s*$")


@dataclass(frozen=True, slots=True)
class Line:
    index: int
    start: int
    end: int
    text: str


@dataclass(slots=True)
class Layout:
    lines: list[Line]
    title: Line | None = None
    body: list[Line] = field(default_factory=list)  # lines facts may come from (excl. title)
    header: list[Line] = field(default_factory=list)  # lines before the body (not chrome)
    datelines: list[Line] = field(default_factory=list)
    byline: Line | None = None
    author: str | None = None
    source_name: str | None = None
    footer_start: int | None = None  # line index where the footer begins

    @property
    def fact_zones(self) -> list[Span]:
        lines = ([self.title] if self.title else []) + self.body
        return [(line.start, line.end) for line in lines]


@dataclass(frozen=True, slots=True)
class _Vocab:
    chrome: re.Pattern[str]  # these three: folded regexes, matched against `_folded(line)`
    footer: re.Pattern[str]
    source: re.Pattern[str]
    byline_notes: re.Pattern[str]


def _whole_line(sources: list[str]) -> re.Pattern[str]:
    """A line that is entirely one of the regexes `sources` (folded)."""
    alternatives = "|".join(f"(?:{fold_form(source)})" for source in sources)
    return re.compile(f"^(?:{alternatives})$")


@lru_cache(maxsize=1)
def _vocab() -> _Vocab:
    with (VOCAB_DIR / "layout.yaml").open(encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    return _Vocab(
        chrome=_whole_line(data["chrome_lines"]),
        footer=_whole_line(data["footer_starts"]),
        source=_whole_line([data["source_line"]]),
        byline_notes=re.compile(f"\\s*(?:{data['byline_notes']})\\s*$", re.IGNORECASE),
    )


@lru_cache(maxsize=8192)
def _folded(text: str) -> str:
    """The stripped line, lowercased without diacritics: with or without them, and with old-
    or new-style tones ("hoà"/"hòa"), a line reads the same. fold keeps the length, so the
    offsets of a match hold in the stripped line."""
    return fold(text.strip())


@lru_cache(maxsize=8192)
def is_chrome(text: str) -> bool:
    return _vocab().chrome.match(_folded(text)) is not None


@lru_cache(maxsize=8192)
def _is_footer(text: str) -> bool:
    return _vocab().footer.match(_folded(text)) is not None


def _words(text: str) -> int:
    return len(text.split())


def is_body_like(text: str) -> bool:
    """A paragraph of running text rather than a heading, label or name."""
    words = _words(text)
    return (words >= 12 and bool(_SENTENCE_END.search(text))) or words >= 35


_CITED_NUMBER = re.compile(r"\d+\s*/\s*(?:\d{4}\s*/\s*)?[A-ZĐ][A-Za-zĐđ]{0,5}\s*[-–]")


def is_dateline(text: str) -> bool:
    """A short line giving a date, not one citing another document's number and date."""
    return bool(_DATE.search(text)) and _words(text) <= 20 and not _CITED_NUMBER.search(text)


def _name_like(text: str) -> bool:
    text = _vocab().byline_notes.sub("", text).strip()
    words = text.split()
    if not 1 <= len(words) <= 5 or len(text) > 45:
        return False
    if any(ch.isdigit() for ch in text) or text.endswith((".", ":", ";", ",")):
        return False
    return all(w[0].isupper() for w in words if w[0].isalpha())


def _split_lines(text: str) -> list[Line]:
    lines = []
    pos = 0
    for index, raw in enumerate(text.split("\n")):
        stripped = raw.strip()
        offset = raw.find(stripped) if stripped else 0
        lines.append(Line(index, pos + offset, pos + offset + len(stripped), stripped))
        pos += len(raw) + 1
    return lines


def analyse(text: str) -> Layout:
    vocab = _vocab()
    lines = _split_lines(text)
    content = [line for line in lines if line.text]
    layout = Layout(lines=lines)
    body_start = next((i for i, line in enumerate(content) if is_body_like(line.text)), None)
    if body_start is None:
        # no paragraph of running text: treat every non-chrome line as body
        body_start = 0
    # footer: first footer marker after the body starts
    footer_at = len(content)
    for i in range(body_start + 1, len(content)):
        if _is_footer(content[i].text):
            footer_at = i
            layout.footer_start = content[i].index
            break
    # header zone: lines before the body; the title is the nearest real line above the body
    for i in range(body_start - 1, -1, -1):
        line = content[i]
        if is_chrome(line.text) or is_dateline(line.text) or _is_footer(line.text):
            continue
        if vocab.source.match(_folded(line.text)):
            continue
        layout.title = line
        break
    for line in content[:body_start]:
        if is_dateline(line.text):
            layout.datelines.append(line)
        elif not is_chrome(line.text):
            layout.header.append(line)
    # body, then the byline: the last name-like line not followed by running text
    tail: list[Line] = []
    for line in content[body_start:footer_at]:
        if is_chrome(line.text):
            continue
        if is_dateline(line.text) and not is_body_like(line.text):
            layout.datelines.append(line)
            continue
        tail.append(line)
    byline_index = None
    for i in range(len(tail) - 1, 0, -1):
        line = tail[i]
        if vocab.source.match(_folded(line.text)) and _words(line.text) <= 16:
            byline_index = i  # "Theo Cổng Thông tin điện tử tỉnh Phú Yên": a source line
            continue
        if is_body_like(line.text) or _words(line.text) > 8:
            break
        if _name_like(line.text):
            byline_index = i
    if byline_index is not None:
        for line in tail[byline_index:]:
            source = vocab.source.match(_folded(line.text))
            if source and layout.source_name is None:
                layout.source_name = line.text[source.start(1) :].strip().rstrip(".")
            elif _name_like(line.text) and layout.author is None:
                layout.byline = line
                layout.author = vocab.byline_notes.sub("", line.text).strip()
        tail = tail[:byline_index]
    layout.body = tail
    if layout.title in layout.body:
        layout.body.remove(layout.title)
    return layout
