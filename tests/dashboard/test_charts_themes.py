"""Theme chart builders on small hand-made frames: trace types, values, axis titles, hover
text, titles in both languages, click keys, empty frames."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import pytest

from dashboard.charts import common, themes


def heatmap_frame() -> pd.DataFrame:
    rows = []
    for code, name, total in (("40", "Nghệ An", 2), ("87", "Đồng Tháp", 1)):
        for key, group, vi, en in (
            ("procedure_reform", "reform_area", "Cải cách TTHC", "Procedure reform"),
            ("one_stop_shop", "mechanism", "Một cửa", "One-stop shop"),
        ):
            n = 1 if key == "procedure_reform" else 0
            rows.append((code, name, key, group, vi, en, n, total, n / total))
    columns = ["province_code", "locality_name", "key_id", "group_id", "label_vi", "label_en"]
    return pd.DataFrame(rows, columns=[*columns, "n_plans", "n_locality_plans", "share"])


def areas_frame() -> pd.DataFrame:
    rows = [
        ("procedure_reform", "Cải cách TTHC", "Administrative procedure reform", 3, 4, 0.75),
        ("institutional_reform", "Cải cách thể chế", "Institutional reform", 1, 4, 0.25),
        ("e_government", "Chính phủ điện tử", "E-government", 0, 4, 0.0),
    ]
    columns = ["theme_id", "label_vi", "label_en", "n_plans", "n_plans_total", "share"]
    return pd.DataFrame(rows, columns=columns)


def coverage_frame() -> pd.DataFrame:
    plans = (1, 2, 0, 1, 0, 0, 0)
    rows = [(k, 6, n, 4, n / 4) for k, n in enumerate(plans)]
    columns = ["n_areas", "n_area_ids", "n_plans", "n_plans_total", "share"]
    return pd.DataFrame(rows, columns=columns)


def trends_frame() -> pd.DataFrame:
    rows = []
    for year, total in ((2021, 2), (2023, 4)):
        for key, vi, en, n in (
            ("reform_area", "Sáu nội dung CCHC", "Six reform areas", 2),
            ("framing", "Định hướng, giá trị", "Framing & values", 1),
        ):
            rows.append((year, key, key, vi, en, n, total, n / total))
    columns = ["plan_year", "key_id", "group_id", "label_vi", "label_en"]
    return pd.DataFrame(rows, columns=[*columns, "n_plans", "n_year_plans", "share"])


def test_theme_heatmap_cells_and_keys() -> None:
    fig = themes.theme_heatmap(heatmap_frame(), lang="en", measure="share")
    heat, markers = fig.data
    assert heat.type == "heatmap" and markers.type == "scatter"
    # codebook order: reform areas before mechanisms
    assert list(heat.x) == ["Procedure reform", "One-stop shop"]
    # more plans first
    assert list(heat.y) == ["Nghe An", "Dong Thap"]
    assert [list(r) for r in heat.z] == [[0.5, 0.0], [1.0, 0.0]]
    assert list(markers.customdata[2][:6]) == ["87", "procedure_reform", "theme", 1, 1, 1.0]
    keys = common.selected_keys([{"customdata": list(markers.customdata[2])}], themes.HEATMAP_KEYS)
    assert keys == [{"province_code": "87", "key_id": "procedure_reform", "level": "theme"}]
    assert fig.layout.title.text == "Locality × theme: share of the locality's plans addressing it"
    assert fig.layout.xaxis.title.text == "Theme"
    assert "Plans addressing it" in markers.hovertemplate


def test_theme_heatmap_vietnamese_and_groups() -> None:
    fig = themes.theme_heatmap(heatmap_frame(), lang="vi", measure="plans", level="group")
    assert fig.layout.title.text == "Địa phương × nhóm nội dung: số kế hoạch đề cập"
    assert fig.layout.xaxis.title.text == "Nhóm nội dung"
    assert list(fig.data[0].y) == ["Nghệ An", "Đồng Tháp"]


def test_reform_areas_bars_in_codebook_order() -> None:
    fig = themes.reform_area_coverage(areas_frame(), lang="en", measure="share")
    (bar,) = fig.data
    assert bar.type == "bar" and bar.orientation == "h"
    expected = ["Institutional reform", "Administrative procedure reform", "E-government"]
    assert list(bar.y) == expected
    assert list(bar.x) == [0.25, 0.75, 0.0]
    assert list(bar.customdata[1][:4]) == ["procedure_reform", 3, 4, 0.75]
    assert fig.layout.xaxis.range == (0, 1)
    assert fig.layout.xaxis.title.text == "Share of plans"
    assert fig.layout.yaxis.title.text == "Reform area"
    assert fig.layout.title.text == "Share of plans addressing each of the six reform areas"
    vi = themes.reform_area_coverage(areas_frame(), lang="vi", measure="plans")
    assert vi.layout.title.text == "Số kế hoạch đề cập mỗi nội dung trong sáu nội dung CCHC"
    assert list(vi.data[0].x) == [1, 3, 0]


def test_reform_area_count_bars_zero_to_six() -> None:
    fig = themes.reform_area_count(coverage_frame(), lang="en")
    (bar,) = fig.data
    assert list(bar.x) == [0, 1, 2, 3, 4, 5, 6]
    assert list(bar.y) == [1, 2, 0, 1, 0, 0, 0]
    assert list(bar.customdata[1][:4]) == [1, 2, 4, 0.5]
    keys = common.selected_keys([{"customdata": list(bar.customdata[3])}], themes.COVERAGE_KEYS)
    assert keys == [{"n_areas": 3}]
    assert fig.layout.title.text == "Number of plans by how many of the 6 reform areas they address"
    assert fig.layout.xaxis.title.text == "Reform areas addressed"
    assert fig.layout.yaxis.title.text == "Plans"
    vi = themes.reform_area_count(coverage_frame(), lang="vi")
    assert vi.layout.title.text == "Số kế hoạch theo số nội dung CCHC được đề cập (0–6)"


def test_theme_trends_lines_per_group() -> None:
    fig = themes.theme_trends(trends_frame(), lang="en", measure="share", level="group")
    assert [t.type for t in fig.data] == ["scatter", "scatter"]
    assert [t.name for t in fig.data] == ["Six reform areas", "Framing & values"]
    reform = fig.data[0]
    assert reform.mode == "lines+markers"
    assert list(reform.x) == [2021, 2023]
    assert list(reform.y) == [1.0, 0.5]
    assert list(reform.customdata[1][:6]) == [2023, "reform_area", "group", 2, 4, 0.5]
    assert reform.line.color == common.THEME_GROUP_COLORS["reform_area"]
    assert fig.layout.title.text == "Share of each year's plans addressing each theme group"
    assert fig.layout.yaxis.tickformat == ".0%"
    assert fig.layout.xaxis.title.text == "Year"


def test_theme_trends_keys_limit_the_lines() -> None:
    fig = themes.theme_trends(trends_frame(), lang="vi", measure="plans", keys=["framing"])
    assert [t.name for t in fig.data] == ["Định hướng, giá trị"]
    assert list(fig.data[0].y) == [1, 1]
    assert fig.layout.title.text == "Số kế hoạch đề cập mỗi nhóm nội dung, theo năm"
    assert fig.layout.yaxis.title.text == "Số kế hoạch"


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_empty_frames(lang: str) -> None:
    figs = [
        themes.theme_heatmap(heatmap_frame().iloc[0:0], lang=lang),
        themes.reform_area_coverage(areas_frame().iloc[0:0], lang=lang),
        themes.reform_area_count(coverage_frame().iloc[0:0], lang=lang),
        themes.theme_trends(trends_frame().iloc[0:0], lang=lang),
        themes.theme_trends(trends_frame(), lang=lang, keys=[]),
    ]
    for fig in figs:
        assert isinstance(fig, go.Figure)
        assert len(fig.data) == 0
        assert fig.layout.title.text
        assert fig.layout.annotations
