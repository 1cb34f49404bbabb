"""Theme charts: locality x theme heatmap, coverage of the six reform areas, theme trends.
Pure functions: DataFrame (rows of dashboard/sql/*.sql) -> plotly Figure."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import plotly.graph_objects as go

from dashboard.charts import common as c
from dashboard.charts.common import Lang, Measure

# customdata key fields (first fields of every point's customdata), for click-through
HEATMAP_KEYS: tuple[str, ...] = ("province_code", "key_id", "level")
REFORM_AREA_KEYS: tuple[str, ...] = ("theme_id",)
COVERAGE_KEYS: tuple[str, ...] = ("n_areas",)
TREND_KEYS: tuple[str, ...] = ("plan_year", "key_id", "level")

TEXTS: dict[str, dict[str, str]] = {
    "heatmap_plans": {
        "vi": "Địa phương × {what}: số kế hoạch đề cập",
        "en": "Locality × {what}: number of plans addressing it",
    },
    "heatmap_share": {
        "vi": "Địa phương × {what}: tỷ lệ kế hoạch của địa phương đề cập",
        "en": "Locality × {what}: share of the locality's plans addressing it",
    },
    "what_theme": {"vi": "nội dung", "en": "theme"},
    "what_group": {"vi": "nhóm nội dung", "en": "theme group"},
    "plans_addressing": {"vi": "Kế hoạch đề cập", "en": "Plans addressing it"},
    "areas_plans": {
        "vi": "Số kế hoạch đề cập mỗi nội dung trong sáu nội dung CCHC",
        "en": "Number of plans addressing each of the six reform areas",
    },
    "areas_share": {
        "vi": "Tỷ lệ kế hoạch đề cập mỗi nội dung trong sáu nội dung CCHC",
        "en": "Share of plans addressing each of the six reform areas",
    },
    "area": {"vi": "Nội dung CCHC", "en": "Reform area"},
    "coverage_title": {
        "vi": "Số kế hoạch theo số nội dung CCHC được đề cập (0–{n})",
        "en": "Number of plans by how many of the {n} reform areas they address",
    },
    "n_areas": {"vi": "Số nội dung CCHC được đề cập", "en": "Reform areas addressed"},
    "n_areas_hover": {"vi": "{k} nội dung", "en": "{k} areas"},
    "trend_plans": {
        "vi": "Số kế hoạch đề cập mỗi {what}, theo năm",
        "en": "Number of plans addressing each {what}, by year",
    },
    "trend_share": {
        "vi": "Tỷ lệ kế hoạch trong năm đề cập mỗi {what}",
        "en": "Share of each year's plans addressing each {what}",
    },
}


def _t(key: str, lang: Lang, **fmt: object) -> str:
    return c.text(key, lang, TEXTS).format(**fmt)


def _what(level: str, lang: Lang) -> str:
    return _t("what_group" if level == "group" else "what_theme", lang)


def _legend_title(level: str, lang: Lang) -> str:
    return c.text("theme_group" if level == "group" else "theme", lang)


def theme_heatmap(
    df: pd.DataFrame,
    *,
    lang: Lang,
    measure: Measure = "share",
    level: str = "theme",
    labels: Mapping[str, str] | None = None,
) -> go.Figure:
    """Locality x theme (or group) heatmap. `df`: rows of category_heatmap.sql (facet 'theme')."""
    what = _what(level, lang)
    title = _t(f"heatmap_{'share' if measure == 'share' else 'plans'}", lang, what=what)
    return c.locality_heatmap(
        df,
        lang=lang,
        category="theme",
        title=title,
        legend_title=_legend_title(level, lang),
        measure=measure,
        level=level,
        labels=labels,
        using_text=_t("plans_addressing", lang),
    )


def reform_area_coverage(
    df: pd.DataFrame,
    *,
    lang: Lang,
    measure: Measure = "share",
    labels: Mapping[str, str] | None = None,
) -> go.Figure:
    """Horizontal bars, one per reform area (codebook order): plans addressing it or their
    share of all filtered plans. `df`: rows of reform_areas.sql."""
    title = _t(f"areas_{'share' if measure == 'share' else 'plans'}", lang)
    if df.empty:
        return c.empty_figure(title, lang)
    names = c.label_map(df, "theme_id", lang, labels)
    order = c.order_keys(df, "theme_id", None, "theme")
    by_id = {str(r["theme_id"]): r for r in df.to_dict("records")}
    rows = [by_id[k] for k in order]
    value_col = "share" if measure == "share" else "n_plans"
    fig = go.Figure(
        go.Bar(
            orientation="h",
            x=[c.clean(r[value_col]) for r in rows],
            y=[names[str(r["theme_id"])] for r in rows],
            marker={"color": c.THEME_GROUP_COLORS["reform_area"]},
            customdata=[
                [
                    str(r["theme_id"]),
                    c.clean(r["n_plans"]) or 0,
                    c.clean(r["n_plans_total"]) or 0,
                    c.clean(r["share"]) or 0.0,
                    names[str(r["theme_id"])],
                    names[str(r["theme_id"])],
                ]
                for r in rows
            ],
            hovertemplate=c.hovertemplate(
                [
                    "<b>%{customdata[4]}</b>",
                    f"{_t('plans_addressing', lang)}: %{{customdata[1]:,d}} "
                    f"{c.text('of', lang)} %{{customdata[2]:,d}} {c.text('plans_word', lang)} "
                    "(%{customdata[3]:.1%})",
                ]
            ),
            name="",
            showlegend=False,
        )
    )
    c.apply_layout(
        fig,
        title=title,
        x_title=c.measure_axis(measure, lang),
        y_title=_t("area", lang),
        height=c.chart_height(len(rows), per_row=40, minimum=320),
    )
    fig.update_yaxes(autorange="reversed")
    c.apply_measure_axis(fig, measure, "x", df["n_plans"].max())
    if measure == "share":
        fig.update_xaxes(range=[0, 1])
    return fig


def reform_area_count(df: pd.DataFrame, *, lang: Lang) -> go.Figure:
    """Vertical bars: plans by the number of reform areas they address (0..6).
    `df`: rows of reform_area_coverage.sql (n_areas, n_area_ids, n_plans, n_plans_total,
    share)."""
    n_ids = int(c.clean(df["n_area_ids"].max())) if not df.empty else 6
    title = _t("coverage_title", lang, n=n_ids)
    if df.empty:
        return c.empty_figure(title, lang)
    rows = sorted(df.to_dict("records"), key=lambda r: int(r["n_areas"]))
    fig = go.Figure(
        go.Bar(
            x=[int(r["n_areas"]) for r in rows],
            y=[c.clean(r["n_plans"]) for r in rows],
            marker={"color": c.THEME_GROUP_COLORS["reform_area"]},
            customdata=[
                [
                    int(r["n_areas"]),
                    c.clean(r["n_plans"]) or 0,
                    c.clean(r["n_plans_total"]) or 0,
                    c.clean(r["share"]) or 0.0,
                    _t("n_areas_hover", lang, k=int(r["n_areas"])),
                    _t("n_areas_hover", lang, k=int(r["n_areas"])),
                ]
                for r in rows
            ],
            hovertemplate=c.hovertemplate(
                [
                    "<b>%{customdata[4]}</b>",
                    f"{c.text('plans', lang)}: %{{customdata[1]:,d}} {c.text('of', lang)} "
                    f"%{{customdata[2]:,d}} (%{{customdata[3]:.1%}})",
                ]
            ),
            name="",
            showlegend=False,
        )
    )
    c.apply_layout(
        fig,
        title=title,
        x_title=_t("n_areas", lang),
        y_title=c.text("plans", lang),
        height=360,
    )
    fig.update_xaxes(tickmode="linear", dtick=1)
    c.apply_measure_axis(fig, "plans", "y", df["n_plans"].max())
    return fig


def theme_trends(
    df: pd.DataFrame,
    *,
    lang: Lang,
    measure: Measure = "share",
    level: str = "group",
    labels: Mapping[str, str] | None = None,
    keys: list[str] | None = None,
) -> go.Figure:
    """Lines with markers, x = plan year, one line per theme (or group): plans addressing it
    or their share of that year's plans. `keys` limits the lines to those ids.
    `df`: rows of themes_by_year.sql."""
    what = _what(level, lang)
    title = _t(f"trend_{'share' if measure == 'share' else 'plans'}", lang, what=what)
    if keys is not None:
        df = df[df["key_id"].astype(str).isin(keys)]
    if df.empty:
        return c.empty_figure(title, lang)
    names = c.label_map(df, "key_id", lang, labels)
    order = c.order_keys(df, "key_id", "group_id", "theme", c.THEME_GROUP_ORDER)
    groups = dict(zip(df["key_id"].astype(str), df["group_id"], strict=False))
    colors = c.key_colors([(k, groups.get(k)) for k in order], c.THEME_GROUP_COLORS)
    rows = df.to_dict("records")
    value_col = "share" if measure == "share" else "n_plans"
    fig = go.Figure()
    for key in order:
        part = sorted((r for r in rows if str(r["key_id"]) == key), key=lambda r: r["plan_year"])
        fig.add_trace(
            go.Scatter(
                mode="lines+markers",
                name=names.get(key, key),
                x=[int(r["plan_year"]) for r in part],
                y=[c.clean(r[value_col]) for r in part],
                line={"color": colors.get(key, c.FALLBACK_COLOR)},
                marker={"size": 8},
                customdata=[
                    [
                        int(r["plan_year"]),
                        key,
                        level,
                        c.clean(r["n_plans"]) or 0,
                        c.clean(r["n_year_plans"]) or 0,
                        c.clean(r["share"]) or 0.0,
                        names.get(key, key),
                        f"{int(r['plan_year'])} · {names.get(key, key)}",
                    ]
                    for r in part
                ],
                hovertemplate=c.hovertemplate(
                    [
                        f"<b>{c.text('year', lang)} %{{customdata[0]}}</b>",
                        "%{customdata[6]}",
                        f"{_t('plans_addressing', lang)}: %{{customdata[3]:,d}} "
                        f"{c.text('of', lang)} %{{customdata[4]:,d}} "
                        f"{c.text('plans_word', lang)} (%{{customdata[5]:.1%}})",
                    ]
                ),
            )
        )
    c.apply_layout(
        fig,
        title=title,
        x_title=c.text("year", lang),
        y_title=c.measure_axis(measure, lang),
        legend_title=_legend_title(level, lang),
        height=460,
    )
    fig.update_xaxes(tickmode="linear", dtick=1, tickformat="d")
    c.apply_measure_axis(fig, measure, "y", df["n_plans"].max())
    return fig
