"""Channel charts: channel mix by locality and by year, locality x channel heatmap, social
platforms. Pure functions: DataFrame (rows of dashboard/sql/*.sql) -> plotly Figure."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import plotly.graph_objects as go

from dashboard.charts import common as c
from dashboard.charts.common import Lang, Measure

# customdata key fields (first fields of every point's customdata), for click-through
LOCALITY_KEYS: tuple[str, ...] = ("province_code", "key_id", "level")
YEAR_KEYS: tuple[str, ...] = ("plan_year", "key_id", "level")
HEATMAP_KEYS: tuple[str, ...] = ("province_code", "key_id", "level")
PLATFORM_KEYS: tuple[str, ...] = ("platform_id",)

TEXTS: dict[str, dict[str, str]] = {
    "by_locality_plans": {
        "vi": "Số kế hoạch sử dụng mỗi {what}, theo địa phương",
        "en": "Number of plans using each {what}, by locality",
    },
    "by_locality_share": {
        "vi": "Tỷ lệ kế hoạch của địa phương sử dụng mỗi {what}",
        "en": "Share of each locality's plans using each {what}",
    },
    "by_year_plans": {
        "vi": "Số kế hoạch sử dụng mỗi {what}, theo năm",
        "en": "Number of plans using each {what}, by year",
    },
    "by_year_share": {
        "vi": "Tỷ lệ kế hoạch trong năm sử dụng mỗi {what}",
        "en": "Share of each year's plans using each {what}",
    },
    "heatmap_plans": {
        "vi": "Địa phương × {what}: số kế hoạch sử dụng",
        "en": "Locality × {what}: number of plans using it",
    },
    "heatmap_share": {
        "vi": "Địa phương × {what}: tỷ lệ kế hoạch của địa phương sử dụng",
        "en": "Locality × {what}: share of the locality's plans using it",
    },
    "stack_note": {
        "vi": "Một kế hoạch dùng nhiều kênh được đếm ở mỗi kênh",
        "en": "A plan using several channels counts once in each",
    },
    "what_channel": {"vi": "kênh", "en": "channel"},
    "what_group": {"vi": "nhóm kênh", "en": "channel group"},
    "plans_using": {"vi": "Kế hoạch sử dụng", "en": "Plans using it"},
    "platforms_title": {
        "vi": "Số kế hoạch nêu tên mỗi nền tảng mạng xã hội",
        "en": "Number of plans naming each social-media platform",
    },
    "platforms_sub": {
        "vi": "{n} trên {total} kế hoạch dùng mạng xã hội",
        "en": "{n} of {total} plans use social media",
    },
    "platform": {"vi": "Nền tảng", "en": "Platform"},
    "of_all": {"vi": "trên tổng số kế hoạch", "en": "of all plans"},
    "of_social": {"vi": "trên số kế hoạch dùng mạng xã hội", "en": "of plans using social media"},
}


def _t(key: str, lang: Lang, **fmt: object) -> str:
    return c.text(key, lang, TEXTS).format(**fmt)


def _what(level: str, lang: Lang) -> str:
    return _t("what_group" if level == "group" else "what_channel", lang)


def _legend_title(level: str, lang: Lang) -> str:
    return c.text("channel_group" if level == "group" else "channel", lang)


def _hover(first_line: str, lang: Lang) -> str:
    """Hover lines for customdata [keys..., n_plans, denominator, share, place, label]."""
    n = 3  # number of key fields
    return c.hovertemplate(
        [
            f"<b>{first_line}</b>",
            f"%{{customdata[{n + 4}]}}",
            f"{_t('plans_using', lang)}: %{{customdata[{n}]:,d}} {c.text('of', lang)} "
            f"%{{customdata[{n + 1}]:,d}} {c.text('plans_word', lang)} "
            f"(%{{customdata[{n + 2}]:.1%}})",
        ]
    )


def _key_colors(df: pd.DataFrame, keys: list[str]) -> dict[str, str]:
    groups = dict(zip(df["key_id"].astype(str), df["group_id"], strict=False))
    return c.key_colors([(k, groups.get(k)) for k in keys], c.CHANNEL_GROUP_COLORS)


def channel_mix_by_locality(
    df: pd.DataFrame,
    *,
    lang: Lang,
    measure: Measure = "plans",
    level: str = "channel",
    labels: Mapping[str, str] | None = None,
) -> go.Figure:
    """Horizontal bars, one row per locality, one trace per channel (or group).

    Counts are stacked (a plan with several channels counts in each); shares are grouped.
    `df`: rows of channels_by_locality.sql (province_code, locality_name, key_id, group_id,
    label_vi, label_en, n_plans, n_locality_plans, share)."""
    what = _what(level, lang)
    title = _t(f"by_locality_{'share' if measure == 'share' else 'plans'}", lang, what=what)
    if df.empty:
        return c.empty_figure(title, lang)
    names = c.label_map(df, "key_id", lang, labels)
    keys = c.order_keys(df, "key_id", "group_id", "channel", c.CHANNEL_GROUP_ORDER)
    colors = _key_colors(df, keys)
    rows = df.to_dict("records")
    # localities from most plans to fewest (top of the chart first)
    order = (
        df.assign(_name=[c.locality_label(r, lang) for r in rows])
        .groupby(["province_code", "_name"], dropna=False)["n_locality_plans"]
        .max()
        .reset_index()
        .sort_values(["n_locality_plans", "_name"], ascending=[False, True])
    )
    y_order = list(order["_name"])
    fig = go.Figure()
    value_col = "share" if measure == "share" else "n_plans"
    for key in keys:
        part = [r for r in rows if str(r["key_id"]) == key]
        fig.add_trace(
            go.Bar(
                orientation="h",
                name=names.get(key, key),
                x=[c.clean(r[value_col]) for r in part],
                y=[c.locality_label(r, lang) for r in part],
                marker={"color": colors.get(key, c.FALLBACK_COLOR)},
                customdata=[
                    [
                        c.clean(r["province_code"]) or "",
                        key,
                        level,
                        c.clean(r["n_plans"]),
                        c.clean(r["n_locality_plans"]),
                        c.clean(r["share"]),
                        c.locality_label(r, lang),
                        names.get(key, key),
                        f"{c.locality_label(r, lang)} · {names.get(key, key)}",
                    ]
                    for r in part
                ],
                hovertemplate=_hover("%{customdata[6]}", lang),
            )
        )
    c.apply_layout(
        fig,
        title=title,
        subtitle=_t("stack_note", lang) if measure == "plans" else None,
        x_title=c.measure_axis(measure, lang),
        y_title=c.text("locality", lang),
        legend_title=_legend_title(level, lang),
        height=c.chart_height(len(y_order), per_row=30 if measure == "plans" else 60),
    )
    fig.update_layout(barmode="stack" if measure == "plans" else "group")
    fig.update_yaxes(categoryorder="array", categoryarray=y_order, autorange="reversed")
    c.apply_measure_axis(
        fig, measure, "x", df.groupby("province_code", dropna=False)["n_plans"].sum().max()
    )
    return fig


def channel_mix_by_year(
    df: pd.DataFrame,
    *,
    lang: Lang,
    measure: Measure = "plans",
    level: str = "channel",
    labels: Mapping[str, str] | None = None,
) -> go.Figure:
    """One trace per channel (or group) over the plan years: stacked bars of plan counts, or
    lines with markers of the share of that year's plans (years where no plan uses the
    channel are drawn at 0).

    `df`: rows of channels_by_year.sql (plan_year, key_id, group_id, label_vi, label_en,
    n_plans, n_year_plans, share)."""
    what = _what(level, lang)
    share = measure == "share"
    title = _t(f"by_year_{'share' if share else 'plans'}", lang, what=what)
    if df.empty:
        return c.empty_figure(title, lang)
    names = c.label_map(df, "key_id", lang, labels)
    keys = c.order_keys(df, "key_id", "group_id", "channel", c.CHANNEL_GROUP_ORDER)
    colors = _key_colors(df, keys)
    rows = df.to_dict("records")
    years = sorted({int(r["plan_year"]) for r in rows})
    totals = {int(r["plan_year"]): c.clean(r["n_year_plans"]) for r in rows}
    value_col = "share" if share else "n_plans"
    fig = go.Figure()
    for key in keys:
        found = {int(r["plan_year"]): r for r in rows if str(r["key_id"]) == key}
        if share:  # a line needs its zeros
            part = [
                found.get(y, {"plan_year": y, "n_plans": 0, "n_year_plans": totals[y], "share": 0})
                for y in years
            ]
        else:
            part = [found[y] for y in years if y in found]
        customdata = [
            [
                int(r["plan_year"]),
                key,
                level,
                c.clean(r["n_plans"]) or 0,
                c.clean(r["n_year_plans"]) or 0,
                c.clean(r["share"]) or 0.0,
                str(int(r["plan_year"])),
                names.get(key, key),
                f"{int(r['plan_year'])} · {names.get(key, key)}",
            ]
            for r in part
        ]
        spec = {
            "name": names.get(key, key),
            "x": [int(r["plan_year"]) for r in part],
            "y": [c.clean(r[value_col]) or 0 for r in part],
            "customdata": customdata,
            "hovertemplate": _hover(f"{c.text('year', lang)} %{{customdata[0]}}", lang),
        }
        color = colors.get(key, c.FALLBACK_COLOR)
        if share:
            fig.add_trace(
                go.Scatter(
                    mode="lines+markers",
                    line={"color": color},
                    marker={"size": 7},
                    **spec,
                )
            )
        else:
            fig.add_trace(go.Bar(marker={"color": color}, **spec))
    c.apply_layout(
        fig,
        title=title,
        subtitle=None if share else _t("stack_note", lang),
        x_title=c.text("year", lang),
        y_title=c.measure_axis(measure, lang),
        legend_title=_legend_title(level, lang),
        height=480,
    )
    if not share:
        fig.update_layout(barmode="stack")
    fig.update_xaxes(tickmode="array", tickvals=years, ticktext=[str(y) for y in years])
    c.apply_measure_axis(fig, measure, "y", df.groupby("plan_year")["n_plans"].sum().max())
    return fig


def channel_heatmap(
    df: pd.DataFrame,
    *,
    lang: Lang,
    measure: Measure = "share",
    level: str = "channel",
    labels: Mapping[str, str] | None = None,
) -> go.Figure:
    """Locality x channel (or group) heatmap. `df`: rows of category_heatmap.sql (facet
    'channel')."""
    what = _what(level, lang)
    title = _t(f"heatmap_{'share' if measure == 'share' else 'plans'}", lang, what=what)
    return c.locality_heatmap(
        df,
        lang=lang,
        category="channel",
        title=title,
        legend_title=_legend_title(level, lang),
        measure=measure,
        level=level,
        labels=labels,
        using_text=_t("plans_using", lang),
    )


def platform_breakdown(
    df: pd.DataFrame,
    *,
    lang: Lang,
    labels: Mapping[str, str] | None = None,
) -> go.Figure:
    """Horizontal bars: plans naming each social platform, with shares of all plans and of
    the plans using social media in the hover. `df`: rows of platforms.sql."""
    title = _t("platforms_title", lang)
    if df.empty:
        return c.empty_figure(title, lang)
    rows = sorted(
        df.to_dict("records"),
        key=lambda r: (-(c.clean(r["n_plans"]) or 0), str(r["platform_id"])),
    )
    names = c.label_map(df, "platform_id", lang, labels)
    first = rows[0]
    total = int(c.clean(first["n_plans_total"]) or 0)
    social = int(c.clean(first["n_social_plans"]) or 0)
    fig = go.Figure(
        go.Bar(
            orientation="h",
            x=[c.clean(r["n_plans"]) for r in rows],
            y=[names[str(r["platform_id"])] for r in rows],
            marker={
                "color": [
                    c.PLATFORM_COLORS.get(str(r["platform_id"]), c.FALLBACK_COLOR) for r in rows
                ]
            },
            customdata=[
                [
                    str(r["platform_id"]),
                    c.clean(r["n_plans"]),
                    c.clean(r["n_plans_total"]) or 0,
                    c.clean(r["share"]) or 0.0,
                    c.clean(r["n_social_plans"]) or 0,
                    c.clean(r["share_of_social"]) or 0.0,
                    names[str(r["platform_id"])],
                    names[str(r["platform_id"])],
                ]
                for r in rows
            ],
            hovertemplate=c.hovertemplate(
                [
                    "<b>%{customdata[6]}</b>",
                    f"{c.text('plans', lang)}: %{{customdata[1]:,d}}",
                    f"%{{customdata[3]:.1%}} {_t('of_all', lang)} (%{{customdata[2]:,d}})",
                    f"%{{customdata[5]:.1%}} {_t('of_social', lang)} (%{{customdata[4]:,d}})",
                ]
            ),
            name="",
            showlegend=False,
        )
    )
    c.apply_layout(
        fig,
        title=title,
        subtitle=_t("platforms_sub", lang, n=social, total=total),
        x_title=c.text("plans", lang),
        y_title=_t("platform", lang),
        height=c.chart_height(len(rows), per_row=40, minimum=300),
    )
    fig.update_yaxes(autorange="reversed")
    c.apply_measure_axis(fig, "plans", "x", df["n_plans"].max())
    return fig
