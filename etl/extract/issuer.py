"""The issuer: its name, level and locality codes in both eras.

The locality comes, in this order, from the issuer phrase itself ("UBND huyện Tam Nông"),
the plan sentence, the title, local outlets ("Báo Kon Tum", "Đài PT-TH Kon Tum") and the
rest of the body, and finally the manifest. Codes stay null when no locality is named.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise

from etl.codebook import load_codebook, load_yaml
from etl.gazetteer import LocalityMention, Unit, find_locality_mentions, get_gazetteer
from etl.gazetteer.legacy import legacy_province_code
from etl.match.patterns import DualRegex, compile_dual
from etl.models import Evidence, Issuer
from etl.text.fold import fold
from etl.text.layout import Layout
from etl.text.segment import Span
from etl.text.views import TextViews


@dataclass(frozen=True, slots=True)
class _IssuerCues:
    committee: DualRegex
    department: DualRegex
    committee_codes: re.Pattern[str]
    levels: dict[str, str]


@lru_cache(maxsize=1)
def _cues() -> _IssuerCues:
    data = load_yaml("metadata.yaml")
    macros = load_codebook().macros
    return _IssuerCues(
        committee=compile_dual(data["issuer_committee"], macros),
        department=compile_dual(data["issuer_department"], macros),
        committee_codes=re.compile(data["committee_codes"]),
        levels={fold(k): v for k, v in data["levels"].items()},
    )


@dataclass(frozen=True, slots=True)
class _Phrase:
    start: int
    end: int
    level: str  # province | city | district | commune | department
    type_word: str | None


def _find_phrase(views: TextViews, spans: list[Span], department_code: bool) -> _Phrase | None:
    """The first issuer phrase in the spans: a committee, or a department where the plan
    number carries a department's code or no committee is named."""
    cues = _cues()
    for start, end in spans:
        acc = views.accented_at(start)
        view = views.acc if acc else views.fold
        committee = cues.committee.get(acc).search(view, start, end)
        department = cues.department.get(acc).search(view, start, end)
        if department and (department_code or not committee):
            return _Phrase(department.start(), department.end(), "department", None)
        if committee:
            type_word = fold(committee.group("type")).rstrip(".")
            level = cues.levels.get(type_word, "province")
            return _Phrase(committee.start(), committee.end(), level, type_word)
    return None


_COMMITTEE_LINE = re.compile(r"^(?:uy ban nhan dan|ubnd)$")
_TYPE_LINE = re.compile(r"^(?:tinh|thanh pho|huyen|quan|thi xa|xa|phuong|thi tran|dac khu)\s+\S")
_CITING = re.compile(r"^\W*(?:can cu|thuc hien|xet de nghi|theo de nghi)\b")


def _letterhead(views: TextViews, layout: Layout) -> list[Span]:
    """The two-line committee header of a plan document, as one span."""
    lines = [line for line in layout.lines if line.text][:12]
    for first, second in pairwise(lines):
        if _COMMITTEE_LINE.match(fold(first.text).strip()) and _TYPE_LINE.match(
            fold(second.text).strip()
        ):
            return [(first.start, second.end)]
    return []


def _cites(views: TextViews, span: Span) -> bool:
    """A sentence that cites the plan's legal bases ("Căn cứ ...") does not name its issuer."""
    return bool(_CITING.match(views.fold[span[0] : span[1]]))


def _unit_codes(unit: Unit) -> dict[str, str | None]:
    gazetteer = get_gazetteer()
    if unit.level == "province":
        legacy = legacy_province_code(unit)
        return {
            "province_code": legacy,
            "district_code": None,
            "commune_code": None,
            "province_code_2025": unit.province_code_2025
            or (gazetteer.province_2025(unit.code) if unit.era == "legacy" else unit.code),
        }
    if unit.level == "district":
        return {
            "province_code": unit.province_code,
            "district_code": unit.code,
            "commune_code": None,
            "province_code_2025": unit.province_code_2025
            or gazetteer.province_2025(unit.province_code),
        }
    return {
        "province_code": legacy_province_code(unit),
        "district_code": unit.district_code,
        "commune_code": unit.code,
        "province_code_2025": unit.province_code_2025,
    }


def _mentions_in(views: TextViews, spans: list[Span]) -> list[LocalityMention]:
    found: list[LocalityMention] = []
    for start, end in spans:
        for mention in find_locality_mentions(views.text[start:end], views.fold[start:end]):
            found.append(
                LocalityMention(
                    start=mention.start + start,
                    end=mention.end + start,
                    text=mention.text,
                    type_word=mention.type_word,
                    name=mention.name,
                    candidates=mention.candidates,
                )
            )
    return found


def _province_votes(mentions: list[LocalityMention]) -> Counter[str]:
    """Provinces named in the text, counted under their code in each era ('era:code')."""
    votes: Counter[str] = Counter()
    for mention in mentions:
        for unit in mention.candidates[:1]:
            if unit.era == "legacy":
                votes[f"legacy:{unit.province_code}"] += 1
            if unit.province_code_2025:
                votes[f"2025:{unit.province_code_2025}"] += 1
    return votes


def _support(unit: Unit, votes: Counter[str]) -> int:
    """How strongly the provinces named in the text support this unit."""
    legacy = votes.get(f"legacy:{unit.province_code}", 0) if unit.era == "legacy" else 0
    return legacy + votes.get(f"2025:{unit.province_code_2025}", 0)


def _pick(
    level: str,
    mentions: list[LocalityMention],
    context: list[LocalityMention],
    era: str | None = None,
) -> tuple[Unit, LocalityMention] | None:
    """The unit of the wanted level among mentions, disambiguated by the provinces named in
    the context and, between equals, by the era of the document's date."""
    wanted = {"province": {"province"}, "city": {"province", "district"}}.get(level, {level})
    votes = _province_votes(
        [m for m in context if m.candidates and m.candidates[0].level == "province"]
    )
    for mention in mentions:
        options = [u for u in mention.candidates if u.level in wanted]
        if not options:
            continue
        if len(options) > 1:

            def rank(unit: Unit) -> tuple[int, bool]:
                return (_support(unit, votes), unit.era == era)

            best = max(rank(u) for u in options)
            if best[0] > 0 or best[1]:
                # among equals, the gazetteer's order (the written type word first) decides
                return next(u for u in options if rank(u) == best), mention
        if len({(u.level, u.code) for u in options}) == 1 or options[0].level == "province":
            return options[0], mention
        if level == "city":
            return options[0], mention
    return None


def resolve_issuer(
    views: TextViews,
    layout: Layout,
    plan_sentence: Span | None,
    plan_code: str | None,
    manifest_locality: str | None,
    era: str | None = None,
) -> Issuer:
    """`era` ('legacy' or '2025', from the document's date, when known) breaks ties between
    units of the same name in the two eras."""
    department_code = bool(plan_code) and not _cues().committee_codes.match(fold(plan_code or ""))
    lead_spans = [s for s in [plan_sentence] if s and not _cites(views, s)]
    title_spans = [(layout.title.start, layout.title.end)] if layout.title else []
    header_spans = [(line.start, line.end) for line in layout.header]
    body_spans = [(line.start, line.end) for line in layout.body]
    # a plan document's own header ("ỦY BAN NHÂN DÂN" / "TỈNH X") names the issuer best
    letterhead = _letterhead(views, layout)
    phrase = _find_phrase(
        views,
        letterhead + lead_spans + header_spans + title_spans + body_spans[:3],
        department_code,
    )
    level = phrase.level if phrase else None

    all_mentions = _mentions_in(views, title_spans + header_spans + body_spans)
    unit: Unit | None = None
    evidence_mention: LocalityMention | None = None
    source = None
    if phrase is not None:
        # the locality named right after the issuer phrase
        own = [m for m in all_mentions if phrase.start <= m.start <= phrase.end + 2]
        if phrase.level == "department":
            own = [m for m in all_mentions if phrase.end <= m.start <= phrase.end + 3]
        picked = _pick(level or "province", own, all_mentions, era) if own else None
        if picked:
            unit, evidence_mention = picked
            source = "text"
    if unit is None:
        wanted = {"department": "province", None: "province"}.get(level, level or "province")
        groups = [
            (
                "text",
                [
                    m
                    for m in all_mentions
                    if plan_sentence and plan_sentence[0] <= m.start < plan_sentence[1]
                ],
            ),
            (
                "title",
                [
                    m
                    for m in all_mentions
                    if title_spans and title_spans[0][0] <= m.start < title_spans[0][1]
                ],
            ),
            ("text", all_mentions),
        ]
        for origin, mentions in groups:
            if wanted in {"province", "city"}:
                ranked = _rank_provinces(mentions)
                if ranked is not None:
                    unit, source = ranked, origin
                    break
            else:
                typed = [m for m in mentions if m.type_word and _level_of(m.type_word) == wanted]
                picked_pair = _pick(wanted, typed, all_mentions, era)
                if picked_pair:
                    unit, evidence_mention = picked_pair
                    source = origin
                    break
    if unit is None and manifest_locality:
        mentions = find_locality_mentions(manifest_locality)
        if mentions and mentions[0].candidates:
            unit = mentions[0].candidates[0]
            source = "manifest"
        else:
            found = get_gazetteer().find_provinces(manifest_locality)
            if found:
                unit, source = found[0], "manifest"

    if level == "city":
        level = "province" if unit is None or unit.level == "province" else "district"
    codes: dict[str, str | None] = dict.fromkeys(
        ("province_code", "district_code", "commune_code", "province_code_2025")
    )
    if unit is not None:
        codes = _unit_codes(unit)
        if level is None:
            level = unit.level
    name = None
    evidence = None
    if phrase is not None:
        end = phrase.end
        if evidence_mention is not None and evidence_mention.start <= phrase.end + 3:
            end = max(end, evidence_mention.end)
        name = views.text[phrase.start : end].strip()
        evidence = Evidence(phrase.start, end, views.text[phrase.start : end])
    return Issuer(
        name=name,
        level=level,
        province_code=codes["province_code"],
        district_code=codes["district_code"],
        commune_code=codes["commune_code"],
        province_code_2025=codes["province_code_2025"],
        source=source,
        evidence=evidence,
    )


def _level_of(type_word: str) -> str:
    return _cues().levels.get(fold(type_word).rstrip("."), "province")


def _rank_provinces(mentions: list[LocalityMention]) -> Unit | None:
    """The province most named (with its level word, or bare) among mentions."""
    votes: Counter[str] = Counter()
    first: dict[str, Unit] = {}
    for mention in mentions:
        if not mention.candidates:
            continue
        unit = mention.candidates[0]
        if unit.level != "province" and not (
            mention.type_word is None and len(mention.candidates) > 1
        ):
            continue
        province = next((u for u in mention.candidates if u.level == "province"), None)
        if province is None:
            continue
        votes[province.code] += 2 if mention.type_word else 1
        first.setdefault(province.code, province)
    if not votes:
        return None
    code = max(votes, key=lambda c: (votes[c], -list(first).index(c)))
    return first[code]
