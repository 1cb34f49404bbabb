"""Required literal prefixes of a regex: a cheap, exact test that it cannot match a text.

If every way a pattern can match starts with one of a few literal strings, and none of those
strings occurs in the text, the regex need not be run. The prefixes are read from the regex's
parse tree; where a branch can start with anything (a class, a dot, an optional part), the
pattern has no prefixes and is always run.
"""

from __future__ import annotations

import re

try:  # Python 3.11+: the parser is re._parser (sre_parse is a deprecated alias)
    from re import _constants as _c
    from re import _parser as _p
except ImportError:  # pragma: no cover
    import sre_constants as _c  # type: ignore[no-redef]
    import sre_parse as _p  # type: ignore[no-redef]

_MIN_PREFIX = 2
_MAX_PREFIXES = 64


def _prefixes(items: list[tuple[object, object]]) -> list[str] | None:
    """Literal prefixes of a sequence of parsed items; None when unbounded."""
    out = [""]
    for op, arg in items:
        if op is _c.LITERAL:
            out = [p + chr(arg) for p in out]  # type: ignore[arg-type]
            continue
        if op is _c.SUBPATTERN:
            inner = _prefixes(list(arg[-1]))  # type: ignore[index]
        elif op is _c.BRANCH:
            inner = []
            for branch in arg[1]:  # type: ignore[index]
                sub = _prefixes(list(branch))
                if sub is None:
                    inner = None
                    break
                inner.extend(sub)
        else:
            inner = None
        if inner is None:
            break
        out = [p + q for p in out for q in inner]
        if len(out) > _MAX_PREFIXES:
            return None
        if any(op is not _c.LITERAL for op, _ in items):
            # after a group, later items may depend on which branch matched: stop here
            break
    if any(len(p) < _MIN_PREFIX for p in out):
        return None
    return sorted(set(out))


def required_prefixes(regex: re.Pattern[str]) -> tuple[str, ...] | None:
    """Strings one of which every match starts with, or None when that cannot be said."""
    try:
        parsed = _p.parse(regex.pattern, regex.flags)
    except Exception:
        return None
    items = list(parsed)
    found = _prefixes(items)
    if found is None:
        return None
    # a prefix that is a prefix of another adds nothing: keep the shortest ones
    kept: list[str] = []
    for prefix in sorted(found, key=len):
        if not any(prefix.startswith(k) for k in kept):
            kept.append(prefix)
    return tuple(kept)


_WORD = re.compile(r"\w+")


def first_words(prefixes: tuple[str, ...] | None) -> frozenset[str] | None:
    """The first whole word of each prefix, when every prefix has one (else None).

    A match starts at a word boundary, so its first word equals the prefix's first word when
    that word ends inside the prefix: testing membership in the document's set of words is
    then exact and much cheaper than substring search."""
    if prefixes is None:
        return None
    words = set()
    for prefix in prefixes:
        match = _WORD.match(prefix)
        if match is None or match.end() == len(prefix):
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
