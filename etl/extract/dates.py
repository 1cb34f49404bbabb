"""Dates in Vietnamese text: dd/mm/yyyy, "ngày 5 tháng 3 năm 2021", and day/month alone."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

_FULL = re.compile(
    r"(?<!\d)(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*((?:19|20)\d{2})(?!\d)"
    r"|(?:ngày|ngay)\s+(\d{1,2})\s+(?:tháng|thang)\s+(\d{1,2})\s+(?:năm|nam)\s+((?:19|20)\d{2})",
)
# "ngày 16/4", "Ngày 09/01", "ngày 5-3": a day and month, year given elsewhere
_DAY_MONTH = re.compile(r"(?:ngày|ngay)\s+(\d{1,2})\s*[/.\-]\s*(\d{1,2})(?!\s*[/.\-]\s*\d)(?!\d)")
_TIME = re.compile(r"(?<!\d)\d{1,2}\s*[:h]\s*\d{2}(?!\d)")


@dataclass(frozen=True, slots=True)
class DateHit:
    start: int
    end: int
    day: int
    month: int
    year: int | None

    def resolve(self, default_year: int | None) -> date | None:
        year = self.year or default_year
        if year is None:
            return None
        try:
            return date(year, self.month, self.day)
        except ValueError:
            return None


def find_dates(view: str, start: int = 0, end: int | None = None) -> list[DateHit]:
    """Dates in a lowercase (accented or folded) view between start and end, in order."""
    end = len(view) if end is None else end
    hits: list[DateHit] = []
    for match in _FULL.finditer(view, start, end):
        groups = match.groups()
        day, month, year = groups[0:3] if groups[0] else groups[3:6]
        hits.append(DateHit(match.start(), match.end(), int(day), int(month), int(year)))
    taken = [(h.start, h.end) for h in hits]
    for match in _DAY_MONTH.finditer(view, start, end):
        if any(s <= match.start() < e for s, e in taken):
            continue
        hits.append(DateHit(match.start(), match.end(), int(match[1]), int(match[2]), None))
    hits.sort(key=lambda h: h.start)
    return [h for h in hits if 1 <= h.day <= 31 and 1 <= h.month <= 12]


def has_time(text: str) -> bool:
    return bool(_TIME.search(text))
