"""Decode a document's bytes to text, naming the encoding that was used.

Order of the checks (the first that applies wins):

1. empty data -> `DocumentError("empty file")`;
2. a byte order mark: UTF-8 ('utf-8-sig'), UTF-32 LE/BE, UTF-16 LE/BE;
3. UTF-16 without a BOM, recognised by NUL bytes at alternating positions (the high byte of
   ASCII and most Vietnamese letters);
4. binary data (any other NUL byte, or more than 5% control bytes) ->
   `DocumentError("binary file, not text")`;
5. strict UTF-8 (also plain ASCII);
6. UTF-8 with a handful of damaged bytes ('utf-8-lossy': they become U+FFFD), when valid
   multi-byte sequences outnumber the invalid ones at least 20 to 1;
   (valid UTF-8 that is really legacy text — TCVN3/VNI once mis-decoded as Windows-1252,
   or VIQR — is converted, see `etl.reading.legacy`; named e.g. 'vni-in-utf-8');
7. TCVN3 ('tcvn3') or VNI Windows ('vni') when that reading is clearly the most Vietnamese;
   else Windows-1258 when it decodes to plausible Vietnamese. Windows-1258 writes most tone marks
   as combining characters after the letter; `etl.text.repair.repair` composes them (NFC);
8. a charset declared in the document (`<meta charset=...>`), if it decodes;
9. charset-normalizer's best guess;
10. otherwise `DocumentError("could not decode: ...")`.

Encoding names are Python codec names ('utf-8', 'cp1258', 'utf-16-le', ...), except
'utf-8-sig' (UTF-8 with a BOM) and 'utf-8-lossy'.
"""

from __future__ import annotations

import codecs
import contextlib
import re
from pathlib import Path

from charset_normalizer import from_bytes

from etl.models import DocumentError
from etl.reading.legacy import best_reading, legacy_candidates, looks_legacy, repair_legacy_text

__all__ = ["decode_bytes"]

_BOMS: tuple[tuple[bytes, str, str], ...] = (
    # UTF-32 before UTF-16: the UTF-32-LE BOM starts with the UTF-16-LE one
    (codecs.BOM_UTF8, "utf-8", "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32-le", "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "utf-16-be"),
)

# Control bytes that do not occur in text: C0 except \t \n \v \f \r and ESC, plus DEL.
_CONTROL_BYTES = bytes([*range(0x00, 0x09), *range(0x0E, 0x1B), *range(0x1C, 0x20), 0x7F])
_NON_CONTROL_BYTES = bytes(b for b in range(256) if b not in _CONTROL_BYTES)
_MAX_CONTROL_SHARE = 0.05

# UTF-16 sniffing: share of code units whose high byte is NUL (ASCII and Latin letters) and
# the largest share of NUL low bytes we tolerate (U+0100, U+1E00, ... are rare in text).
_UTF16_MIN_NUL_HIGH = 0.2
_UTF16_MAX_NUL_LOW = 0.02

# Lossy UTF-8: valid non-ASCII characters per invalid sequence, at least.
_LOSSY_UTF8_RATIO = 20

# Windows-1258 plausibility: tone marks (combining characters in cp1258) follow vowels, and
# Vietnamese-only letters appear. Anything else attached to a combining mark is suspicious.
_CP1258_TONES = "\u0300\u0301\u0303\u0309\u0323"
_VOWELS = "aeiouyâêôăơưAEIOUYÂÊÔĂƠƯ"
_TONE_ON_VOWEL = re.compile(f"[{_VOWELS}][{_CP1258_TONES}]")
_TONE_ANY = re.compile(f"[{_CP1258_TONES}]")
_VIET_LETTERS = re.compile("[ăâêôơưđĂÂÊÔƠƯĐ]")
_MAX_STRAY_TONE_SHARE = 0.05

_META_CHARSET = re.compile(
    rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{1,40})""", re.I
)
_DECLARED_SCAN = 4096  # the charset declaration must be near the top

# EBCDIC code pages: never the encoding of these documents, yet charset-normalizer's favourite
# guess for a few stray bytes.
_EBCDIC = ["cp037", "cp273", "cp424", "cp500", "cp875", "cp1026", "cp1140"]


def decode_bytes(data: bytes, path: Path | str) -> tuple[str, str]:
    """Decode `data` (the bytes of the file at `path`) and return (text, encoding name).

    The text is not yet repaired (NFC, spaces, ...): pass it through
    `etl.text.repair.repair`. Raises `DocumentError` for empty, binary or undecodable data.
    """
    if not data:
        raise DocumentError(path, "empty file")

    for bom, codec, name in _BOMS:
        if data.startswith(bom):
            data = data[len(bom) :]
            if not data:
                raise DocumentError(path, "empty file")
            try:
                return data.decode(codec), name
            except UnicodeDecodeError:
                if codec != "utf-8":
                    raise DocumentError(
                        path,
                        f"could not decode: starts with a {name} byte order mark "
                        "but is not valid in that encoding",
                    ) from None
            break  # a UTF-8 BOM on legacy text: look further

    nuls = data.count(0)
    if nuls:
        sniffed = _sniff_utf16(data)
        if sniffed is not None:
            return sniffed
        raise DocumentError(path, "binary file, not text")
    controls = len(data.translate(None, _NON_CONTROL_BYTES))  # only the control bytes remain
    if controls > _MAX_CONTROL_SHARE * len(data):
        raise DocumentError(path, "binary file, not text")

    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        # legacy text once mis-decoded and saved as UTF-8, or typed in VIQR
        repaired = repair_legacy_text(text)
        if repaired is not None:
            return repaired[1], f"{repaired[0]}-in-utf-8"
        return text, "utf-8"

    lossy = _lossy_utf8(data)
    if lossy is not None:
        return lossy, "utf-8-lossy"

    legacy = _legacy_vietnamese(data)
    if legacy is not None:
        return legacy

    text = _cp1258_vietnamese(data)
    if text is not None:
        return text, "cp1258"

    declared = _declared_charset(data)
    if declared is not None:
        return declared

    guessed = _charset_normalizer_guess(data)
    if guessed is not None:
        return guessed

    raise DocumentError(
        path, "could not decode: not UTF-8 or UTF-16, and no legacy encoding fits the bytes"
    )


def _sniff_utf16(data: bytes) -> tuple[str, str] | None:
    """UTF-16 without a BOM: NUL high bytes at alternating positions, none elsewhere."""
    if len(data) % 2:
        return None
    units = len(data) // 2
    even_nuls = data[0::2].count(0)
    odd_nuls = data[1::2].count(0)
    for codec, high_nuls, low_nuls in (
        ("utf-16-le", odd_nuls, even_nuls),
        ("utf-16-be", even_nuls, odd_nuls),
    ):
        if high_nuls >= _UTF16_MIN_NUL_HIGH * units and low_nuls <= _UTF16_MAX_NUL_LOW * units:
            try:
                text = data.decode(codec)
            except UnicodeDecodeError:
                return None
            if "\x00" in text:
                return None
            return text, codec
    return None


def _lossy_utf8(data: bytes) -> str | None:
    """UTF-8 with a few invalid bytes (a damaged download): keep it, with U+FFFD marks."""
    text = data.decode("utf-8", errors="replace")
    invalid = text.count("\ufffd") - data.count(b"\xef\xbf\xbd")
    non_ascii = len(text) - len(text.encode("ascii", errors="ignore")) - invalid
    if invalid > 0 and non_ascii >= _LOSSY_UTF8_RATIO * invalid:
        return text
    return None


def _cp1258_vietnamese(data: bytes) -> str | None:
    """Windows-1258 when the result reads as Vietnamese: tone marks sit on vowels."""
    try:
        text = data.decode("cp1258")
    except UnicodeDecodeError:
        return None
    on_vowel = len(_TONE_ON_VOWEL.findall(text))
    tones = len(_TONE_ANY.findall(text))
    letters = len(_VIET_LETTERS.findall(text))
    if on_vowel + letters == 0:
        return None
    if tones - on_vowel > _MAX_STRAY_TONE_SHARE * max(tones, 1):
        return None
    return text


def _legacy_vietnamese(data: bytes) -> tuple[str, str] | None:
    """TCVN3 or VNI bytes, when that reading is clearly more Vietnamese than Windows-1258."""
    single = data.decode("latin-1")
    if not looks_legacy(single):
        return None
    readings = legacy_candidates(single)
    with contextlib.suppress(UnicodeDecodeError):
        readings["cp1258"] = data.decode("cp1258")
    best = best_reading(readings)
    if best is None or best[0] == "cp1258":
        return None
    return best[1], best[0]


def _declared_charset(data: bytes) -> tuple[str, str] | None:
    """A `<meta charset>` near the top naming a non-UTF-8 codec that decodes the data."""
    match = _META_CHARSET.search(data, 0, _DECLARED_SCAN)
    if match is None:
        return None
    try:
        codec = codecs.lookup(match.group(1).decode("ascii")).name
    except LookupError:
        return None
    if codec.startswith(("utf-8", "utf-16", "utf-32", "utf_")):
        return None  # it said UTF-8 and the data is not: the declaration is wrong
    try:
        return data.decode(codec), codec
    except UnicodeDecodeError:
        return None


def _charset_normalizer_guess(data: bytes) -> tuple[str, str] | None:
    best = from_bytes(data, cp_exclusion=_EBCDIC).best()
    if best is None:
        return None
    try:
        codec = codecs.lookup(best.encoding).name
    except LookupError:
        codec = best.encoding
    return str(best), codec
