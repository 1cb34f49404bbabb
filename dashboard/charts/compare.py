"""Comparison charts and tables: grouped (or mirrored) bars of channel groups and themes, a
radar of the six reform areas, what one compared thing has and the others lack, who leads and
coordinates, and the gaps against a baseline (the national profile, the previous plan, the
plans of the same level). Pure functions: DataFrames (rows of dashboard/sql/compare_*.sql and
baseline_*.sql) -> plotly Figure or display DataFrame, in Vietnamese or English.

A compared thing ("entity") is a province (mode 'loc') or a plan year of one province (mode
'year'); `names` maps the entity ids of the frames to display names (`entity_names`).
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from typing import Any, Literal

import pandas as pd
import plotly.graph_objects as go

from dashboard.charts import common as c
from dashboard.charts.common import Lang

Mode = Literal["loc", "year"]
Category = Literal["channel", "theme"]

MAX_ENTITIES = 4
GAP_THRESHOLD = 0.5
ENTITY_COLORS: tuple[str, ...] = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd")
BASELINE_COLOR = "#444444"
# one row of legend items between the title and the plot
LEGEND_ON_TOP: dict[str, Any] = {
    "orientation": "h",
    "x": 0.0,
    "xanchor": "left",
    "y": 1.0,
    "yanchor": "bottom",
    "title": {"side": "left"},
}
# customdata key fields of the bar and radar points
BAR_KEYS: tuple[str, ...] = ("entity", "key_id")

TEXTS: dict[str, dict[str, str]] = {
    "bars_channel_group": {
        "vi": "Tỷ lệ kế hoạch sử dụng mỗi nhóm kênh",
        "en": "Share of plans using each channel group",
    },
    "bars_channel": {
        "vi": "Tỷ lệ kế hoạch sử dụng mỗi kênh",
        "en": "Share of plans using each channel",
    },
    "bars_theme": {
        "vi": "Tỷ lệ kế hoạch đề cập mỗi nội dung",
        "en": "Share of plans addressing each theme",
    },
    "bars_theme_group": {
        "vi": "Tỷ lệ kế hoạch đề cập mỗi nhóm nội dung",
        "en": "Share of plans addressing each theme group",
    },
    "subtitle": {
        "vi": "Mỗi kế hoạch được đếm một lần cho mỗi mục; mẫu số là số kế hoạch của {what}.",
        "en": "A plan counts once per item; the denominator is the plans of each {what}.",
    },
    "what_loc": {"vi": "địa phương", "en": "locality"},
    "what_year": {"vi": "năm", "en": "year"},
    "radar": {
        "vi": "Sáu nội dung CCHC: tỷ lệ kế hoạch đề cập mỗi nội dung",
        "en": "The six reform areas: share of plans addressing each",
    },
    "using": {"vi": "Kế hoạch sử dụng", "en": "Plans using it"},
    "addressing": {"vi": "Kế hoạch đề cập", "en": "Plans addressing it"},
    "baseline_national": {"vi": "Cả nước", "en": "National"},
    "baseline_hover": {"vi": "Cả nước (cùng các năm)", "en": "National (same years)"},
    "share_axis": {"vi": "Tỷ lệ kế hoạch", "en": "Share of plans"},
    "channel_group": {"vi": "Nhóm kênh", "en": "Channel group"},
    "theme": {"vi": "Nội dung", "en": "Theme"},
    "compared": {"vi": "So sánh", "en": "Compared"},
    # table columns
    "col_entity": {"vi": "Đối tượng so sánh", "en": "Compared"},
    "col_category": {"vi": "Loại", "en": "Type"},
    "col_item": {"vi": "Kênh / nội dung", "en": "Channel / theme"},
    "col_plans": {"vi": "Số kế hoạch có", "en": "Plans with it"},
    "col_lead": {"vi": "Chủ trì", "en": "Leads"},
    "col_coordinate": {"vi": "Phối hợp", "en": "Coordinates"},
    "col_value": {"vi": "Kế hoạch của đối tượng có", "en": "Its plans with it"},
    "col_baseline": {"vi": "Kế hoạch cả nước có", "en": "Plans nationwide with it"},
    "col_diff": {"vi": "Chênh lệch (điểm %)", "en": "Difference (points)"},
    "col_cur": {"vi": "Kế hoạch gần nhất", "en": "Latest plans"},
    "col_prev": {"vi": "Kế hoạch trước đó", "en": "Previous plans"},
    "col_change": {"vi": "Thay đổi", "en": "Change"},
    "col_level": {"vi": "Cấp ban hành", "en": "Issuer level"},
    "col_level_share": {
        "vi": "Tỷ lệ kế hoạch cùng cấp có",
        "en": "Share of plans of that level with it",
    },
    "col_years": {"vi": "Năm so sánh", "en": "Years compared"},
    "cat_channel": {"vi": "Kênh", "en": "Channel"},
    "cat_theme": {"vi": "Nội dung", "en": "Theme"},
    "new": {"vi": "Mới", "en": "New"},
    "dropped": {"vi": "Không còn", "en": "Dropped"},
    "kept": {"vi": "Giữ nguyên", "en": "Kept"},
    "none_agency": {"vi": "—", "en": "—"},
    "no_previous": {"vi": "Không có kế hoạch trước đó", "en": "No earlier plan"},
    "n_of": {"vi": "{n}/{total} kế hoạch ({share})", "en": "{n} of {total} plans ({share})"},
}


def _t(key: str, lang: Lang, **fmt: object) -> str:
    return c.text(key, lang, TEXTS).format(**fmt)


def n_of(n: Any, total: Any, lang: Lang) -> str:
    """'3 of 5 plans (60.0%)' with exact numbers."""
    n_int = int(c.clean(n) or 0)
    total_int = int(c.clean(total) or 0)
    share = n_int / total_int if total_int else float("nan")
    return _t("n_of", lang, n=n_int, total=total_int, share=c.fmt_share(share))


def wrap_label(label: str, width: int = 18, lines: int = 2) -> str:
    """A long label on up to `lines` lines of about `width` characters (the hover keeps the
    whole label)."""
    words = label.split()
    out: list[str] = []
    current = ""
    for word in words:
        if current and len(current) + 1 + len(word) > width:
            out.append(current)
            current = word
        else:
            current = f"{current} {word}".strip()
    if current:
        out.append(current)
    if len(out) > lines:
        out = [*out[: lines - 1], c.short_label(" ".join(out[lines - 1 :]), width)]
    return "<br>".join(out)


def entity_color(index: int) -> str:
    return ENTITY_COLORS[index % len(ENTITY_COLORS)]


def entity_names(entities: pd.DataFrame, mode: Mode, lang: Lang) -> dict[str, str]:
    """entity id -> display name: the province's short name (English: without diacritics),
    or in mode 'year' the year itself."""
    out: dict[str, str] = {}
    for row in entities.to_dict("records"):
        entity = c.clean(row.get("entity"))
        if entity is None:
            continue
        if mode == "year":
            out[str(entity)] = str(entity)
            continue
        name = row.get("name_en") if lang == "en" else row.get("name_vi")
        if c.is_missing(name) or not str(name).strip():
            name = row.get("name_vi") if lang == "en" else row.get("name_en")
        out[str(entity)] = c.place_name(name, lang) if not c.is_missing(name) else str(entity)
    return out


def _entities(df: pd.DataFrame, names: Mapping[str, str]) -> list[str]:
    """Entities in `names` order, then any other entity of `df`."""
    present = [str(e) for e in dict.fromkeys(df["entity"].astype(str))] if len(df) else []
    ordered = [e for e in names if e in present]
    return ordered + [e for e in present if e not in ordered]


def _keys(df: pd.DataFrame) -> list[str]:
    """Keys in the frame's order (the SQL orders them as the codebook)."""
    return [str(k) for k in dict.fromkeys(df["key_id"].astype(str))] if len(df) else []


def _title_key(category: Category, level: str) -> str:
    if category == "channel":
        return "bars_channel_group" if level == "group" else "bars_channel"
    return "bars_theme_group" if level == "group" else "bars_theme"


def _layout_font(fig: go.Figure, font_size: int | None) -> None:
    """Every text of the figure at `font_size` (Streamlit's theme sets the title, legend and
    tick sizes one by one, so the base font alone would not reach them)."""
    if not font_size:
        return
    size = {"size": font_size}
    small = {"size": max(font_size - 4, 10)}
    fig.update_layout(
        font=size,
        hoverlabel={"font": size},
        legend={"font": size, "title": {"font": size}},
    )
    fig.update_layout(title_font={"size": font_size + 6})
    if fig.layout.title.subtitle and fig.layout.title.subtitle.text:
        fig.update_layout(title_subtitle_font=small)
    fig.update_xaxes(tickfont=size, title_font=size)
    fig.update_yaxes(tickfont=size, title_font=size)
    fig.update_polars(angularaxis_tickfont=size, radialaxis_tickfont=small)


def grouped_bars(
    df: pd.DataFrame,
    *,
    lang: Lang,
    names: Mapping[str, str],
    category: Category,
    level: str = "group",
    mode: Mode = "loc",
    baseline: pd.DataFrame | None = None,
    mirrored: bool = False,
    font_size: int | None = None,
    title_suffix: str = "",
) -> go.Figure:
    """Bars of the share of each compared thing's plans using each channel (group) or
    addressing each theme (group): one bar per compared thing (colour) and item, items in
    codebook order, horizontal. `df`: rows of compare_channels.sql / compare_themes.sql.
    `baseline`: rows (key_id, n_plans, n_total, share) of the national profile at the same
    level, drawn as a black diamond per item. `mirrored` (exactly two compared things): the
    first one's bars go left, the second's right, from a shared axis of items."""
    title = _t(_title_key(category, level), lang) + title_suffix
    if df.empty:
        return c.empty_figure(title, lang)
    entities = _entities(df, names)
    keys = _keys(df)
    labels = c.label_map(df, "key_id", lang)
    y_labels = [c.short_label(labels.get(k, k), 45) for k in keys]
    mirror = mirrored and len(entities) == 2
    verb = _t("using" if category == "channel" else "addressing", lang)
    cells = {(str(r["entity"]), str(r["key_id"])): r for r in df.to_dict("records")}
    fig = go.Figure()
    for i, entity in enumerate(entities):
        shares: list[float] = []
        custom: list[list[Any]] = []
        for key in keys:
            row = cells.get((entity, key), {})
            n = int(c.clean(row.get("n_plans")) or 0)
            total = int(c.clean(row.get("n_entity_plans")) or 0)
            share = float(c.clean(row.get("share")) or 0.0)
            shares.append(-share if mirror and i == 0 else share)
            custom.append(
                [
                    entity,
                    key,
                    n,
                    total,
                    share,
                    names.get(entity, entity),
                    labels.get(key, key),
                    f"{names.get(entity, entity)} · {labels.get(key, key)}",
                ]
            )
        fig.add_trace(
            go.Bar(
                x=shares,
                y=y_labels,
                orientation="h",
                name=names.get(entity, entity),
                marker={"color": entity_color(i)},
                customdata=custom,
                hovertemplate=c.hovertemplate(
                    [
                        "<b>%{customdata[5]}</b>",
                        "%{customdata[6]}",
                        f"{verb}: %{{customdata[2]:,d}} {c.text('of', lang)} "
                        f"%{{customdata[3]:,d}} {c.text('plans_word', lang)} "
                        "(%{customdata[4]:.1%})",
                    ]
                ),
            )
        )
    if baseline is not None and not baseline.empty and not mirror:
        base = {str(r["key_id"]): r for r in baseline.to_dict("records")}
        xs, ys, custom = [], [], []
        for key, y_label in zip(keys, y_labels, strict=True):
            row = base.get(key)
            if row is None:
                continue
            xs.append(float(c.clean(row.get("share")) or 0.0))
            ys.append(y_label)
            custom.append(
                [
                    "",
                    key,
                    int(c.clean(row.get("n_plans")) or 0),
                    int(c.clean(row.get("n_total")) or 0),
                    float(c.clean(row.get("share")) or 0.0),
                    _t("baseline_hover", lang),
                    labels.get(key, key),
                    f"{_t('baseline_national', lang)} · {labels.get(key, key)}",
                ]
            )
        fig.add_trace(
            go.Scatter(
                x=xs,
                y=ys,
                mode="markers",
                name=_t("baseline_national", lang),
                marker={
                    "symbol": "diamond",
                    "size": 11,
                    "color": BASELINE_COLOR,
                    "line": {"color": "#ffffff", "width": 1},
                },
                customdata=custom,
                hovertemplate=c.hovertemplate(
                    [
                        "<b>%{customdata[5]}</b>",
                        "%{customdata[6]}",
                        f"{verb}: %{{customdata[2]:,d}} {c.text('of', lang)} "
                        f"%{{customdata[3]:,d}} {c.text('plans_word', lang)} "
                        "(%{customdata[4]:.1%})",
                    ]
                ),
            )
        )
    item_title = _t("channel_group" if category == "channel" else "theme", lang)
    if category == "channel" and level != "group":
        item_title = c.text("channel", lang)
    if category == "theme" and level == "group":
        item_title = c.text("theme_group", lang)
    per_row = 22 * max(len(entities), 1) + 10
    c.apply_layout(
        fig,
        title=title,
        subtitle=_t("subtitle", lang, what=_t(f"what_{mode}", lang)),
        x_title=_t("share_axis", lang),
        y_title=item_title,
        legend_title=_t("compared", lang),
        height=c.chart_height(len(keys), per_row=per_row, extra=200),
    )
    fig.update_layout(
        barmode="relative" if mirror else "group",
        bargap=0.25,
        legend=LEGEND_ON_TOP,
        margin={"t": 150},
    )
    fig.update_yaxes(autorange="reversed", type="category")
    if mirror:
        ticks = [-1.0, -0.75, -0.5, -0.25, 0.0, 0.25, 0.5, 0.75, 1.0]
        fig.update_xaxes(
            range=[-1.05, 1.05],
            tickmode="array",
            tickvals=ticks,
            ticktext=[f"{abs(v):.0%}" for v in ticks],
            zeroline=True,
            zerolinecolor="#444444",
        )
    else:
        fig.update_xaxes(range=[0, 1.05], tickformat=".0%")
    _layout_font(fig, font_size)
    return fig


def radar(
    df: pd.DataFrame,
    *,
    lang: Lang,
    names: Mapping[str, str],
    baseline: pd.DataFrame | None = None,
    font_size: int | None = None,
    title_suffix: str = "",
) -> go.Figure:
    """A radar (Scatterpolar) of the six reform areas: for each compared thing, the share of
    its plans addressing each area (0-100%). `df`: rows of compare_themes.sql at level
    'theme' (only group 'reform_area' is drawn). `baseline`: national rows of the same ids."""
    title = _t("radar", lang)
    subtitle = title_suffix.strip(" —–-") or None  # the place, under a long title
    areas = df[df["group_id"] == "reform_area"] if not df.empty else df
    if areas.empty:
        return c.empty_figure(title, lang)
    entities = _entities(areas, names)
    keys = _keys(areas)
    labels = c.label_map(areas, "key_id", lang)
    theta = [wrap_label(labels.get(k, k)) for k in keys]
    cells = {(str(r["entity"]), str(r["key_id"])): r for r in areas.to_dict("records")}
    verb = _t("addressing", lang)
    hover = c.hovertemplate(
        [
            "<b>%{customdata[2]}</b>",
            "%{customdata[3]}",
            f"{verb}: %{{customdata[0]:,d}} {c.text('of', lang)} %{{customdata[1]:,d}} "
            f"{c.text('plans_word', lang)} (%{{r:.1%}})",
        ]
    )
    fig = go.Figure()

    def closed(values: Sequence[Any]) -> list[Any]:
        return [*values, values[0]] if values else []

    for i, entity in enumerate(entities):
        rows = [cells.get((entity, k), {}) for k in keys]
        r = [float(c.clean(row.get("share")) or 0.0) for row in rows]
        custom = [
            [
                int(c.clean(row.get("n_plans")) or 0),
                int(c.clean(row.get("n_entity_plans")) or 0),
                names.get(entity, entity),
                labels.get(k, k),
            ]
            for row, k in zip(rows, keys, strict=True)
        ]
        color = entity_color(i)
        fig.add_trace(
            go.Scatterpolar(
                r=closed(r),
                theta=closed(theta),
                customdata=closed(custom),
                mode="lines+markers",
                fill="toself",
                name=names.get(entity, entity),
                line={"color": color, "width": 2},
                marker={"color": color, "size": 7},
                opacity=0.75,
                hovertemplate=hover,
            )
        )
    if baseline is not None and not baseline.empty:
        base = {str(r["key_id"]): r for r in baseline.to_dict("records")}
        rows = [base.get(k, {}) for k in keys]
        fig.add_trace(
            go.Scatterpolar(
                r=closed([float(c.clean(row.get("share")) or 0.0) for row in rows]),
                theta=closed(theta),
                customdata=closed(
                    [
                        [
                            int(c.clean(row.get("n_plans")) or 0),
                            int(c.clean(row.get("n_total")) or 0),
                            _t("baseline_hover", lang),
                            labels.get(k, k),
                        ]
                        for row, k in zip(rows, keys, strict=True)
                    ]
                ),
                mode="lines+markers",
                name=_t("baseline_national", lang),
                line={"color": BASELINE_COLOR, "width": 2, "dash": "dash"},
                marker={"color": BASELINE_COLOR, "size": 6, "symbol": "diamond"},
                hovertemplate=hover,
            )
        )
    c.apply_layout(
        fig, title=title, subtitle=subtitle, legend_title=_t("compared", lang), height=560
    )
    fig.update_layout(
        legend=LEGEND_ON_TOP,
        polar={
            # the radial ticks between the first two areas, not over a label
            "radialaxis": {
                "range": [0, 1],
                "tickformat": ".0%",
                "angle": 90 - 180 / max(len(keys), 1),
                "dtick": 0.25,
            },
            "angularaxis": {"direction": "clockwise", "rotation": 90},
        },
        margin={"l": 110, "r": 110, "t": 140, "b": 90},
    )
    _layout_font(fig, font_size)
    return fig


# --- tables -----------------------------------------------------------------------------------


def _category_label(category: Any, lang: Lang) -> str:
    return _t("cat_channel" if category == "channel" else "cat_theme", lang)


def unique_items(
    channels: pd.DataFrame,
    themes: pd.DataFrame,
    *,
    lang: Lang,
    names: Mapping[str, str],
) -> pd.DataFrame:
    """What one compared thing has and all the others lack: for each compared thing, the
    channels and themes (rows of compare_channels.sql / compare_themes.sql at id level) that
    at least one of its plans has and no plan of any other compared thing has. Needs two or
    more compared things (else empty)."""
    columns = [
        _t("col_entity", lang),
        _t("col_category", lang),
        _t("col_item", lang),
        _t("col_plans", lang),
    ]
    rows: list[dict[str, Any]] = []
    for category, df in (("channel", channels), ("theme", themes)):
        if df.empty:
            continue
        entities = _entities(df, names)
        if len(entities) < 2:
            continue
        labels = c.label_map(df, "key_id", lang)
        has: dict[str, set[str]] = {e: set() for e in entities}
        counts: dict[tuple[str, str], tuple[int, int]] = {}
        for r in df.to_dict("records"):
            n = int(c.clean(r.get("n_plans")) or 0)
            entity, key = str(r["entity"]), str(r["key_id"])
            counts[(entity, key)] = (n, int(c.clean(r.get("n_entity_plans")) or 0))
            if n > 0:
                has.setdefault(entity, set()).add(key)
        for entity in entities:
            others = set().union(*(has[o] for o in entities if o != entity))
            for key in _keys(df):
                if key in has[entity] and key not in others:
                    n, total = counts[(entity, key)]
                    rows.append(
                        {
                            columns[0]: names.get(entity, entity),
                            columns[1]: _category_label(category, lang),
                            columns[2]: labels.get(key, key),
                            columns[3]: n_of(n, total, lang),
                        }
                    )
    frame = pd.DataFrame(rows, columns=columns)
    if frame.empty:
        return frame
    order = {name: i for i, name in enumerate(names.values())}
    frame["_o"] = frame[columns[0]].map(order).fillna(len(order))
    return frame.sort_values("_o", kind="stable").drop(columns="_o").reset_index(drop=True)


def agencies_table(
    df: pd.DataFrame,
    *,
    lang: Lang,
    names: Mapping[str, str],
    roles: Sequence[str] = ("lead", "coordinate"),
) -> pd.DataFrame:
    """Who leads and who coordinates in each compared thing: one row per compared thing, one
    column per role, 'Agency (k/N plans)' most frequent first. `df`: rows of
    compare_agencies.sql."""
    columns = [_t("col_entity", lang)] + [_t(f"col_{role}", lang) for role in roles]
    rows: list[dict[str, Any]] = []
    entities = list(names) if names else _entities(df, names)
    for entity in entities:
        part = df[df["entity"].astype(str) == entity] if not df.empty else df
        row: dict[str, Any] = {columns[0]: names.get(entity, entity)}
        for role, column in zip(roles, columns[1:], strict=True):
            sub = part[part["role"] == role] if not part.empty else part
            if sub.empty:
                row[column] = _t("none_agency", lang)
                continue
            sub = sub.sort_values(["n_plans", "agency_id"], ascending=[False, True])
            items = []
            for r in sub.to_dict("records"):
                name = c.pick_label(r, "agency_id", lang, prefix="agency_label")
                items.append(f"{name} ({int(r['n_plans'])}/{int(r['n_entity_plans'])})")
            row[column] = "; ".join(items)
        rows.append(row)
    return pd.DataFrame(rows, columns=columns)


def _pct_points(value: float, base: float) -> float:
    return round((value - base) * 100, 1)


def baseline_national_table(
    profile: pd.DataFrame,
    national: pd.DataFrame,
    *,
    lang: Lang,
    names: Mapping[str, str],
) -> pd.DataFrame:
    """Each compared thing against the national profile, item by item: the share of its plans
    with the item, the share of all plans (same years) with it and the difference in
    percentage points. `profile`: rows of compare_channels.sql and compare_themes.sql at id
    level with a `category` column; `national`: rows of baseline_national.sql (level 'id').
    Items no plan of either side has are left out; biggest gaps first."""
    columns = [
        _t("col_entity", lang),
        _t("col_category", lang),
        _t("col_item", lang),
        _t("col_value", lang),
        _t("col_baseline", lang),
        _t("col_diff", lang),
    ]
    if profile.empty or national.empty:
        return pd.DataFrame(columns=columns)
    nat = national[national["level"] == "id"] if "level" in national else national
    base = {(str(r["category"]), str(r["key_id"])): r for r in nat.to_dict("records")}
    rows: list[dict[str, Any]] = []
    for r in profile.to_dict("records"):
        entity, category, key = str(r["entity"]), str(r["category"]), str(r["key_id"])
        b = base.get((category, key))
        n = int(c.clean(r.get("n_plans")) or 0)
        bn = int(c.clean(b.get("n_plans")) or 0) if b is not None else 0
        if n == 0 and bn == 0:
            continue
        share = float(c.clean(r.get("share")) or 0.0)
        b_share = float(c.clean(b.get("share")) or 0.0) if b is not None else 0.0
        rows.append(
            {
                columns[0]: names.get(entity, entity),
                columns[1]: _category_label(category, lang),
                columns[2]: c.pick_label(r, "key_id", lang),
                columns[3]: n_of(n, r.get("n_entity_plans"), lang),
                columns[4]: n_of(bn, b.get("n_total") if b is not None else 0, lang),
                columns[5]: _pct_points(share, b_share),
                "_entity": entity,
            }
        )
    frame = pd.DataFrame(rows, columns=[*columns, "_entity"])
    if frame.empty:
        return frame.drop(columns="_entity")
    order = {e: i for i, e in enumerate(names)}
    frame["_o"] = frame["_entity"].map(order).fillna(len(order))
    frame["_abs"] = frame[columns[5]].abs()
    frame = frame.sort_values(["_o", "_abs"], ascending=[True, False], kind="stable")
    return frame.drop(columns=["_entity", "_o", "_abs"]).reset_index(drop=True)


def baseline_previous_table(
    df: pd.DataFrame,
    *,
    lang: Lang,
    names: Mapping[str, str],
) -> pd.DataFrame:
    """Each compared thing's latest plans against the same locality's previous plans, item by
    item: how many plans of each year have it and whether it is new, dropped or kept.
    `df`: rows of baseline_previous.sql. A compared thing with no earlier plan gets one row
    saying so."""
    columns = [
        _t("col_entity", lang),
        _t("col_years", lang),
        _t("col_category", lang),
        _t("col_item", lang),
        _t("col_cur", lang),
        _t("col_prev", lang),
        _t("col_change", lang),
    ]
    rows: list[dict[str, Any]] = []
    change_order = {"new": 0, "dropped": 1, "kept": 2}
    for r in df.to_dict("records"):
        entity = str(r["entity"])
        cur, prev = c.clean(r.get("cur_year")), c.clean(r.get("prev_year"))
        name = names.get(entity, entity)
        if prev is None:
            rows.append(
                {
                    columns[0]: name,
                    columns[1]: f"{cur}",
                    columns[2]: "",
                    columns[3]: _t("no_previous", lang),
                    columns[4]: "",
                    columns[5]: "",
                    columns[6]: "",
                    "_o": 9,
                }
            )
            continue
        if c.is_missing(r.get("key_id")):
            continue
        n_cur, n_prev = int(c.clean(r.get("n_cur")) or 0), int(c.clean(r.get("n_prev")) or 0)
        change = "kept" if n_cur and n_prev else ("new" if n_cur else "dropped")
        rows.append(
            {
                columns[0]: name,
                columns[1]: f"{cur} / {prev}",
                columns[2]: _category_label(r.get("category"), lang),
                columns[3]: c.pick_label(r, "key_id", lang),
                columns[4]: n_of(n_cur, r.get("n_cur_total"), lang),
                columns[5]: n_of(n_prev, r.get("n_prev_total"), lang),
                columns[6]: _t(change, lang),
                "_o": change_order[change],
            }
        )
    frame = pd.DataFrame(rows, columns=[*columns, "_o"])
    order = {name: i for i, name in enumerate(names.values())}
    frame["_e"] = frame[columns[0]].map(order).fillna(len(order))
    frame = frame.sort_values(["_e", "_o"], kind="stable")
    return frame.drop(columns=["_o", "_e"]).reset_index(drop=True)


def level_gaps(
    profile: pd.DataFrame,
    levels: pd.DataFrame,
    *,
    lang: Lang,
    names: Mapping[str, str],
    threshold: float = GAP_THRESHOLD,
) -> pd.DataFrame:
    """What a compared thing lacks that most plans of its level have: for each compared thing
    and issuer level of its plans, the channels and themes that none of its plans of that
    level has and that more than `threshold` of all plans of that level (same years) have.
    `profile`: rows of compare_profile.sql; `levels`: rows of baseline_level.sql."""
    columns = [
        _t("col_entity", lang),
        _t("col_level", lang),
        _t("col_category", lang),
        _t("col_item", lang),
        _t("col_level_share", lang),
    ]
    if profile.empty or levels.empty:
        return pd.DataFrame(columns=columns)
    has: dict[tuple[str, str], set[tuple[str, str]]] = {}
    for r in profile.to_dict("records"):
        key = (str(r["entity"]), str(r["issuer_level"]))
        has.setdefault(key, set())
        if not c.is_missing(r.get("key_id")) and int(c.clean(r.get("n_plans")) or 0) > 0:
            has[key].add((str(r["category"]), str(r["key_id"])))
    common = levels[levels["share"] > threshold]
    by_level: dict[str, list[dict[str, Any]]] = {}
    for r in common.to_dict("records"):
        by_level.setdefault(str(r["issuer_level"]), []).append(r)
    rows: list[dict[str, Any]] = []
    order = list(names)
    for entity, level in sorted(
        has, key=lambda k: (order.index(k[0]) if k[0] in order else len(order), k[1])
    ):
        for r in by_level.get(level, []):
            item = (str(r["category"]), str(r["key_id"]))
            if item in has[(entity, level)]:
                continue
            rows.append(
                {
                    columns[0]: names.get(entity, entity),
                    columns[1]: c.level_label(level, lang),
                    columns[2]: _category_label(r["category"], lang),
                    columns[3]: c.pick_label(r, "key_id", lang),
                    columns[4]: n_of(r["n_plans"], r["n_level_plans"], lang),
                }
            )
    return pd.DataFrame(rows, columns=columns)


# --- export ----------------------------------------------------------------------------------


def comparison_frame(
    channels: pd.DataFrame,
    themes: pd.DataFrame,
    national: pd.DataFrame | None,
    *,
    lang: Lang,
    names: Mapping[str, str],
    channel_level: str = "group",
    theme_level: str = "theme",
) -> pd.DataFrame:
    """The comparison as one tidy table for CSV: one row per compared thing and item, with
    the item's label in `lang`, counts, share and (when given) the national share."""
    base: dict[tuple[str, str, str], Any] = {}
    if national is not None and not national.empty:
        for r in national.to_dict("records"):
            base[(str(r["category"]), str(r["level"]), str(r["key_id"]))] = r
    rows: list[dict[str, Any]] = []
    for category, level, df in (
        ("channel", channel_level, channels),
        ("theme", theme_level, themes),
    ):
        base_level = "group" if level == "group" else "id"
        for r in df.to_dict("records"):
            entity = str(r["entity"])
            b = base.get((category, base_level, str(r["key_id"])))
            rows.append(
                {
                    "entity": entity,
                    "entity_name": names.get(entity, entity),
                    "category": category,
                    "level": base_level,
                    "key_id": r["key_id"],
                    "label": c.pick_label(r, "key_id", lang),
                    "n_plans": int(c.clean(r.get("n_plans")) or 0),
                    "n_entity_plans": int(c.clean(r.get("n_entity_plans")) or 0),
                    "share": round(float(c.clean(r.get("share")) or 0.0), 4),
                    "national_n_plans": None if b is None else int(b["n_plans"]),
                    "national_n_total": None if b is None else int(b["n_total"]),
                    "national_share": None if b is None else round(float(b["share"]), 4),
                }
            )
    columns = [
        "entity",
        "entity_name",
        "category",
        "level",
        "key_id",
        "label",
        "n_plans",
        "n_entity_plans",
        "share",
        "national_n_plans",
        "national_n_total",
        "national_share",
    ]
    frame = pd.DataFrame(rows, columns=columns)
    for column in ("national_n_plans", "national_n_total"):
        frame[column] = frame[column].astype("Int64")
    return frame


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """CSV in UTF-8 with a byte-order mark (Excel opens it with the diacritics intact)."""
    buffer = io.StringIO()
    frame.to_csv(buffer, index=False, lineterminator="\n")
    return buffer.getvalue().encode("utf-8-sig")
