"""Timeline charts: plans by issue date, adoption of channels and themes over the years, one
locality's plans in order. Pure functions: DataFrame -> plotly Figure."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import plotly.graph_objects as go

from dashboard.charts import common as c
from dashboard.charts.common import Lang

# customdata key fields (first fields of every point's customdata), for click-through
PLAN_KEYS: tuple[str, ...] = ("plan_id",)
PERIOD_KEYS: tuple[str, ...] = ("province_code", "period")  # a point of the binned dates chart
# More dated plans than this: the dates chart draws one point per locality and period
# (timeline_binned.sql) instead of one per plan (timeline_plans.sql; at 100,000 documents one
# point per plan is a 20 MB figure the browser takes 15 s to draw, and the points hide each
# other anyway). The period is the finest of month, quarter and year that gives at most
# MAX_BINNED_POINTS points (else a year); timeline_binned.sql chooses it.
MAX_PLAN_POINTS = 2_000
MAX_BINNED_POINTS = 3_000
# More plans than this in one locality: its timeline leaves out the plan numbers beside the
# points (they overlap, and thousands of SVG labels are slow to draw); the hover keeps them.
MAX_LABELLED_POINTS = 200
ADOPTION_KEYS: tuple[str, ...] = ("key_id", "plan_year", "category")

TEXTS: dict[str, dict[str, str]] = {
    "dates_title": {
        "vi": "Kế hoạch theo ngày ban hành (mỗi điểm là một kế hoạch)",
        "en": "Plans by issue date (one point per plan)",
    },
    "dates_binned_title_month": {
        "vi": "Kế hoạch theo ngày ban hành (mỗi điểm là một địa phương trong một tháng)",
        "en": "Plans by issue date (one point per locality and month)",
    },
    "dates_binned_title_quarter": {
        "vi": "Kế hoạch theo ngày ban hành (mỗi điểm là một địa phương trong một quý)",
        "en": "Plans by issue date (one point per locality and quarter)",
    },
    "dates_binned_title_year": {
        "vi": "Kế hoạch theo ngày ban hành (mỗi điểm là một địa phương trong một năm)",
        "en": "Plans by issue date (one point per locality and year)",
    },
    "dates_binned_sub": {
        "vi": "{shown} kế hoạch có ngày ban hành, điểm càng lớn càng nhiều kế hoạch; "
        "{missing} kế hoạch không rõ ngày không hiển thị",
        "en": "{shown} plans with an issue date, larger points for more plans; "
        "{missing} without one are not shown",
    },
    "quarter": {"vi": "Quý {q}/{year}", "en": "Q{q} {year}"},
    "n_plans": {"vi": "{n} kế hoạch", "en": "{n} plans"},
    "dates_sub": {
        "vi": "{shown} kế hoạch có ngày ban hành; {missing} kế hoạch không rõ ngày không hiển thị",
        "en": "{shown} plans with an issue date; {missing} without one are not shown",
    },
    "issue_date": {"vi": "Ngày ban hành", "en": "Issue date"},
    "issuer_level": {"vi": "Cấp ban hành", "en": "Issuer level"},
    "no_dates": {
        "vi": "Không kế hoạch nào có ngày ban hành",
        "en": "No plan has an issue date",
    },
    "adoption_channel": {
        "vi": "Tỷ lệ kế hoạch trong năm sử dụng mỗi kênh",
        "en": "Share of each year's plans using each channel",
    },
    "adoption_theme": {
        "vi": "Tỷ lệ kế hoạch trong năm đề cập mỗi nội dung",
        "en": "Share of each year's plans addressing each theme",
    },
    "plans_with": {"vi": "Kế hoạch có", "en": "Plans with it"},
    "locality_title": {
        "vi": "Các kế hoạch của {place} theo thời gian",
        "en": "{place}: plans over time",
    },
    "date": {
        "vi": "Ngày (ban hành, hoặc đăng, hoặc năm)",
        "en": "Date (issued, else published, else year)",
    },
    "issuer": {"vi": "Cơ quan ban hành", "en": "Issuer"},
    "unknown_issuer": {"vi": "(Không rõ cơ quan)", "en": "(Unknown issuer)"},
    "channels": {"vi": "Số kênh", "en": "Channels"},
    "themes": {"vi": "Số nội dung", "en": "Themes"},
    "date_source_issue_date": {"vi": "ngày ban hành", "en": "issue date"},
    "date_source_published_date": {"vi": "ngày đăng tin", "en": "publication date"},
    "date_source_plan_year": {"vi": "năm của kế hoạch", "en": "plan year"},
    "no_number": {"vi": "(không số)", "en": "(no number)"},
}


def _t(key: str, lang: Lang, **fmt: object) -> str:
    return c.text(key, lang, TEXTS).format(**fmt)


def _date_str(value: object) -> str:
    if c.is_missing(value):
        return ""
    return pd.Timestamp(value).strftime("%d/%m/%Y")


def _date_range(dates: pd.Series, pad_days: int = 120) -> list[str]:
    """x range around the dates, padded so that a single date is not a zero-width axis."""
    values = pd.to_datetime(dates.dropna())
    pad = pd.Timedelta(days=pad_days)
    return [(values.min() - pad).strftime("%Y-%m-%d"), (values.max() + pad).strftime("%Y-%m-%d")]


def _plan_name(row: Mapping[str, object], lang: Lang) -> str:
    number = row.get("plan_number")
    return _t("no_number", lang) if c.is_missing(number) or not number else str(number)


def _short(value: object, limit: int = 90) -> str:
    if c.is_missing(value):
        return ""
    s = str(value)
    return s if len(s) <= limit else s[: limit - 1] + "…"


def dates_binned(binned: pd.DataFrame, max_points: int | None = None) -> bool:
    """Whether the dates chart is drawn binned by locality and period (plans_by_period,
    PERIOD_KEYS) rather than one point per plan (plans_by_issue_date, PLAN_KEYS): more than
    `max_points` (default MAX_PLAN_POINTS) dated plans. `binned`: rows of timeline_binned.sql
    (their n_dated; no row: no dated plan)."""
    limit = MAX_PLAN_POINTS if max_points is None else max_points
    return not binned.empty and int(binned["n_dated"].iloc[0]) > limit


def period_middle(period: str) -> str:
    """The date a period's point is drawn at (about its middle), 'YYYY-MM-DD'."""
    if "-Q" in period:
        year, quarter = period.split("-Q")
        return f"{year}-{3 * int(quarter) - 1:02d}-15"
    if len(period) == 7:
        return f"{period}-15"
    return f"{period}-07-01"


def period_label(period: str, lang: Lang) -> str:
    """'03/2022', 'Q1 2022' / 'Quý 1/2022', '2022'."""
    if "-Q" in period:
        year, quarter = period.split("-Q")
        return _t("quarter", lang, q=quarter, year=year)
    if len(period) == 7:
        return f"{period[5:]}/{period[:4]}"
    return period


def plans_by_issue_date(
    df: pd.DataFrame,
    *,
    lang: Lang,
    level_labels: Mapping[str, str] | None = None,
) -> go.Figure:
    """Scatter: x = issue date, y = locality, one marker per plan, colour = issuer level.
    Plans without an issue date (n_undated) are counted in the subtitle. Point customdata:
    [plan_id, ...]. `df`: rows of timeline_plans.sql, the dated plans (with more than
    MAX_PLAN_POINTS of them the page draws plans_by_period instead)."""
    title = _t("dates_title", lang)
    if df.empty:
        return c.empty_figure(title, lang, _t("no_dates", lang))
    missing = int(df["n_undated"].iloc[0])
    rows = df.to_dict("records")
    y_order = sorted({c.locality_label(r, lang) for r in rows})
    fig = go.Figure()
    levels = [lvl for lvl in c.LEVEL_ORDER if lvl in {str(r["issuer_level"]) for r in rows}]
    levels += sorted({str(r["issuer_level"]) for r in rows} - set(levels))
    for lvl in levels:
        part = [r for r in rows if str(r["issuer_level"]) == lvl]
        level_name = c.level_label(lvl, lang, level_labels)
        fig.add_trace(
            go.Scatter(
                mode="markers",
                name=level_name,
                x=[pd.Timestamp(r["issue_date"]).strftime("%Y-%m-%d") for r in part],
                y=[c.locality_label(r, lang) for r in part],
                marker={
                    "size": 11,
                    "color": c.LEVEL_COLORS.get(lvl, c.FALLBACK_COLOR),
                    "line": {"width": 1, "color": "white"},
                },
                customdata=[
                    [
                        str(r["plan_id"]),
                        _plan_name(r, lang),
                        _short(r.get("title")),
                        _date_str(r["issue_date"]),
                        c.locality_label(r, lang),
                        level_name,
                        _short(r.get("issuer_name"), 60),
                        f"{_plan_name(r, lang)} · {c.locality_label(r, lang)}",
                    ]
                    for r in part
                ],
                hovertemplate=c.hovertemplate(
                    [
                        "<b>%{customdata[1]}</b> · %{customdata[3]}",
                        "%{customdata[2]}",
                        "%{customdata[6]} (%{customdata[5]}) · %{customdata[4]}",
                    ]
                ),
            )
        )
    c.apply_layout(
        fig,
        title=title,
        subtitle=_t("dates_sub", lang, shown=len(df), missing=missing),
        x_title=_t("issue_date", lang),
        y_title=c.text("locality", lang),
        legend_title=_t("issuer_level", lang),
        height=c.chart_height(len(y_order), per_row=28),
    )
    fig.update_xaxes(type="date", range=_date_range(df["issue_date"]))
    fig.update_yaxes(
        type="category", categoryorder="array", categoryarray=y_order, autorange="reversed"
    )
    return fig


def plans_by_period(
    df: pd.DataFrame,
    *,
    lang: Lang,
    level_labels: Mapping[str, str] | None = None,
) -> go.Figure:
    """The dates chart binned: one marker per locality and period of issue with plans (month,
    quarter or year: period_kind), its area the number of plans, the hover split by issuer
    level. Point customdata: [province_code, period ('YYYY-MM', 'YYYY-Qn' or 'YYYY'), plans,
    plans per level, label] (PERIOD_KEYS). `df`: rows of timeline_binned.sql."""
    if df.empty:
        return c.empty_figure(_t("dates_title", lang), lang, _t("no_dates", lang))
    first = df.iloc[0]
    names = df["locality_name"].astype("string").fillna("")
    shown_names = {name: c.place_name(name, lang) for name in names.unique()}
    frame = pd.DataFrame(
        {
            "where": names.map(shown_names).to_numpy(),
            "code": df["province_code"].astype("string").fillna("").to_numpy(),
            "period": df["period"].astype("string").to_numpy(),
            "level": df["issuer_level"].astype("string").fillna("unknown").to_numpy(),
            "n": df["n_plans"].astype("int64").to_numpy(),
        }
    )
    counts = frame.groupby(["where", "code", "period", "level"], sort=True)["n"].sum()
    by_level = counts.unstack("level", fill_value=0)
    levels = [lvl for lvl in c.LEVEL_ORDER if lvl in by_level.columns]
    levels += sorted(set(by_level.columns) - set(levels))
    level_names = {lvl: c.level_label(lvl, lang, level_labels) for lvl in levels}
    totals = by_level[levels].sum(axis=1)
    y_order = sorted(set(frame["where"]))
    x: list[str] = []
    y: list[str] = []
    custom: list[list[object]] = []
    for (where, code, when), n, row in zip(
        by_level.index, totals.to_numpy(), by_level[levels].to_numpy(), strict=True
    ):
        parts = " · ".join(
            f"{level_names[lvl]} {int(k):,}" for lvl, k in zip(levels, row, strict=True) if k
        )
        x.append(period_middle(when))
        y.append(where)
        custom.append([code, when, int(n), parts, f"{where} · {period_label(when, lang)}"])
    sizes = [int(item[2]) for item in custom]
    fig = go.Figure(
        go.Scatter(
            mode="markers",
            x=x,
            y=y,
            marker={
                "size": sizes,
                "sizemode": "area",
                "sizeref": 2.0 * max(sizes) / (16.0**2),
                "sizemin": 3,
                "color": c.LEVEL_COLORS["province"],
                "opacity": 0.75,
                "line": {"width": 0.5, "color": "white"},
            },
            customdata=custom,
            hovertemplate=c.hovertemplate(
                [
                    "<b>%{customdata[4]}</b>",
                    _t("n_plans", lang, n="%{customdata[2]:,d}"),
                    "%{customdata[3]}",
                ]
            ),
            name="",
            showlegend=False,
        )
    )
    shown, missing = int(first["n_dated"]), int(first["n_undated"])
    c.apply_layout(
        fig,
        title=_t(f"dates_binned_title_{first['period_kind']}", lang),
        subtitle=_t("dates_binned_sub", lang, shown=f"{shown:,}", missing=f"{missing:,}"),
        x_title=_t("issue_date", lang),
        y_title=c.text("locality", lang),
        height=c.chart_height(len(y_order), per_row=28),
    )
    span = pd.Series([first["first_date"], first["last_date"]])
    fig.update_xaxes(type="date", range=_date_range(span))
    fig.update_yaxes(
        type="category", categoryorder="array", categoryarray=y_order, autorange="reversed"
    )
    return fig


def adoption_heatmap(
    df: pd.DataFrame,
    *,
    lang: Lang,
    category: str = "channel",
    labels: Mapping[str, str] | None = None,
) -> go.Figure:
    """Heatmap channel or theme (rows) x plan year (columns): share of that year's plans that
    use the channel / address the theme. `df`: rows of adoption_by_year.sql."""
    title = _t("adoption_theme" if category == "theme" else "adoption_channel", lang)
    if df.empty:
        return c.empty_figure(title, lang)
    names = c.label_map(df, "key_id", lang, labels)
    keys = c.order_keys(df, "key_id", "group_id", category, c.group_order_for(category))
    years = sorted({int(y) for y in df["plan_year"]})
    rows = df.to_dict("records")
    cell = {(str(r["key_id"]), int(r["plan_year"])): r for r in rows}
    totals = {int(r["plan_year"]): r["n_year_plans"] for r in rows}
    z: list[list[float | None]] = []
    custom: list[list[list[object]]] = []
    for key in keys:
        z_row: list[float | None] = []
        c_row: list[list[object]] = []
        for year in years:
            r = cell.get((key, year))
            share = (c.clean(r["share"]) if r else 0.0) or 0.0
            z_row.append(share)
            c_row.append(
                [
                    key,
                    year,
                    category,
                    (c.clean(r["n_plans"]) if r else 0) or 0,
                    c.clean(totals.get(year)) or 0,
                    share,
                    names[key],
                    f"{names[key]} · {year}",
                ]
            )
        z.append(z_row)
        custom.append(c_row)
    fig = go.Figure()
    c.selectable_heatmap(
        fig,
        x=[str(y) for y in years],
        y=[names[k] for k in keys],
        z=z,
        customdata=custom,
        hover=c.hovertemplate(
            [
                "<b>%{customdata[6]}</b>",
                f"{c.text('year', lang)} %{{customdata[1]}}",
                f"{_t('plans_with', lang)}: %{{customdata[3]:,d}} {c.text('of', lang)} "
                f"%{{customdata[4]:,d}} {c.text('plans_word', lang)} (%{{customdata[5]:.1%}})",
            ]
        ),
        colorbar_title=c.text("share", lang),
        share=True,
        cell_size=18,
    )
    c.apply_layout(
        fig,
        title=title,
        x_title=c.text("year", lang),
        y_title=c.text("theme" if category == "theme" else "channel", lang),
        height=c.chart_height(len(keys), per_row=24, extra=200),
    )
    fig.update_xaxes(tickangle=0)
    return fig


def locality_timeline(
    df: pd.DataFrame,
    *,
    lang: Lang,
    place: str,
    level_labels: Mapping[str, str] | None = None,
) -> go.Figure:
    """One locality's plans in time order: x = date (issue date, else publication date, else
    1 January of the plan year), y = issuer, marker size = number of channels; the plan
    number is written beside each point (up to MAX_LABELLED_POINTS plans; beyond, only in the
    hover). `df`: rows of locality_plans.sql."""
    title = _t("locality_title", lang, place=place)
    dated = df[df["sort_date"].notna()] if not df.empty else df
    if dated.empty:
        return c.empty_figure(title, lang)
    rows = dated.to_dict("records")

    def issuer(r: Mapping[str, object]) -> str:
        name = r.get("issuer_name")
        return _t("unknown_issuer", lang) if c.is_missing(name) or not name else str(name)

    y_order = list(dict.fromkeys(issuer(r) for r in rows))
    labelled = len(rows) <= MAX_LABELLED_POINTS
    fig = go.Figure(
        go.Scatter(
            mode="markers+text" if labelled else "markers",
            x=[pd.Timestamp(r["sort_date"]).strftime("%Y-%m-%d") for r in rows],
            y=[issuer(r) for r in rows],
            text=[_plan_name(r, lang) for r in rows] if labelled else None,
            textposition="top center",
            marker={
                "size": [10 + 1.5 * min(int(c.clean(r.get("n_channels")) or 0), 20) for r in rows],
                "color": [
                    c.LEVEL_COLORS.get(str(r.get("issuer_level")), c.FALLBACK_COLOR) for r in rows
                ],
                "line": {"width": 1, "color": "white"},
            },
            customdata=[
                [
                    str(r["plan_id"]),
                    _plan_name(r, lang),
                    _short(r.get("title")),
                    _date_str(r["sort_date"]),
                    _t(f"date_source_{r.get('date_source') or 'plan_year'}", lang),
                    c.level_label(str(r.get("issuer_level")), lang, level_labels),
                    c.clean(r.get("n_channels")) or 0,
                    c.clean(r.get("n_themes")) or 0,
                    f"{_plan_name(r, lang)} · {_date_str(r['sort_date'])}",
                ]
                for r in rows
            ],
            hovertemplate=c.hovertemplate(
                [
                    "<b>%{customdata[1]}</b> · %{customdata[3]} (%{customdata[4]})",
                    "%{customdata[2]}",
                    "%{y} · %{customdata[5]}",
                    f"{_t('channels', lang)}: %{{customdata[6]:,d}} · "
                    f"{_t('themes', lang)}: %{{customdata[7]:,d}}",
                ]
            ),
            name="",
            showlegend=False,
        )
    )
    c.apply_layout(
        fig,
        title=title,
        x_title=_t("date", lang),
        y_title=_t("issuer", lang),
        height=c.chart_height(len(y_order), per_row=50, minimum=300),
    )
    fig.update_xaxes(type="date", range=_date_range(dated["sort_date"]))
    fig.update_yaxes(type="category", categoryorder="array", categoryarray=y_order)
    return fig
