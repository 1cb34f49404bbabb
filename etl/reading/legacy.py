"""Pre-Unicode Vietnamese encodings still found in government files: TCVN3 (ABC, ".Vn"
fonts), VNI Windows, and VIQR (ASCII with marks after letters).

Such bytes decode "successfully" in any single-byte code page, so the choice is made by
reading: each candidate decoding is scored by the share of its words that are frequent
Vietnamese syllables (`etl/vocab/vietnamese_common.txt`), and the best one wins. The same
mapping also repairs legacy text that was once mis-decoded as Windows-1252 and saved as UTF-8.
Tables: `etl/vocab/legacy_tcvn3.csv`, `legacy_vni.csv` (built by scripts/build_legacy_tables.py).
"""

from __future__ import annotations

import csv
import re
import unicodedata
from functools import lru_cache

from etl.codebook import VOCAB_DIR

_WORD = re.compile(r"[^\W\d_]+")
# Latin-1 characters that Vietnamese never uses but TCVN3/VNI text read as Windows-1252 is
# full of ("kÕ ho¹ch", "keá hoaïch")
_LEGACY_HINT = re.compile("[µ¸¶·¹¨»¾¼½Æ©ÇË®ÐÎÏÑªÖ×ØÜÞßä«åæç¬ëîïñö÷øûüþ]")
# a VIQR word: letters with marks after them ("ngu+o+`i"); the marks alone decide nothing
_VIQR_TOKEN = re.compile(r"\b[a-zA-Z][a-zA-Z^(+'`?~.]*")
# a word that really carries VIQR marks (for detection)
_VIQR_MARKED = re.compile(r"\b[a-zA-Z]*[aeiouyAEIOUY](?:[\^(+]['`?~.]?|['`?~])[a-zA-Z]")
# the part of such a word every one contains: a text without it has none (found much faster,
# as the regex engine skips to the vowels instead of trying a word boundary everywhere)
_VIQR_MARK = re.compile(r"[aeiouyAEIOUY](?:[\^(+]['`?~.]?|['`?~])[a-zA-Z]")

# a decoding must read at least this much like Vietnamese, and beat the others by a margin
MIN_SCORE = 0.25
MARGIN = 0.1


@lru_cache(maxsize=1)
def common_syllables() -> frozenset[str]:
    lines = (VOCAB_DIR / "vietnamese_common.txt").read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


def vietnamese_score(text: str, sample: int = 4000) -> float:
    """Share of the words (in the first `sample` characters) that are frequent syllables."""
    words = _WORD.findall(unicodedata.normalize("NFC", text[:sample]).lower())
    if not words:
        return 0.0
    common = common_syllables()
    return sum(1 for w in words if w in common) / len(words)


def _load(name: str) -> list[tuple[str, str]]:
    with (VOCAB_DIR / name).open(encoding="utf-8", newline="") as handle:
        return [(row["code"], row["unicode"]) for row in csv.DictReader(handle)]


@lru_cache(maxsize=1)
def _tcvn3() -> dict[int, str]:
    return {ord(code): uni for code, uni in _load("legacy_tcvn3.csv")}


@lru_cache(maxsize=1)
def _vni() -> tuple[re.Pattern[str], dict[str, str]]:
    table = dict(_load("legacy_vni.csv"))
    codes = sorted(table, key=len, reverse=True)  # two-character sequences first
    return re.compile("|".join(re.escape(c) for c in codes)), table


def from_tcvn3(text: str) -> str:
    """Text whose characters are TCVN3 bytes read as Latin-1/Windows-1252 -> Unicode."""
    return text.translate(_tcvn3())


def from_vni(text: str) -> str:
    """Text whose characters are VNI Windows bytes read as Windows-1252 -> Unicode."""
    pattern, table = _vni()
    return pattern.sub(lambda m: table[m.group(0)], text)


_VIQR_TONES = {"'": "\u0301", "`": "\u0300", "?": "\u0309", "~": "\u0303", ".": "\u0323"}
_VIQR_SHAPES = {"^": "\u0302", "(": "\u0306", "+": "\u031b"}


def from_viqr(text: str) -> str:
    """VIQR ("Ke^' hoa.ch") -> Unicode, word by word; words without marks are unchanged."""

    def word(match: re.Match[str]) -> str:
        token = match.group(0)
        out: list[str] = []
        for char in token:
            if out and char in _VIQR_SHAPES and out[-1].lower() in "aeouy":
                out[-1] += _VIQR_SHAPES[char]
            elif out and char in _VIQR_TONES and out[-1][:1].lower() in "aeiouy":
                out[-1] += _VIQR_TONES[char]
            else:
                out.append(char)
        return unicodedata.normalize("NFC", "".join(out))

    text = _VIQR_TOKEN.sub(word, text)
    return re.sub(r"\bdd", "đ", re.sub(r"\bD[Dd]", "Đ", text))


def legacy_candidates(single_byte_text: str) -> dict[str, str]:
    """The text under each legacy reading (input: bytes read as Windows-1252/Latin-1)."""
    return {"tcvn3": from_tcvn3(single_byte_text), "vni": from_vni(single_byte_text)}


def looks_legacy(text: str) -> bool:
    """Cheap test: enough legacy-looking characters (or VIQR marks) to be worth scoring."""
    sample = text[:4000]
    hints = len(_LEGACY_HINT.findall(sample))
    if hints >= max(5, len(sample) // 200):
        return True
    return _VIQR_MARK.search(sample) is not None and len(_VIQR_MARKED.findall(sample)) >= 5


def best_reading(readings: dict[str, str]) -> tuple[str, str] | None:
    """(name, text) of the reading that is clearly the most Vietnamese, or None."""
    scored = sorted(((vietnamese_score(t), n) for n, t in readings.items()), reverse=True)
    if not scored or scored[0][0] < MIN_SCORE:
        return None
    if len(scored) > 1 and scored[0][0] - scored[1][0] < MARGIN:
        return None
    name = scored[0][1]
    return name, readings[name]


def repair_legacy_text(text: str) -> tuple[str, str] | None:
    """Legacy text that was decoded as Unicode already (UTF-8 mojibake, VIQR): convert it.

    Returns (encoding name, text) when a legacy reading is clearly more Vietnamese than the
    text as it is; None otherwise (the usual case, decided cheaply)."""
    if not looks_legacy(text):
        return None
    readings = {"as-is": text, "viqr": from_viqr(text)}
    try:
        single = text.encode("cp1252")
    except UnicodeEncodeError:
        single = None
    if single is not None:
        readings.update(legacy_candidates(single.decode("latin-1")))
    best = best_reading(readings)
    if best is None or best[0] == "as-is":
        return None
    return best


def encode_tcvn3(text: str) -> bytes:
    """Unicode -> TCVN3 bytes (for tests and tools); uppercase toned letters go lowercase."""
    inverse = {uni: code for code, uni in _load("legacy_tcvn3.csv")}
    out = []
    for char in unicodedata.normalize("NFC", text):
        if char in inverse:
            out.append(inverse[char])
        elif char.lower() in inverse and char not in "ĂÂĐÊÔƠƯ":
            out.append(inverse[char.lower()])
        else:
            out.append(char)
    return "".join(out).encode("latin-1", errors="replace")


def encode_vni(text: str) -> bytes:
    """Unicode -> VNI Windows bytes (for tests and tools)."""
    inverse = {uni: code for code, uni in _load("legacy_vni.csv")}
    out = "".join(inverse.get(c, c) for c in unicodedata.normalize("NFC", text))
    return out.encode("cp1252", errors="replace")


def to_viqr(text: str) -> str:
    """Unicode -> VIQR (for tests and tools)."""
    shapes = {v: k for k, v in _VIQR_SHAPES.items()}
    tones = {v: k for k, v in _VIQR_TONES.items()}
    out = []
    for char in unicodedata.normalize("NFC", text):
        if char in "đĐ":
            out.append("dd" if char == "đ" else "DD")
            continue
        parts = unicodedata.normalize("NFD", char)
        base, marks = parts[0], parts[1:]
        out.append(base + "".join(shapes.get(m, "") for m in marks))
        out.append("".join(tones.get(m, "") for m in marks))
    return "".join(out)
