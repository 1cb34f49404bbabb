"""Single-valued fields: plan number, dates, plan year, kind."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from etl.extract.dates import DateHit, find_dates, has_time
from etl.extract.vocab import metadata_cues
from etl.match.patterns import word_start_matches
from etl.models import Evidence
from etl.text.fold import fold, lower
from etl.text.layout import Layout, Line
from etl.text.segment import Span, SpanIndex
from etl.text.views import TextViews

# "(Công văn|Chỉ thị|Quyết định) số 2315/UBND-NC ngày ..." in the lead: the document's own
_OWN_NUMBER_DATE = re.compile(
    r"(?:công văn|chỉ thị|văn bản|quyết định|cong van|chi thi|van ban|quyet dinh)\s+(?:số|so)"
    r"\s+\d+/[\w/-]+\s*,?\s*\(?(?:ngày|ngay)"
)
# "Ngày 12/6/2024, UBND tỉnh có Công văn ..." / "Ngày 5/3, ... ban hành Kế hoạch ..."
_OPENING_DATE = re.compile(r"\W*(?:ngày|ngay)\s+\d{1,2}\s*[/.-]\s*\d{1,2}(?:\s*[/.-]\s*\d{4})?\s*,")
_ISSUES_DOCUMENT = re.compile(
    r"(?:ban hành|ban hanh|có|co|gửi|gui|ký|ky)\s+(?:kế hoạch|ke hoach|kh|công văn|cong van"
    r"|chỉ thị|chi thi|văn bản|van ban)\b"
)
_YEAR_NAMED = re.compile(
    r"(?<!tháng \d)(?<!tháng \d\d)(?:năm|nam|giai đoạn|giai doan)\s+((?:19|20)\d{2})"
)


@dataclass(frozen=True, slots=True)
class PlanNumber:
    value: str
    start: int
    end: int
    sentence: Span


def _view(views: TextViews, pos: int) -> str:
    return views.acc if views.accented_at(pos) else views.fold


def _evidence(views: TextViews, start: int, end: int) -> Evidence:
    return Evidence(start, end, views.text[start:end])


def _is_cited(views: TextViews, start: int) -> bool:
    """The number/date right after 'Căn cứ Kế hoạch số ...' belongs to another document."""
    view = _view(views, start)
    window = view[max(0, start - 40) : start]
    cue = metadata_cues().citation.get(views.accented_at(start))
    return bool(re.search(f"(?:{cue.pattern})[^.;]{{0,25}}$", window))


def find_plan_number(views: TextViews, layout: Layout) -> PlanNumber | None:
    cues = metadata_cues()
    candidates: list[tuple[int, PlanNumber]] = []
    # lines of the title, body and header: distinct lines never overlap
    zones = SpanIndex(list(set(layout.fact_zones + [(ln.start, ln.end) for ln in layout.header])))
    for accented in (True, False):
        view = views.acc if accented else views.fold
        for match in word_start_matches(cues.plan_number.get(accented), view):
            start = match.start()
            if views.accented_at(start) != accented:
                continue
            if zones.covering(start) is None:
                continue
            number, year, code = match.group(1), match.group(2), match.group(3)
            code = re.sub(r"\s*[-–]\s*", "-", code).upper()
            value = f"{number}/{year + '/' if year else ''}KH-{code}"
            sentence = views.sentence_at(start)
            sent_text = view[sentence[0] : sentence[1]]
            score = 0
            if cues.issuance.get(accented).search(sent_text):
                score += 4
            if re.search(r"(?:^|\s)(?:số|so)\s*:?\s*$", view[max(0, start - 8) : start]):
                score += 1
            if re.match(r"^\s*(?:số|so)\s*:", sent_text):
                score += 3  # the header line of a plan document
            if _is_cited(views, start):
                score -= 6
            candidates.append((score, PlanNumber(value, start, match.end(), sentence)))
    if not candidates:
        return None
    best_score = max(score for score, _ in candidates)
    if best_score < -2:
        return None
    return min((c for c in candidates if c[0] == best_score), key=lambda c: c[1].start)[1]


def plan_sentence(views: TextViews, layout: Layout, number: PlanNumber | None) -> Span | None:
    """The sentence announcing the plan: the one with its number, else the first issuance."""
    if number is not None:
        return number.sentence
    cue = metadata_cues().issuance
    for start, end in layout.fact_zones:
        for s_start, s_end in views.sentences:
            if start <= s_start < end and cue.get(views.accented_at(s_start)).search(
                _view(views, s_start), s_start, s_end
            ):
                return (s_start, s_end)
    return None


_PLACE_DATE = re.compile(r"^[^,\d]{2,40},\s*(?:ngày|ngay)\s+\d{1,2}\s+(?:tháng|thang)\s+\d")


def is_place_dateline(line: str) -> bool:
    """ "Lạng Sơn, ngày 5 tháng 3 năm 2021": the signing line of a plan document."""
    return bool(_PLACE_DATE.match(line.strip()))


def published_date(views: TextViews, layout: Layout) -> tuple[date, Evidence] | None:
    """The article's own date line (labelled, or with a time), never the page's clock."""
    cues = metadata_cues()
    title_index = layout.title.index if layout.title else -1
    best: tuple[int, int, DateHit, Line] | None = None
    for order, line in enumerate(layout.datelines):
        key = lower(line.text)
        if cues.page_clock.match(key) or cues.page_clock.match(fold(key)):
            continue
        if is_place_dateline(key) or is_place_dateline(fold(key)):
            continue
        hits = find_dates(_view(views, line.start), line.start, line.end)
        hits = [h for h in hits if h.year]
        if not hits:
            continue
        score = 0
        folded = fold(key)
        if re.match(
            r"^\s*(?:ngay dang|dang ngay|ngay xuat ban|xuat ban|cap nhat|ngay cap nhat)", folded
        ):
            score += 4
        if has_time(line.text):
            score += 2
        if line.index > title_index >= 0:
            score += 1
        candidate = (score, -order, hits[0], line)
        if best is None or candidate[:2] > best[:2]:
            best = candidate
    if best is None:
        return None
    hit = best[2]
    resolved = hit.resolve(None)
    if resolved is None:
        return None
    return resolved, _evidence(views, hit.start, hit.end)


def issue_date(
    views: TextViews, layout: Layout, sentence: Span | None, number: PlanNumber | None
) -> DateHit | None:
    """The plan's own date: next to its number or opening its announcement sentence."""
    if number is not None:
        view = _view(views, number.end)
        after = find_dates(view, number.end, min(number.end + 40, len(view)))
        if after and re.match(
            r"^\s*[,(]?\s*(?:ban hành\s+|ban hanh\s+)?(?:ngày|ngay)",
            view[number.end : after[0].start + 5],
        ):
            return after[0]
    # header line of a plan document: "Tỉnh X, ngày 5 tháng 3 năm 2021"
    for line in sorted(layout.header + layout.datelines, key=lambda item: item.index):
        view = _view(views, line.start)
        if is_place_dateline(view[line.start : line.end]):
            hits = find_dates(view, line.start, line.end)
            if hits and hits[0].year:
                return hits[0]
    for start, end in ([sentence] if sentence else []) + layout.fact_zones[1:3]:
        view = _view(views, start)
        own = _OWN_NUMBER_DATE.search(view, start, end)
        if own and not _is_cited(views, own.start()):
            hits = find_dates(view, own.end() - 2, min(end, own.end() + 30))
            if hits:
                return hits[0]
    for start, end in ([sentence] if sentence else []) + layout.fact_zones[1:2]:
        view = _view(views, start)
        opening = _OPENING_DATE.match(view, start, end)
        if opening and _ISSUES_DOCUMENT.search(view, opening.end(), end):
            hits = find_dates(view, start, opening.end())
            if hits:
                return hits[0]
    if sentence is not None:
        view = _view(views, sentence[0])
        hits = find_dates(view, sentence[0], sentence[1])
        cue = metadata_cues().issuance.get(views.accented_at(sentence[0]))
        issuance = cue.search(view, sentence[0], sentence[1])
        for hit in hits:
            if issuance and hit.start < issuance.start() and not _is_cited(views, hit.start):
                return hit
    return None


def named_year(views: TextViews, spans: list[Span]) -> tuple[int, Evidence] | None:
    """The year a plan names ("năm 2018", "giai đoạn 2021-2025") in the given spans."""
    for start, end in spans:
        view = _view(views, start)
        for match in _YEAR_NAMED.finditer(fold(view[start:end])):
            if re.search(r"thang\s+\d{1,2}\s+$", fold(view[start:end])[: match.start()]):
                continue
            year_start = start + match.start(1)
            return int(match.group(1)), _evidence(views, year_start, year_start + 4)
    return None


def document_kind(views: TextViews, layout: Layout, sentence: Span | None) -> str:
    """plan / report / directive / other, from the title and the lead paragraphs."""
    cues = metadata_cues()
    lead_lines = ([layout.title] if layout.title else []) + layout.body[:2]
    lead = " ".join(lower(line.text) for line in lead_lines)
    folded = fold(lead)

    def found(name: str) -> bool:
        dual = cues.kinds[name]
        return bool(dual.acc.search(lead) or dual.fold.search(folded))

    announces_plan = sentence is not None and bool(
        cues.issuance.get(views.accented_at(sentence[0])).search(
            _view(views, sentence[0]), sentence[0], sentence[1]
        )
    )
    title = fold(lower(layout.title.text)) if layout.title else ""
    if found("directive") and not re.search(r"ban hanh (?:ke hoach|kh)\b", folded):
        return "directive"
    if found("report") and not announces_plan:
        return "report"
    if announces_plan or found("plan") or "ke hoach" in title:
        return "plan"
    whole = fold(views.text[:4000].lower())
    if "ke hoach" in whole:
        return "plan"
    return "other"


def responsibility_zones(layout: Layout) -> list[Span]:
    """The body lines under "IV. TỔ CHỨC THỰC HIỆN" when the document has that section,
    else every fact zone (news articles have no sections)."""
    cues = metadata_cues()
    inside = False
    found = False
    zones: list[Span] = []
    for line in layout.body:
        key = fold(lower(line.text)).strip()
        if cues.section_responsibilities.match(key):
            inside = found = True
            continue
        if inside and cues.section_next.match(key):
            inside = False
        if inside:
            zones.append((line.start, line.end))
    return zones if found else layout.fact_zones
