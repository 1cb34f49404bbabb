"""Pieces every page draws with: demo badge, empty state, plan tables, selectable charts, and
the safe highlighted rendering of a document's text.

`highlight_html` and `legend_html` are pure (string in, string out) and escape everything
they are given: the only HTML that reaches `st.markdown(..., unsafe_allow_html=True)` is the
markup they build around escaped text.
"""

from __future__ import annotations

import html
import itertools
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from dashboard import queries
from dashboard.charts.common import merge_plans, point_descriptions, selected_keys
from dashboard.i18n import is_unknown, label, number, place, t

# The most rows a table on a page shows: beyond it the table is cut and the caption says how
# many rows there are (every row is in the Downloads page's files). At 100,000 documents an
# uncut table is hundreds of MB sent to the browser (#5).
TABLE_ROWS = 1_000

# --- badges and messages -------------------------------------------------------------------


def warehouse_flags() -> dict[str, Any]:
    """n_documents, n_plans, n_synthetic, demo_build, versions and built_at (or {})."""
    try:
        frame = queries.load_raw("warehouse_info")
    except (FileNotFoundError, queries.QueryError):
        return {}
    if frame.empty:
        return {}
    return {k: (None if is_unknown(v) else v) for k, v in frame.iloc[0].to_dict().items()}


def is_demo() -> bool:
    """True while any loaded document is synthetic (or the build says it is a demo)."""
    flags = warehouse_flags()
    return bool(flags.get("n_synthetic")) or bool(flags.get("demo_build"))


def demo_badge() -> None:
    """'Demo data (synthetic)' badge, drawn while any loaded document is synthetic."""
    if is_demo():
        st.badge(t("demo.badge"), icon=":material/science:", color="orange", help=t("demo.help"))


def empty_state(message_key: str, **fmt: Any) -> None:
    """Say that there is nothing to show and what to do about it."""
    st.info(t(message_key, **fmt), icon=":material/filter_alt_off:")


def warehouse_problem(status: queries.WarehouseStatus) -> None:
    """Explain a missing, unreadable or empty warehouse and how to build one."""
    if status.state == "missing":
        st.error(t("db.missing", path=status.path), icon=":material/database:")
    elif status.state == "invalid":
        st.error(t("db.invalid", path=status.path, detail=status.detail), icon=":material/error:")
    else:
        st.warning(t("db.empty", path=status.path), icon=":material/database:")
    st.markdown(t("db.how"))
    st.code(status.build_command, language="bash")
    st.caption(t("db.env"))


# --- tables --------------------------------------------------------------------------------


def _text(value: Any) -> str | None:
    return None if is_unknown(value) else str(value)


def locality_of(row: Mapping[str, Any]) -> str:
    """'District, Province' (or the province, or the issuer) in the current language."""
    parts = [place(v) for v in (row.get("district_name"), row.get("province_name")) if _text(v)]
    if parts:
        return ", ".join(parts)
    issuer = _text(row.get("issuer_name"))
    return issuer if issuer else t("unknown")


def fmt_date(value: Any) -> str | None:
    if is_unknown(value) or value is pd.NaT:
        return None
    try:
        return pd.Timestamp(value).date().isoformat()
    except (TypeError, ValueError):
        return str(value)


def _year(value: Any) -> int | None:
    if is_unknown(value) or value is pd.NA:
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def plans_frame(df: pd.DataFrame) -> pd.DataFrame:
    """The display columns of a frame of plans (plan_facts columns), labels translated."""
    rows = []
    for row in df.to_dict("records"):
        rows.append(
            {
                t("col.locality"): locality_of(row),
                t("col.year"): _year(row.get("plan_year")),
                t("col.number"): _text(row.get("plan_number")),
                t("col.title"): _text(row.get("title")),
                t("col.level"): label("level", row.get("issuer_level")),
                t("col.kind"): label("kind", row.get("kind")),
                t("col.issue_date"): fmt_date(row.get("issue_date")),
                t("col.sources"): _year(row.get("n_sources")),
            }
        )
    columns = [
        t(k)
        for k in (
            "col.locality",
            "col.year",
            "col.number",
            "col.title",
            "col.level",
            "col.kind",
            "col.issue_date",
            "col.sources",
        )
    ]
    return _whole_numbers(pd.DataFrame(rows, columns=columns), t("col.year"), t("col.sources"))


def _whole_numbers(frame: pd.DataFrame, *columns: str) -> pd.DataFrame:
    for column in columns:
        frame[column] = frame[column].astype("Int64")
    return frame


def first_rows(df: pd.DataFrame, limit: int | None = TABLE_ROWS) -> pd.DataFrame:
    """The first `limit` rows of `df` to show in a table; when rows are left out, a caption
    says how many are shown of how many. `limit=None`: every row.

    A query that already returns only its first rows carries how many there are in all in an
    `n_total` column (plans_list.sql, quality_*.sql): the caption counts those too."""
    shown = df if limit is None or len(df) <= limit else df.head(limit)
    total = row_total(df)
    if total > len(shown):
        st.caption(t("limits.first_rows", shown=number(len(shown)), n=number(total)))
    return shown


def plans_table(
    df: pd.DataFrame,
    *,
    key: str | None = None,
    height: int | str = "auto",
    limit: int | None = TABLE_ROWS,
) -> None:
    """A table of plans: locality, year, number, title (+ level, type, issue date, sources);
    the first `limit` plans (see first_rows)."""
    frame = plans_frame(first_rows(df, limit))
    st.dataframe(
        frame,
        hide_index=True,
        width="stretch",
        height=height,
        key=key,
        column_config={
            t("col.year"): st.column_config.NumberColumn(format="%d"),
            t("col.title"): st.column_config.TextColumn(width="large"),
        },
    )


def field_list(rows: Sequence[tuple[str, Any]]) -> None:
    """'**Field:** value' lines, values shown literally; empty values are left out."""
    lines = [
        f"**{md_escape(name)}:** {md_escape(value)}"
        for name, value in rows
        if not is_unknown(value)
    ]
    if lines:
        st.markdown("  \n".join(lines))


# --- charts --------------------------------------------------------------------------------


def chart_config(export_name: str | None = None) -> dict[str, Any]:
    """Plotly's config for a chart: no logo, no lasso/box select; with `export_name`, the
    toolbar is always shown and its camera button saves `<export_name>.png` (in the browser,
    nothing is sent anywhere)."""
    config: dict[str, Any] = {
        "displaylogo": False,
        "modeBarButtonsToRemove": ["lasso2d", "select2d"],
    }
    if export_name:
        config["displayModeBar"] = True
        config["toImageButtonOptions"] = {"format": "png", "filename": export_name, "scale": 2}
    return config


def chart(
    fig: go.Figure,
    key: str,
    *,
    export_name: str | None = None,
    selectable: bool = True,
) -> list[dict]:
    """Draw a plotly figure whose points can be clicked; return the selected points.

    `export_name`: show the toolbar all the time, its camera button downloading the chart as
    `<export_name>.png`. `selectable=False`: a chart without click selection (returns [])."""
    config = chart_config(export_name)
    if not selectable:
        st.plotly_chart(fig, key=key, config=config)
        return []
    state = st.plotly_chart(
        fig,
        key=key,
        on_select="rerun",
        selection_mode="points",
        config=config,
    )
    try:
        points = state["selection"]["points"]
    except (KeyError, TypeError):
        return []
    return [dict(point) for point in points or ()]


def selected_values(points: Iterable[Mapping[str, Any]], index: int = 0) -> list[Any]:
    """The `index`-th customdata field of each selected point, once each, in order."""
    out: list[Any] = []
    for point in points:
        data = point.get("customdata")
        if isinstance(data, (list, tuple)):
            value = data[index] if len(data) > index else None
        else:
            value = data if index == 0 else None
        if value is not None and value not in out:
            out.append(value)
    return out


# --- highlighted document text -------------------------------------------------------------

# category -> (CSS of a highlighted run, legend swatch CSS)
MENTION_STYLES: dict[str, str] = {
    "channel": "background-color:#cfe2ff;",
    "theme": "background-color:#c9f0d3;",
    "audience": "background-color:#ffe0b2;",
    "platform": "background-color:#ead1f5;",
}
RESPONSIBILITY_STYLE = "border-bottom:2px solid #c0392b;"
FIELD_STYLE = "outline:1px dashed #6c757d;"
CATEGORIES = ("channel", "theme", "audience", "platform", "agency", "field")
# HTML specials as entities, and the characters of Markdown / Streamlit syntax as numeric
# entities, so that nothing in a document is read as HTML, Markdown, LaTeX, emoji shortcodes
# or colour directives.
_ESCAPES: dict[int, str] = {
    **{ord(c): f"&#{ord(c)};" for c in "\\`*_{}[]#$~:|"},
    ord("&"): "&amp;",
    ord("<"): "&lt;",
    ord(">"): "&gt;",
    ord('"'): "&quot;",
    ord("'"): "&#39;",
}


def escape_text(text: str) -> str:
    """Escape `text` for HTML and neutralise Markdown syntax; line breaks become <br>."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text.translate(_ESCAPES).replace("\n", "<br>")


def category_style(category: str) -> str:
    if category == "agency":
        return RESPONSIBILITY_STYLE
    if category == "field":
        return FIELD_STYLE
    return MENTION_STYLES.get(category, "background-color:#eeeeee;")


@dataclass(frozen=True)
class Span:
    """One fact's evidence: [start, end) in the text, its category and a hover description."""

    start: int
    end: int
    category: str
    note: str


def _css_name(category: str) -> str:
    return "".join(ch for ch in category if ch.isascii() and (ch.isalnum() or ch == "_"))


def _segment_style(covering: Sequence[Span]) -> str:
    style = ""
    mentions = [s for s in covering if s.category in MENTION_STYLES]
    if mentions:
        inner = min(mentions, key=lambda s: (s.end - s.start, s.start))
        style += MENTION_STYLES[inner.category]
    if any(s.category == "agency" for s in covering):
        style += RESPONSIBILITY_STYLE
    if any(s.category == "field" for s in covering):
        style += FIELD_STYLE
    if not style:
        style = "background-color:#eeeeee;"
    return style


def highlight_html(text: str, spans: Iterable[Span]) -> str:
    """The text, escaped, with every span marked by its category's style (a tooltip lists
    the facts under the pointer). Overlapping spans are cut at every boundary: the innermost
    mention colours the background, a responsibility underlines, a field is outlined."""
    n = len(text)
    clean = [
        Span(max(0, s.start), min(n, s.end), s.category, s.note)
        for s in spans
        if s.end > s.start and s.start < n and s.end > 0
    ]
    bounds = sorted({0, n, *(s.start for s in clean), *(s.end for s in clean)})
    starts: dict[int, list[Span]] = {}
    for span in clean:
        starts.setdefault(span.start, []).append(span)
    active: list[Span] = []
    parts: list[str] = []
    for a, b in itertools.pairwise(bounds):
        active = [s for s in active if s.end > a] + starts.get(a, [])
        piece = escape_text(text[a:b])
        if not active:
            parts.append(piece)
            continue
        notes = "&#10;".join(
            html.escape(note, quote=True)
            for note in dict.fromkeys(" ".join(s.note.split()) for s in active)
        )
        classes = " ".join(sorted({f"cchc-{_css_name(s.category)}" for s in active}))
        parts.append(
            f'<span class="{classes}" style="{_segment_style(active)}" '
            f'title="{notes}">{piece}</span>'
        )
    body = "".join(parts)
    return (
        '<div class="cchc-document" style="white-space:pre-wrap;line-height:1.7;'
        'font-size:0.95rem;">' + body + "</div>"
    )


def legend_html(labels: Mapping[str, str]) -> str:
    """Colour legend: one swatch per category (labels: category -> shown name)."""
    items = []
    for category in CATEGORIES:
        if category not in labels:
            continue
        name = escape_text(labels[category])
        items.append(
            f'<span style="{category_style(category)}padding:0 0.4em;margin-right:0.8em;'
            f'white-space:nowrap;">{name}</span>'
        )
    return '<div class="cchc-legend" style="line-height:2;">' + "".join(items) + "</div>"


# --- documents -----------------------------------------------------------------------------


def fact_note(row: Mapping[str, Any], lang: str) -> str:
    """'Channel: Web portal', 'Responsibility: Sở Nội vụ — Leads', 'Document field: Title'."""
    category = str(row.get("category"))
    name = row.get("label_en") if lang == "en" else row.get("label_vi")
    if is_unknown(name):
        name = label(category, row.get("fact_id"))
    if category == "field":
        field_name = label("field", row.get("fact_id"))
        value = _text(row.get("label_vi")) or ""
        return f"{label('category', 'field')}: {field_name} = {value}"
    note = f"{label('category', category)}: {name}"
    role = row.get("role_en") if lang == "en" else row.get("role_vi")
    if category == "agency" and not is_unknown(row.get("role")):
        note += f" — {role if not is_unknown(role) else row.get('role')}"
    return note


def fact_spans(facts: pd.DataFrame, lang: str) -> list[Span]:
    """The evidence spans of document_facts.sql rows, with their hover notes."""
    spans = []
    for row in facts.to_dict("records"):
        start, end = row.get("evidence_start"), row.get("evidence_end")
        if is_unknown(start) or is_unknown(end):
            continue
        spans.append(Span(int(start), int(end), str(row.get("category")), fact_note(row, lang)))
    return spans


def facts_frame(facts: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Display table of a document's facts: type, fact, evidence, span."""
    rows = [
        {
            t("col.category"): label("category", row.get("category")),
            t("col.fact"): fact_note(row, lang).split(": ", 1)[-1],
            t("col.evidence"): _text(row.get("evidence_text")),
            t("col.span"): f"{int(row['evidence_start'])}–{int(row['evidence_end'])}",
        }
        for row in facts.to_dict("records")
    ]
    columns = [t("col.category"), t("col.fact"), t("col.evidence"), t("col.span")]
    return pd.DataFrame(rows, columns=columns)


def documents_frame(df: pd.DataFrame) -> pd.DataFrame:
    """Display table of documents_search.sql rows."""
    rows = [
        {
            t("col.locality"): locality_of(row),
            t("col.year"): _year(row.get("plan_year")),
            t("col.number"): _text(row.get("plan_number")),
            t("col.title"): _text(row.get("title")),
            t("col.kind"): label("kind", row.get("kind")),
            t("col.published"): fmt_date(row.get("published_date")),
            t("col.file"): _text(row.get("relpath")),
            t("col.snippet"): _text(row.get("snippet")),
        }
        for row in df.to_dict("records")
    ]
    columns = [
        t(k)
        for k in (
            "col.locality",
            "col.year",
            "col.number",
            "col.title",
            "col.kind",
            "col.published",
            "col.file",
            "col.snippet",
        )
    ]
    return _whole_numbers(pd.DataFrame(rows, columns=columns), t("col.year"))


_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|$~:<>])")


def md_escape(text: object) -> str:
    """Text for a Markdown-rendering element (header, button label) shown literally."""
    return _MARKDOWN.sub(r"\\\1", str(text))


def document_label(row: Mapping[str, Any]) -> str:
    """How a document is named in a picker: title (or file) and file."""
    title = _text(row.get("title"))
    relpath = _text(row.get("relpath")) or str(row.get("doc_id", ""))[:12]
    return f"{title} — {relpath}" if title else relpath


def plans_behind(
    points: list[dict], keys: tuple[str, ...], fetch: Callable[[dict], pd.DataFrame], key: str
) -> None:
    """The plans behind the selected points of a chart (nothing when none is selected):
    `keys` name the point fields that identify a bar or cell, `fetch` loads its plans.

    The plans_for_*.sql files return the first plans of a selection in date order and, in
    `n_total`, how many there are: when some are left out, a caption says how many are shown
    of how many (for several selections: the first ones of each)."""
    chosen = selected_keys(points, keys)
    if not chosen:
        return
    what = "; ".join(point_descriptions(points))
    st.markdown(f"**{t('common.plans_behind')}** — {t('pages_common.selection', what=what)}")
    frames = [fetch(k) for k in chosen]
    plans = merge_plans(frames)
    if plans.empty:
        st.caption(t("pages_common.no_selected_plans"))
        return
    totals = [row_total(frame) for frame in frames]
    if any(total > len(frame) for total, frame in zip(totals, frames, strict=True)):
        if len(frames) == 1:
            st.caption(t("paging.first_plans", shown=number(len(plans)), n=number(totals[0])))
        else:
            st.caption(t("paging.first_plans_each", shown=number(len(plans))))
    plans_table(plans.drop(columns="n_total", errors="ignore"), key=key)


def row_total(frame: pd.DataFrame | None) -> int:
    """How many rows a query found in all: its `n_total` column, else its length."""
    if frame is None or frame.empty:
        return 0
    if "n_total" in frame.columns and not is_unknown(frame["n_total"].iloc[0]):
        return int(frame["n_total"].iloc[0])
    return len(frame)
