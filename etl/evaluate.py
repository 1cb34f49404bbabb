"""Score extraction against hand-made gold labels (the `cchc-atlas evaluate` command).

`evaluate(docs, gold)` reads and extracts every document the gold file names and hands the
records to `score`, a pure function over `extraction_to_json` dicts.

Gold format (../shared/gold/seeds.yaml): a list of entries with `file`, `issuer` {level,
province_code, district_code, province_code_2025}, `kind`, `plan_number`, `issue_date`,
`published_date`, `plan_year`, `author`; the set fields `channels`, `themes`, `audiences`,
`responsibilities` as {required: [...], optional: [...]} (responsibilities as [agency, role]
pairs) and `platforms` as a plain list (every id required).

Scoring rule (from the gold file's header):
- Set fields, micro-averaged over the documents: a required id the extraction misses is a
  false negative (FN); an extracted id in neither `required` nor `optional` is a false positive
  (FP); an optional id counts neither way. A plain list means every id is required.
- Zero denominators: precision is 1.0 when nothing was extracted (no claim was wrong); recall
  is 1.0 when nothing was required (nothing was missed); F1 = 2TP / (2TP + FP + FN), and 1.0
  when TP = FP = FN = 0. So F1 is 1.0 exactly when there is no FP and no FN, and an empty
  extraction against an empty gold scores 1.0 on all three.
- Single fields: right or wrong; accuracy = right / total (1.0 when total is 0). Values are
  compared as strings: dates as 'YYYY-MM-DD', codes and years as written; None (null) equals
  only None, and an empty or blank string counts as None. `author` is compared after NFC and
  whitespace folding (runs of whitespace -> one space, ends stripped), exactly otherwise;
  other strings are only stripped.
- A field absent from a gold entry is not labelled there and is not scored for that entry.
- A document that cannot be found, read or extracted is a miss for every field of its entry:
  each single field counts wrong, and each required id is a false negative.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import yaml

# (name in the report, path in the gold entry / the extraction record)
SINGLE_FIELDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("kind", ("kind",)),
    ("issuer.level", ("issuer", "level")),
    ("issuer.province_code", ("issuer", "province_code")),
    ("issuer.district_code", ("issuer", "district_code")),
    ("issuer.province_code_2025", ("issuer", "province_code_2025")),
    ("plan_number", ("plan_number",)),
    ("issue_date", ("issue_date",)),
    ("published_date", ("published_date",)),
    ("plan_year", ("plan_year",)),
    ("author", ("author",)),
)
SINGLE_FIELD_NAMES: tuple[str, ...] = tuple(name for name, _ in SINGLE_FIELDS)
SET_FIELDS: tuple[str, ...] = ("channels", "themes", "audiences", "responsibilities", "platforms")

_ABSENT = object()  # a key missing from a gold entry (not labelled), unlike an explicit null

SetItem = str | tuple[str, str]


# --------------------------------------------------------------------------- report


@dataclass(frozen=True, slots=True)
class SetScore:
    """Micro counts of one set field over all documents."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        extracted = self.tp + self.fp
        return 1.0 if extracted == 0 else self.tp / extracted

    @property
    def recall(self) -> float:
        required = self.tp + self.fn
        return 1.0 if required == 0 else self.tp / required

    @property
    def f1(self) -> float:
        denominator = 2 * self.tp + self.fp + self.fn
        return 1.0 if denominator == 0 else 2 * self.tp / denominator

    def to_json(self) -> dict[str, Any]:
        return {
            "precision": self.precision,
            "recall": self.recall,
            "f1": self.f1,
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
        }


@dataclass(frozen=True, slots=True)
class SingleScore:
    """Right / total of one single-valued field over all documents."""

    right: int = 0
    total: int = 0

    @property
    def accuracy(self) -> float:
        return 1.0 if self.total == 0 else self.right / self.total

    def to_json(self) -> dict[str, Any]:
        return {"accuracy": self.accuracy, "right": self.right, "total": self.total}


@dataclass(frozen=True, slots=True)
class Miss:
    """One error on one document.

    kind: 'wrong' (single field, expected vs got), 'fn' / 'fp' (set field, `value` is the id
    or the [agency, role] pair), 'missing' (single field of a document that could not be read).
    """

    field: str
    kind: str
    expected: Any = None
    got: Any = None
    value: SetItem | None = None

    def to_json(self) -> dict[str, Any]:
        if self.kind in ("fn", "fp"):
            value = list(self.value) if isinstance(self.value, tuple) else self.value
            return {"field": self.field, "kind": self.kind, "value": value}
        return {"field": self.field, "kind": self.kind, "expected": self.expected, "got": self.got}

    def describe(self) -> str:
        if self.kind in ("fn", "fp"):
            value = ":".join(self.value) if isinstance(self.value, tuple) else self.value
            return f"{self.field}: {self.kind.upper()} {value}"
        if self.kind == "missing":
            return f"{self.field}: expected {_show(self.expected)}, got nothing (no document)"
        return f"{self.field}: expected {_show(self.expected)}, got {_show(self.got)}"


def _show(value: Any) -> str:
    return "null" if value is None else repr(value) if isinstance(value, str) else str(value)


@dataclass(frozen=True, slots=True)
class DocumentResult:
    file: str
    misses: tuple[Miss, ...] = ()
    error: str | None = None  # why the document could not be read/extracted

    def to_json(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "error": self.error,
            "misses": [miss.to_json() for miss in self.misses],
        }


@dataclass(frozen=True, slots=True)
class Report:
    set_fields: dict[str, SetScore]
    single_fields: dict[str, SingleScore]
    documents: list[DocumentResult] = field(default_factory=list)

    def misses(self, field_name: str | None = None) -> list[tuple[str, Miss]]:
        """(file, miss) pairs, optionally of one field only."""
        return [
            (doc.file, miss)
            for doc in self.documents
            for miss in doc.misses
            if field_name is None or miss.field == field_name
        ]

    def to_json(self) -> dict[str, Any]:
        return {
            "set_fields": {name: s.to_json() for name, s in self.set_fields.items()},
            "single_fields": {name: s.to_json() for name, s in self.single_fields.items()},
            "documents": [doc.to_json() for doc in self.documents],
        }

    def render(self) -> str:
        width = max([len("field"), *map(len, self.set_fields), *map(len, self.single_fields)])
        lines = ["Set-valued fields (micro-averaged)"]
        lines.append(
            f"{'field':<{width}}  {'P':>6}  {'R':>6}  {'F1':>6}  {'TP':>5}  {'FP':>5}  {'FN':>5}"
        )
        for name, s in self.set_fields.items():
            lines.append(
                f"{name:<{width}}  {s.precision:>6.3f}  {s.recall:>6.3f}  {s.f1:>6.3f}"
                f"  {s.tp:>5}  {s.fp:>5}  {s.fn:>5}"
            )
        lines += ["", "Single-valued fields"]
        lines.append(f"{'field':<{width}}  {'accuracy':>8}  {'right/total':>11}")
        for name, a in self.single_fields.items():
            lines.append(f"{name:<{width}}  {a.accuracy:>8.3f}  {f'{a.right}/{a.total}':>11}")
        lines += ["", "Misses by document"]
        for doc in self.documents:
            if doc.error is not None:
                lines.append(f"{doc.file}: ERROR {doc.error}")
            elif not doc.misses:
                lines.append(f"{doc.file}: no misses")
                continue
            else:
                lines.append(f"{doc.file}:")
            lines.extend(f"  {miss.describe()}" for miss in doc.misses)
        return "\n".join(lines)


# --------------------------------------------------------------------------- scoring


def _lookup(record: Mapping[str, Any], path: Sequence[str], default: Any = None) -> Any:
    value: Any = record
    for key in path:
        if not isinstance(value, Mapping) or key not in value:
            return default
        value = value[key]
    return value


def normalize_single(name: str, value: Any) -> str | None:
    """The comparable form of a single-valued field (see the module docstring)."""
    if value is None:
        return None
    if isinstance(value, datetime):
        text = value.date().isoformat()
    elif isinstance(value, date):
        text = value.isoformat()
    else:
        text = str(value)
    if name == "author":
        text = " ".join(unicodedata.normalize("NFC", text).split())
    else:
        text = text.strip()
    return text or None


def _as_item(field_name: str, value: Any) -> SetItem:
    if field_name == "responsibilities":
        if isinstance(value, Mapping):
            return (str(value["agency"]), str(value["role"]))
        agency, role = value
        return (str(agency), str(role))
    if isinstance(value, Mapping):
        return str(value["id"])
    return str(value)


def gold_set(field_name: str, value: Any) -> tuple[list[SetItem], set[SetItem]]:
    """(required in gold order, optional) of a gold set field; a plain list is all required."""
    if value is None:
        return [], set()
    if isinstance(value, Mapping):
        required_raw = value.get("required") or []
        optional_raw = value.get("optional") or []
    else:
        required_raw, optional_raw = value, []
    required = list(dict.fromkeys(_as_item(field_name, v) for v in required_raw))
    optional = {_as_item(field_name, v) for v in optional_raw} - set(required)
    return required, optional


def predicted_set(field_name: str, record: Mapping[str, Any]) -> list[SetItem]:
    """Unique extracted ids (or (agency, role) pairs) of a record, in record order."""
    values = record.get(field_name) or []
    return list(dict.fromkeys(_as_item(field_name, v) for v in values))


def score(
    gold_entries: Sequence[Mapping[str, Any]],
    predictions: Mapping[str, Mapping[str, Any] | None],
    errors: Mapping[str, str] | None = None,
) -> Report:
    """Score extraction records (`extraction_to_json` dicts, keyed by gold `file`) against gold.

    A gold file absent from `predictions` (or mapped to None) is a missing document; `errors`
    optionally says why (shown in the report).
    """
    errors = errors or {}
    set_counts = {name: [0, 0, 0] for name in SET_FIELDS}  # tp, fp, fn
    single_counts = {name: [0, 0] for name in SINGLE_FIELD_NAMES}  # right, total
    documents: list[DocumentResult] = []

    for entry in gold_entries:
        file = str(entry["file"])
        record = predictions.get(file)
        misses: list[Miss] = []
        error = None
        if record is None:
            error = errors.get(file, "document not found")

        for name, path in SINGLE_FIELDS:
            raw_expected = _lookup(entry, path, _ABSENT)
            if raw_expected is _ABSENT:
                continue
            expected = normalize_single(name, raw_expected)
            counts = single_counts[name]
            counts[1] += 1
            if record is None:
                misses.append(Miss(name, "missing", expected=expected))
                continue
            got = normalize_single(name, _lookup(record, path))
            if got == expected:
                counts[0] += 1
            else:
                misses.append(Miss(name, "wrong", expected=expected, got=got))

        for name in SET_FIELDS:
            if name not in entry:
                continue
            required, optional = gold_set(name, entry[name])
            extracted = [] if record is None else predicted_set(name, record)
            extracted_set = set(extracted)
            counts = set_counts[name]
            for item in required:
                if item in extracted_set:
                    counts[0] += 1
                else:
                    counts[2] += 1
                    misses.append(Miss(name, "fn", value=item))
            required_set = set(required)
            for item in extracted:
                if item not in required_set and item not in optional:
                    counts[1] += 1
                    misses.append(Miss(name, "fp", value=item))

        documents.append(DocumentResult(file=file, misses=tuple(misses), error=error))

    return Report(
        set_fields={name: SetScore(*c) for name, c in set_counts.items()},
        single_fields={name: SingleScore(*c) for name, c in single_counts.items()},
        documents=documents,
    )


# --------------------------------------------------------------------------- I/O


def load_gold(path: Path) -> list[dict[str, Any]]:
    """The gold entries of a seeds.yaml-format file; raises ValueError on a malformed file."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if data is None:
        return []
    if not isinstance(data, list):
        raise ValueError(f"{path}: expected a list of gold entries, got {type(data).__name__}")
    for index, entry in enumerate(data):
        if not isinstance(entry, dict) or not entry.get("file"):
            raise ValueError(f"{path}: entry {index} is not a mapping with a `file`")
    return data


def evaluate(docs: Path, gold: Path) -> Report:
    """Read and extract every document named in `gold` (from `docs`) and score it."""
    from etl.extract.document import extract_document
    from etl.models import DocumentError
    from etl.reading.document import read_document
    from etl.serialize import extraction_to_json

    entries = load_gold(gold)
    predictions: dict[str, dict[str, Any]] = {}
    errors: dict[str, str] = {}
    for entry in entries:
        file = str(entry["file"])
        path = docs / file
        if not path.is_file():
            errors[file] = f"document not found: {path}"
            continue
        try:
            raw = read_document(path, root=docs)
            predictions[file] = extraction_to_json(extract_document(raw, None))
        except DocumentError as err:
            errors[file] = str(err)
    return score(entries, predictions, errors)
