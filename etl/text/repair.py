"""Repair decoded text into the canonical form every evidence span refers to.

`repair(text)` is deterministic and idempotent (`repair(repair(x)) == repair(x)`):

- invisible characters are removed: zero-width space/joiners (U+200B-U+200D), word joiner
  (U+2060) and other invisible operators, the BOM (U+FEFF) anywhere, the soft hyphen, bidi
  marks and embeddings, control characters (C0/C1 except '\\n' and '\\t'), lone surrogates;
- line breaks are unified: '\\r\\n' and '\\r' become '\\n'; so do the other characters that
  end a line (vertical tab and form feed, as Word and PDF exports use them, NEL, U+2028/U+2029),
  so that text on both sides of them does not run together;
- tabs and every Unicode space (no-break space, en/em/thin spaces, ideographic space, ...)
  become ' '; runs of spaces collapse to one; spaces at the end of a line are dropped;
- three or more consecutive line breaks (two or more blank lines) collapse to one blank line,
  so single line breaks and paragraph breaks both survive;
- the whole text is stripped and put in Unicode NFC, so decomposed (NFD) tone marks compose
  ("e" + U+0302 + U+0323 -> "ệ").

NFC is applied last: removing a zero-width character between a letter and a combining mark
must still let them compose, and no later step could undo the normal form.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["repair"]

# Removed outright. C0 controls except \t \n \v \f \r; DEL and C1 controls except NEL (U+0085);
# soft hyphen; zero-width space/non-joiner/joiner, LRM/RLM; bidi embeddings/overrides;
# word joiner and invisible operators; bidi isolates; deprecated format characters;
# Mongolian vowel separator; BOM / zero-width no-break space; interlinear annotation marks;
# lone surrogates (they cannot be encoded to UTF-8 and would break storage).
_INVISIBLE = re.compile(
    "[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f\u00ad\u180e\u200b-\u200f\u202a-\u202e"
    "\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\ud800-\udfff]+"
)
# Line terminators other than '\n'; '\r\n' first so it becomes a single break.
_LINE_BREAK = re.compile("\r\n|[\r\x0b\x0c\x85\u2028\u2029]")
# Tabs and every Unicode space separator (category Zs) other than ' ', or a run of two or
# more spaces of any of these kinds.
_SPACES = "\t \u00a0\u1680\u2000-\u200a\u202f\u205f\u3000"
_SPACE_RUN = re.compile(f"[{_SPACES}]{{2,}}|[\t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]")
_DOUBLE_SPACES = re.compile(" {2,}")
_BLANK_LINES = re.compile("\n{3,}")


def repair(text: str) -> str:
    """Return the canonical cleaned form of `text` (see the module docstring)."""
    # Fast path: str.isprintable() is False for every character the three regexes below
    # act on (controls including '\t' and '\r', format characters, spaces other than ' ',
    # line/paragraph separators, surrogates), so clean text skips them.
    if not text.replace("\n", " ").isprintable():
        text = _INVISIBLE.sub("", text)
        text = _LINE_BREAK.sub("\n", text)
        text = _SPACE_RUN.sub(" ", text)
    elif "  " in text:
        text = _DOUBLE_SPACES.sub(" ", text)
    if " \n" in text:
        # runs are single spaces now, so this drops every trailing space
        text = text.replace(" \n", "\n")
    if "\n\n\n" in text:
        text = _BLANK_LINES.sub("\n\n", text)
    # normalize() returns NFC input as is after a quick check
    return unicodedata.normalize("NFC", text.strip(" \n"))
