"""Files uploaded through the dashboard: validate, name safely, store, preview.

Validation is pure (`sanitize_filename`, `validate_batch`, `unique_name`); storing and previewing
touch the disk.

- Types: .txt .html .htm .docx .pdf (suffix, case-insensitive). A .doc (Word 97-2003) is refused
  with the reader's hint (save it as .docx or PDF); anything else is refused as unsupported.
- Limits (`UploadLimits`): per file, the reader's own limits (10 MB for .txt/.html, 30 MB for
  .docx/.pdf: a bigger file would only become a load error); at most 50 files and 200 MB per
  batch. Empty files are refused.
- Names: the basename only ('/', '\\\\' and a drive 'C:' are path, not name), NFC, no control or
  invisible characters, letters (Vietnamese included) and digits kept, '-' '_' '.' kept, any
  other character becomes '_', no '..', no leading '.' '-' '_' (hidden files and lock files are
  skipped by the build), no trailing '.' or space, Windows device names (con, nul, com1...)
  prefixed with '_', at most 120 characters and 200 UTF-8 bytes, the suffix lowercased.
- Duplicates: by the sha256 of the bytes, against the files already in the uploads folder and
  within the batch (the first copy wins); the build would skip the copy anyway.
- Storing never overwrites: a different file with the same name is stored as `name-2.txt`,
  `name-3.txt`... (created with O_EXCL, so two sessions storing at once cannot clash).
- Folders: uploads go to `$CCHC_ATLAS_UPLOADS` (default `data/raw/uploads/`, git-ignored); a
  rebuild reads `$CCHC_ATLAS_DOCS` (default `data/raw/`), which holds the uploads folder.
- Preview (`preview_files`): each file read and extracted like the build does, in a separate
  process with the build's per-file time limit, so a hostile file cannot hang the caller.
"""

from __future__ import annotations

import functools
import multiprocessing
import os
import re
import time
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from etl.models import document_id, file_document_id
from etl.reading.document import (
    DEFAULT_MAX_BYTES,
    DEFAULT_MAX_PACKAGE_BYTES,
    UNSUPPORTED_DOC,
)

__all__ = [
    "ALLOWED_SUFFIXES",
    "DEFAULT_DOCS",
    "DEFAULT_UPLOADS",
    "DOCS_ENV",
    "UPLOADS_ENV",
    "Preview",
    "UploadLimits",
    "Verdict",
    "docs_dir",
    "existing_hashes",
    "preview_files",
    "sanitize_filename",
    "store",
    "unique_name",
    "uploads_dir",
    "uploads_in_docs",
    "validate_batch",
]

PROJECT_ROOT = Path(__file__).resolve().parent.parent
UPLOADS_ENV = "CCHC_ATLAS_UPLOADS"
DOCS_ENV = "CCHC_ATLAS_DOCS"
DEFAULT_UPLOADS = "data/raw/uploads"
DEFAULT_DOCS = "data/raw"

ALLOWED_SUFFIXES: tuple[str, ...] = (".txt", ".html", ".htm", ".docx", ".pdf")
_PACKAGE_SUFFIXES = frozenset({".docx", ".pdf"})
MAX_NAME_CHARS = 120
MAX_NAME_BYTES = 200  # file systems allow 255 bytes; room for a '-NN' suffix and a temp name
FALLBACK_STEM = "document"
_WINDOWS_DEVICES = frozenset(
    {"con", "prn", "aux", "nul"}
    | {f"com{i}" for i in range(1, 10)}
    | {f"lpt{i}" for i in range(1, 10)}
)
_UNSAFE = re.compile(r"[^\w.\-]", re.UNICODE)
_UNDERSCORES = re.compile(r"_{2,}")
_DOTS = re.compile(r"\.{2,}")
_MB = 1024 * 1024


# --- folders ---------------------------------------------------------------------------------


def _folder(environ: Mapping[str, str], key: str, default: str) -> Path:
    value = environ.get(key, "").strip()
    return Path(value).expanduser() if value else PROJECT_ROOT / default


def uploads_dir(environ: Mapping[str, str] | None = None) -> Path:
    """Where uploads are stored: $CCHC_ATLAS_UPLOADS, else data/raw/uploads (project)."""
    return _folder(os.environ if environ is None else environ, UPLOADS_ENV, DEFAULT_UPLOADS)


def docs_dir(environ: Mapping[str, str] | None = None) -> Path:
    """The folder a rebuild reads: $CCHC_ATLAS_DOCS, else data/raw (project)."""
    return _folder(os.environ if environ is None else environ, DOCS_ENV, DEFAULT_DOCS)


def uploads_in_docs(docs: Path, uploads: Path) -> bool:
    """Whether a build of `docs` reads the files in `uploads` (inside it, in no hidden folder)."""
    try:
        inner = Path(os.path.abspath(uploads)).relative_to(os.path.abspath(docs))
    except ValueError:
        return False
    return not any(part.startswith(".") for part in inner.parts)


# --- names -----------------------------------------------------------------------------------


# controls, format characters (zero-width, bidi), line/paragraph separators, surrogates,
# private-use and unassigned code points: dropped from names
_DROPPED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})
MAX_SUFFIX_CHARS = 16


def _visible(char: str) -> bool:
    return unicodedata.category(char) not in _DROPPED_CATEGORIES


def _truncate(stem: str, suffix: str) -> str:
    room_chars = MAX_NAME_CHARS - len(suffix)
    stem = stem[:room_chars]
    while len((stem + suffix).encode("utf-8")) > MAX_NAME_BYTES:
        stem = stem[:-1]
    return stem.rstrip("._- ") or FALLBACK_STEM


def split_suffix(name: str) -> tuple[str, str]:
    """(stem, suffix lowercased); the suffix is '' when the name has none."""
    stem, dot, ext = name.rpartition(".")
    if not dot or not stem:
        return name, ""
    return stem, "." + ext.lower()


def sanitize_filename(name: str) -> str:
    """A safe file name for `name` as a browser sent it (see the module doc); never empty.

    Idempotent: `sanitize_filename(sanitize_filename(x)) == sanitize_filename(x)`.
    """
    text = unicodedata.normalize("NFC", str(name))
    text = re.sub(r"[\t\n\r\x0b\x0c]", " ", text)
    text = "".join(c for c in text if _visible(c))
    # the last path component, whatever the separator; a drive letter is no part of a name
    text = re.split(r"[/\\]", text)[-1]
    text = re.sub(r"^[A-Za-z]:", "", text)
    text = text.strip()
    text = re.sub(r"\s+", "_", text)
    text = _UNSAFE.sub("_", text)
    text = _DOTS.sub(".", text)
    text = _UNDERSCORES.sub("_", text)
    # trailing dots and separators first: else "x.A." keeps "x.A" whose ".A" is a suffix
    # (lowercased) the next time, and the name would not be a fixed point
    text = text.rstrip("._- ")
    stem, dot, ext = text.rpartition(".")
    if dot and ext.strip("_-") and len(ext) < MAX_SUFFIX_CHARS:
        suffix = "." + ext.lower()
    else:
        stem, suffix = text, ""
    stem = stem.strip("._- ") or FALLBACK_STEM
    if stem.split(".")[0].lower() in _WINDOWS_DEVICES:
        stem = "_" + stem
    stem = _truncate(stem, suffix)
    if stem.split(".")[0].lower() in _WINDOWS_DEVICES:  # truncated back to a device name
        stem = "_" + stem
    return unicodedata.normalize("NFC", stem + suffix)


def unique_name(name: str, taken: Iterable[str]) -> str:
    """`name`, else `stem-2.ext`, `stem-3.ext`... the first not in `taken` (case-insensitive)."""
    used = {t.casefold() for t in taken}
    if name.casefold() not in used:
        return name
    stem, suffix = split_suffix(name)
    number = 2
    while True:
        tail = f"-{number}{suffix}"
        candidate = _truncate(stem, tail) + tail
        if candidate.casefold() not in used:
            return candidate
        number += 1


# --- validation ------------------------------------------------------------------------------


@dataclass(frozen=True)
class UploadLimits:
    """Per-file size (None: the reader's limit by format), files and bytes per batch."""

    max_file_bytes: int | None = None
    max_files: int = 50
    max_total_bytes: int = 200 * _MB

    def file_limit(self, suffix: str) -> int:
        if self.max_file_bytes is not None:
            return self.max_file_bytes
        return DEFAULT_MAX_PACKAGE_BYTES if suffix in _PACKAGE_SUFFIXES else DEFAULT_MAX_BYTES


def format_size(size: int) -> str:
    if size >= _MB:
        value = f"{size / _MB:.1f}".removesuffix(".0")
        return f"{value} MB"
    if size >= 1024:
        return f"{size / 1024:.1f}".removesuffix(".0") + " KB"
    return f"{size} bytes"


# code -> English message ({} fields from Verdict.params); the dashboard translates the codes
MESSAGES: dict[str, str] = {
    "ok": "accepted",
    "doc": UNSUPPORTED_DOC,
    "type": "unsupported file type {suffix}: upload .txt, .html, .htm, .docx or .pdf",
    "empty": "empty file",
    "size": "file too large: {size} (limit {limit} for {suffix} files)",
    "count": "too many files: at most {limit} per upload",
    "total": "the upload is too large: at most {limit} in all",
    "duplicate": "the same file is already there as {other}",
}


@dataclass(frozen=True)
class Verdict:
    """What validation decided for one uploaded file."""

    original: str  # the name as sent
    name: str  # the sanitised name (before any -2 suffix)
    code: str  # ok | doc | type | empty | size | count | total | duplicate
    sha256: str
    size: int
    params: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.code == "ok"

    @property
    def message(self) -> str:
        return MESSAGES[self.code].format(**self.params)


def sha256_of(data: bytes) -> str:
    return document_id(data)  # what the build will call the file: duplicates are by it


def _check(
    suffix: str,
    size: int,
    digest: str,
    seen: Mapping[str, str],
    limits: UploadLimits,
    accepted: int,
    total: int,
) -> tuple[str, dict[str, str]]:
    if suffix == ".doc":
        return "doc", {}
    if suffix not in ALLOWED_SUFFIXES:
        return "type", {"suffix": suffix or "(none)"}
    if size == 0:
        return "empty", {}
    limit = limits.file_limit(suffix)
    if size > limit:
        return "size", {"size": format_size(size), "limit": format_size(limit), "suffix": suffix}
    if digest in seen:
        return "duplicate", {"other": seen[digest]}
    if accepted >= limits.max_files:
        return "count", {"limit": str(limits.max_files)}
    if total + size > limits.max_total_bytes:
        return "total", {"limit": format_size(limits.max_total_bytes)}
    return "ok", {}


def validate_batch(
    files: Sequence[tuple[str, bytes]],
    existing: Mapping[str, str] | None = None,
    limits: UploadLimits | None = None,
) -> list[Verdict]:
    """One verdict per (name, bytes), in order. `existing`: sha256 -> name of the files
    already stored. Type, then emptiness, then size, then duplicates, then the batch limits
    (files past the count or the total are refused; earlier accepted files stay accepted)."""
    limits = limits or UploadLimits()
    seen: dict[str, str] = dict(existing or {})
    verdicts: list[Verdict] = []
    accepted = total = 0
    for original, data in files:
        name = sanitize_filename(original)
        suffix = split_suffix(name)[1]
        digest = sha256_of(data)
        size = len(data)
        code, params = _check(suffix, size, digest, seen, limits, accepted, total)
        if code == "ok":
            seen[digest] = name
            accepted += 1
            total += size
        verdicts.append(Verdict(original, name, code, digest, size, params))
    return verdicts


# --- the uploads folder ----------------------------------------------------------------------

_HASH_CACHE: dict[tuple[str, int, int], str] = {}


def _file_sha256(path: Path, info: os.stat_result) -> str:
    key = (str(path), info.st_size, info.st_mtime_ns)
    digest = _HASH_CACHE.get(key)
    if digest is None:
        digest = _HASH_CACHE[key] = file_document_id(path)
    return digest


def existing_hashes(folder: Path) -> dict[str, str]:
    """sha256 -> name (relative to `folder`) of the regular files under `folder`."""
    out: dict[str, str] = {}
    if not folder.is_dir():
        return out
    for path in sorted(folder.rglob("*")):
        try:
            info = path.lstat()
            if not path.is_file() or path.is_symlink():
                continue
            out.setdefault(_file_sha256(path, info), path.relative_to(folder).as_posix())
        except OSError:
            continue
    return out


def store(folder: Path, name: str, data: bytes) -> Path:
    """Write `data` as `folder/name`, or `name-2`, `name-3`... when taken; never overwrites."""
    folder.mkdir(parents=True, exist_ok=True)
    taken = {p.name for p in folder.iterdir()}
    while True:
        final = unique_name(name, taken)
        path = folder / final
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        except FileExistsError:  # created meanwhile by someone else
            taken.add(final)
            continue
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
        except BaseException:
            path.unlink(missing_ok=True)
            raise
        return path


# --- preview ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Preview:
    """What the build would make of one file: its facts, or why it cannot be read."""

    relpath: str
    ok: bool
    stage: str | None = None  # read | extract, when not ok
    problem: str | None = None
    kind: str | None = None
    title: str | None = None
    issuer: str | None = None
    level: str | None = None
    plan_number: str | None = None
    plan_year: int | None = None
    channels: int = 0
    themes: int = 0
    audiences: int = 0
    responsibilities: int = 0


def preview_of(outcome: tuple[Any, ...]) -> Preview:
    """A Preview from one outcome of `etl.load.build.process_file`."""
    if outcome[0] != "ok":
        return Preview(outcome[1], False, outcome[2], outcome[3])
    _, relpath, _raw, ex = outcome
    return Preview(
        relpath,
        True,
        kind=ex.kind,
        title=ex.title,
        issuer=ex.issuer.name,
        level=ex.issuer.level,
        plan_number=ex.plan_number,
        plan_year=ex.plan_year,
        channels=len({m.id for m in ex.channels}),
        themes=len({m.id for m in ex.themes}),
        audiences=len({m.id for m in ex.audiences}),
        responsibilities=len(ex.responsibilities),
    )


def preview_files(
    paths: Sequence[Path],
    root: Path,
    time_limit: float | None = None,
    workers: int = 2,
    grace: float = 15.0,
) -> list[Preview]:
    """Read and extract each file as the build does, in spawned worker processes (the
    per-file time limit works there). A worker stuck in C code past `time_limit + grace`
    seconds is killed and its file reported as timed out. One Preview per path, in order."""
    from etl.load.build import DEFAULT_TIME_LIMIT, process_file, timed_out

    if not paths:
        return []
    limit = DEFAULT_TIME_LIMIT if time_limit is None else time_limit
    tasks = [(str(root), str(path), None) for path in paths]
    work = functools.partial(process_file, time_limit=limit)
    context = multiprocessing.get_context("spawn")
    workers = max(1, min(workers, len(tasks)))
    results: list[Preview] = []
    pool = context.Pool(workers)
    try:
        pending = [pool.apply_async(work, (task,)) for task in tasks]
        # each batch of `workers` files gets its time, plus the workers' start-up
        deadline = time.monotonic() + (limit + grace) * (len(tasks) // workers + 1)
        for task, result in zip(tasks, pending, strict=True):
            relpath = Path(task[1]).relative_to(root).as_posix()
            try:
                results.append(preview_of(result.get(max(deadline - time.monotonic(), 0.1))))
            except multiprocessing.TimeoutError:
                results.append(Preview(relpath, False, "read", timed_out(limit)))
            except Exception as err:  # a worker that died (out of memory, a crash in C)
                results.append(Preview(relpath, False, "read", f"{type(err).__name__}: {err}"))
    finally:
        pool.terminate()
        pool.join()
    return results
