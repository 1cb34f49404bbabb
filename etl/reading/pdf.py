"""The text layer of a PDF, page by page (pypdf).

Each page's text is taken in pypdf's layout mode, which keeps the page's visual order and
the horizontal gaps between blocks (plain mode when layout mode fails or finds next to
nothing, as with text drawn rotated), then:

- a line with a wide gap (a two-column header block: "ỦY BAN NHÂN DÂN ... CỘNG HÒA ...",
  "Số: ... X, ngày ...", or the "Nơi nhận" list beside the signature) is cut into one line
  per column, so the header reads as it would in the .txt and .docx versions;
- lines wrapped by the page width are joined back into their paragraph: a line that does
  not end a sentence is joined with the next when that one goes on in lowercase, or when the
  line reaches the right margin and the next starts at the left margin (first lines of
  paragraphs are indented) and is no heading or list item;
- a lone page number at the top or bottom of a page is dropped.

Pages are the pieces (labels ``page 1``, ``page 2``, ...): `etl.reading.document` joins them
with a blank line and records where each page starts.

A PDF without a text layer (scanned pages: no, or almost no, characters to extract) raises
`DocumentError("needs OCR: ...")` rather than loading as an empty plan. A malformed PDF, one
whose streams expand too far (pypdf's own limits), or an encrypted one that cannot be opened
raises a `DocumentError` naming the problem. Hanging parsers are left to the build's per-file
time limit.
"""

from __future__ import annotations

import io
import logging
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from etl.models import DocumentError

__all__ = ["MIN_CHARS_PER_PAGE", "NEEDS_OCR", "pdf_pieces"]

NEEDS_OCR = "needs OCR: the PDF has no text layer (scanned pages)"
# Scanned: fewer visible characters than this per page on average (a page of a plan has
# 1,500-3,000; a scan may carry a page number or a signature stamp's few words).
MIN_CHARS_PER_PAGE = 100
# A page with fewer visible characters than this is listed in meta['pages_without_text'].
_PAGE_TEXT_CHARS = 40
# The header must start in the first 1024 bytes (PDF 1.7, annex H).
_HEADER_SCAN = 1024

# A gap this wide (in layout mode's spaces) separates two columns; justified text stretches
# the spaces between words to two or three at most.
_COLUMN_GAP = re.compile(r" {6,}")
_SENTENCE_END = re.compile(r"[.!?;:…](?:[\"”’')\]]*|/\.)$")
_LIST_MARKER = re.compile(
    r"^(?:[-–—+•*·▪○●◦]|\d+(?:\.\d+)*[.)](?:\s|$)|[IVXLC]+[.)](?:\s|$)|[a-zđ][.)]\s|\(\d+\)"
    r"|(?:Điều|Chương|Mục|Phần)\s+[\dIVXLC]+)"
)
_PAGE_NUMBER = re.compile(r"^(?:[-–]\s*)?\d{1,4}(?:\s*[-–])?$|^Trang\s+\d{1,4}(?:\s*/\s*\d{1,4})?$")
# Full-width line: it reaches at least this share of the way to the page's right margin.
_FULL_LINE = 0.8

# pypdf logs every recovered oddity of a damaged file as a warning; a build reports the
# file's problem itself, so only pypdf's errors are let through.
logging.getLogger("pypdf").setLevel(logging.ERROR)

Piece = tuple[str, str]  # (label, raw text)
_ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+")


def pdf_pieces(data: bytes, path: Path | str) -> tuple[list[Piece], dict[str, str]]:
    """The pages of the PDF `data` (read from `path`) as (label, text), and metadata.

    Metadata: 'pages' (the page count); 'pages_without_text' (e.g. '3,5-7') when some pages
    have no text layer while the others do; 'pages_unreadable' when pypdf failed on some
    pages but not on most.
    """
    if b"%PDF-" not in data[:_HEADER_SCAN]:
        raise DocumentError(path, "not a PDF file (no %PDF- header)")
    from pypdf import PdfReader  # imported here so text-only builds do not pay for it

    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            _decrypt(reader, path)
        pages = list(reader.pages)
    except DocumentError:
        raise
    except Exception as err:  # pypdf's errors, and what a hostile file provokes in it
        raise DocumentError(path, f"malformed PDF: {_describe(err)}") from None
    if not pages:
        raise DocumentError(path, "malformed PDF: no pages")

    pieces: list[Piece] = []
    empty: list[int] = []
    failures: list[tuple[int, str]] = []  # (page number, problem)
    visible = 0
    for number, page in enumerate(pages, 1):
        try:
            text = _page_text(page)
        except Exception as err:
            failures.append((number, _describe(err)))
            text = ""
        chars = _visible_chars(text)
        visible += chars
        if chars < _PAGE_TEXT_CHARS:
            empty.append(number)
        if text:
            pieces.append((f"page {number}", text))

    if failures and (len(failures) == len(pages) or visible < MIN_CHARS_PER_PAGE * len(pages)):
        number, problem = failures[0]
        more = f" (and {len(failures) - 1} more pages)" if len(failures) > 1 else ""
        raise DocumentError(path, f"malformed PDF: page {number}: {problem}{more}")
    if visible < MIN_CHARS_PER_PAGE * len(pages):
        raise DocumentError(path, NEEDS_OCR)
    meta = {"pages": str(len(pages))}
    if empty:
        meta["pages_without_text"] = _ranges(empty)
    if failures:
        meta["pages_unreadable"] = _ranges([number for number, _ in failures])
    return pieces, meta


def _decrypt(reader: Any, path: Path | str) -> None:
    """Open a PDF encrypted with an empty user password (printing/copying restrictions)."""
    try:
        opened = reader.decrypt("")
    except Exception as err:  # e.g. AES without the 'cryptography' package
        raise DocumentError(path, f"encrypted PDF: cannot decrypt ({_describe(err)})") from None
    if not opened:
        raise DocumentError(path, "encrypted PDF: needs a password")


def _page_text(page: Any) -> str:
    """One page's text: columns cut apart, wrapped lines joined, page numbers dropped."""
    try:
        raw = page.extract_text(extraction_mode="layout", layout_mode_space_vertically=False)
        layout = True
    except Exception:  # layout mode needs font widths; plain mode is more forgiving
        raw, layout = "", False
    if _visible_chars(raw) < _PAGE_TEXT_CHARS:
        # layout mode also drops text drawn rotated (a landscape table turned on the page)
        plain = page.extract_text()
        if _visible_chars(plain) > _visible_chars(raw):
            raw, layout = plain, False
    lines: list[_Line] = []
    for line in raw.splitlines():
        text = line.strip()
        if not text:
            continue
        indent = len(line) - len(line.lstrip()) if layout else 0
        columns = _COLUMN_GAP.split(text) if layout else [text]
        if len(columns) == 1:
            lines.append(_Line(text, indent, joinable=True))
        else:
            lines.extend(_Line(column.strip(), indent, joinable=False) for column in columns)
    while lines and _PAGE_NUMBER.match(lines[0].text):
        lines.pop(0)
    while lines and _PAGE_NUMBER.match(lines[-1].text):
        lines.pop()
    return "\n".join(_unwrap(lines))


@dataclass(frozen=True, slots=True)
class _Line:
    text: str
    indent: int  # leading spaces in layout mode: the distance from the page's left edge
    joinable: bool  # False for the columns of a line cut apart


def _unwrap(lines: list[_Line]) -> list[str]:
    """Join the lines of a paragraph that the page width wrapped.

    A line that does not end a sentence goes on in the next line when that one starts in
    lowercase; or when the line reaches the right margin and the next one starts at the
    left margin (a new paragraph's first line is indented) and is no list item or heading.
    """
    joinable = [line for line in lines if line.joinable]
    right = max((line.indent + len(line.text) for line in joinable), default=0)
    left = min((line.indent for line in joinable), default=0)
    out: list[str] = []
    previous: _Line | None = None
    for line in lines:
        if (
            previous is not None
            and previous.joinable
            and line.joinable
            and _continues(
                out[-1],
                line.text,
                full=previous.indent + len(previous.text) >= _FULL_LINE * right,
                at_margin=line.indent <= left + 1,
            )
        ):
            out[-1] = f"{out[-1]} {line.text}"
        else:
            out.append(line.text)
        previous = line
    return out


def _continues(text: str, following: str, full: bool, at_margin: bool) -> bool:
    """Whether `following` goes on with the paragraph whose text so far is `text`."""
    if _SENTENCE_END.search(text) or _LIST_MARKER.match(following):
        return False
    if _is_upper(text) or _is_upper(following):
        return False  # headings and the header block keep their own lines
    first = following[0]
    if first.islower():
        return True
    return full and at_margin and first.isalnum()


def _is_upper(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


def _visible_chars(text: str) -> int:
    return len(text) - sum(text.count(c) for c in " \n\t")


def _ranges(numbers: list[int]) -> str:
    """[1, 3, 4, 5, 8] -> '1,3-5,8'."""
    parts: list[str] = []
    start = prev = numbers[0]
    for number in [*numbers[1:], None]:
        if number is not None and number == prev + 1:
            prev = number
            continue
        parts.append(str(start) if start == prev else f"{start}-{prev}")
        if number is not None:
            start = prev = number
    return ",".join(parts)


def _describe(err: BaseException) -> str:
    """The error as one line, without object addresses (the same file, the same message)."""
    message = _ADDRESS.sub("", str(err)).strip().strip('"')
    message = message.replace("file '<_io.BytesIO object>' ", "the file ")
    return f"{type(err).__name__}: {message}" if message else type(err).__name__
