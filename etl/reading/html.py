"""Main text and metadata of an HTML page (news article or published plan).

trafilatura finds the article body and drops the page chrome (menus, footers, comment
forms, "related news" lists, font-size and print buttons). Paragraphs, headings and list items
become lines. When trafilatura finds nothing (or fails), a plain lxml pass over <body> is
used instead: without script/style/nav/header/footer/aside/noscript/template elements, nor
<form>s, except one wrapping most of the page (ASP.NET portals put the whole page in one).

No network access: trafilatura only parses the string it is given.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Any

import lxml.html
import trafilatura
from lxml import etree

from etl.text.repair import repair

__all__ = ["META_KEYS", "html_to_text"]

META_KEYS: tuple[str, ...] = ("title", "date", "author", "sitename", "url")

# htmldate: metadata and structured markup only (<meta>, <time>, JSON-LD, "date" classes, the
# URL). The extensive search through free text turns a footer's "© 2021" into "2021-01-01".
# A fixed upper bound keeps the result independent of the day the build runs.
_DATE_PARAMS: dict[str, Any] = {
    "extensive_search": False,
    "original_date": True,
    "outputformat": "%Y-%m-%d",
    "max_date": "2099-12-31",
}

# Elements whose text is never article text, for the fallback extraction.
_FALLBACK_DROP = ("script", "style", "nav", "header", "footer", "aside", "noscript", "template")
# Elements that start a new line in the fallback extraction.
_BLOCKS = frozenset(
    {
        "address", "article", "blockquote", "dd", "div", "dl", "dt", "figcaption",
        "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "li", "main", "ol", "p", "pre",
        "section", "table", "td", "th", "tr", "ul",
    }
)  # fmt: skip

# Removed before trafilatura runs: its fallback for short pages keeps menus otherwise.
_PRUNE_XPATH = ["//nav", "//*[@role='navigation']"]

# Bytes in, UTF-8 forced: the page is already decoded, so a <meta charset> must not apply.
_PARSER = lxml.html.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True)

# Line breaks with the blanks around them: the fallback gives one line per block, like
# trafilatura (which does not keep blank lines either).
_LINE_BREAKS = re.compile(r"[^\S\n]*\n\s*")

_LOG = logging.getLogger(__name__)


def html_to_text(html: str, path: Path | str) -> tuple[str, dict[str, str]]:
    """Return (main text, metadata) of the page `html` read from `path`.

    The text has one paragraph per line (not yet repaired: callers run `repair`). Metadata
    keys are among `META_KEYS`: 'title', 'date' (ISO YYYY-MM-DD, from the page's own
    metadata or date markup, never guessed from free text), 'author', 'sitename', 'url';
    only non-empty values are present. An unparseable page gives ("", {}).
    """
    document = None
    try:
        document = trafilatura.bare_extraction(
            html,
            include_comments=False,
            include_tables=True,
            include_images=False,
            include_links=False,
            with_metadata=True,
            date_extraction_params=dict(_DATE_PARAMS),
            prune_xpath=_PRUNE_XPATH,
        )
    except Exception as err:  # trafilatura/lxml on hostile markup: fall back, never crash
        _LOG.debug("%s: trafilatura failed (%s), using the fallback", path, err)

    meta: dict[str, str] = {}
    text = ""
    if document is not None:
        text = document.text or ""
        for key in META_KEYS:
            value = getattr(document, key, None)
            if isinstance(value, str):
                value = repair(value)
                if value:
                    meta[key] = value
    if not text.strip():
        text = _fallback_text(html)
    return text, meta


def _fallback_text(html: str) -> str:
    """Text of <body> without scripts and page chrome, one block element per line."""
    if not html.strip():
        return ""
    try:
        root = lxml.html.document_fromstring(html.encode("utf-8", "replace"), _PARSER)
    except (etree.ParserError, ValueError):
        return ""
    body = root.find("body")
    if body is None:
        body = root
    for element in list(body.iter(*_FALLBACK_DROP)):
        if element.getparent() is not None:
            element.drop_tree()
    _drop_small_forms(body)
    parts: list[str] = []
    _collect(body, parts)
    return _LINE_BREAKS.sub("\n", "".join(parts)).strip()


def _drop_small_forms(body: lxml.html.HtmlElement) -> None:
    """Drop comment/search forms, but not a <form> wrapping the whole page (ASP.NET)."""
    total = len(body.text_content())
    for form in list(body.iter("form")):
        if form.getparent() is not None and len(form.text_content()) < 0.5 * total:
            form.drop_tree()


def _collect(body: etree._Element, parts: list[str]) -> None:
    """Append the text of `body` to `parts`, with line breaks around block elements.

    Iterative (no recursion limit on deeply nested markup).
    """
    for event, element in etree.iterwalk(body, events=("start", "end")):
        tag = element.tag if isinstance(element.tag, str) else ""
        block = tag in _BLOCKS
        if event == "start":
            if block or tag == "br":
                parts.append("\n")
            if element.text and tag:
                parts.append(element.text)
        else:
            if block:
                parts.append("\n")
            if element.tail and element is not body:
                parts.append(element.tail)
