"""Read one document from disk into a `RawDocument` (decoded, main text, repaired)."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from etl.models import DocumentError, RawDocument
from etl.reading.decode import decode_bytes
from etl.reading.html import html_to_text
from etl.text.repair import repair

__all__ = ["DEFAULT_MAX_BYTES", "read_document"]

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
_HTML_SUFFIXES = frozenset({".html", ".htm"})
_MB = 1024 * 1024


def read_document(path: Path, root: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> RawDocument:
    """Read, decode and clean the document at `path` (under the documents folder `root`).

    The file is read once; `doc_id` is the sha256 of its bytes, so identical files share an
    id wherever they are. HTML pages are reduced to their main text and metadata. Raises
    `DocumentError` when the file vanished, cannot be read, is larger than `max_bytes`
    (checked before reading), is empty, binary or undecodable, or has no text after cleaning.
    """
    path = Path(path)
    try:
        size = os.stat(path).st_size
        if size > max_bytes:
            raise DocumentError(path, _too_large(size, max_bytes))
        with open(path, "rb") as handle:
            data = handle.read(max_bytes + 1)  # the file may grow after stat
    except FileNotFoundError:
        raise DocumentError(path, "file disappeared during the build") from None
    except IsADirectoryError:
        raise DocumentError(path, "is a directory, not a file") from None
    except OSError as err:
        raise DocumentError(path, f"cannot read: {err.strerror or err}") from None
    if len(data) > max_bytes:
        raise DocumentError(path, _too_large(len(data), max_bytes))

    size = len(data)
    doc_id = hashlib.sha256(data).hexdigest()
    text, encoding = decode_bytes(data, path)
    del data  # the bytes are not needed any more: lower the peak memory for HTML
    fmt = "html" if path.suffix.lower() in _HTML_SUFFIXES else "txt"
    meta: dict[str, str] = {}
    if fmt == "html":
        text, meta = html_to_text(text, path)
    text = repair(text)
    if not text:
        raise DocumentError(path, "no text after cleaning")
    return RawDocument(
        doc_id=doc_id,
        path=str(path),
        relpath=_relpath(path, Path(root)),
        fmt=fmt,
        size_bytes=size,
        encoding=encoding,
        text=text,
        meta=meta,
    )


def _relpath(path: Path, root: Path) -> str:
    """`path` relative to `root`, '/'-separated ('../' when it is not under `root`)."""
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        pass
    try:
        return Path(os.path.relpath(path.resolve(), root.resolve())).as_posix()
    except (ValueError, OSError):  # another drive on Windows
        return path.name


def _too_large(size: int, limit: int) -> str:
    return f"file too large: {_format_size(size)} (limit {_format_size(limit, trim=True)})"


def _format_size(size: int, trim: bool = False) -> str:
    if size >= _MB:
        value, unit = size / _MB, "MB"
    elif size >= 1024:
        value, unit = size / 1024, "KB"
    else:
        return f"{size} bytes"
    shown = f"{value:.1f}"
    if trim and shown.endswith(".0"):
        shown = shown[:-2]
    return f"{shown} {unit}"
