"""Length-preserving views of Vietnamese text for matching.

All functions map one character to exactly one character, so an offset in a view is an
offset in the original text. That is what lets every match be reported as a span of the
cleaned document.

- `lower(text)`: lowercase.
- `fold(text)`: lowercase without diacritics ("Đổi mới" -> "doi moi").
- `tone_normalize(text)`: old-style tone placement -> new style on word-final diphthongs
  ("hoà" -> "hòa", "thuỷ" -> "thủy", "toạ" -> "tọa"), so both spellings match one pattern.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache

_TONE_MARKS = {"\u0300", "\u0301", "\u0309", "\u0303", "\u0323"}  # huyền sắc hỏi ngã nặng


@lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    if char < "\x80":
        return char.lower()
    if char in "đĐ":
        return "d"
    low = char.lower()
    if len(low) != 1:
        low = char
    base = unicodedata.normalize("NFD", low)[0].lower()
    return base if len(base) == 1 else low


@lru_cache(maxsize=4096)
def _lower_char(char: str) -> str:
    low = char.lower()
    return low if len(low) == 1 else char


def _changed(mapping: Callable[[str], str]) -> dict[int, str]:
    """code point -> its image under `mapping`, for the characters of the Basic Multilingual
    Plane that it changes (str.translate leaves every other character as it is)."""
    table: dict[int, str] = {}
    for cp in range(0x10000):
        if 0xD800 <= cp < 0xE000:  # surrogates are not characters
            continue
        image = mapping(chr(cp))
        if image != chr(cp):
            table[cp] = image
    return table


def _with_identities(table: dict[int, str]) -> dict[int, str]:
    """`table` plus an identity entry for each ASCII, Latin and punctuation character it
    leaves alone. str.translate raises (and clears) a KeyError for every character missing
    from its table once the text has a non-ASCII character, which doubles the cost of folding
    a Vietnamese text; the characters of such texts are all found this way."""
    full = dict(table)
    for block in (range(0x00, 0x250), range(0x1E00, 0x1F00), range(0x2000, 0x2070)):
        for cp in block:
            full.setdefault(cp, chr(cp))
    return full


_FOLD_TABLE = _with_identities(_changed(_fold_char))
_LOWER_TABLE = _changed(_lower_char)
_fold_char.cache_clear()
_lower_char.cache_clear()
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")  # outside the tables: mapped one by one
# str.lower maps one character to one with the same result as `_lower_char` except for these:
# two-character lowercases (kept as they are) and the capital sigma, which str.lower turns into
# a final sigma at the end of a word. Texts without them are lowered by str.lower, in C.
_LOWER_APART = re.compile(
    "["
    + "".join(
        re.escape(chr(cp))
        for cp in range(0x10000)
        if not 0xD800 <= cp < 0xE000 and (cp == 0x3A3 or len(chr(cp).lower()) != 1)
    )
    + "\U00010000-\U0010ffff]"
)


def fold(text: str) -> str:
    """Lowercase, strip Vietnamese diacritics, đ -> d; same length as `text`."""
    out = text.translate(_FOLD_TABLE)
    if out.isascii() or _ASTRAL.search(out) is None:
        return out
    # characters beyond the Basic Multilingual Plane (rare): fold one by one, keeping length
    return "".join(_fold_char(c) if ord(c) > 0xFFFF else c for c in out)


def lower(text: str) -> str:
    """Lowercase with a one-to-one character mapping (same length as `text`).

    Letters with a one-character lowercase go through a translation table; the others are
    left as they are, which matching never needs."""
    if _LOWER_APART.search(text) is None:
        return text.lower()
    out = text.translate(_LOWER_TABLE)
    if out.isascii() or _ASTRAL.search(out) is None:
        return out
    return "".join(_lower_char(c) if ord(c) > 0xFFFF else c for c in out)


def _tone_of(char: str) -> tuple[str, str | None]:
    decomposed = unicodedata.normalize("NFD", char)
    tone = next((m for m in decomposed if m in _TONE_MARKS), None)
    bare = unicodedata.normalize("NFC", "".join(m for m in decomposed if m not in _TONE_MARKS))
    return bare, tone


def _with_tone(char: str, tone: str) -> str:
    return unicodedata.normalize("NFC", char + tone)


# o/u + a tone-marked plain a/e/y at the end of a word, not after q (quý, quá keep theirs).
# The test for q comes after the o/u it precedes: a regex starting with a lookbehind is tried
# at every character, one starting with [oOuU] only where those letters are.
_OLD_STYLE = re.compile(
    r"([oOuU])(?<![qQ][oOuU])([àáảãạÀÁẢÃẠèéẻẽẹÈÉẺẼẸỳýỷỹỵỲÝỶỸỴ])(?![^\W\d_])",
)


def _move_tone(match: re.Match[str]) -> str:
    first, second = match.group(1), match.group(2)
    bare, tone = _tone_of(second)
    if tone is None:
        return match.group(0)
    pair = (first.lower(), bare.lower())
    if pair not in {("o", "a"), ("o", "e"), ("u", "y"), ("u", "a")}:
        return match.group(0)
    return _with_tone(first, tone) + bare


def tone_normalize(text: str) -> str:
    """Move tone marks of word-final oa/oe/uy/ua to the first vowel; same length."""
    return _OLD_STYLE.sub(_move_tone, text)


def has_diacritics(text: str) -> bool:
    """True when the text carries Vietnamese diacritics (letters that fold differently)."""
    return any(ord(c) > 0x7F and c.isalpha() and _fold_char(c) != c.lower() for c in text)
