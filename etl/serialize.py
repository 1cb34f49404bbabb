"""JSON form of an `Extraction`: the `cchc-atlas extract --json` record, one per document.

The record is plain JSON (str, int, bool, None, list, dict); dates are 'YYYY-MM-DD'. Key order
is fixed so that two runs over the same document print the same text:

    file, kind, title, issuer {name, level, province_code, district_code, province_code_2025},
    plan_number, issue_date, published_date, plan_year, author,
    channels, themes, audiences      [{id, evidence {start, end, text}, evidences [...]}]
    platforms                        [id, ...]
    responsibilities                 [{agency, role, task, evidence}]
    other_responsibilities           [{agency, agency_text, role, task, evidence}]
    doc_id, source_name, extractor_version, codebook_version, synthetic

- A category id appears once. Its `evidence` is the first span in document order (smallest
  `start`, then smallest `end`); `evidences` lists every span of that id in document order.
  Entries are sorted by their first span, so the list reads like the document.
- `platforms` is the unique ids in order of first occurrence.
- `responsibilities` holds one entry per (agency, role), the first in document order.
  Agencies the codebook does not know (id 'other') go to `other_responsibilities`, one entry
  per (agency_text, role) with `agency_text` as written (compared after whitespace folding).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from etl.models import Evidence, Extraction, Issuer, Mention, Responsibility

OTHER_AGENCY = "other"


def evidence_to_json(evidence: Evidence) -> dict[str, Any]:
    return {"start": evidence.start, "end": evidence.end, "text": evidence.text}


def _date(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def _issuer_to_json(issuer: Issuer) -> dict[str, Any]:
    return {
        "name": issuer.name,
        "level": issuer.level,
        "province_code": issuer.province_code,
        "district_code": issuer.district_code,
        "province_code_2025": issuer.province_code_2025,
    }


def _doc_order(evidence: Evidence) -> tuple[int, int]:
    return (evidence.start, evidence.end)


def mentions_to_json(mentions: Iterable[Mention]) -> list[dict[str, Any]]:
    """One entry per id, first evidence in document order, entries sorted by first evidence."""
    by_id: dict[str, list[Evidence]] = {}
    # sorted() is stable: equal spans keep the extractor's order
    for mention in sorted(mentions, key=lambda m: _doc_order(m.evidence)):
        by_id.setdefault(mention.id, []).append(mention.evidence)
    return [
        {
            "id": mention_id,
            "evidence": evidence_to_json(evidences[0]),
            "evidences": [evidence_to_json(e) for e in evidences],
        }
        for mention_id, evidences in by_id.items()  # dicts keep insertion (= document) order
    ]


def platform_ids(mentions: Iterable[Mention]) -> list[str]:
    """Unique platform ids in order of first occurrence."""
    return [entry["id"] for entry in mentions_to_json(mentions)]


def _agency_text_key(text: str) -> str:
    return " ".join(text.split()).casefold()


def responsibilities_to_json(
    responsibilities: Iterable[Responsibility],
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(known agencies unique by (agency, role), 'other' agencies unique by (text, role))."""
    known: dict[tuple[str, str], dict[str, Any]] = {}
    other: dict[tuple[str, str], dict[str, Any]] = {}
    for resp in sorted(responsibilities, key=lambda r: _doc_order(r.evidence)):
        if resp.agency == OTHER_AGENCY:
            key = (_agency_text_key(resp.agency_text), resp.role)
            if key not in other:
                other[key] = {
                    "agency": resp.agency,
                    "agency_text": resp.agency_text,
                    "role": resp.role,
                    "task": resp.task,
                    "evidence": evidence_to_json(resp.evidence),
                }
        elif (resp.agency, resp.role) not in known:
            known[(resp.agency, resp.role)] = {
                "agency": resp.agency,
                "role": resp.role,
                "task": resp.task,
                "evidence": evidence_to_json(resp.evidence),
            }
    return list(known.values()), list(other.values())


def extraction_to_json(ex: Extraction) -> dict[str, Any]:
    """The JSON-safe record of one document's extraction (see the module docstring)."""
    responsibilities, other_responsibilities = responsibilities_to_json(ex.responsibilities)
    return {
        "file": ex.file,
        "kind": ex.kind,
        "title": ex.title,
        "issuer": _issuer_to_json(ex.issuer),
        "plan_number": ex.plan_number,
        "issue_date": _date(ex.issue_date),
        "published_date": _date(ex.published_date),
        "plan_year": ex.plan_year,
        "author": ex.author,
        "channels": mentions_to_json(ex.channels),
        "themes": mentions_to_json(ex.themes),
        "audiences": mentions_to_json(ex.audiences),
        "platforms": platform_ids(ex.platforms),
        "responsibilities": responsibilities,
        "other_responsibilities": other_responsibilities,
        "doc_id": ex.doc_id,
        "source_name": ex.source_name,
        "extractor_version": ex.extractor_version,
        "codebook_version": ex.codebook_version,
        "synthetic": ex.synthetic,
    }
