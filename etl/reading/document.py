"""Read one document from disk into a `RawDocument` (decoded, main text, repaired).

Formats, by suffix (case-insensitive):

- `.txt` (and anything else): decoded (`etl.reading.decode`);
- `.html`, `.htm`: decoded, then the main text and metadata (`etl.reading.html`);
- `.docx`: paragraphs and table cells in reading order, one per line (`etl.reading.docx`);
- `.pdf`: the text layer, page by page, pages separated by a blank line (`etl.reading.pdf`);
- `.doc` (Word 97-2003) is not read: it is reported, unless its bytes are really a .docx or a
  PDF (a renamed file), which are then read as such.

For .docx and .pdf, `meta['positions']` maps the text back to the file: a JSON list of
`[char_offset, label]` pairs, one per paragraph ('p12', 't1 r2 c1 p1') or page ('page 3'),
in text order; a character belongs to the last label at or before its offset.

Limits: the file size (checked before reading; 10 MB for text and HTML, 30 MB for .docx and
.pdf, which carry fonts and images) and a .docx's expanded size (`etl.reading.docx`). How
long reading and extracting may take is the build's business (`etl.load.build`).
"""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

from etl.models import DocumentError, RawDocument, document_id
from etl.reading.decode import decode_bytes
from etl.reading.html import html_to_text
from etl.reading.legacy import from_tcvn3, from_viqr, from_vni, repair_legacy_text
from etl.text.repair import repair

__all__ = [
    "DEFAULT_MAX_BYTES",
    "DEFAULT_MAX_PACKAGE_BYTES",
    "FORMATS",
    "UNSUPPORTED_DOC",
    "read_document",
]

DEFAULT_MAX_BYTES = 10 * 1024 * 1024  # .txt, .html
DEFAULT_MAX_PACKAGE_BYTES = 30 * 1024 * 1024  # .docx, .pdf
FORMATS: dict[str, str] = {
    ".txt": "txt",
    ".html": "html",
    ".htm": "html",
    ".docx": "docx",
    ".pdf": "pdf",
    ".doc": "doc",
}
UNSUPPORTED_DOC = "unsupported format .doc (Word 97-2003): save it as .docx or PDF and load that"
_TEXT_FORMATS = frozenset({"txt", "html"})
# libxml2 stops building the tree this deep: anything below is dropped from an HTML page.
_HTML_MAX_DEPTH = 255
_MB = 1024 * 1024


def read_document(path: Path, root: Path, max_bytes: int | None = None) -> RawDocument:
    """Read, decode and clean the document at `path` (under the documents folder `root`).

    The file is read once; `doc_id` is the sha256 of its bytes, so identical files share an
    id wherever they are. HTML pages are reduced to their main text and metadata; Word and
    PDF files to their paragraphs and pages. Raises `DocumentError` when the file vanished,
    is not a regular file, cannot be read, is larger than `max_bytes` (default: by format,
    see the module doc; checked before reading), is empty, binary, undecodable, malformed or
    in an unsupported format, or has no text after cleaning.
    """
    path = Path(path)
    fmt = FORMATS.get(path.suffix.lower(), "txt")
    if max_bytes is None:
        max_bytes = DEFAULT_MAX_BYTES if fmt in _TEXT_FORMATS else DEFAULT_MAX_PACKAGE_BYTES
    data = _read_bytes(path, fmt, max_bytes)
    if fmt == "doc":
        fmt = _sniff_doc(data[:_HEADER_BYTES], path)
    size = len(data)
    doc_id = document_id(data)
    meta: dict[str, str] = {}
    if fmt in _TEXT_FORMATS:
        text, encoding = decode_bytes(data, path)
        del data  # the bytes are not needed any more: lower the peak memory for HTML
        if fmt == "html":
            page = text
            text, meta = html_to_text(page, path)
            text = repair(text)
            if not text and _markup_depth(page) >= _HTML_MAX_DEPTH:
                raise DocumentError(
                    path,
                    f"no text after cleaning: the HTML is nested deeper than {_HTML_MAX_DEPTH} "
                    "levels, where the parser stops",
                )
            del page
        else:
            text = repair(text)
    else:
        if fmt == "docx":
            from etl.reading.docx import docx_pieces

            pieces, separator = docx_pieces(data, path), "\n"
        else:
            from etl.reading.pdf import pdf_pieces

            pieces, meta = pdf_pieces(data, path)
            separator = "\n\n"
        del data
        text, positions, legacy = _assemble(pieces, separator)
        encoding = f"{legacy}-in-{fmt}" if legacy else _PACKAGE_ENCODING[fmt]
        if positions:
            meta["positions"] = json.dumps(positions, ensure_ascii=False, separators=(",", ":"))
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


def _read_bytes(path: Path, fmt: str, max_bytes: int) -> bytes:
    """The bytes of the file; a .doc that is no renamed .docx/PDF is refused unread."""
    try:
        info = os.stat(path)
        if stat.S_ISDIR(info.st_mode):
            raise IsADirectoryError(path)
        if not stat.S_ISREG(info.st_mode):
            # a named pipe would block the reader forever, a device never end
            raise DocumentError(path, "not a regular file (a pipe, socket or device)")
        if fmt == "doc":
            with open(path, "rb") as handle:
                _sniff_doc(handle.read(_HEADER_BYTES), path)
        if info.st_size > max_bytes:
            raise DocumentError(path, _too_large(info.st_size, max_bytes))
        with open(path, "rb") as handle:
            # read(n) allocates n bytes first: ask for the size stat gave, plus one byte to
            # see whether the file grew since, and only then read on up to the limit
            want = info.st_size + 1
            data = handle.read(want)
            if len(data) == want:
                data += handle.read(max_bytes + 1 - len(data))
    except FileNotFoundError:
        raise DocumentError(path, "file disappeared during the build") from None
    except IsADirectoryError:
        raise DocumentError(path, "is a directory, not a file") from None
    except OSError as err:
        raise DocumentError(path, f"cannot read: {err.strerror or err}") from None
    if len(data) > max_bytes:
        raise DocumentError(path, _too_large(len(data), max_bytes))
    if not data:
        raise DocumentError(path, "empty file")
    return data


# the source encoding reported for text taken out of a package: a .docx's XML is UTF-8; a PDF's
# text layer maps glyphs to Unicode
_PACKAGE_ENCODING = {"docx": "utf-8", "pdf": "pdf-text"}
_HEADER_BYTES = 1024
_LEGACY_CONVERTERS = {
    "tcvn3": lambda text: from_tcvn3(text.encode("cp1252").decode("latin-1")),
    "vni": lambda text: from_vni(text.encode("cp1252").decode("latin-1")),
    "viqr": from_viqr,
}


def _sniff_doc(head: bytes, path: Path) -> str:
    """A .doc is refused, unless it is really a .docx or a PDF under that name."""
    if head.startswith(b"PK\x03\x04"):
        return "docx"
    if b"%PDF-" in head:
        return "pdf"
    raise DocumentError(path, UNSUPPORTED_DOC)


def _assemble(
    pieces: list[tuple[str, str]], separator: str
) -> tuple[str, list[tuple[int, str]], str | None]:
    """Repair each piece and join them: (text, [(offset, label)], legacy encoding or None).

    Pieces are repaired one by one so each offset is exact in the final text; `repair` of
    the joined text changes nothing (each piece is stripped and NFC, the separator is one
    line break or one blank line).

    Text typed with a legacy Vietnamese font (TCVN3 ".Vn", VNI) is stored as Windows-1252
    look-alikes ("KÕ ho¹ch"), VIQR as plain ASCII: such pieces are converted when, read
    together, they are clearly Vietnamese in that encoding. Pieces with letters outside
    Windows-1252 (real Unicode Vietnamese) are never touched, so a Unicode header above a
    body typed in VNI is fine.
    """
    candidates = [i for i, (_, text) in enumerate(pieces) if _cp1252_text(text)]
    legacy = repair_legacy_text(separator.join(pieces[i][1] for i in candidates))
    convert = _LEGACY_CONVERTERS.get(legacy[0]) if legacy else None
    to_convert = set(candidates) if convert is not None else set()
    parts: list[str] = []
    positions: list[tuple[int, str]] = []
    offset = 0
    for index, (label, raw) in enumerate(pieces):
        if convert is not None and index in to_convert:
            raw = convert(raw)
        piece = repair(raw)
        if not piece:
            continue
        if parts:
            offset += len(separator)
        positions.append((offset, label))
        parts.append(piece)
        offset += len(piece)
    return separator.join(parts), positions, legacy[0] if legacy and convert else None


def _cp1252_text(text: str) -> bool:
    try:
        text.encode("cp1252")
    except UnicodeEncodeError:
        return False
    return True


def _markup_depth(page: str) -> int:
    """How deep the elements of an HTML page nest (as far as the parser builds them)."""
    import lxml.html
    from lxml import etree

    try:
        root = lxml.html.document_fromstring(page.encode("utf-8", "replace"))
    except (etree.ParserError, ValueError):
        return 0
    depth = deepest = 0
    for event, _element in etree.iterwalk(root, events=("start", "end")):
        depth += 1 if event == "start" else -1
        deepest = max(deepest, depth)
    return deepest


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
