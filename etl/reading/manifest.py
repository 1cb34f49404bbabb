"""The optional `manifest.csv` beside the documents: what is known about each file.

Columns (header names are case-insensitive; extra columns are ignored):

- `file` (required): the document's path relative to the documents folder; './' prefixes and
  backslashes are normalised, so 'sub\\a.html' and './sub/a.html' both key 'sub/a.html';
- `url`, `locality`, `title`, `author`, `kind`: free text;
- `published_date`: YYYY-MM-DD or DD/MM/YYYY (D/M/YYYY too);
- `synthetic`: true/false, 1/0, yes/no, y/n (empty: false).

Empty cells become None. A malformed manifest raises `DocumentError` naming manifest.csv and
the line and problem: callers record it as a load error and carry on without the manifest.
"""

from __future__ import annotations

import csv
import posixpath
import re
import unicodedata
from datetime import date
from pathlib import Path
from typing import TextIO

from etl.models import DocumentError, ManifestRow
from etl.reading.discover import MANIFEST_NAME

__all__ = ["MANIFEST_NAME", "manifest_key", "read_manifest"]

_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_VN_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_TRUE = frozenset({"true", "1", "yes", "y"})
_FALSE = frozenset({"false", "0", "no", "n"})
_TEXT_COLUMNS = ("url", "locality", "title", "author", "kind")


def manifest_key(file: str) -> str:
    """The key of a document path in the manifest: '/'-separated, normalised, NFC.

    Use it on a document's relpath to look up its row: file names written on macOS are
    often NFD on disk while the manifest was typed in NFC.
    """
    key = unicodedata.normalize("NFC", file.strip().replace("\\", "/"))
    key = posixpath.normpath(key) if key else key
    while key.startswith("./"):
        key = key[2:]
    return "" if key == "." else key


def read_manifest(root: Path) -> dict[str, ManifestRow]:
    """Read `root/manifest.csv` into rows keyed by `manifest_key(file)`; {} when absent."""
    path = Path(root) / MANIFEST_NAME
    if not path.is_file():
        return {}
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            return _parse(handle, path)
    except UnicodeDecodeError as err:
        raise DocumentError(path, f"not UTF-8 text ({err.reason} at byte {err.start})") from None
    except csv.Error as err:
        raise DocumentError(path, f"malformed CSV: {err}") from None
    except OSError as err:
        raise DocumentError(path, f"cannot read: {err.strerror or err}") from None


def _parse(handle: TextIO, path: Path) -> dict[str, ManifestRow]:
    reader = csv.reader(handle)
    header = next(reader, None)
    if header is None:
        raise DocumentError(path, "empty manifest: no header row")
    columns = [unicodedata.normalize("NFC", name).strip().lower() for name in header]
    if "file" not in columns:
        raise DocumentError(path, f"missing the 'file' column (header: {', '.join(header)})")
    wanted = {"file", "published_date", "synthetic", *_TEXT_COLUMNS}
    index = {name: columns.index(name) for name in wanted if name in columns}

    rows: dict[str, ManifestRow] = {}
    for cells in reader:
        line = reader.line_num
        if not any(value.strip() for value in cells):
            continue  # blank line
        values = {name: _cell(cells, position) for name, position in index.items()}
        raw_file = values.get("file")
        if raw_file is None:
            raise DocumentError(path, f"line {line}: empty 'file' cell")
        key = manifest_key(raw_file)
        if not key or key.startswith("../") or key == "..":
            raise DocumentError(path, f"line {line}: bad file path {raw_file!r}")
        row = ManifestRow(
            file=key,
            published_date=_parse_date(values.get("published_date"), path, line),
            synthetic=_parse_bool(values.get("synthetic"), path, line),
            url=values.get("url"),
            locality=values.get("locality"),
            title=values.get("title"),
            author=values.get("author"),
            kind=values.get("kind"),
        )
        previous = rows.get(key)
        if previous is not None and previous != row:
            raise DocumentError(path, f"line {line}: {key!r} is listed twice, differently")
        rows[key] = row
    return rows


def _cell(cells: list[str], position: int) -> str | None:
    if position >= len(cells):
        return None
    value = unicodedata.normalize("NFC", cells[position]).strip()
    return value or None


def _parse_date(value: str | None, path: Path, line: int) -> date | None:
    if value is None:
        return None
    try:
        if match := _ISO_DATE.fullmatch(value):
            year, month, day = (int(part) for part in match.groups())
            return date(year, month, day)
        if match := _VN_DATE.fullmatch(value):
            day, month, year = (int(part) for part in match.groups())
            return date(year, month, day)
    except ValueError:
        pass
    raise DocumentError(
        path, f"line {line}: bad published_date {value!r} (expected YYYY-MM-DD or DD/MM/YYYY)"
    )


def _parse_bool(value: str | None, path: Path, line: int) -> bool:
    if value is None:
        return False
    lowered = value.lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise DocumentError(path, f"line {line}: bad synthetic value {value!r} (expected true/false)")
