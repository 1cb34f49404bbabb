"""Typed records passed between ETL steps.

Every fact points back at the cleaned text of its document through a character span
(`Evidence.start`/`Evidence.end`, Python string offsets into `RawDocument.text`), so a number
on a chart can always be traced to the sentence that produced it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

_CHUNK = 1 << 20


def document_id(data: bytes) -> str:
    """A document's id: the sha256 of its bytes, so identical files share it wherever they
    are (the build, the uploads' duplicate check and the extraction cache all use this)."""
    return hashlib.sha256(data).hexdigest()


def file_document_id(path: Path | str) -> str:
    """`document_id` of the file at `path`, read in chunks; OSError when it cannot be read."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


class DocumentError(Exception):
    """A document that cannot be read or extracted; names the file and the problem."""

    def __init__(self, path: Path | str, problem: str) -> None:
        super().__init__(f"{path}: {problem}")
        self.path = str(path)
        self.problem = problem


@dataclass(frozen=True, slots=True)
class Evidence:
    """A span of the cleaned document text: `text == doc.text[start:end]`."""

    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class RawDocument:
    """A document as read from disk, decoded and repaired (the raw file is never changed)."""

    doc_id: str  # sha256 of the file's bytes
    path: str  # as given on disk
    relpath: str  # relative to the documents folder, '/'-separated
    fmt: str  # 'txt' | 'html'
    size_bytes: int
    encoding: str  # detected source encoding
    text: str  # cleaned text: the reference for every evidence span
    meta: dict[str, str] = field(default_factory=dict)  # e.g. html <title>, og:date, author


@dataclass(frozen=True, slots=True)
class ManifestRow:
    """One row of an optional manifest.csv beside the documents; empty values are None."""

    file: str
    url: str | None = None
    locality: str | None = None
    published_date: date | None = None
    title: str | None = None
    author: str | None = None
    kind: str | None = None
    synthetic: bool = False


@dataclass(frozen=True, slots=True)
class Mention:
    """A codebook category (channel/theme/audience/platform) found in a document."""

    category: str  # 'channel' | 'theme' | 'audience' | 'platform'
    id: str
    evidence: Evidence
    rule: str  # the codebook pattern id that matched


@dataclass(frozen=True, slots=True)
class Responsibility:
    """An agency given a role by the plan."""

    agency: str  # codebook agency id, or 'other'
    agency_text: str  # the agency as written
    role: str  # 'lead' | 'coordinate' | 'implement'
    task: str  # the task text (the clause that assigns it)
    evidence: Evidence


@dataclass(frozen=True, slots=True)
class Issuer:
    name: str | None = None  # e.g. "UBND thành phố Bạc Liêu"
    level: str | None = None  # province | district | commune | department
    province_code: str | None = None  # 63-province era, 2 digits
    district_code: str | None = None  # 63-province era, 3 digits
    commune_code: str | None = None  # 5 digits, where resolvable
    province_code_2025: str | None = None  # the province since 1 July 2025
    source: str | None = None  # where the locality came from: text|title|outlet|manifest
    evidence: Evidence | None = None


@dataclass(slots=True)
class Extraction:
    """Everything extracted from one document."""

    doc_id: str
    file: str
    kind: str = "other"  # plan | report | directive | other
    title: str | None = None
    issuer: Issuer = field(default_factory=Issuer)
    plan_number: str | None = None
    issue_date: date | None = None
    published_date: date | None = None
    plan_year: int | None = None
    author: str | None = None
    source_name: str | None = None  # "Theo X": the outlet relayed, not an author
    channels: list[Mention] = field(default_factory=list)
    themes: list[Mention] = field(default_factory=list)
    audiences: list[Mention] = field(default_factory=list)
    platforms: list[Mention] = field(default_factory=list)
    responsibilities: list[Responsibility] = field(default_factory=list)
    # evidence for single-valued fields: 'title', 'plan_number', 'issue_date', ...
    field_evidence: dict[str, Evidence] = field(default_factory=dict)
    synthetic: bool = False
    extractor_version: str = ""
    codebook_version: str = ""
