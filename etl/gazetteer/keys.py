"""Matching keys for unit names, and the regex fragments that find them in folded text.

A key is `fold(NFC(name))` with apostrophe variants unified and every run of whitespace, dots,
hyphens and dashes collapsed to one space: "Bà Rịa - Vũng Tàu", "Bà Rịa–Vũng Tàu" and
"BA RIA VUNG TAU" all give "ba ria vung tau"; "TP.HCM" gives "tp hcm".
"""

from __future__ import annotations

import re
import unicodedata

from etl.text.fold import fold

_APOSTROPHES = "'’‘ʼ`´"  # look-alike apostrophes are the point
_DASHES = "-‐‑–—"  # hyphens and dashes
_APOS_RE = re.compile(f"[{re.escape(_APOSTROPHES)}]")
_SEP_RE = re.compile(rf"[\s.{re.escape(_DASHES)}]+")

# what one space of a key may be in the text: spaces, or one dash/dot with optional spaces
SEP_PATTERN = rf"[\s.{re.escape(_DASHES)}]+"
_APOS_PATTERN = f"[{re.escape(_APOSTROPHES)}]"


def name_key(text: str) -> str:
    """The matching key of a name (see the module docstring)."""
    folded = fold(unicodedata.normalize("NFC", text))
    return _SEP_RE.sub(" ", _APOS_RE.sub("'", folded)).strip()


def ascii_name(text: str) -> str:
    """ASCII spelling with case kept: 'Bạc Liêu' -> 'Bac Lieu', 'Đắk Lắk' -> 'Dak Lak'."""
    text = unicodedata.normalize("NFC", text).replace("Đ", "D").replace("đ", "d")
    stripped = "".join(
        c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c)
    )
    return _APOS_RE.sub("'", stripped)


def key_tokens(key: str) -> list[str]:
    """The regex fragment of each character of a key (a space matches any separator)."""
    out: list[str] = []
    for char in key:
        if char == " ":
            out.append(SEP_PATTERN)
        elif char == "'":
            out.append(_APOS_PATTERN)
        else:
            out.append(re.escape(char))
    return out


def trie_pattern(keys: set[str] | list[str]) -> str:
    """One regex alternation over `keys`, shaped as a trie so matching stays fast.

    Continuing a key is always tried before stopping, so at a given start the longest key
    that satisfies the rest of the pattern wins.
    """
    end = ""
    root: dict[str, dict] = {}
    for key in keys:
        if not key:
            continue
        node = root
        for token in key_tokens(key):
            node = node.setdefault(token, {})
        node[end] = {}

    def emit(node: dict[str, dict]) -> str:
        alternatives = [token + emit(child) for token, child in node.items() if token != end]
        if not alternatives:
            return ""
        if len(alternatives) == 1 and end not in node:
            return alternatives[0]
        body = "(?:" + "|".join(alternatives) + ")"
        return body + "?" if end in node else body

    return emit(root)
