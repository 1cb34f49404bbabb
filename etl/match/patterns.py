"""Compile vocabulary patterns (YAML) into regexes for accented and folded text."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from etl.match.prefilter import first_words, required_prefixes
from etl.text.fold import fold, lower, tone_normalize

_MACRO = re.compile(r"\{([A-Z][A-Z0-9_]*)\}")
_NAMED_GROUP = re.compile(r"\(\?P(?:<[^>]+>|=[^)]+\))")
_CONTEXT_KEYS = (
    "not_before",
    "not_after",
    "requires",
    "excludes",
    "clause_requires",
    "clause_excludes",
)


@dataclass(frozen=True, slots=True)
class DualRegex:
    """The same pattern for accented text and for text written without diacritics."""

    acc: re.Pattern[str]
    fold: re.Pattern[str]
    acc_prefixes: tuple[str, ...] | None = None  # see etl.match.prefilter
    fold_prefixes: tuple[str, ...] | None = None
    acc_words: frozenset[str] | None = None
    fold_words: frozenset[str] | None = None

    def get(self, accented: bool) -> re.Pattern[str]:
        return self.acc if accented else self.fold

    def prefilter(self, accented: bool) -> tuple[tuple[str, ...] | None, frozenset[str] | None]:
        if accented:
            return self.acc_prefixes, self.acc_words
        return self.fold_prefixes, self.fold_words


@dataclass(frozen=True, slots=True)
class CompiledPattern:
    category: str
    id: str
    rule: str
    main: DualRegex
    context: dict[str, DualRegex]
    next_upper: bool = False


def expand_macros(source: str, macros: dict[str, str]) -> str:
    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in macros:
            raise KeyError(f"unknown macro {{{name}}} in pattern {source!r}")
        return f"(?:{expand_macros(macros[name], macros)})"

    return _MACRO.sub(replace, source)


def _map_unescaped(source: str, func: Any) -> str:
    """Apply a text transformation to the literal characters of a regex, not to escapes."""
    out: list[str] = []
    literal: list[str] = []
    index = 0
    while index < len(source):
        char = source[index]
        group = _NAMED_GROUP.match(source, index)
        if group:
            out.append(func("".join(literal)))
            literal = []
            out.append(group.group(0))
            index = group.end()
            continue
        if char == "\\" and index + 1 < len(source):
            out.append(func("".join(literal)))
            literal = []
            out.append(source[index : index + 2])
            index += 2
            continue
        literal.append(char)
        index += 1
    out.append(func("".join(literal)))
    return "".join(out)


def _accent_form(source: str) -> str:
    return _map_unescaped(source, lambda s: lower(tone_normalize(s)))


def fold_form(source: str) -> str:
    """The regex `source` for folded text: its literal characters folded (lowercase, no
    diacritics), its escapes (`\\S` stays `\\S`) and group names kept as written."""
    return _map_unescaped(source, fold)


def starts_word(view: str, start: int) -> bool:
    """True when a match at `start` begins a word (what the regex itself does not check)."""
    return start == 0 or not (view[start - 1].isalnum() or view[start - 1] == "_")


def matches_starting(
    regex: re.Pattern[str], text: str, start_ok: Callable[[str, int], bool]
) -> Iterator[re.Match[str]]:
    """The matches `finditer` gives for a lookbehind, tested by `start_ok(text, start)`,
    followed by `regex`.

    A regex that begins with a lookbehind is tried at every character; without it the engine
    can skip to the characters a match can start with. So the lookbehind is tested apart, at
    each place `regex` matches: where it fails, the search goes on from the next character,
    as the engine would have done."""
    pos = 0
    search = regex.search
    while (match := search(text, pos)) is not None:
        start, end = match.span()
        if not start_ok(text, start):
            pos = start + 1
            continue
        yield match
        pos = end if end > start else start + 1


def word_start_matches(regex: re.Pattern[str], text: str) -> Iterator[re.Match[str]]:
    """The matches `finditer` gives for `(?<![\\w])` + `regex`: those starting a word (compile
    `regex` with `lead_boundary=False`)."""
    return matches_starting(regex, text, starts_word)


def compile_dual(
    source: str, macros: dict[str, str], bounded: bool = True, lead_boundary: bool = True
) -> DualRegex:
    """Compile for accented and folded text; `bounded` adds word boundaries. With
    `lead_boundary=False` the start boundary is left to the caller (see `starts_word`)."""
    expanded = expand_macros(source, macros)
    forms = []
    for form in (_accent_form(expanded), fold_form(expanded)):
        # a lookbehind first would stop the regex engine from using its fast prefix scan,
        # so hot-path patterns leave the start boundary to the caller
        lead = "(?<![\\w])" if bounded and lead_boundary else ""
        body = f"{lead}(?:{form})(?![\\w])" if bounded else f"(?:{form})"
        try:
            forms.append(re.compile(body))
        except re.error as err:
            raise ValueError(f"bad pattern {source!r}: {err}") from err
    acc_prefixes, fold_prefixes = required_prefixes(forms[0]), required_prefixes(forms[1])
    return DualRegex(
        acc=forms[0],
        fold=forms[1],
        acc_prefixes=acc_prefixes,
        fold_prefixes=fold_prefixes,
        acc_words=first_words(forms[0]),
        fold_words=first_words(forms[1]),
    )


def compile_pattern(
    category: str, key: str, index: int, spec: Any, macros: dict[str, str]
) -> CompiledPattern:
    if isinstance(spec, str):
        spec = {"re": spec}
    context = {}
    for name in _CONTEXT_KEYS:
        if name in spec:
            context[name] = compile_dual(str(spec[name]), macros, bounded=False)
    return CompiledPattern(
        category=category,
        id=key,
        rule=f"{key}#{index}",
        main=compile_dual(str(spec["re"]), macros, lead_boundary=False),
        context=context,
        next_upper=bool(spec.get("next_upper", False)),
    )
