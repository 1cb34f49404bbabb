"""Required literal prefixes of a regex: a cheap, exact test that it cannot match a text.

If every way a pattern can match starts with one of a few literal strings, and none of those
strings occurs in the text, the regex need not be run. The prefixes are read from the regex's
parse tree; where a branch can start with anything (a class, a dot, an optional part), the
pattern has no prefixes and is always run.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

try:  # Python 3.11+: the parser is re._parser (sre_parse is a deprecated alias)
    from re import _constants as _c
    from re import _parser as _p
except ImportError:  # pragma: no cover
    import sre_constants as _c  # type: ignore[no-redef]
    import sre_parse as _p  # type: ignore[no-redef]

_MIN_PREFIX = 2
_MAX_PREFIXES = 64


@dataclass(frozen=True, slots=True)
class _Alt:
    """One way the start of a match can read: `text`; `open` when everything before it was
    literal, so the items after it may extend it; `word_end` when a match is known to go on
    with a non-word character (or to end) right after `text`."""

    text: str
    open: bool = True
    word_end: bool = False


_CUT = [_Alt("", open=False)]  # an item that can start with anything: the prefix ends here
_EMPTY = [_Alt("")]  # an item that matches no character (a lookaround, an anchor)


def _is_word_class(items: list[tuple[object, object]]) -> bool:
    r"""Whether `items` is the parse of [\w]."""
    if len(items) != 1:
        return False
    op, arg = items[0]
    if op is _c.IN:
        return list(arg) == [(_c.CATEGORY, _c.CATEGORY_WORD)]  # type: ignore[call-overload]
    return False


def _item(op: object, arg: object) -> list[_Alt] | None:
    """The ways one parsed item can start (None: too many to list)."""
    if op is _c.LITERAL:
        return [_Alt(chr(arg))]  # type: ignore[arg-type]
    if op is _c.SUBPATTERN:
        _group, add_flags, _del_flags, sub = arg  # type: ignore[misc]
        if add_flags & re.IGNORECASE:
            return _CUT
        return _sequence(list(sub))
    if op is _c.BRANCH:
        alts: list[_Alt] = []
        for branch in arg[1]:  # type: ignore[index]
            sub = _sequence(list(branch))
            if sub is None:
                return None
            alts.extend(sub)
        return alts
    if op in (_c.MAX_REPEAT, _c.MIN_REPEAT, _c.POSSESSIVE_REPEAT):
        low, high, sub = arg  # type: ignore[misc]
        if low == 0:
            if high != 1:
                return _CUT
            inner = _sequence(list(sub))
            return None if inner is None else _EMPTY + inner
        inner = _sequence(list(sub))
        if inner is None or (low == 1 and high == 1):
            return inner
        return [_Alt(a.text, open=False) for a in inner]
    if op is _c.ASSERT_NOT:
        direction, sub = arg  # type: ignore[misc]
        if direction == 1 and _is_word_class(list(sub)):
            return [_Alt("", word_end=True)]  # (?![\w]): the word ends here
        return _EMPTY
    if op in (_c.ASSERT, _c.AT):
        return _EMPTY
    if op is _c.IN:
        chars = list(arg)  # type: ignore[call-overload]
        if 0 < len(chars) <= 4 and all(o is _c.LITERAL for o, _ in chars):
            return [_Alt(chr(a)) for _, a in chars]
    return _CUT


def _join(head: _Alt, tail: _Alt) -> _Alt:
    if not tail.text:
        return _Alt(head.text, tail.open, head.word_end or tail.word_end)
    return _Alt(head.text + tail.text, tail.open, tail.word_end)


def _sequence(items: list[tuple[object, object]]) -> list[_Alt] | None:
    """The ways a sequence of parsed items can start (None: too many to list)."""
    out = [_Alt("")]
    for op, arg in items:
        if not any(a.open for a in out):
            break
        inner = _item(op, arg)
        if inner is None:
            return [_Alt(a.text, open=False) for a in out]
        joined = []
        for a in out:
            joined.extend([_join(a, b) for b in inner] if a.open else [a])
        if len(joined) > _MAX_PREFIXES:
            return [_Alt(a.text, open=False) for a in out]  # the prefixes so far still hold
        out = list(dict.fromkeys(joined))
    return out


@lru_cache(maxsize=2048)
def _starts(regex: re.Pattern[str]) -> tuple[_Alt, ...] | None:
    """How every match of `regex` starts, or None when that cannot be said (cached: both
    `required_prefixes` and `first_words` read it)."""
    if regex.flags & re.IGNORECASE:
        return None
    try:
        parsed = _p.parse(regex.pattern, regex.flags)
    except Exception:
        return None
    alts = _sequence(list(parsed))
    if alts is None or any(len(a.text) < _MIN_PREFIX for a in alts):
        return None
    return tuple(alts)


def required_prefixes(regex: re.Pattern[str]) -> tuple[str, ...] | None:
    """Strings one of which every match starts with, or None when that cannot be said."""
    alts = _starts(regex)
    if alts is None:
        return None
    # a prefix that is a prefix of another adds nothing: keep the shortest ones
    kept: list[str] = []
    for prefix in sorted({a.text for a in alts}, key=len):
        if not any(prefix.startswith(k) for k in kept):
            kept.append(prefix)
    return tuple(kept)


_WORD = re.compile(r"\w+")


def first_words(regex: re.Pattern[str]) -> frozenset[str] | None:
    r"""The first whole word of every match of `regex`, when that can be said (else None).

    A match starts at a word boundary, so its first word is known when the literal start
    of every match has a non-word character after its first word, or is a whole word followed
    by (?![\w]): testing membership in the document's set of words (or looking the word up
    in its index of word positions) is then exact and much cheaper than substring search."""
    alts = _starts(regex)
    if alts is None:
        return None
    words = set()
    for alt in alts:
        match = _WORD.match(alt.text)
        if match is None:
            return None
        if match.end() == len(alt.text) and not alt.word_end:
            return None
        words.add(match.group(0))
    return frozenset(words)


def may_match(
    prefixes: tuple[str, ...] | None, words: frozenset[str] | None, text: str, text_words: set[str]
) -> bool:
    """False only when the pattern cannot match `text` (whose words are `text_words`)."""
    if words is not None:
        return not words.isdisjoint(text_words)
    return prefixes is None or any(p in text for p in prefixes)
