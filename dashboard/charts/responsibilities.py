"""Responsibility charts: which agencies lead, coordinate or implement, by issuer level and by
year; a Sankey issuer level -> agency -> role. Pure functions: DataFrame -> plotly Figure."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from dashboard.charts import common as c
from dashboard.charts.common import Lang, Measure

# customdata key fields (first fields of every point's customdata), for click-through
LEVEL_KEYS: tuple[str, ...] = ("agency_id", "role", "issuer_level")
YEAR_KEYS: tuple[str, ...] = ("agency_id", "role", "plan_year")
SANKEY_LINK_KEYS: tuple[str, ...] = ("issuer_level", "agency_id", "role")

TEXTS: dict[str, dict[str, str]] = {
    "level_plans": {
        "vi": "Số kế hoạch giao vai trò cho mỗi cơ quan, theo cấp ban hành",
        "en": "Number of plans giving each agency a role, by issuer level",
    },
    "level_share": {
        "vi": "Tỷ lệ kế hoạch của mỗi cấp giao vai trò cho mỗi cơ quan",
        "en": "Share of each issuer level's plans giving each agency a role",
    },
    "level_note": {
        "vi": "Một kế hoạch giao nhiều vai trò cho một cơ quan được đếm ở mỗi vai trò",
        "en": "A plan giving an agency several roles counts once in each",
    },
    "year_plans": {
        "vi": "Số kế hoạch giao vai trò «{role}» cho mỗi cơ quan, theo năm",
        "en": "Number of plans in which each agency {role_lower}, by year",
    },
    "year_share": {
        "vi": "Tỷ lệ kế hoạch trong năm giao vai trò «{role}» cho mỗi cơ quan",
        "en": "Share of each year's plans in which each agency {role_lower}",
    },
    "sankey_title": {
        "vi": "Cấp ban hành → cơ quan → vai trò (số lượt giao: kế hoạch × cơ quan × vai trò)",
        "en": "Issuer level → agency → role (assignments: plan × agency × role)",
    },
    "agency": {"vi": "Cơ quan", "en": "Agency"},
    "role": {"vi": "Vai trò", "en": "Role"},
    "plans_giving": {"vi": "Kế hoạch giao", "en": "Plans giving it"},
    "assignments": {"vi": "Lượt giao", "en": "Assignments"},
}


def _t(key: str, lang: Lang, **fmt: object) -> str:
    return c.text(key, lang, TEXTS).format(**fmt)


def _agency_names(df: pd.DataFrame, lang: Lang, labels: Mapping[str, str] | None) -> dict[str, str]:
    return c.label_map(df, "agency_id", lang, labels, prefix="agency_label")


def _agency_order(df: pd.DataFrame, value_col: str = "n_plans") -> list[str]:
    """Agencies by total (largest first), then codebook order."""
    totals = df.groupby(df["agency_id"].astype(str))[value_col].sum()
    book = c.codebook_order("agency")
    return sorted(
        totals.index,
        key=lambda a: (-float(totals[a]), book.index(a) if a in book else len(book), a),
    )


def _levels(df: pd.DataFrame) -> list[str]:
    present = {str(v) if not c.is_missing(v) else "unknown" for v in df["issuer_level"]}
    ordered = [lvl for lvl in c.LEVEL_ORDER if lvl in present]
    return ordered + sorted(present - set(ordered))


def roles_by_level(
    df: pd.DataFrame,
    *,
    lang: Lang,
    measure: Measure = "plans",
    labels: Mapping[str, str] | None = None,
    role_labels: Mapping[str, str] | None = None,
    level_labels: Mapping[str, str] | None = None,
) -> go.Figure:
    """One panel per issuer level (columns, shared agency axis); in each, horizontal bars per
    agency, stacked (counts) or grouped (shares) by role.
    `df`: rows of responsibilities_by_level.sql."""
    title = _t(f"level_{'share' if measure == 'share' else 'plans'}", lang)
    if df.empty:
        return c.empty_figure(title, lang)
    df = df.assign(issuer_level=df["issuer_level"].fillna("unknown").astype(str))
    names = _agency_names(df, lang, labels)
    agencies = _agency_order(df)
    y_order = [names[a] for a in agencies]
    levels = _levels(df)
    fig = make_subplots(
        rows=1,
        cols=len(levels),
        shared_yaxes=True,
        subplot_titles=[c.level_label(lvl, lang, level_labels) for lvl in levels],
        horizontal_spacing=0.03,
    )
    value_col = "share" if measure == "share" else "n_plans"
    rows = df.to_dict("records")
    roles = [r for r in c.ROLE_ORDER if r in set(df["role"].astype(str))]
    roles += sorted(set(df["role"].astype(str)) - set(roles))
    for col, lvl in enumerate(levels, start=1):
        for role in roles:
            part = [r for r in rows if r["issuer_level"] == lvl and str(r["role"]) == role]
            if not part:
                continue
            role_name = c.role_label(role, lang, role_labels)
            fig.add_trace(
                go.Bar(
                    orientation="h",
                    name=role_name,
                    legendgroup=role,
                    showlegend=col == 1 or not any(t.legendgroup == role for t in fig.data),
                    x=[c.clean(r[value_col]) for r in part],
                    y=[names[str(r["agency_id"])] for r in part],
                    marker={"color": c.ROLE_COLORS.get(role, c.FALLBACK_COLOR)},
                    customdata=[
                        [
                            str(r["agency_id"]),
                            role,
                            lvl,
                            c.clean(r["n_plans"]) or 0,
                            c.clean(r["n_level_plans"]) or 0,
                            c.clean(r["share"]) or 0.0,
                            names[str(r["agency_id"])],
                            role_name,
                            c.level_label(lvl, lang, level_labels),
                            f"{names[str(r['agency_id'])]} · {role_name} · "
                            f"{c.level_label(lvl, lang, level_labels)}",
                        ]
                        for r in part
                    ],
                    hovertemplate=c.hovertemplate(
                        [
                            "<b>%{customdata[6]}</b>",
                            "%{customdata[7]} · %{customdata[8]}",
                            f"{_t('plans_giving', lang)}: %{{customdata[3]:,d}} "
                            f"{c.text('of', lang)} %{{customdata[4]:,d}} "
                            f"{c.text('plans_word', lang)} (%{{customdata[5]:.1%}})",
                        ]
                    ),
                ),
                row=1,
                col=col,
            )
    c.apply_layout(
        fig,
        title=title,
        subtitle=_t("level_note", lang) if measure == "plans" else None,
        legend_title=_t("role", lang),
        height=c.chart_height(len(y_order), per_row=34, extra=200),
    )
    fig.update_layout(barmode="stack" if measure == "plans" else "group")
    fig.update_yaxes(categoryorder="array", categoryarray=y_order, autorange="reversed")
    fig.update_yaxes(title={"text": _t("agency", lang)}, row=1, col=1)
    for col in range(1, len(levels) + 1):
        fig.update_xaxes(title={"text": c.measure_axis(measure, lang)}, row=1, col=col)
    stacks = df.groupby(["issuer_level", df["agency_id"].astype(str)])["n_plans"].sum()
    c.apply_measure_axis(fig, measure, "x", stacks.max())
    return fig


def roles_by_year(
    df: pd.DataFrame,
    *,
    lang: Lang,
    role: str = "lead",
    measure: Measure = "plans",
    labels: Mapping[str, str] | None = None,
    role_labels: Mapping[str, str] | None = None,
) -> go.Figure:
    """Heatmap agency (rows) x plan year (columns) for one role: plans giving the agency that
    role, or their share of that year's plans. `df`: rows of responsibilities_by_year.sql."""
    role_name = c.role_label(role, lang, role_labels)
    title = _t(
        f"year_{'share' if measure == 'share' else 'plans'}",
        lang,
        role=role_name,
        role_lower=role_name.lower(),
    )
    part_df = df[df["role"].astype(str) == role] if not df.empty else df
    if part_df.empty:
        return c.empty_figure(title, lang)
    names = _agency_names(part_df, lang, labels)
    agencies = _agency_order(part_df)
    years = sorted({int(y) for y in part_df["plan_year"]})
    cell = {(str(r["agency_id"]), int(r["plan_year"])): r for r in part_df.to_dict("records")}
    totals = {int(r["plan_year"]): r["n_year_plans"] for r in part_df.to_dict("records")}
    value_col = "share" if measure == "share" else "n_plans"
    z: list[list[float | None]] = []
    custom: list[list[list[object]]] = []
    for agency in agencies:
        z_row: list[float | None] = []
        c_row: list[list[object]] = []
        for year in years:
            r = cell.get((agency, year))
            z_row.append(c.clean(r[value_col]) if r else 0)
            c_row.append(
                [
                    agency,
                    role,
                    year,
                    (c.clean(r["n_plans"]) if r else 0) or 0,
                    c.clean(totals.get(year)) or 0,
                    (c.clean(r["share"]) if r else 0.0) or 0.0,
                    names[agency],
                    role_name,
                    f"{names[agency]} · {role_name} · {year}",
                ]
            )
        z.append(z_row)
        custom.append(c_row)
    fig = go.Figure()
    c.selectable_heatmap(
        fig,
        x=[str(y) for y in years],
        y=[names[a] for a in agencies],
        z=z,
        customdata=custom,
        hover=c.hovertemplate(
            [
                "<b>%{customdata[6]}</b>",
                f"%{{customdata[7]}} · {c.text('year', lang)} %{{customdata[2]}}",
                f"{_t('plans_giving', lang)}: %{{customdata[3]:,d}} {c.text('of', lang)} "
                f"%{{customdata[4]:,d}} {c.text('plans_word', lang)} (%{{customdata[5]:.1%}})",
            ]
        ),
        colorbar_title=c.measure_axis(measure, lang),
        share=measure == "share",
        cell_size=20,
    )
    c.apply_layout(
        fig,
        title=title,
        x_title=c.text("year", lang),
        y_title=_t("agency", lang),
        height=c.chart_height(len(agencies), per_row=30, extra=200),
    )
    fig.update_xaxes(tickangle=0)
    return fig


def responsibility_sankey(
    df: pd.DataFrame,
    *,
    lang: Lang,
    labels: Mapping[str, str] | None = None,
    role_labels: Mapping[str, str] | None = None,
    level_labels: Mapping[str, str] | None = None,
) -> go.Figure:
    """Sankey issuer level -> agency -> role. Link values are assignments (a plan giving an
    agency a role counts once); level -> agency links add up the roles, so both columns of
    links have the same total. Link customdata: [issuer_level, agency_id, role] (role is
    '' on level -> agency links, issuer_level '' on agency -> role links).
    `df`: rows of responsibilities_sankey.sql."""
    title = _t("sankey_title", lang)
    if df.empty:
        return c.empty_figure(title, lang)
    df = df.assign(issuer_level=df["issuer_level"].fillna("unknown").astype(str))
    names = _agency_names(df, lang, labels)
    levels = _levels(df)
    agencies = _agency_order(df, "n_assignments")
    roles = [r for r in c.ROLE_ORDER if r in set(df["role"].astype(str))]
    roles += sorted(set(df["role"].astype(str)) - set(roles))
    nodes: list[str] = []
    colors: list[str] = []
    index: dict[tuple[str, str], int] = {}
    for lvl in levels:
        index[("level", lvl)] = len(nodes)
        nodes.append(c.level_label(lvl, lang, level_labels))
        colors.append(c.LEVEL_COLORS.get(lvl, c.FALLBACK_COLOR))
    for agency in agencies:
        index[("agency", agency)] = len(nodes)
        nodes.append(names[agency])
        colors.append("#95a5a6")
    for role in roles:
        index[("role", role)] = len(nodes)
        nodes.append(c.role_label(role, lang, role_labels))
        colors.append(c.ROLE_COLORS.get(role, c.FALLBACK_COLOR))

    level_agency = df.groupby(["issuer_level", df["agency_id"].astype(str)], sort=False)[
        "n_assignments"
    ].sum()
    agency_role = df.groupby([df["agency_id"].astype(str), df["role"].astype(str)], sort=False)[
        "n_assignments"
    ].sum()
    source: list[int] = []
    target: list[int] = []
    value: list[int] = []
    custom: list[list[object]] = []
    link_colors: list[str] = []
    for (lvl, agency), n in level_agency.items():
        source.append(index[("level", lvl)])
        target.append(index[("agency", agency)])
        value.append(int(n))
        custom.append(
            [lvl, agency, "", int(n), f"{nodes[index[('level', lvl)]]} → {names[agency]}"]
        )
        link_colors.append(_rgba(c.LEVEL_COLORS.get(lvl, c.FALLBACK_COLOR), 0.35))
    for (agency, role), n in agency_role.items():
        source.append(index[("agency", agency)])
        target.append(index[("role", role)])
        value.append(int(n))
        custom.append(
            ["", agency, role, int(n), f"{names[agency]} → {nodes[index[('role', role)]]}"]
        )
        link_colors.append(_rgba(c.ROLE_COLORS.get(role, c.FALLBACK_COLOR), 0.35))
    fig = go.Figure(
        go.Sankey(
            arrangement="snap",
            node={
                "label": nodes,
                "color": colors,
                "pad": 12,
                "thickness": 16,
                "hovertemplate": c.hovertemplate(
                    ["<b>%{label}</b>", f"{_t('assignments', lang)}: %{{value:,d}}"]
                ),
            },
            link={
                "source": source,
                "target": target,
                "value": value,
                "customdata": custom,
                "color": link_colors,
                "hovertemplate": c.hovertemplate(
                    [
                        "<b>%{source.label} → %{target.label}</b>",
                        f"{_t('assignments', lang)}: %{{value:,d}}",
                    ]
                ),
            },
        )
    )
    c.apply_layout(fig, title=title, height=c.chart_height(len(agencies), per_row=32, extra=160))
    return fig


def _rgba(color: str, alpha: float) -> str:
    r, g, b = (int(color.lstrip("#")[i : i + 2], 16) for i in (0, 2, 4))
    return f"rgba({r},{g},{b},{alpha})"
