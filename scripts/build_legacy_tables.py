"""Write the legacy Vietnamese encoding tables (TCVN3/ABC, VNI Windows) as CSV data.

TCVN3 (ABC, the ".Vn" fonts) is one byte per letter: lowercase toned letters and the
uppercase base letters Ă Â Đ Ê Ô Ơ Ư have codes of their own; uppercase toned letters are
drawn by the uppercase fonts (.VnTimeH) from the lowercase codes. VNI Windows writes a base
letter followed by a modifier character (tone, or circumflex/breve with its tone), except a
few single-character letters. Codes are given as the Windows-1252 character of the byte.

Run: python scripts/build_legacy_tables.py  (rewrites etl/vocab/legacy_*.csv)
"""

import csv
import unicodedata
from pathlib import Path

VOCAB = Path(__file__).resolve().parents[1] / "etl" / "vocab"
TONES = ["", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323"]  # none huyền sắc hỏi ngã nặng


def compose(base: str, tone: str) -> str:
    return unicodedata.normalize("NFC", base + tone)


# TCVN3: byte for each lowercase letter with tones in the order huyền sắc hỏi ngã nặng
TCVN3_ROWS = {
    "a": "\xb5\xb8\xb6\xb7\xb9",
    "ă": "\xbb\xbe\xbc\xbd\xc6",
    "â": "\xc7\xca\xc8\xc9\xcb",
    "e": "\xcc\xd0\xce\xcf\xd1",
    "ê": "\xd2\xd5\xd3\xd4\xd6",
    "i": "\xd7\xdd\xd8\xdc\xde",
    "o": "\xdf\xe3\xe1\xe2\xe4",
    "ô": "\xe5\xe8\xe6\xe7\xe9",
    "ơ": "\xea\xed\xeb\xec\xee",
    "u": "\xef\xf3\xf1\xf2\xf4",
    "ư": "\xf5\xf8\xf6\xf7\xf9",
    "y": "\xfa\xfd\xfb\xfc\xfe",
}
TCVN3_SINGLE = {
    "ă": "\xa8",
    "â": "\xa9",
    "ê": "\xaa",
    "ô": "\xab",
    "ơ": "\xac",
    "ư": "\xad",
    "đ": "\xae",
    "Ă": "\xa1",
    "Â": "\xa2",
    "Ê": "\xa3",
    "Ô": "\xa4",
    "Ơ": "\xa5",
    "Ư": "\xa6",
    "Đ": "\xa7",
}

# VNI Windows: modifier characters (lowercase, uppercase) for the tones
VNI_TONE = {
    "\u0300": ("ø", "Ø"),
    "\u0301": ("ù", "Ù"),
    "\u0309": ("û", "Û"),
    "\u0303": ("õ", "Õ"),
    "\u0323": ("ï", "Ï"),
}
# circumflex (with tone) and breve (with tone) modifiers
VNI_CIRC = {
    "": ("â", "Â"),
    "\u0300": ("à", "À"),
    "\u0301": ("á", "Á"),
    "\u0309": ("å", "Å"),
    "\u0303": ("ã", "Ã"),
    "\u0323": ("ä", "Ä"),
}
VNI_BREVE = {
    "": ("ê", "Ê"),
    "\u0300": ("è", "È"),
    "\u0301": ("é", "É"),
    "\u0309": ("ú", "Ú"),
    "\u0303": ("ü", "Ü"),
    "\u0323": ("ë", "Ë"),
}
# letters VNI writes as one character (lower, upper)
VNI_SINGLE = {
    "đ": "ñ",
    "Đ": "Ñ",
    "ơ": "ô",
    "Ơ": "Ô",
    "ư": "ö",
    "Ư": "Ö",
    "í": "í",
    "Í": "Í",
    "ì": "ì",
    "Ì": "Ì",
    "ỉ": "æ",
    "Ỉ": "Æ",
    "ĩ": "ó",
    "Ĩ": "Ó",
    "ị": "ò",
    "Ị": "Ò",
    "ỵ": "î",
    "Ỵ": "Î",
}


def tcvn3_rows() -> list[tuple[str, str]]:
    rows = [(code, letter) for letter, code in TCVN3_SINGLE.items()]
    for base, codes in TCVN3_ROWS.items():
        for tone, code in zip(TONES[1:], codes, strict=True):
            rows.append((code, compose(base, tone)))
    return sorted(rows)


def vni_rows() -> list[tuple[str, str]]:
    rows = [(code, letter) for letter, code in VNI_SINGLE.items()]
    for upper in (False, True):
        pick = 1 if upper else 0
        for base in "aeiouy":
            letter = base.upper() if upper else base
            for tone, marks in VNI_TONE.items():
                target = compose(letter, tone)
                if any(target == k for k in VNI_SINGLE):
                    continue
                rows.append((letter + marks[pick], target))
            if base in "aeo":
                for tone, marks in VNI_CIRC.items():
                    rows.append((letter + marks[pick], compose(letter + "\u0302", tone)))
            if base == "a":
                for tone, marks in VNI_BREVE.items():
                    rows.append((letter + marks[pick], compose(letter + "\u0306", tone)))
        for horn, single in (("ơ", "ô"), ("ư", "ö")):
            letter = horn.upper() if upper else horn
            code = single.upper() if upper else single
            for tone, marks in VNI_TONE.items():
                rows.append((code + marks[pick], compose(letter, tone)))
    return sorted(set(rows))


def write(name: str, header: tuple[str, str], rows: list[tuple[str, str]]) -> None:
    with (VOCAB / name).open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)


if __name__ == "__main__":
    write("legacy_tcvn3.csv", ("code", "unicode"), tcvn3_rows())
    write("legacy_vni.csv", ("code", "unicode"), vni_rows())
    print("wrote", VOCAB / "legacy_tcvn3.csv", VOCAB / "legacy_vni.csv")
