"""Overview charts: plans by issuer level, by region, per year. Pure: DataFrame -> Figure.

Every word comes in as an argument (the page translates), so the builders know no language.
Each bar carries `customdata` whose first field is its key (level id, region id, year), so a
click maps back to plans (`components.selected_values(points)`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd
import plotly.graph_objects as go

LEVEL_KEYS = ("level",)
REGION_KEYS = ("region",)
YEAR_KEYS = ("plan_year", "kind")

BAR_COLOR = "#1f77b4"
LEVEL_COLORS: dict[str, str] = {
    "province": "#1f77b4",
    "district": "#ff7f0e",
    "commune": "#2ca02c",
    "department": "#9467bd",
    "unknown": "#7f7f7f",
}
KIND_COLORS: dict[str, str] = {
    "plan": "#1f77b4",
    "report": "#ff7f0e",
    "directive": "#2ca02c",
    "other": "#7f7f7f",
}
FALLBACK_COLOR = "#7f7f7f"


def _layout(fig: go.Figure, *, title: str, x_title: str, y_title: str, height: int) -> go.Figure:
    fig.update_layout(
        title={"text": title, "x": 0.0, "xanchor": "left"},
        margin={"l": 10, "r": 10, "t": 60, "b": 10},
        height=height,
        hoverlabel={"align": "left"},
        font={"size": 12},
        bargap=0.25,
    )
    fig.update_xaxes(title={"text": x_title})
    fig.update_yaxes(title={"text": y_title})
    return fig


def count_dtick(max_count: int, n_ticks: int = 5) -> int:
    """A whole-number tick step for an axis of counts (no 0.5 plans)."""
    return max(1, math.ceil(max_count / n_ticks))


def _ints(values: Sequence[Any]) -> list[int]:
    return [int(v) if pd.notna(v) else 0 for v in values]


def _label(labels: Mapping[str, str], key: Any) -> str:
    return labels.get(str(key), str(key))


def coverage_by_level(
    df: pd.DataFrame,
    *,
    labels: Mapping[str, str],
    title: str,
    x_title: str,
    y_title: str,
) -> go.Figure:
    """Vertical bars: plans per issuer level (rows of coverage_level.sql: level, n_plans)."""
    fig = go.Figure()
    if not df.empty:
        keys = [str(k) for k in df["level"]]
        counts = _ints(list(df["n_plans"]))
        fig.add_trace(
            go.Bar(
                x=[_label(labels, k) for k in keys],
                y=counts,
                customdata=[[k] for k in keys],
                marker={"color": [LEVEL_COLORS.get(k, FALLBACK_COLOR) for k in keys]},
                text=counts,
                textposition="auto",
                hovertemplate="%{x}<br>" + y_title + ": %{y}<extra></extra>",
                name=y_title,
            )
        )
        fig.update_yaxes(dtick=count_dtick(max(counts, default=0)), rangemode="tozero")
    return _layout(fig, title=title, x_title=x_title, y_title=y_title, height=340)


def coverage_by_region(
    df: pd.DataFrame,
    *,
    labels: Mapping[str, str],
    title: str,
    x_title: str,
    y_title: str,
) -> go.Figure:
    """Horizontal bars, north at the top: plans per region (coverage_region.sql rows:
    region, n_plans, n_provinces)."""
    fig = go.Figure()
    if not df.empty:
        keys = [str(k) for k in df["region"]]
        counts = _ints(list(df["n_plans"]))
        provinces = _ints(list(df["n_provinces"])) if "n_provinces" in df else [0] * len(keys)
        fig.add_trace(
            go.Bar(
                y=[_label(labels, k) for k in keys],
                x=counts,
                orientation="h",
                customdata=[[k, p] for k, p in zip(keys, provinces, strict=True)],
                marker={"color": BAR_COLOR},
                text=counts,
                textposition="auto",
                hovertemplate="%{y}<br>" + x_title + ": %{x}<extra></extra>",
                name=x_title,
            )
        )
        fig.update_yaxes(autorange="reversed")
        fig.update_xaxes(dtick=count_dtick(max(counts, default=0)), rangemode="tozero")
    return _layout(
        fig, title=title, x_title=x_title, y_title=y_title, height=max(300, 120 + 40 * len(df))
    )


def plans_per_year(
    df: pd.DataFrame,
    *,
    kind_labels: Mapping[str, str],
    title: str,
    x_title: str,
    y_title: str,
    legend_title: str = "",
) -> go.Figure:
    """Stacked bars: plans per plan year, one colour per document kind (plans_per_year.sql
    rows: plan_year, kind, n_plans). Every year between the first and the last is on the
    axis, even one without plans."""
    fig = go.Figure()
    if not df.empty:
        frame = df.dropna(subset=["plan_year"]).copy()
        frame["plan_year"] = frame["plan_year"].astype(int)
        kinds = list(dict.fromkeys(str(k) for k in frame["kind"]))
        order = [k for k in KIND_COLORS if k in kinds] + [k for k in kinds if k not in KIND_COLORS]
        for kind in order:
            part = frame[frame["kind"].astype(str) == kind].sort_values("plan_year")
            years = [int(y) for y in part["plan_year"]]
            counts = _ints(list(part["n_plans"]))
            name = _label(kind_labels, kind)
            fig.add_trace(
                go.Bar(
                    x=years,
                    y=counts,
                    name=name,
                    customdata=[[y, kind] for y in years],
                    marker={"color": KIND_COLORS.get(kind, FALLBACK_COLOR)},
                    hovertemplate=f"{x_title} %{{x}}<br>{name}: %{{y}}<extra></extra>",
                )
            )
        if not frame.empty:
            first, last = int(frame["plan_year"].min()), int(frame["plan_year"].max())
            fig.update_xaxes(range=[first - 0.6, last + 0.6], dtick=1, tickformat="d")
            peak = int(frame.groupby("plan_year")["n_plans"].sum().max())
            fig.update_yaxes(dtick=count_dtick(peak), rangemode="tozero")
    fig.update_layout(
        barmode="stack", legend={"title": {"text": legend_title}, "traceorder": "normal"}
    )
    return _layout(fig, title=title, x_title=x_title, y_title=y_title, height=340)
