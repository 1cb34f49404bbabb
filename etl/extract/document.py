"""Extraction of one document: layout -> single fields -> categories -> responsibilities.

Pure and deterministic: the same document and manifest row always give the same result.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

from etl import EXTRACTOR_VERSION
from etl.codebook import load_codebook
from etl.extract import metadata
from etl.extract.categories import extract_mentions
from etl.extract.issuer import resolve_issuer
from etl.extract.responsibilities import extract_responsibilities
from etl.models import Evidence, Extraction, ManifestRow, RawDocument
from etl.text.layout import analyse
from etl.text.views import TextViews

KINDS = ("plan", "report", "directive", "other")


def _parse_iso(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def extract_document(raw: RawDocument, manifest: ManifestRow | None = None) -> Extraction:
    text = raw.text
    views = TextViews.of(text)
    layout = analyse(text)
    evidence: dict[str, Evidence] = {}

    title = layout.title.text if layout.title else None
    if layout.title:
        evidence["title"] = Evidence(layout.title.start, layout.title.end, layout.title.text)
    if not title and raw.meta.get("title"):
        title = raw.meta["title"]

    number = metadata.find_plan_number(views, layout)
    if number:
        evidence["plan_number"] = Evidence(
            number.start, number.end, text[number.start : number.end]
        )
    sentence = metadata.plan_sentence(views, layout, number)

    published = metadata.published_date(views, layout)
    published_date = published[0] if published else _parse_iso(raw.meta.get("date"))
    if published:
        evidence["published_date"] = published[1]

    year_named = metadata.named_year(views, [s for s in [sentence] if s] + layout.fact_zones[:1])
    issue_hit = metadata.issue_date(views, layout, sentence, number)

    # the gold rule: plan_year = the year named, else the issue date's, else publication's;
    # a day/month without a year takes the publication year, else the plan year
    issue_date = None
    if issue_hit is not None:
        default_year = (
            published_date.year if published_date else (year_named[0] if year_named else None)
        )
        issue_date = issue_hit.resolve(issue_hit.year or default_year)
        evidence["issue_date"] = Evidence(
            issue_hit.start, issue_hit.end, text[issue_hit.start : issue_hit.end]
        )
    if year_named:
        plan_year: int | None = year_named[0]
        evidence["plan_year"] = year_named[1]
    elif issue_date:
        plan_year = issue_date.year
    elif published_date:
        plan_year = published_date.year
    else:
        plan_year = None

    kind = metadata.document_kind(views, layout, sentence)

    plan_code = number.value.split("KH-", 1)[-1] if number else None
    reference = issue_date or published_date
    era = None
    if reference is not None or plan_year is not None:
        era = "2025" if _after_merger(reference, plan_year) else "legacy"
    issuer = resolve_issuer(
        views, layout, sentence, plan_code, manifest.locality if manifest else None, era
    )
    if issuer.evidence:
        evidence["issuer"] = issuer.evidence
    if issuer.level == "commune" and _after_merger(issue_date or published_date, plan_year):
        # districts were abolished on 1 July 2025: a commune then belongs to no district
        issuer = replace(issuer, district_code=None)

    zones = layout.fact_zones
    mentions = extract_mentions(views, zones)
    responsibilities = extract_responsibilities(views, metadata.responsibility_zones(layout))

    author = layout.author or raw.meta.get("author")
    if layout.byline:
        evidence["author"] = Evidence(layout.byline.start, layout.byline.end, layout.byline.text)

    extraction = Extraction(
        doc_id=raw.doc_id,
        file=raw.relpath,
        kind=kind,
        title=title,
        issuer=issuer,
        plan_number=number.value if number else None,
        issue_date=issue_date,
        published_date=published_date,
        plan_year=plan_year,
        author=author,
        source_name=layout.source_name,
        channels=mentions["channel"],
        themes=mentions["theme"],
        audiences=mentions["audience"],
        platforms=mentions["platform"],
        responsibilities=responsibilities,
        field_evidence=evidence,
        extractor_version=EXTRACTOR_VERSION,
        codebook_version=load_codebook().version,
    )
    if manifest is not None:
        _apply_manifest(extraction, manifest)
    return extraction


MERGER_DATE = date(2025, 7, 1)


def _after_merger(reference: date | None, plan_year: int | None) -> bool:
    if reference is not None:
        return reference >= MERGER_DATE
    return plan_year is not None and plan_year > MERGER_DATE.year


def _apply_manifest(extraction: Extraction, row: ManifestRow) -> None:
    """The manifest fills or overrides what the text does not say."""
    if row.published_date:
        extraction.published_date = row.published_date
        if extraction.plan_year is None:
            extraction.plan_year = row.published_date.year
    if row.title and not extraction.title:
        extraction.title = row.title
    if row.author:
        extraction.author = row.author
    if row.kind in KINDS:
        extraction.kind = row.kind
    extraction.synthetic = row.synthetic


def extract_file(path: Path) -> Extraction:
    from etl.reading.document import read_document

    return extract_document(read_document(path, root=path.parent))
