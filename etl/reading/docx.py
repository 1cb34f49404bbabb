"""The paragraphs of a Word document (.docx, Office Open XML), in reading order.

A .docx is a zip archive. Before anything is parsed, the archive's directory is checked: the
sizes its entries expand to (a "zip bomb" is a few kilobytes that expand to gigabytes) and
the number of entries. Python's zipfile never inflates an entry past the size the directory
declares (a lying directory gives a CRC error instead), so the check bounds the memory used.

The document is then opened with python-docx (its XML parser resolves no entities) and its
body is walked in reading order:

- paragraphs give one piece each (a soft line break inside a paragraph stays a line break);
- tables are read row by row, cell by cell (a plan's header block is usually a two-column
  table: "ỦY BAN NHÂN DÂN ... | CỘNG HÒA ...", "Số: ... | X, ngày ..."), nested tables too;
- content controls (w:sdt) are read through; text boxes follow the paragraph they are
  anchored in; deleted revisions, field codes, page headers/footers and footnotes are not read.

Each piece has a label saying where it is, for provenance:

- ``p12``: the 12th paragraph of the body (1-based, empty paragraphs counted);
- ``t2 r3 c1 p1``: table 2 of the body (1-based, in reading order), row 3, cell 1 (cells
  counted as written, a merged cell once), its first paragraph; nested tables extend the path;
- ``p5 box1 p2``: the second paragraph of the first text box anchored in paragraph 5.

The pieces are raw text: `etl.reading.document` repairs and joins them and records the
labels with their character offsets.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from etl.models import DocumentError

__all__ = ["DEFAULT_MAX_ENTRIES", "DEFAULT_MAX_EXPANDED_BYTES", "check_archive", "docx_pieces"]

DEFAULT_MAX_EXPANDED_BYTES = 50 * 1024 * 1024
DEFAULT_MAX_ENTRIES = 5000
# Tables in tables in tables...: real documents nest two or three deep. (libxml2 itself stops
# parsing at 256 levels of elements.)
MAX_TABLE_DEPTH = 40

_MB = 1024 * 1024
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_P, _TBL, _TR, _TC = f"{_W}p", f"{_W}tbl", f"{_W}tr", f"{_W}tc"
_SDT, _SDT_CONTENT, _CUSTOM_XML = f"{_W}sdt", f"{_W}sdtContent", f"{_W}customXml"
_T, _TXBX = f"{_W}t", f"{_W}txbxContent"
_TABS = frozenset({f"{_W}tab", f"{_W}ptab"})
_BREAKS = frozenset({f"{_W}br", f"{_W}cr"})
_NO_BREAK_HYPHEN = f"{_W}noBreakHyphen"
# Subtrees of a paragraph that hold no displayed text of it: properties, deleted revisions,
# the legacy (VML) copy of a drawing whose modern copy is read, math.
_SKIP = frozenset(
    {
        f"{_W}pPr",
        f"{_W}rPr",
        f"{_W}del",
        f"{_W}moveFrom",
        f"{_MC}Fallback",
        "{http://schemas.openxmlformats.org/officeDocument/2006/math}oMath",
        "{http://schemas.openxmlformats.org/officeDocument/2006/math}oMathPara",
    }
)
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

Piece = tuple[str, str]  # (label, raw text)
_ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+")
Labeller = Callable[[str], str]  # 'p' or 't' -> the next label of that kind: 'p1', 'p2', 't1'


def docx_pieces(
    data: bytes,
    path: Path | str,
    max_expanded: int = DEFAULT_MAX_EXPANDED_BYTES,
    max_entries: int = DEFAULT_MAX_ENTRIES,
) -> list[Piece]:
    """The non-empty paragraphs of the .docx `data` (read from `path`) as (label, text).

    Raises `DocumentError` when the data is not a zip archive (or is an old binary Word file
    under a .docx name), when the archive expands past `max_expanded` bytes or has more than
    `max_entries` entries, or when python-docx cannot open it as a Word document.
    """
    if data.startswith(_OLE_MAGIC):
        raise DocumentError(
            path,
            "not a .docx file: an OLE2 container (a Word 97-2003 .doc renamed, or a "
            "password-protected document): save it as .docx or PDF and load that",
        )
    check_archive(data, path, max_expanded, max_entries)

    import docx  # python-docx; imported here so text-only builds do not pay for it

    try:
        body = docx.Document(io.BytesIO(data)).element.body
    except Exception as err:  # python-docx, zipfile, lxml: any failure is this file's problem
        raise DocumentError(path, f"not a readable .docx: {_describe(err)}") from None
    return list(_blocks(body, "", _counter(), 0, path))


def check_archive(
    data: bytes,
    path: Path | str,
    max_expanded: int = DEFAULT_MAX_EXPANDED_BYTES,
    max_entries: int = DEFAULT_MAX_ENTRIES,
) -> None:
    """Refuse a zip archive that is not one, has too many entries or expands too far.

    Only the central directory is read (nothing is inflated).
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, OSError) as err:
        raise DocumentError(path, f"not a .docx file: not a valid zip archive ({err})") from None
    if len(infos) > max_entries:
        raise DocumentError(path, f"archive has {len(infos):,} entries (limit {max_entries:,})")
    expanded = sum(info.file_size for info in infos)
    if expanded > max_expanded:
        raise DocumentError(
            path,
            f"archive expands to {_size(expanded)} (limit {_size(max_expanded)}): "
            "a zip bomb or not a plain document",
        )


def _blocks(
    container: Any, prefix: str, next_label: Labeller, depth: int, path: Path | str
) -> Iterator[Piece]:
    """Pieces of the block-level content of `container` (body, cell, text box).

    `next_label(kind)` numbers the paragraphs ('p') and tables ('t') of this container.
    """
    if depth > MAX_TABLE_DEPTH:
        raise DocumentError(path, f"tables nested more than {MAX_TABLE_DEPTH} deep")
    for element in _block_elements(container):
        if element.tag == _P:
            label = prefix + next_label("p")
            text, boxes = _paragraph_text(element)
            if text.strip():
                yield label, text
            for number, box in enumerate(boxes, 1):
                yield from _blocks(box, f"{label} box{number} ", _counter(), depth + 1, path)
        else:  # a table
            table = prefix + next_label("t")
            for r, row in enumerate(_children(element, _TR), 1):
                for c, cell in enumerate(_children(row, _TC), 1):
                    yield from _blocks(cell, f"{table} r{r} c{c} ", _counter(), depth + 1, path)


def _counter() -> Labeller:
    counts = {"p": 0, "t": 0}

    def next_label(kind: str) -> str:
        counts[kind] += 1
        return f"{kind}{counts[kind]}"

    return next_label


def _block_elements(container: Any) -> Iterator[Any]:
    """Paragraphs and tables of `container`, looking through content controls."""
    for child in container.iterchildren():
        tag = child.tag
        if tag in (_P, _TBL):
            yield child
        elif tag == _SDT:
            for content in child.iterchildren(_SDT_CONTENT):
                yield from _block_elements(content)
        elif tag == _CUSTOM_XML:
            yield from _block_elements(child)


def _children(element: Any, tag: str) -> Iterator[Any]:
    """Children `tag` (rows of a table, cells of a row), also inside content controls."""
    for child in element.iterchildren():
        if child.tag == tag:
            yield child
        elif child.tag == _SDT:
            for content in child.iterchildren(_SDT_CONTENT):
                yield from _children(content, tag)
        elif child.tag == _CUSTOM_XML:
            yield from _children(child, tag)


def _paragraph_text(paragraph: Any) -> tuple[str, list[Any]]:
    """The displayed text of a paragraph and the text boxes anchored in it."""
    parts: list[str] = []
    boxes: list[Any] = []
    stack = [paragraph.iterchildren()]
    while stack:
        node = next(stack[-1], None)
        if node is None:
            stack.pop()
            continue
        tag = node.tag
        if not isinstance(tag, str) or tag in _SKIP:
            continue  # comments, processing instructions, skipped subtrees
        if tag == _T:
            parts.append(node.text or "")
        elif tag in _TABS:
            parts.append("\t")
        elif tag in _BREAKS:
            parts.append("\n")
        elif tag == _NO_BREAK_HYPHEN:
            parts.append("-")
        elif tag == _TXBX:
            boxes.append(node)
        elif tag != _P:  # a paragraph inside a paragraph is a text box's: read with the box
            stack.append(node.iterchildren())
    return "".join(parts), boxes


def _size(size: int) -> str:
    if size >= _MB:
        shown = f"{size / _MB:.1f}"
        return f"{shown.removesuffix('.0')} MB"
    return f"{size:,} bytes"


def _describe(err: BaseException) -> str:
    """The error as one line, without object addresses (the same file, the same message)."""
    message = _ADDRESS.sub("", str(err)).strip().strip('"')
    message = message.replace("file '<_io.BytesIO object>' ", "the file ")
    return f"{type(err).__name__}: {message}" if message else type(err).__name__
