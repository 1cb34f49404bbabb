"""Shared pieces of the chart builders: layout, hover text, colours, labels, click keys.

The builders of this package are pure: they take DataFrames (the rows of a `dashboard/sql`
query), the language and optional label dicts, and return a plotly Figure. They never call
Streamlit, so they can be tested with small hand-made frames.

Conventions every builder follows:
- the title says what is counted (plans, not sentences), axes have titles;
- the hover shows exact numbers (count, denominator and share);
- every selectable trace carries `customdata` whose FIRST fields are the keys that map a click
  back to plans (locality code, category id, year, ...), named by the builder module's
  `*_KEYS` tuples; `selected_keys(points, keys)` turns Streamlit's selected points into dicts;
- heatmap cells are made selectable by an invisible scatter marker on each cell (plotly
  heatmaps emit no selection events), which also carries the hover text.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from typing import Any, Literal

import pandas as pd
import plotly.graph_objects as go

Lang = Literal["vi", "en"]
Measure = Literal["plans", "share"]
Level = Literal["channel", "group", "theme"]

# Colours of the groups of the codebook (etl/vocab/codebook.yaml `groups`), of the roles
# (etl/vocab/agencies.yaml `roles`), of the issuer levels and of the social platforms.
CHANNEL_GROUP_COLORS: dict[str, str] = {
    "digital": "#1f77b4",
    "broadcast": "#ff7f0e",
    "press": "#2ca02c",
    "print": "#d62728",
    "audiovisual": "#9467bd",
    "events": "#8c564b",
    "direct": "#e377c2",
    "other": "#7f7f7f",
}
THEME_GROUP_COLORS: dict[str, str] = {
    "reform_area": "#1b9e77",
    "mechanism": "#d95f02",
    "framing": "#7570b3",
    "other": "#7f7f7f",
}
ROLE_COLORS: dict[str, str] = {
    "lead": "#c0392b",
    "coordinate": "#2980b9",
    "implement": "#27ae60",
}
LEVEL_COLORS: dict[str, str] = {
    "province": "#1f77b4",
    "district": "#ff7f0e",
    "commune": "#2ca02c",
    "department": "#9467bd",
    "unknown": "#7f7f7f",
}
PLATFORM_COLORS: dict[str, str] = {
    "facebook": "#1877f2",
    "zalo": "#0068ff",
    "youtube": "#ff0000",
    "tiktok": "#25292e",
    "other": "#7f7f7f",
}
FALLBACK_COLOR = "#7f7f7f"
SEQUENTIAL_SCALE = "Blues"

ROLE_ORDER: tuple[str, ...] = ("lead", "coordinate", "implement")
LEVEL_ORDER: tuple[str, ...] = ("province", "district", "commune", "department", "unknown")

# Short labels used on charts (the codebook's role labels are long definitions).
ROLE_LABELS: dict[str, dict[str, str]] = {
    "lead": {"vi": "Chủ trì", "en": "Leads"},
    "coordinate": {"vi": "Phối hợp", "en": "Coordinates"},
    "implement": {"vi": "Thực hiện", "en": "Implements"},
}
LEVEL_LABELS: dict[str, dict[str, str]] = {
    "province": {"vi": "Cấp tỉnh", "en": "Province"},
    "district": {"vi": "Cấp huyện", "en": "District"},
    "commune": {"vi": "Cấp xã", "en": "Commune"},
    "department": {"vi": "Sở, ban, ngành", "en": "Department"},
    "unknown": {"vi": "Chưa xác định", "en": "Unknown"},
}

# Words shared by the builders.
TEXT: dict[str, dict[str, str]] = {
    "no_data": {"vi": "Không có dữ liệu phù hợp", "en": "No matching data"},
    "plans": {"vi": "Số kế hoạch", "en": "Plans"},
    "share": {"vi": "Tỷ lệ kế hoạch", "en": "Share of plans"},
    "locality": {"vi": "Địa phương (tỉnh)", "en": "Locality (province)"},
    "year": {"vi": "Năm", "en": "Year"},
    "unknown_locality": {"vi": "(Không rõ địa phương)", "en": "(Unknown locality)"},
    "channel": {"vi": "Kênh", "en": "Channel"},
    "channel_group": {"vi": "Nhóm kênh", "en": "Channel group"},
    "theme": {"vi": "Nội dung tuyên truyền", "en": "Theme"},
    "theme_group": {"vi": "Nhóm nội dung", "en": "Theme group"},
    "of": {"vi": "trên", "en": "of"},
    "plans_word": {"vi": "kế hoạch", "en": "plans"},
}


def text(key: str, lang: Lang, texts: Mapping[str, Mapping[str, str]] | None = None) -> str:
    """The string `key` in `lang`, from `texts` (a builder's own) or the shared TEXT."""
    table = texts if texts is not None and key in texts else TEXT
    entry = table[key]
    return entry.get(lang) or entry["en"]


def role_label(role: str, lang: Lang, labels: Mapping[str, str] | None = None) -> str:
    if labels and role in labels:
        return labels[role]
    return ROLE_LABELS.get(role, {}).get(lang, role)


def level_label(level: str | None, lang: Lang, labels: Mapping[str, str] | None = None) -> str:
    key = level if isinstance(level, str) and level else "unknown"
    if labels and key in labels:
        return labels[key]
    return LEVEL_LABELS.get(key, {}).get(lang, key)


# --- values -----------------------------------------------------------------------------


def is_missing(value: Any) -> bool:
    if value is None:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def clean(value: Any) -> Any:
    """A plain Python value for customdata (JSON-serialisable: no numpy, no NaN)."""
    if is_missing(value):
        return None
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def fmt_share(value: Any) -> str:
    return "–" if is_missing(value) or math.isinf(float(value)) else f"{float(value):.1%}"


def pick_label(
    row: Mapping[str, Any],
    key_col: str,
    lang: Lang,
    labels: Mapping[str, str] | None = None,
    prefix: str = "label",
) -> str:
    """Display label of a row's id: `labels[id]`, else the row's `{prefix}_{lang}` column,
    else the other language's, else the id itself."""
    key = row.get(key_col)
    key_str = "" if is_missing(key) else str(key)
    if labels and key_str in labels:
        return str(labels[key_str])
    for lng in (lang, "en" if lang == "vi" else "vi"):
        value = row.get(f"{prefix}_{lng}")
        if not is_missing(value) and str(value):
            return str(value)
    return key_str


def place_name(name: Any, lang: Lang) -> str:
    """A place name as shown in `lang` (English: no type word, no diacritics), as the rest of
    the dashboard shows it (dashboard.i18n.place_in)."""
    if is_missing(name) or not str(name).strip():
        return text("unknown_locality", lang)
    from dashboard.i18n import place_in

    return place_in(str(name), lang)


def locality_label(row: Mapping[str, Any], lang: Lang) -> str:
    """Display name of a row's locality (its `locality_name`, a province short name)."""
    return place_name(row.get("locality_name"), lang)


def label_map(
    df: pd.DataFrame,
    key_col: str,
    lang: Lang,
    labels: Mapping[str, str] | None = None,
    prefix: str = "label",
) -> dict[str, str]:
    """id -> display label for every distinct id of `df[key_col]`."""
    out: dict[str, str] = {}
    for row in df.to_dict("records"):
        key = row.get(key_col)
        if is_missing(key):
            continue
        out.setdefault(str(key), pick_label(row, key_col, lang, labels, prefix))
    return out


# --- colours and order ------------------------------------------------------------------


def _hex_to_rgb(color: str) -> tuple[int, int, int]:
    color = color.lstrip("#")
    return int(color[0:2], 16), int(color[2:4], 16), int(color[4:6], 16)


def shade(color: str, amount: float) -> str:
    """`color` mixed towards white (amount > 0) or black (amount < 0), |amount| <= 1."""
    r, g, b = _hex_to_rgb(color)
    target = 255 if amount > 0 else 0
    weight = min(abs(amount), 1.0)
    mixed = (round(c + (target - c) * weight) for c in (r, g, b))
    return "#" + "".join(f"{c:02x}" for c in mixed)


@lru_cache(maxsize=8)
def codebook_order(category: str) -> tuple[str, ...]:
    """Ids of a codebook category in the codebook's order (empty when it cannot be read)."""
    try:
        from etl.codebook import load_codebook

        return tuple(load_codebook().ids(category))
    except Exception:  # the charts still work, ordered by label
        return ()


def key_colors(
    pairs: Iterable[tuple[str, str | None]],
    group_colors: Mapping[str, str],
) -> dict[str, str]:
    """Colour of each (id, group) pair: shades of its group's colour, so that the ids of a
    group look alike; an id that is itself a group gets the group's colour."""
    by_group: dict[str, list[str]] = {}
    for key, group in pairs:
        by_group.setdefault(group or "other", [])
        if key not in by_group[group or "other"]:
            by_group[group or "other"].append(key)
    out: dict[str, str] = {}
    for group, keys in by_group.items():
        base = group_colors.get(group, FALLBACK_COLOR)
        if len(keys) == 1:
            out[keys[0]] = base
            continue
        for i, key in enumerate(keys):
            # from a little darker to clearly lighter than the group colour
            amount = -0.3 + 0.8 * i / (len(keys) - 1)
            out[key] = shade(base, amount)
    return out


def order_keys(
    df: pd.DataFrame,
    key_col: str,
    group_col: str | None,
    category: str,
    group_order: Sequence[str] = (),
) -> list[str]:
    """Distinct ids of `df[key_col]` in chart order: by group (codebook group order), then
    codebook order, then id."""
    book = codebook_order(category)
    groups = list(group_order)
    seen: dict[str, tuple[int, int, str]] = {}
    for row in df.to_dict("records"):
        key = row.get(key_col)
        if is_missing(key) or str(key) in seen:
            continue
        key = str(key)
        group = row.get(group_col) if group_col else None
        g_rank = groups.index(group) if group in groups else len(groups)
        if key in groups:  # the id is a group
            g_rank = groups.index(key)
        k_rank = book.index(key) if key in book else len(book)
        seen[key] = (g_rank, k_rank, key)
    return sorted(seen, key=lambda k: seen[k])


CHANNEL_GROUP_ORDER: tuple[str, ...] = tuple(k for k in CHANNEL_GROUP_COLORS if k != "other")
THEME_GROUP_ORDER: tuple[str, ...] = tuple(k for k in THEME_GROUP_COLORS if k != "other")


def group_order_for(category: str) -> tuple[str, ...]:
    return CHANNEL_GROUP_ORDER if category == "channel" else THEME_GROUP_ORDER


# --- layout -----------------------------------------------------------------------------


def hovertemplate(lines: Sequence[str]) -> str:
    """Hover template from lines; hides the trace-name box."""
    return "<br>".join(lines) + "<extra></extra>"


def apply_layout(
    fig: go.Figure,
    *,
    title: str,
    x_title: str | None = None,
    y_title: str | None = None,
    legend_title: str | None = None,
    subtitle: str | None = None,
    height: int | None = None,
) -> go.Figure:
    """Base layout: title (with optional subtitle), axis titles, legend title, margins."""
    title_spec: dict[str, Any] = {"text": title, "x": 0.0, "xanchor": "left"}
    if subtitle:
        title_spec["subtitle"] = {"text": subtitle}
    fig.update_layout(
        title=title_spec,
        legend={"title": {"text": legend_title or ""}, "traceorder": "normal"},
        margin={"l": 10, "r": 10, "t": 90 if subtitle else 70, "b": 10},
        hoverlabel={"align": "left"},
        font={"size": 12},
    )
    if height:
        fig.update_layout(height=height)
    if x_title is not None:
        fig.update_xaxes(title={"text": x_title})
    if y_title is not None:
        fig.update_yaxes(title={"text": y_title})
    return fig


def empty_figure(title: str, lang: Lang, message: str | None = None) -> go.Figure:
    """A figure with its title and a 'no data' note instead of traces."""
    fig = go.Figure()
    apply_layout(fig, title=title)
    fig.update_layout(
        annotations=[
            {
                "text": message or text("no_data", lang),
                "showarrow": False,
                "xref": "paper",
                "yref": "paper",
                "x": 0.5,
                "y": 0.5,
                "font": {"size": 14},
            }
        ],
        height=250,
    )
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return fig


def chart_height(n_rows: int, per_row: int = 26, minimum: int = 320, extra: int = 160) -> int:
    return max(minimum, extra + per_row * n_rows)


def measure_axis(measure: Measure, lang: Lang) -> str:
    return text("share" if measure == "share" else "plans", lang)


def count_dtick(max_value: Any) -> int | None:
    """Tick step for a count axis: 1 up to 10 (no fractional ticks), else plotly's choice."""
    if is_missing(max_value):
        return 1
    return 1 if float(max_value) <= 10 else None


def apply_measure_axis(
    fig: go.Figure, measure: Measure, axis: Literal["x", "y"], max_value: Any = None
) -> None:
    """Percent ticks for shares; integer ticks (never 0.5 plans) for counts."""
    spec: dict[str, Any] = {"rangemode": "tozero"}
    if measure == "share":
        spec["tickformat"] = ".0%"
    else:
        spec["tickformat"] = ",d"
        dtick = count_dtick(max_value)
        if dtick:
            spec["dtick"] = dtick
    if axis == "x":
        fig.update_xaxes(**spec)
    else:
        fig.update_yaxes(**spec)


def short_label(label: str, limit: int = 38) -> str:
    """A tick label cut to `limit` characters (the hover shows the whole label)."""
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "…"


# --- heatmaps ---------------------------------------------------------------------------


def selectable_heatmap(
    fig: go.Figure,
    *,
    x: Sequence[Any],
    y: Sequence[Any],
    z: Sequence[Sequence[float | None]],
    customdata: Sequence[Sequence[Sequence[Any]]],
    hover: str,
    colorbar_title: str,
    share: bool,
    cell_size: int = 16,
) -> go.Figure:
    """A heatmap whose cells can be clicked: the heatmap draws the colours (no hover), and an
    invisible square marker on every cell carries the hover text and the customdata (a grid
    `customdata[row][col]` = list). Streamlit selection events come from the markers."""
    values = [v for row in z for v in row if not is_missing(v)]
    top = max(values) if values else 0
    colorbar: dict[str, Any] = {
        "title": {"text": colorbar_title},
        "tickformat": ".0%" if share else ",d",
    }
    if not share:
        dtick = count_dtick(top)
        if dtick:
            colorbar["dtick"] = dtick
    fig.add_trace(
        go.Heatmap(
            x=list(x),
            y=list(y),
            z=[list(row) for row in z],
            colorscale=SEQUENTIAL_SCALE,
            zmin=0,
            zmax=1 if share else max(top, 1),
            hoverinfo="skip",
            colorbar=colorbar,
            xgap=1,
            ygap=1,
        )
    )
    xs: list[Any] = []
    ys: list[Any] = []
    cds: list[list[Any]] = []
    for i, y_value in enumerate(y):
        for j, x_value in enumerate(x):
            xs.append(x_value)
            ys.append(y_value)
            cds.append([clean(v) for v in customdata[i][j]])
    fig.add_trace(
        go.Scatter(
            x=xs,
            y=ys,
            mode="markers",
            marker={"symbol": "square", "size": cell_size, "color": "rgba(0,0,0,0)"},
            customdata=cds,
            hovertemplate=hover,
            showlegend=False,
            name="",
        )
    )
    # a click anywhere in a cell selects that cell's marker (the nearest one, no cutoff)
    fig.update_layout(hoverdistance=-1)
    x_list = list(x)
    fig.update_xaxes(
        type="category",
        range=[-0.5, len(x_list) - 0.5],
        tickangle=-45,
        showgrid=False,
        tickmode="array",
        tickvals=x_list,
        ticktext=[short_label(str(v)) for v in x_list],
    )
    y_list = list(y)
    fig.update_yaxes(
        type="category",
        range=[len(y_list) - 0.5, -0.5],  # first row on top; no padding for the markers
        showgrid=False,
        tickmode="array",
        tickvals=y_list,
        ticktext=[short_label(str(v), 45) for v in y_list],
    )
    return fig


def locality_heatmap(
    df: pd.DataFrame,
    *,
    lang: Lang,
    category: str,
    title: str,
    legend_title: str,
    measure: Measure = "share",
    level: str = "channel",
    labels: Mapping[str, str] | None = None,
    using_text: str,
) -> go.Figure:
    """Locality (rows) x category id (columns) heatmap of plans or shares; shared by the
    channel and theme heatmaps. `df`: rows of category_heatmap.sql."""
    if df.empty:
        return empty_figure(title, lang)
    names = label_map(df, "key_id", lang, labels)
    keys = order_keys(df, "key_id", "group_id", category, group_order_for(category))
    rows = df.to_dict("records")
    loc_order: list[tuple[str, str]] = []
    totals: dict[str, int] = {}
    for r in rows:
        code = clean(r["province_code"]) or ""
        if code not in totals:
            totals[code] = int(clean(r["n_locality_plans"]) or 0)
            loc_order.append((code, locality_label(r, lang)))
    loc_order.sort(key=lambda item: (-totals[item[0]], item[1]))
    cell = {(clean(r["province_code"]) or "", str(r["key_id"])): r for r in rows}
    value_col = "share" if measure == "share" else "n_plans"
    z: list[list[float | None]] = []
    custom: list[list[list[object]]] = []
    for code, name in loc_order:
        z_row: list[float | None] = []
        c_row: list[list[object]] = []
        for key in keys:
            r = cell.get((code, key))
            n = clean(r["n_plans"]) if r else 0
            share = clean(r["share"]) if r else 0.0
            z_row.append(clean(r[value_col]) if r else 0)
            c_row.append(
                [
                    code,
                    key,
                    level,
                    n or 0,
                    totals[code],
                    share or 0.0,
                    name,
                    names[key],
                    f"{name} · {names[key]}",
                ]
            )
        z.append(z_row)
        custom.append(c_row)
    x_labels = [names.get(k, k) for k in keys]
    y_labels = [name for _, name in loc_order]
    if len(set(y_labels)) < len(y_labels):  # two provinces with one short name: add codes
        y_labels = [f"{name} ({code})" for code, name in loc_order]
    fig = go.Figure()
    selectable_heatmap(
        fig,
        x=x_labels,
        y=y_labels,
        z=z,
        customdata=custom,
        hover=hovertemplate(
            [
                "<b>%{customdata[6]}</b>",
                "%{customdata[7]}",
                f"{using_text}: %{{customdata[3]:,d}} {text('of', lang)} "
                f"%{{customdata[4]:,d}} {text('plans_word', lang)} (%{{customdata[5]:.1%}})",
            ]
        ),
        colorbar_title=measure_axis(measure, lang),
        share=measure == "share",
    )
    apply_layout(
        fig,
        title=title,
        x_title=legend_title,
        y_title=text("locality", lang),
        height=chart_height(len(y_labels), per_row=28, extra=330),
    )
    return fig


def merge_plans(frames: Iterable[pd.DataFrame]) -> pd.DataFrame:
    """The rows of several plan frames, each plan once (first occurrence kept)."""
    parts = [f for f in frames if f is not None and not f.empty]
    if not parts:
        return pd.DataFrame()
    merged = pd.concat(parts, ignore_index=True)
    if "plan_id" in merged.columns:
        merged = merged.drop_duplicates("plan_id", keep="first").reset_index(drop=True)
    return merged


# --- clicks -----------------------------------------------------------------------------


def point_descriptions(points: Iterable[Mapping[str, Any]] | None) -> list[str]:
    """What the selected points are, in words: the last customdata field of each point (every
    builder puts a description there), once each, in order."""
    out: list[str] = []
    for point in points or ():
        data = point.get("customdata") if isinstance(point, Mapping) else None
        if (
            isinstance(data, (list, tuple))
            and data
            and isinstance(data[-1], str)
            and data[-1] not in out
        ):
            out.append(data[-1])
    return out


def selected_keys(points: Iterable[Mapping[str, Any]] | None, keys: Sequence[str]) -> list[dict]:
    """The click keys of selected chart points: for each point with customdata, a dict of the
    first len(keys) customdata fields named by `keys` (duplicates dropped, order kept)."""
    out: list[dict] = []
    for point in points or ():
        data = point.get("customdata") if isinstance(point, Mapping) else None
        if data is None:
            continue
        if not isinstance(data, (list, tuple)):
            data = [data]
        if len(data) < len(keys):
            continue
        item = {name: data[i] for i, name in enumerate(keys)}
        if item not in out:
            out.append(item)
    return out
