"""Who does what: (agency, role, task) where the plan assigns work.

A clause is read as `[connector] [issuer + delegation verb] SUBJECTS PREDICATE`:
- the predicate's opening verb gives the subjects' role (chủ trì -> lead, phối hợp ->
  coordinate, other action verbs -> implement; "giao X ..." makes a specific X the lead);
- agencies listed after "phối hợp (với)" in the clause coordinate;
- a line that is only an agency ("1. Sở Nội vụ:") makes it the subject of the clauses below.
Generic agencies ("các sở, ban, ngành") count only as subjects, never as partners.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache

from etl.codebook import load_codebook, load_yaml
from etl.match.matcher import Hit, compiled_category, find_hits
from etl.match.patterns import DualRegex, compile_dual
from etl.models import Evidence, Responsibility
from etl.text.fold import fold
from etl.text.segment import Span, SpanIndex
from etl.text.views import TextViews

_UPPER_WORD = r"[A-ZĐÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴ][\w.-]*"
_TYPE_WORD = (
    r"(?:tỉnh|thành phố|TP\.?|huyện|quận|thị xã|xã|phường|thị trấn|cấp tỉnh|cấp huyện|cấp xã"
    r"|tinh|thanh pho|huyen|quan|thi xa|xa|phuong|thi tran)"
)
_LOCALITY_AFTER = re.compile(
    rf"(?:(?:\s+(?:các\s+|cac\s+)?{_TYPE_WORD}(?:\s*,\s*{_TYPE_WORD})*"
    rf"|\s+{_UPPER_WORD})(?=[\s,;:.)]|$)){{1,6}}"
)
_HEADING_TAIL = re.compile(
    r"^\s*(?:tỉnh|thành phố|huyện|quận|thị xã|tinh|thanh pho|huyen|quan|thi xa)?[^\w]*$"
)


@dataclass(frozen=True, slots=True)
class _Cues:
    connector: DualRegex
    delegation: DualRegex
    joiner: DualRegex
    lead: DualRegex
    coordinate: DualRegex
    implement: DualRegex
    partner: DualRegex
    announce: DualRegex
    issuer_announce: DualRegex
    auxiliary: DualRegex
    filler_after: DualRegex
    generic: frozenset[str]


@lru_cache(maxsize=1)
def _cues() -> _Cues:
    data = load_yaml("agencies.yaml")
    cues = data["responsibility_cues"]
    macros = load_codebook().macros

    def dual(name: str) -> DualRegex:
        return compile_dual(cues[name], macros, bounded=False)

    def verbs(name: str) -> DualRegex:
        return compile_dual(f"(?:{cues[name]})(?![\\w])", macros, bounded=False)

    generic = frozenset(k for k, v in data["agencies"].items() if v.get("generic"))
    return _Cues(
        connector=dual("connector"),
        delegation=dual("delegation"),
        joiner=dual("joiner"),
        lead=verbs("lead"),
        coordinate=verbs("coordinate"),
        implement=verbs("implement"),
        partner=dual("partner"),
        announce=dual("announce"),
        issuer_announce=dual("issuer_announce"),
        auxiliary=dual("auxiliary"),
        filler_after=dual("filler_after"),
        generic=generic,
    )


def _agency_hits(views: TextViews, zones: list[Span]) -> list[Hit]:
    hits = find_hits(views, compiled_category("agency"), zones)
    # keep the longest of overlapping agency matches
    hits.sort(key=lambda h: (h.start, -(h.end - h.start)))
    kept: list[Hit] = []
    for hit in hits:
        if kept and hit.start < kept[-1].end:
            continue
        kept.append(hit)
    return kept


def skip_locality(text: str, pos: int, end: int) -> int:
    """Skip a locality written after an agency ("tỉnh Kon Tum", "Cần Thơ") from `pos`."""
    match = _LOCALITY_AFTER.match(text, pos, end)
    return match.end() if match else pos


def _subject_run(
    views: TextViews, hits: list[Hit], pos: int, end: int, cues: _Cues, acc: bool
) -> list[Hit]:
    """Agencies listed one after another from `pos` (only joiners between them)."""
    view = views.acc if acc else views.fold
    run: list[Hit] = []
    for hit in hits:
        if hit.start < pos:
            continue
        gap = view[pos : hit.start]
        if not cues.joiner.get(acc).fullmatch(gap):
            break
        run.append(hit)
        pos = skip_locality(views.text, hit.end, end)
        if pos >= end:
            break
    return run


def _run_end(views: TextViews, run: list[Hit], end: int) -> int:
    return skip_locality(views.text, run[-1].end, end)


_LEAD_IN = re.compile(r"[^,;:]{1,60}?,\s*")


def _skip_lead_in(view: str, hits: list[Hit], pos: int, end: int) -> int:
    """Skip a short opening phrase ("Về tổ chức thực hiện, ", "Năm 2023, ") before the subject:
    one that holds no agency and is followed by one, or by the issuer's delegation."""
    match = _LEAD_IN.match(view, pos, end)
    if not match or any(pos <= h.start < match.end() for h in hits):
        return pos
    if len(view[pos : match.end()].split()) > 8:
        return pos
    return match.end()


def _role_of_predicate(view: str, pos: int, cues: _Cues, acc: bool) -> str | None:
    rest = view[pos : pos + 60].lstrip(" ,:")
    auxiliary = cues.auxiliary.get(acc).match(rest)
    if auxiliary:
        rest = rest[auxiliary.end() :]
    if cues.lead.get(acc).match(rest):
        return "lead"
    if cues.coordinate.get(acc).match(rest):
        return "coordinate"
    if cues.implement.get(acc).match(rest):
        return "implement"
    return None


def _partners(
    views: TextViews, hits: list[Hit], start: int, end: int, cues: _Cues, acc: bool
) -> list[Hit]:
    view = views.acc if acc else views.fold
    found: list[Hit] = []
    for match in cues.partner.get(acc).finditer(view, start, end):
        run = _subject_run(views, hits, match.end(), end, cues, acc)
        for hit in run:
            if hit.id in cues.generic:
                continue
            if cues.filler_after.get(acc).match(view[hit.end : hit.end + 20].lstrip(" ,")):
                continue
            found.append(hit)
    return found


def extract_responsibilities(views: TextViews, zones: list[Span]) -> list[Responsibility]:
    cues = _cues()
    hits = _agency_hits(views, zones)
    results: list[Responsibility] = []
    heading: list[Hit] = []
    heading_line = -1
    pending: list[Hit] = []  # "Các sở, ban, ngành; UBND các huyện ... triển khai": one subject
    zone_index = SpanIndex(zones)
    hit_starts = [h.start for h in hits]
    for c_start, c_end in views.clauses:
        if zone_index.covering(c_start) is None:
            continue
        acc = views.accented_at(c_start)
        view = views.acc if acc else views.fold
        in_clause = hits[
            bisect.bisect_left(hit_starts, c_start) : bisect.bisect_left(hit_starts, c_end)
        ]
        pos = c_start
        connector = cues.connector.get(acc).match(view, pos, c_end)
        if connector:
            pos = connector.end()
        opening_role = _role_of_predicate(view, pos, cues, acc)
        if opening_role is None:
            pos = _skip_lead_in(view, in_clause, pos, c_end)
        clause = Evidence(c_start, c_end, views.text[c_start:c_end])
        if heading and opening_role and views.line_at(c_start) - heading_line <= 8:
            task = views.text[pos:c_end].strip(" ,:;.")
            for hit in heading:
                results.append(_make(views, hit, opening_role, task, clause))
            if opening_role != "coordinate":
                for hit in _partners(views, in_clause, pos, c_end, cues, acc):
                    results.append(_make(views, hit, "coordinate", clause.text, clause))
            continue
        delegation = cues.delegation.get(acc).match(view, pos, c_end)
        verb = None
        if delegation:
            verb = next(k for k in ("giao", "denghi", "yeucau") if delegation.group(k))
            pos = delegation.end()
        subjects = _subject_run(views, in_clause, pos, c_end, cues, acc)
        if subjects:
            after = _run_end(views, subjects, c_end)
            if _HEADING_TAIL.match(view[after:c_end]) and not verb:
                if view[after:c_end].strip().endswith((";", ",")):
                    pending = pending + subjects
                else:
                    heading, heading_line = pending + subjects, views.line_at(c_start)
                    pending = []
                continue
            subjects = pending + subjects
        pending = [] if subjects else pending
        role: str | None = None
        if subjects:
            predicate = view[after : after + 80].lstrip(" ,")
            announces = cues.announce.get(acc).match(predicate) or (
                _single_committee(views, subjects)
                and cues.issuer_announce.get(acc).match(predicate)
            )
            role = None if announces else _role_of_predicate(view, after, cues, acc)
            if role is None and verb == "giao" and not announces:
                role = "implement"
            if role == "implement" and verb == "giao":
                role = "lead"
            if role is not None:
                task = views.text[after:c_end].strip(" ,:;.")
                for hit in subjects:
                    this_role = "implement" if role == "lead" and hit.id in cues.generic else role
                    results.append(_make(views, hit, this_role, task, clause))
        else:
            role = None
        if role == "coordinate":
            continue  # "X phối hợp với Y": Y leads, it does not coordinate
        for hit in _partners(views, in_clause, pos, c_end, cues, acc):
            if hit in subjects:
                continue
            results.append(_make(views, hit, "coordinate", clause.text, clause))
    return results


def _single_committee(views: TextViews, subjects: list[Hit]) -> bool:
    """One People's Committee by itself ("UBND tỉnh"), not a group ("UBND các huyện")."""
    if len(subjects) != 1 or subjects[0].id != "people_committee":
        return False
    words = fold(views.text[subjects[0].start : subjects[0].end]).split()
    return "cac" not in words and "cap" not in words


def _make(views: TextViews, hit: Hit, role: str, task: str, clause: Evidence) -> Responsibility:
    return Responsibility(
        agency=hit.id,
        agency_text=views.text[hit.start : hit.end],
        role=role,
        task=task,
        evidence=clause,
    )
