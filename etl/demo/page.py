"""The web page around a demo article (TXT and HTML), and the text variants of a document.

A page carries the noise real pages carry: site name, menu, a page clock, the date line,
font-size and print widgets, view counters, photo captions, share buttons, a related-news
list (whose headlines mention channels the plan does not use), a comment form and a footer.
The wording comes from templates.yaml; the HTML skeleton is here.
"""

from __future__ import annotations

import html
import random
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, timedelta

from etl.demo.templating import load_templates

GENERATOR = "cchc-atlas demo-corpus"
_WEEKDAYS_PY = 7


@dataclass
class Page:
    """Everything a page shows; `paragraphs` is the article body."""

    site: str  # "Báo Hà Giang điện tử"
    title: str
    paragraphs: list[str]
    published: date
    time: str  # "09:30"
    byline: str | None  # "Ngọc Ánh", "Minh Thư (CTV)"
    author: str | None  # the byline without its note (HTML meta)
    source: str | None  # "Theo Cổng TTĐT tỉnh Hà Giang"
    noise: dict[str, str] = field(default_factory=dict)
    related: list[str] = field(default_factory=list)
    comment_form: list[str] = field(default_factory=list)
    footer: list[str] = field(default_factory=list)
    caption_after: int | None = None  # a photo caption after this paragraph


def weekday(day: date) -> str:
    return str(load_templates()["weekdays"][day.weekday() % _WEEKDAYS_PY])


def make_noise(page: Page, rng: random.Random, slots: dict[str, str]) -> None:
    """Choose the page furniture of `page` (menus, widgets, related news...)."""
    t = load_templates()
    published = page.published
    values = {
        "date": f"{published.day:02d}/{published.month:02d}/{published.year}",
        "time": page.time,
        "weekday": weekday(published),
        "views": str(rng.randint(40, 4800)),
        "SITE": page.site,
        "visits": f"{rng.randint(100, 9999)}.{rng.randint(100, 999)}",
        "license": str(rng.randint(10, 250)),
        "address": slots.get("address", ""),
        **slots,
    }
    clock_day = published + timedelta(days=rng.randint(1, 40))
    values["clock_date"] = f"{clock_day.day:02d}/{clock_day.month:02d}/{clock_day.year}"
    clock_values = dict(values, weekday=weekday(clock_day))

    def one(key: str, source: dict[str, str] | None = None) -> str:
        options = t[key]
        return _fill(options[rng.randrange(len(options))], source or values)

    page.noise = {
        "nav": one("nav"),
        "section": one("sections"),
        "dateline": one("datelines"),
        "widget": one("widgets"),
        "after_body": one("after_body"),
        "related_head": one("related_heads"),
        "clock": one("clocks", clock_values) if rng.random() < 0.35 else "",
    }
    items = list(t["related"])
    rng.shuffle(items)
    related = []
    for index, item in enumerate(items[: rng.randint(2, 4)]):
        day = published - timedelta(days=rng.randint(2, 30) + index)
        related.append(f"{_fill(item, values)} ({day.day:02d}/{day.month:02d}/{day.year})")
    page.related = related
    if rng.random() < 0.45:
        forms = t["comment_forms"]
        page.comment_form = list(forms[rng.randrange(len(forms))])
    footers = t["footers"]
    page.footer = [_fill(line, values) for line in footers[rng.randrange(len(footers))]]
    if len(page.paragraphs) > 2 and rng.random() < 0.3:
        page.caption_after = rng.randrange(1, len(page.paragraphs) - 1)
        captions = t["captions"]
        page.noise["caption"] = captions[rng.randrange(len(captions))]


_SLOT = re.compile(r"\{(\w+)\}")


def _fill(text: str, values: dict[str, str]) -> str:
    return _SLOT.sub(lambda m: values.get(m.group(1), m.group(0)), text)


# --------------------------------------------------------------------------- TXT


def render_txt(page: Page) -> str:
    noise = page.noise
    lines = [page.site.upper()]
    if noise.get("clock"):
        lines.append(noise["clock"])
    lines.append(noise["nav"])
    lines += ["", noise["section"], "", page.title, "", noise["dateline"]]
    if noise.get("widget"):
        lines.append(noise["widget"])
    lines.append("")
    for index, paragraph in enumerate(page.paragraphs):
        lines += [paragraph, ""]
        if page.caption_after == index:
            lines += [noise["caption"], ""]
    lines.append(page.byline or page.source or "")
    if noise.get("after_body"):
        lines += ["", noise["after_body"]]
    lines += ["", noise["related_head"], *[f"- {item}" for item in page.related]]
    if page.comment_form:
        lines += ["", *page.comment_form]
    lines += ["", *page.footer]
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- HTML


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def render_html(page: Page, url: str) -> str:
    noise = page.noise
    published = page.published
    iso = f"{published.isoformat()}T{page.time}:00+07:00"
    nav_items = [item.strip() for item in noise["nav"].split("|")]
    out = [
        "<!DOCTYPE html>",
        '<html lang="vi">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f'<meta name="generator" content="{GENERATOR}">',
        f"<title>{_e(page.title)} - {_e(page.site)}</title>",
        f'<meta property="og:site_name" content="{_e(page.site)}">',
        f'<meta property="og:title" content="{_e(page.title)}">',
        f'<meta property="og:url" content="{_e(url)}">',
        f'<meta property="article:published_time" content="{iso}">',
    ]
    if page.author:
        out.append(f'<meta name="author" content="{_e(page.author)}">')
    out += [
        '<link rel="stylesheet" href="/static/css/site.css">',
        "<script>window.dataLayer = window.dataLayer || [];</script>",
        '<script src="/static/js/vendor.min.js"></script>',
        "</head>",
        "<body>",
        '<header class="site-header">',
        f'  <a class="logo" href="/">{_e(page.site)}</a>',
    ]
    if noise.get("clock"):
        out.append(f'  <div class="today">{_e(noise["clock"])}</div>')
    out += [
        '  <form class="search" action="/tim-kiem"><input type="text" name="q"></form>',
        "</header>",
        '<nav class="main-menu"><ul>',
        *[f'  <li><a href="/muc/{i}">{_e(item)}</a></li>' for i, item in enumerate(nav_items)],
        "</ul></nav>",
        "<main>",
        f'<div class="breadcrumb"><a href="/">Trang chủ</a> › <a href="/muc">'
        f"{_e(noise['section'])}</a></div>",
        '<article class="detail">',
        f'  <h1 class="title">{_e(page.title)}</h1>',
        f'  <div class="meta"><span class="date">{_e(noise["dateline"])}</span></div>',
    ]
    if noise.get("widget"):
        out.append(f'  <div class="tools">{_e(noise["widget"])}</div>')
    out.append('  <div class="content">')
    for index, paragraph in enumerate(page.paragraphs):
        tag = '<p class="sapo"><strong>' if index == 0 else "<p>"
        end = "</strong></p>" if index == 0 else "</p>"
        out.append(f"    {tag}{_e(paragraph)}{end}")
        if page.caption_after == index:
            out.append(
                '    <figure><img src="/media/anh.jpg" alt="">'
                f"<figcaption>{_e(noise['caption'])}</figcaption></figure>"
            )
    if page.source:
        out.append(f'    <p class="source"><em>{_e(page.source)}</em></p>')
    out.append("  </div>")
    if page.byline:
        out.append(f'  <p class="author">{_e(page.byline)}</p>')
    out += [
        '  <div class="share">Chia sẻ: <a href="#">Facebook</a> <a href="#">Zalo</a>'
        ' <a href="#">Email</a></div>',
        "</article>",
        '<section class="related">',
        f"  <h3>{_e(noise['related_head'])}</h3>",
        "  <ul>",
        *[f'    <li><a href="#">{_e(item)}</a></li>' for item in page.related],
        "  </ul>",
        "</section>",
    ]
    if page.comment_form:
        head, *labels = page.comment_form
        out += [
            '<section class="comments">',
            f"  <h3>{_e(head)}</h3>",
            '  <form class="comment-form" action="/binh-luan" method="post">',
            *[f'    <label>{_e(label)} <input type="text"></label>' for label in labels],
            "  </form>",
            "</section>",
        ]
    out += [
        "</main>",
        '<footer class="site-footer">',
        *[f"  <p>{_e(line)}</p>" for line in page.footer],
        "</footer>",
        '<script src="/static/js/site.js"></script>',
        "</body>",
        "</html>",
    ]
    return "\n".join(out) + "\n"


# --------------------------------------------------------------------------- text variants

# o/u + a/e/y at the end of a word with the tone on the first vowel: new-style placement
_NEW_STYLE = re.compile(
    r"(?<![qQ])([òóỏõọÒÓỎÕỌ])([aeAE])(?![^\W\d_])|([ùúủũụÙÚỦŨỤ])([yY])(?![^\W\d_])"
)
_TONES = "\u0300\u0301\u0309\u0303\u0323"


def _move_tone(match: re.Match[str]) -> str:
    first, second = (match.group(1), match.group(2)) if match.group(1) else match.group(3, 4)
    decomposed = unicodedata.normalize("NFD", first)
    tone = next((c for c in decomposed if c in _TONES), "")
    bare = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in _TONES))
    return bare + unicodedata.normalize("NFC", second + tone)


def old_style_tones(text: str) -> str:
    """hòa -> hoà, thủy -> thuỷ, khỏe -> khoẻ (the older placement of tone marks)."""
    return _NEW_STYLE.sub(_move_tone, text)


def strip_diacritics(text: str) -> str:
    """Vietnamese typed without diacritics: "Đổi mới" -> "Doi moi"."""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if not _combining(c)))


def _combining(char: str) -> bool:
    return "\u0300" <= char <= "\u036f"


@dataclass(frozen=True, slots=True)
class TextForm:
    """How a document's characters are written."""

    old_tones: bool = False
    no_diacritics: bool = False
    nfd: bool = False

    def apply(self, text: str) -> str:
        if self.old_tones:
            text = old_style_tones(text)
        if self.no_diacritics:
            text = strip_diacritics(text)
        if self.nfd:
            text = unicodedata.normalize("NFD", text)
        return text

    def visible(self, text: str) -> str:
        """The form of a value as the reader sees it (NFC): for the ground truth."""
        shown = TextForm(self.old_tones, self.no_diacritics).apply(text)
        return unicodedata.normalize("NFC", shown)


__all__ = [
    "GENERATOR",
    "Page",
    "TextForm",
    "make_noise",
    "old_style_tones",
    "render_html",
    "render_txt",
    "strip_diacritics",
]
