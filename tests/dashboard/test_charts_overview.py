"""Overview chart builders: pure DataFrame -> Figure, keys on every bar."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard.charts import overview as charts

TEXTS = {"title": "Plans by level", "x_title": "Level", "y_title": "Plans"}


def test_coverage_by_level_has_one_bar_per_level_with_its_key() -> None:
    df = pd.DataFrame({"level": ["province", "district", "unknown"], "n_plans": [4, 5, 1]})
    labels = {"province": "Province", "district": "District", "unknown": "Unknown"}
    fig = charts.coverage_by_level(df, labels=labels, **TEXTS)
    assert isinstance(fig, go.Figure)
    (bar,) = fig.data
    assert list(bar.x) == ["Province", "District", "Unknown"]
    assert list(bar.y) == [4, 5, 1]
    assert [c[0] for c in bar.customdata] == ["province", "district", "unknown"]
    assert fig.layout.title.text == "Plans by level"
    assert fig.layout.yaxis.title.text == "Plans"
    assert list(bar.marker.color) == [
        charts.LEVEL_COLORS["province"],
        charts.LEVEL_COLORS["district"],
        charts.LEVEL_COLORS["unknown"],
    ]
    assert fig.layout.yaxis.dtick == 1  # whole plans only


def test_coverage_by_level_unknown_label_falls_back_to_the_key() -> None:
    df = pd.DataFrame({"level": ["ward"], "n_plans": [2]})
    fig = charts.coverage_by_level(df, labels={}, **TEXTS)
    assert list(fig.data[0].x) == ["ward"]


def test_coverage_by_region_is_horizontal_north_on_top() -> None:
    df = pd.DataFrame(
        {
            "region": ["red_river_delta", "mekong_delta"],
            "n_plans": [2, 30],
            "n_provinces": [2, 5],
        }
    )
    fig = charts.coverage_by_region(
        df,
        labels={"red_river_delta": "Đồng bằng sông Hồng", "mekong_delta": "ĐBSCL"},
        title="Vùng",
        x_title="Số kế hoạch",
        y_title="Vùng",
    )
    (bar,) = fig.data
    assert bar.orientation == "h"
    assert list(bar.y) == ["Đồng bằng sông Hồng", "ĐBSCL"]
    assert list(bar.x) == [2, 30]
    assert [list(c) for c in bar.customdata] == [["red_river_delta", 2], ["mekong_delta", 5]]
    assert fig.layout.yaxis.autorange == "reversed"
    assert fig.layout.xaxis.dtick == 6


def test_plans_per_year_stacks_kinds_and_keys_year_and_kind() -> None:
    df = pd.DataFrame(
        {
            "plan_year": [2016, 2022, 2022, 2024],
            "kind": ["plan", "plan", "report", "directive"],
            "n_plans": [1, 1, 1, 2],
        }
    )
    fig = charts.plans_per_year(
        df,
        kind_labels={"plan": "Plan", "report": "Report", "directive": "Directive"},
        title="Per year",
        x_title="Year",
        y_title="Plans",
        legend_title="Type",
    )
    assert fig.layout.barmode == "stack"
    assert [trace.name for trace in fig.data] == ["Plan", "Report", "Directive"]
    plan = fig.data[0]
    assert list(plan.x) == [2016, 2022]
    assert [list(c) for c in plan.customdata] == [[2016, "plan"], [2022, "plan"]]
    # every year between the first and the last is on the axis
    assert fig.layout.xaxis.range == (2015.4, 2024.6)
    assert fig.layout.xaxis.dtick == 1
    assert fig.layout.legend.title.text == "Type"


def test_plans_per_year_skips_undated_rows() -> None:
    df = pd.DataFrame(
        {
            "plan_year": pd.array([None, 2020], dtype="Int64"),
            "kind": ["plan", "plan"],
            "n_plans": [3, 1],
        }
    )
    fig = charts.plans_per_year(df, kind_labels={}, title="t", x_title="x", y_title="y")
    assert list(fig.data[0].x) == [2020]


def test_empty_frames_give_empty_figures() -> None:
    empty_level = pd.DataFrame({"level": [], "n_plans": []})
    empty_region = pd.DataFrame({"region": [], "n_plans": [], "n_provinces": []})
    empty_year = pd.DataFrame({"plan_year": [], "kind": [], "n_plans": []})
    assert not charts.coverage_by_level(empty_level, labels={}, **TEXTS).data
    assert not charts.coverage_by_region(empty_region, labels={}, **TEXTS).data
    assert not charts.plans_per_year(empty_year, kind_labels={}, **TEXTS).data


def test_count_dtick() -> None:
    assert charts.count_dtick(0) == 1
    assert charts.count_dtick(3) == 1
    assert charts.count_dtick(12) == 3
    assert charts.count_dtick(100) == 20


def test_builders_do_not_touch_their_input() -> None:
    df = pd.DataFrame({"plan_year": [2021], "kind": ["plan"], "n_plans": [1]})
    before = df.copy()
    charts.plans_per_year(df, kind_labels={}, title="t", x_title="x", y_title="y")
    pd.testing.assert_frame_equal(df, before)
