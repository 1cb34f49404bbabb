"""Extractions -> one pandas DataFrame per warehouse table, with exact column types.

Pure functions, no I/O. Every column is Arrow-backed (`pd.ArrowDtype`), so the DataFrames carry
the very types of `sql/schema.sql` (VARCHAR = string, or large_string for documents.text;
DATE = date32; INTEGER = int32; BIGINT = int64; BOOLEAN = bool; DOUBLE = float64) and DuckDB
inserts them without guessing.
`TABLES` is the column list of each table; a unit test checks it against schema.sql.

Rows are sorted (documents by relpath, facts by document then position), so the output does
not depend on the order of the input.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

import pyarrow as pa

from etl.load.plans import group_plans
from etl.models import Evidence, Extraction, ManifestRow, Mention, RawDocument

if TYPE_CHECKING:  # pandas is imported where a DataFrame is made: the build's workers, which
    # only turn extractions into row tuples, never pay for importing it
    import pandas as pd

S = pa.string()
LS = pa.large_string()  # document texts: no 2 GB limit per column chunk
D = pa.date32()
I32 = pa.int32()
I64 = pa.int64()
B = pa.bool_()
F = pa.float64()

_EVIDENCE = (("evidence_start", I32), ("evidence_end", I32), ("evidence_text", S))
_VERSIONS = (("extractor_version", S), ("codebook_version", S))


def _mention_columns(category: str) -> tuple[tuple[str, pa.DataType], ...]:
    return (
        ("plan_id", S),
        ("doc_id", S),
        (f"{category}_id", S),
        ("rule", S),
        *_EVIDENCE,
        *_VERSIONS,
    )


# table -> its columns in schema order, with their Arrow types
TABLES: dict[str, tuple[tuple[str, pa.DataType], ...]] = {
    "documents": (
        ("doc_id", S),
        ("relpath", S),
        ("fmt", S),
        ("size_bytes", I64),
        ("encoding", S),
        ("url", S),
        ("title", S),
        ("kind", S),
        ("published_date", D),
        ("author", S),
        ("source_name", S),
        ("synthetic", B),
        ("plan_id", S),
        ("plan_number", S),
        ("issue_date", D),
        ("plan_year", I32),
        ("issuer_name", S),
        ("issuer_level", S),
        ("province_code", S),
        ("district_code", S),
        ("commune_code", S),
        ("province_code_2025", S),
        ("locality_source", S),
        ("text", LS),
        *_VERSIONS,
    ),
    "duplicate_files": (("relpath", S), ("doc_id", S), ("kept_relpath", S)),
    "plans": (
        ("plan_id", S),
        ("kind", S),
        ("plan_number", S),
        ("title", S),
        ("issuer_name", S),
        ("issuer_level", S),
        ("province_code", S),
        ("district_code", S),
        ("commune_code", S),
        ("province_code_2025", S),
        ("issue_date", D),
        ("plan_year", I32),
        ("published_date", D),
        ("n_sources", I32),
        ("synthetic", B),
    ),
    "plan_sources": (
        ("plan_id", S),
        ("doc_id", S),
        ("relpath", S),
        ("url", S),
        ("published_date", D),
    ),
    "localities": (
        ("era", S),
        ("level", S),
        ("code", S),
        ("name", S),
        ("short_name", S),
        ("name_en", S),
        ("type_word", S),
        ("province_code", S),
        ("district_code", S),
        ("province_code_2025", S),
        ("region_id", S),
        ("region_vi", S),
        ("region_en", S),
        ("lat", F),
        ("lon", F),
        ("is_centrally_run_city", B),
    ),
    "locality_crosswalk": (
        ("province_code", S),
        ("province_name", S),
        ("province_code_2025", S),
        ("province_name_2025", S),
    ),
    "codebook": (
        ("category", S),
        ("id", S),
        ("group_id", S),
        ("group_vi", S),
        ("group_en", S),
        ("label_vi", S),
        ("label_en", S),
        ("description", S),
    ),
    "channel_mentions": _mention_columns("channel"),
    "theme_mentions": _mention_columns("theme"),
    "audience_mentions": _mention_columns("audience"),
    "platform_mentions": _mention_columns("platform"),
    "responsibilities": (
        ("plan_id", S),
        ("doc_id", S),
        ("agency_id", S),
        ("agency_text", S),
        ("role", S),
        ("task", S),
        *_EVIDENCE,
        *_VERSIONS,
    ),
    "field_evidence": (
        ("doc_id", S),
        ("field", S),
        ("value", S),
        *_EVIDENCE,
    ),
    "load_errors": (("relpath", S), ("stage", S), ("problem", S)),
    "build_info": (("key", S), ("value", S)),
}

# the fact tables: mention list of an Extraction -> table
MENTION_TABLES: dict[str, str] = {
    "channels": "channel_mentions",
    "themes": "theme_mentions",
    "audiences": "audience_mentions",
    "platforms": "platform_mentions",
}
FACT_TABLES: tuple[str, ...] = (*MENTION_TABLES.values(), "responsibilities")

# the tables that `extractions_to_frames` builds
EXTRACTION_TABLES: tuple[str, ...] = (
    "documents",
    "plans",
    "plan_sources",
    *FACT_TABLES,
    "field_evidence",
)

_URL_META_KEYS = ("url", "og:url", "canonical")

# columns that `conform` fills with NULL when the source frame lacks them
OPTIONAL_COLUMNS: dict[str, frozenset[str]] = {"codebook": frozenset({"group_vi", "group_en"})}


def arrow_table(table: str, rows: Iterable[Sequence[Any]]) -> pa.Table:
    """An Arrow table of `table` from row tuples in schema column order."""
    columns = TABLES[table]
    rows = list(rows)
    arrays = {
        name: pa.array([row[i] for row in rows], type=arrow_type)
        for i, (name, arrow_type) in enumerate(columns)
    }
    return pa.table(arrays)


def frame(table: str, rows: Iterable[Sequence[Any]]) -> pd.DataFrame:
    """A DataFrame of `table` from row tuples in schema column order."""
    import pandas as pd

    return arrow_table(table, rows).to_pandas(types_mapper=pd.ArrowDtype)


def conform(table: str, data: pd.DataFrame) -> pd.DataFrame:
    """`data` with exactly the columns of `table`, in order, cast to their types.

    For the frames other modules produce (gazetteer, codebook). Missing columns raise
    KeyError (except OPTIONAL_COLUMNS, then NULL); extra columns are dropped.
    """
    import pandas as pd

    columns = TABLES[table]
    optional = OPTIONAL_COLUMNS.get(table, frozenset())
    missing = [name for name, _ in columns if name not in data.columns and name not in optional]
    if missing:
        raise KeyError(f"{table}: missing columns {missing}")
    arrays = {}
    for name, arrow_type in columns:
        if name not in data.columns:
            arrays[name] = pa.nulls(len(data), type=arrow_type)
            continue
        values = [None if _is_missing(v, pd.isna) else v for v in data[name].tolist()]
        if pa.types.is_string(arrow_type):
            values = [None if v is None else str(v) for v in values]
        arrays[name] = pa.array(values, type=arrow_type)
    return pa.table(arrays).to_pandas(types_mapper=pd.ArrowDtype)


def _is_missing(value: Any, isna: Callable[[Any], Any]) -> bool:
    """None, or a value `isna` (pandas.isna, imported by the caller) calls missing."""
    if value is None:
        return True
    try:
        return bool(isna(value))
    except (TypeError, ValueError):
        return False


def apply_manifest(
    raw: RawDocument, extraction: Extraction, row: ManifestRow | None
) -> tuple[RawDocument, Extraction]:
    """Fill what the extraction left empty from the document's manifest row (copies).

    The extractor already sees the manifest; this only fills its gaps: title,
    published_date, author, kind (when 'other'), synthetic (either says so). The manifest url
    goes to `raw.meta['url']`, where the documents table reads it.
    """
    if row is None:
        return raw, extraction
    if row.url and raw.meta.get("url") != row.url:
        raw = dataclasses.replace(raw, meta={**raw.meta, "url": row.url})
    extraction = dataclasses.replace(
        extraction,
        title=extraction.title or row.title,
        published_date=extraction.published_date or row.published_date,
        author=extraction.author or row.author,
        kind=row.kind if extraction.kind in ("", "other") and row.kind else extraction.kind,
        synthetic=extraction.synthetic or row.synthetic,
    )
    return raw, extraction


def _span_ok(raw: RawDocument, evidence: Evidence) -> bool:
    return (
        0 <= evidence.start <= evidence.end <= len(raw.text)
        and raw.text[evidence.start : evidence.end] == evidence.text
    )


def check_evidence(raw: RawDocument, extraction: Extraction) -> tuple[Extraction, list[str]]:
    """Drop the facts whose evidence is not `raw.text[start:end]`; say which ones.

    Every number of the dashboard must lead to its sentence, so a fact that does not is not
    loaded. Returns the (copied, when changed) extraction and one message per dropped fact.
    """
    problems: list[str] = []
    changes: dict[str, Any] = {}
    for attr in MENTION_TABLES:
        mentions: list[Mention] = getattr(extraction, attr)
        kept = [m for m in mentions if _span_ok(raw, m.evidence)]
        for m in mentions:
            if not _span_ok(raw, m.evidence):
                problems.append(_bad_span(f"{m.category} '{m.id}'", m.evidence))
        if len(kept) != len(mentions):
            changes[attr] = kept
    resps = extraction.responsibilities
    kept_resps = [r for r in resps if _span_ok(raw, r.evidence)]
    for r in resps:
        if not _span_ok(raw, r.evidence):
            problems.append(_bad_span(f"responsibility '{r.agency}/{r.role}'", r.evidence))
    if len(kept_resps) != len(resps):
        changes["responsibilities"] = kept_resps
    fields = {k: ev for k, ev in extraction.field_evidence.items() if _span_ok(raw, ev)}
    for key, ev in extraction.field_evidence.items():
        if key not in fields:
            problems.append(_bad_span(f"field '{key}'", ev))
    if len(fields) != len(extraction.field_evidence):
        changes["field_evidence"] = fields
    issuer_ev = extraction.issuer.evidence
    if issuer_ev is not None and not _span_ok(raw, issuer_ev):
        problems.append(_bad_span("issuer", issuer_ev))
        changes["issuer"] = dataclasses.replace(extraction.issuer, evidence=None)
    if changes:
        extraction = dataclasses.replace(extraction, **changes)
    return extraction, problems


def _bad_span(what: str, evidence: Evidence) -> str:
    return (
        f"{what}: evidence [{evidence.start}:{evidence.end}] {evidence.text[:40]!r} "
        "is not that span of the text; fact dropped"
    )


def document_url(raw: RawDocument) -> str | None:
    for key in _URL_META_KEYS:
        value = raw.meta.get(key)
        if value:
            return value
    return None


def field_value(extraction: Extraction, name: str) -> str | None:
    """The value of a single-valued field as text: 'plan_number', 'issue_date', 'issuer',
    'issuer.level', ...; None when the field is not a scalar of the extraction."""
    if name == "issuer":
        name = "issuer.name"
    target: Any = extraction
    for part in name.split("."):
        if not hasattr(target, part) or part.startswith("_"):
            return None
        target = getattr(target, part)
    if target is None or isinstance(target, str):
        return target
    if isinstance(target, bool):
        return "true" if target else "false"
    if isinstance(target, date | int | float):
        return target.isoformat() if isinstance(target, date) else str(target)
    return None


def _mention_key(mention: Mention) -> tuple[int, int, str, str]:
    return (mention.evidence.start, mention.evidence.end, mention.id, mention.rule)


# the tables of one document's rows (`document_rows`); plans and plan_sources need them all
DOCUMENT_TABLES: tuple[str, ...] = ("documents", *FACT_TABLES, "field_evidence")

PlanItem = tuple[RawDocument, Extraction, str]  # (raw, extraction, plan_id)


def document_rows(raw: RawDocument, ex: Extraction, pid: str) -> dict[str, list[tuple[Any, ...]]]:
    """One document's rows of each DOCUMENT_TABLES table: facts in text order."""
    rows: dict[str, list[tuple[Any, ...]]] = {table: [] for table in DOCUMENT_TABLES}
    versions = (ex.extractor_version, ex.codebook_version)
    issuer = ex.issuer
    rows["documents"].append(
        (
            raw.doc_id,
            raw.relpath,
            raw.fmt,
            raw.size_bytes,
            raw.encoding,
            document_url(raw),
            ex.title,
            ex.kind or "other",
            ex.published_date,
            ex.author,
            ex.source_name,
            ex.synthetic,
            pid,
            ex.plan_number,
            ex.issue_date,
            ex.plan_year,
            issuer.name,
            issuer.level,
            issuer.province_code,
            issuer.district_code,
            issuer.commune_code,
            issuer.province_code_2025,
            issuer.source,
            raw.text,
            *versions,
        )
    )
    for attr, table in MENTION_TABLES.items():
        for m in sorted(getattr(ex, attr), key=_mention_key):
            ev = m.evidence
            rows[table].append(
                (pid, raw.doc_id, m.id, m.rule, ev.start, ev.end, ev.text, *versions)
            )
    for r in sorted(
        ex.responsibilities,
        key=lambda r: (r.evidence.start, r.evidence.end, r.agency, r.role, r.agency_text),
    ):
        ev = r.evidence
        fact = (pid, raw.doc_id, r.agency, r.agency_text, r.role, r.task)
        rows["responsibilities"].append((*fact, ev.start, ev.end, ev.text, *versions))
    evidence = dict(ex.field_evidence)
    if issuer.evidence is not None:
        evidence.setdefault("issuer", issuer.evidence)
    for name in sorted(evidence):
        ev = evidence[name]
        rows["field_evidence"].append(
            (raw.doc_id, name, field_value(ex, name), ev.start, ev.end, ev.text)
        )
    return rows


def plan_stub(raw: RawDocument, ex: Extraction, pid: str) -> PlanItem:
    """What plan grouping and plan_sources read of a document, without its text and facts:
    the build keeps one per document, not the whole document."""
    light_raw = dataclasses.replace(raw, text="", meta={"url": document_url(raw) or ""})
    light_ex = dataclasses.replace(
        ex,
        channels=[],
        themes=[],
        audiences=[],
        platforms=[],
        responsibilities=[],
        field_evidence={},
    )
    return light_raw, light_ex, pid


def plan_tables(items: Sequence[PlanItem]) -> dict[str, list[tuple[Any, ...]]]:
    """Rows of `plans` and `plan_sources` from every document's (raw, extraction, plan_id)."""
    sources = [
        (pid, raw.doc_id, raw.relpath, document_url(raw), ex.published_date)
        for raw, ex, pid in items
    ]
    sources.sort(key=lambda row: (row[0], row[4] is None, row[4] or date.min, row[2]))
    plans = [
        (
            p.plan_id,
            p.kind,
            p.plan_number,
            p.title,
            p.issuer_name,
            p.issuer_level,
            p.province_code,
            p.district_code,
            p.commune_code,
            p.province_code_2025,
            p.issue_date,
            p.plan_year,
            p.published_date,
            p.n_sources,
            p.synthetic,
        )
        for p in group_plans(items)
    ]
    return {"plans": plans, "plan_sources": sources}


def extractions_to_frames(items: list[PlanItem]) -> dict[str, pd.DataFrame]:
    """The tables of EXTRACTION_TABLES from (raw, extraction, plan_id) triples, one per document.

    Raises ValueError when two items share a doc_id (deduplicate copies first).
    """
    items = sorted(items, key=lambda item: (item[0].relpath, item[0].doc_id))
    seen: set[str] = set()
    for raw, _, _ in items:
        if raw.doc_id in seen:
            raise ValueError(f"document {raw.doc_id} ({raw.relpath}) given twice")
        seen.add(raw.doc_id)

    rows: dict[str, list[tuple[Any, ...]]] = {table: [] for table in EXTRACTION_TABLES}
    for raw, ex, pid in items:
        for table, table_rows in document_rows(raw, ex, pid).items():
            rows[table].extend(table_rows)
    rows.update(plan_tables(items))
    return {table: frame(table, rows[table]) for table in EXTRACTION_TABLES}


def errors_frame(errors: Iterable[tuple[str, str, str]]) -> pd.DataFrame:
    return frame("load_errors", sorted(errors))


def duplicates_frame(duplicates: Iterable[tuple[str, str, str]]) -> pd.DataFrame:
    """(relpath of the skipped copy, doc_id, relpath of the loaded copy) rows."""
    return frame("duplicate_files", sorted(duplicates))


def build_info_frame(info: Mapping[str, str | None]) -> pd.DataFrame:
    return frame("build_info", sorted(info.items()))
