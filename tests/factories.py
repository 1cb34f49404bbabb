"""Builders shared by tests."""

import hashlib

from etl.models import RawDocument


def raw_document(text: str, relpath: str = "t.txt") -> RawDocument:
    """A cleaned document as the reader would produce it from `text`."""
    data = text.encode("utf-8")
    return RawDocument(
        doc_id=hashlib.sha256(data).hexdigest(),
        path=relpath,
        relpath=relpath,
        fmt="txt",
        size_bytes=len(data),
        encoding="utf-8",
        text=text,
    )
