"""Plan grouping: several documents about the same plan become one plan with several sources.

Pure functions, no I/O. Two documents are about the same plan when they agree on

- the issuer: its locality codes (province, district, commune) when any is known, else its
  normalised name ("UBND" and "Ủy ban nhân dân" are one spelling; case, accents, tone-mark
  placement and spacing are ignored),
- the plan number, normalised the same way ("50/KH-UBND" == "50 / KH – ubnd"),
- the plan year.

A document missing any of the three (no number, no issuer, no year) is a plan on its own:
merging on a number alone would join unrelated plans ("01/KH-UBND" exists everywhere).

`plan_id` is the first 16 hex digits of the sha256 of the grouping key, so it is the same on
every run, whatever the file order or the other documents. A one-document plan's key is its
`doc_id`, so its id changes only when the file's bytes do.

A plan's single-valued fields take the most frequent non-null value across its sources; a tie
goes to the value of the source published first (unknown dates last), then lowest relpath.
Facts (mentions, responsibilities) are not merged here: each fact row keeps its `doc_id`.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TypeVar

from etl.models import Extraction, RawDocument

T = TypeVar("T")

PLAN_ID_LENGTH = 16  # hex digits of sha256: 64 bits, collisions negligible at this scale

_DASHES = re.compile(r"[\u2010-\u2015\u2212_]")
_SPACES = re.compile(r"\s+")
_ISSUER_ABBREVIATIONS = (
    (re.compile(r"\buy ban nhan dan\b"), "ubnd"),
    (re.compile(r"\bhoi dong nhan dan\b"), "hdnd"),
    (re.compile(r"\btp\s*\.\s*|\btp\b"), "thanh pho "),
)


def _fold(text: str) -> str:
    """Lowercase ASCII skeleton: no accents (so tone placement does not matter), đ -> d."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return bare.casefold()


def normalize_plan_number(number: str | None) -> str | None:
    """'Số: 050 / KH – ubnd' -> '50/KH-UBND' (a grouping key); None for an empty number."""
    if number is None:
        return None
    text = _fold(number)
    text = re.sub(r"^\s*(so|number|no)\s*[:.]?\s*", "", text)
    text = _DASHES.sub("-", text)
    text = _SPACES.sub("", text).upper()
    text = re.sub(r"^0+(?=\d)", "", text)  # "09/KH-UBND" and "9/KH-UBND" are one plan
    return text or None


def normalize_issuer_name(name: str | None) -> str | None:
    """'Ủy ban nhân dân TP. Bạc Liêu' -> 'ubnd thanh pho bac lieu'; None when empty."""
    if name is None:
        return None
    text = _fold(name)
    text = _DASHES.sub("-", text)
    for pattern, replacement in _ISSUER_ABBREVIATIONS:
        text = pattern.sub(replacement, text)
    text = re.sub(r"[^\w-]+", " ", text)
    text = _SPACES.sub(" ", text).strip()
    return text or None


def issuer_key(extraction: Extraction) -> str | None:
    """The issuer part of the grouping key, or None when the issuer is unknown."""
    issuer = extraction.issuer
    codes = (issuer.province_code, issuer.district_code, issuer.commune_code)
    if any(codes):
        return "codes:" + "/".join(code or "" for code in codes)
    name = normalize_issuer_name(issuer.name)
    return None if name is None else "name:" + name


def plan_key(extraction: Extraction) -> str:
    """The grouping key: equal keys are the same plan."""
    issuer = issuer_key(extraction)
    number = normalize_plan_number(extraction.plan_number)
    year = extraction.plan_year
    if issuer is None or number is None or year is None:
        return "doc:" + extraction.doc_id
    return f"plan:{issuer}|{number}|{year}"


def plan_id_for_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:PLAN_ID_LENGTH]


def plan_id(extraction: Extraction) -> str:
    """Stable id of the plan a document is about."""
    return plan_id_for_key(plan_key(extraction))


def assign_plans(
    items: Sequence[tuple[RawDocument, Extraction]],
) -> list[tuple[RawDocument, Extraction, str]]:
    """Each (raw, extraction) with its plan_id, in the input order."""
    return [(raw, extraction, plan_id(extraction)) for raw, extraction in items]


@dataclass(frozen=True, slots=True)
class Plan:
    """One plan, merged from its source documents."""

    plan_id: str
    kind: str
    plan_number: str | None
    title: str | None
    issuer_name: str | None
    issuer_level: str | None
    province_code: str | None
    district_code: str | None
    commune_code: str | None
    province_code_2025: str | None
    issue_date: date | None
    plan_year: int | None
    published_date: date | None  # the earliest of its sources
    n_sources: int
    synthetic: bool  # every source is synthetic
    doc_ids: tuple[str, ...]  # its sources, earliest published first


def _source_order(item: tuple[RawDocument, Extraction, str]) -> tuple[bool, date, str]:
    raw, extraction, _ = item
    published = extraction.published_date
    return (published is None, published or date.min, raw.relpath)


def _consensus(values: Sequence[T | None]) -> T | None:
    """Most frequent non-null value; ties go to the first in `values` (already in order)."""
    counts = Counter(v for v in values if v is not None)
    if not counts:
        return None
    best = max(counts.values())
    return next(v for v in values if v is not None and counts[v] == best)


def _pick(
    sources: Sequence[tuple[RawDocument, Extraction, str]],
    get: Callable[[Extraction], T | None],
) -> T | None:
    return _consensus([get(extraction) for _, extraction, _ in sources])


def merge_plan(plan_id_: str, sources: Sequence[tuple[RawDocument, Extraction, str]]) -> Plan:
    """Merge the sources of one plan (any order) into its plan-level record."""
    if not sources:
        raise ValueError(f"plan {plan_id_} has no source")
    ordered = sorted(sources, key=_source_order)
    dates = [e.published_date for _, e, _ in ordered if e.published_date is not None]
    # a known kind beats 'other' (which is what an extractor says when it cannot tell)
    kind = _pick(ordered, lambda e: e.kind if e.kind and e.kind != "other" else None)
    return Plan(
        plan_id=plan_id_,
        kind=kind or "other",
        plan_number=_pick(ordered, lambda e: e.plan_number),
        title=_pick(ordered, lambda e: e.title),
        issuer_name=_pick(ordered, lambda e: e.issuer.name),
        issuer_level=_pick(ordered, lambda e: e.issuer.level),
        province_code=_pick(ordered, lambda e: e.issuer.province_code),
        district_code=_pick(ordered, lambda e: e.issuer.district_code),
        commune_code=_pick(ordered, lambda e: e.issuer.commune_code),
        province_code_2025=_pick(ordered, lambda e: e.issuer.province_code_2025),
        issue_date=_pick(ordered, lambda e: e.issue_date),
        plan_year=_pick(ordered, lambda e: e.plan_year),
        published_date=min(dates) if dates else None,
        n_sources=len(ordered),
        synthetic=all(e.synthetic for _, e, _ in ordered),
        doc_ids=tuple(raw.doc_id for raw, _, _ in ordered),
    )


def group_plans(items: Sequence[tuple[RawDocument, Extraction, str]]) -> list[Plan]:
    """All plans of `items` (raw, extraction, plan_id), sorted by plan_id."""
    by_plan: dict[str, list[tuple[RawDocument, Extraction, str]]] = {}
    for item in items:
        by_plan.setdefault(item[2], []).append(item)
    return [merge_plan(pid, by_plan[pid]) for pid in sorted(by_plan)]
