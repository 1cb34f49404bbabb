"""Literal prefixes and first words read off a regex: the matcher's cheap, exact pre-tests.

Both are necessary conditions: a pattern is only tried where its first word starts, and only
where the text goes on with one of its prefixes. A wrong prefix would silently lose matches,
so besides the table of cases every codebook pattern is checked against its own matches.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from etl.codebook import load_codebook
from etl.match.matcher import compiled_category
from etl.match.patterns import starts_word, word_start_matches
from etl.match.prefilter import first_words, required_prefixes

_END = r"(?![\w])"


@pytest.mark.parametrize(
    ("pattern", "prefixes", "words"),
    [
        # a group of alternatives, then more literal text: every combination
        (rf"(?:sở|phòng) tài chính{_END}", ("phòng tài chính", "sở tài chính"), {"sở", "phòng"}),
        # a whole-word abbreviation is a first word only when the word is known to end there
        (rf"stc{_END}", ("stc",), {"stc"}),
        ("stc", ("stc",), None),
        # an optional leading word: with and without it
        (rf"(?:các )?đài{_END}", ("đài", "các đài"), {"đài", "các"}),
        # a lookbehind matches no character: the match starts after it
        (rf"(?<=loa, )đài{_END}", ("đài",), {"đài"}),
        # optional punctuation and space inside an abbreviation
        (rf"cb,? ?cc{_END}", ("cb cc", "cb, cc", "cb,cc", "cbcc"), {"cb", "cbcc"}),
        (rf"tin,? bài{_END}", ("tin bài", "tin, bài"), {"tin"}),
        # a small set of characters is spelt out; a repeated one ends the prefix
        (rf"ph[aá]t hành{_END}", ("phat hành", "phát hành"), {"phat", "phát"}),
        (r"bản tin (?:số )?\d+", ("bản tin ",), {"bản"}),
        # starts with anything: no prefix, no first word
        (r"[^.;]{0,30}trực tuyến", None, None),
        (r"x*ubnd", None, None),
        (r"ub(?: nd){0,3} tỉnh", ("ub",), None),  # repeated: only what comes before holds
        (r"(?:\w+ )?ubnd", None, None),
        # a prefix shorter than two characters says too little
        (r"(?:a|bc)d?", None, None),
        # case-insensitive patterns are left alone
        (r"(?i)ubnd", None, None),
        (r"(?i:ubnd) tỉnh", None, None),
    ],
)
def test_prefixes_and_first_words(
    pattern: str, prefixes: tuple[str, ...] | None, words: set[str] | None
) -> None:
    regex = re.compile(pattern)
    got = required_prefixes(regex)
    assert (None if got is None else sorted(got)) == (
        None if prefixes is None else sorted(prefixes)
    )
    got_words = first_words(regex)
    assert (None if got_words is None else set(got_words)) == words


def test_too_many_alternatives_keep_the_prefixes_read_so_far() -> None:
    pairs = "(?:aa|bb|cc|dd|ee|ff|gg|hh)"  # 8 x 8 x 8 ways: more than 64
    regex = re.compile(pairs * 3 + "xyz")
    got = required_prefixes(regex)
    assert got is not None and len(got) == 64 and all(len(p) == 4 for p in got)
    assert first_words(regex) is None


def _all_patterns() -> list[tuple[re.Pattern[str], tuple[str, ...] | None, frozenset[str] | None]]:
    out = []
    for category in load_codebook().categories:
        for pattern in compiled_category(category):
            for accented in (True, False):
                prefixes, words = pattern.main.prefilter(accented)
                out.append((pattern.main.get(accented), prefixes, words))
    return out


_PATTERNS = _all_patterns()
# Pieces of text that start codebook matches (their literal prefixes), plus words and
# punctuation that go between them or extend them.
_PIECES = sorted(
    {p for _, prefixes, _ in _PATTERNS for p in (prefixes or ())}
    | {" ", ", ", ". ", " và ", "các ", "tỉnh ", "xã ", "hồ sơ ", "cấp ", "x", "1", "-"}
)


def test_most_codebook_patterns_have_a_first_word() -> None:
    # the matcher scans the whole text only for patterns without one
    without = [regex.pattern for regex, _, words in _PATTERNS if words is None]
    assert len(without) <= 0.05 * len(_PATTERNS), without


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), min_size=1, max_size=12))
def test_every_match_starts_with_a_prefix_and_a_first_word(pieces: list[str]) -> None:
    text = "".join(pieces)
    for regex, prefixes, words in _PATTERNS:
        for match in regex.finditer(text):
            start = match.start()
            if match.end() == start or not starts_word(text, start):
                continue
            if prefixes is not None:
                assert text.startswith(prefixes, start), (regex.pattern, text, start)
            if words is not None:
                word = re.match(r"\w+", text[start:])
                assert word is not None and word.group(0) in words, (regex.pattern, text)


# Patterns whose matches Hypothesis can write (a lookbehind at the start cannot be fulfilled
# by a string on its own).
_WRITABLE = [i for i, (regex, _, _) in enumerate(_PATTERNS) if "(?<=" not in regex.pattern]


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_what_a_pattern_matches_starts_with_its_prefix_and_first_word(data: st.DataObject) -> None:
    regex, prefixes, words = _PATTERNS[data.draw(st.sampled_from(_WRITABLE))]
    text = data.draw(st.from_regex(regex, fullmatch=True))
    if regex.match(text) is None or not text or not starts_word(text, 0):
        return  # a lookahead at the end may ask for text that is not there
    if prefixes is not None:
        assert text.startswith(prefixes), (regex.pattern, text)
    if words is not None:
        word = re.match(r"\w+", text)
        assert word is not None and word.group(0) in words, (regex.pattern, text)


_NUMBER_PIECES = ["12", "3", "/", "2024", "/KH-", "KH-", "UBND", "x", "a1", " ", "số ", "-", "_"]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(_NUMBER_PIECES), min_size=1, max_size=12))
@example(["a1", "2", "/KH-", "UBND"])  # starts inside a word: the search goes on from "2"
def test_word_start_matches_is_finditer_with_a_leading_lookbehind(pieces: list[str]) -> None:
    from etl.extract.vocab import metadata_cues

    text = "".join(pieces).lower()
    for accented in (True, False):
        regex = metadata_cues().plan_number.get(accented)
        assert not regex.pattern.startswith("(?<!")
        reference = re.compile(r"(?<![\w])" + regex.pattern)
        assert [m.span() for m in word_start_matches(regex, text)] == [
            m.span() for m in reference.finditer(text)
        ]
