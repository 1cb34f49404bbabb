"""Find the documents under a folder, in a deterministic order."""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["MANIFEST_NAME", "SUPPORTED_SUFFIXES", "discover"]

# '.doc' (Word 97-2003) is found so that it is reported as unsupported, not silently skipped.
SUPPORTED_SUFFIXES: frozenset[str] = frozenset({".txt", ".html", ".htm", ".docx", ".pdf", ".doc"})
MANIFEST_NAME = "manifest.csv"


def discover(root: Path) -> list[Path]:
    """Return the .txt/.html/.htm/.docx/.pdf/.doc files under `root` (any depth, suffix
    case-insensitive).

    Hidden files and folders (name starting with '.'), Word's lock files ('~$plan.docx', left
    beside a document open in Word) and `manifest.csv` are skipped. The result is sorted by
    the path relative to `root` in '/'-separated form, so the order does not depend on the
    file system. Symbolic links to folders are not followed (no cycles).
    """
    root = Path(root)
    if not root.exists():
        raise FileNotFoundError(f"documents folder does not exist: {root}")
    if not root.is_dir():
        raise NotADirectoryError(f"documents folder is not a directory: {root}")

    found: list[tuple[str, Path]] = []
    for dirpath, dirnames, filenames in os.walk(root):
        # prune hidden folders in place so os.walk does not descend into them
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        base = Path(dirpath)
        for name in filenames:
            if name.startswith((".", "~$")) or name.lower() == MANIFEST_NAME:
                continue
            if os.path.splitext(name)[1].lower() not in SUPPORTED_SUFFIXES:
                continue
            path = base / name
            found.append((path.relative_to(root).as_posix(), path))
    found.sort(key=lambda item: item[0])
    return [path for _, path in found]
