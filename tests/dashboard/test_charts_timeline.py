"""Timeline chart builders on small hand-made frames: trace types, values, axis titles, hover
text, titles in both languages, click keys, empty frames."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import plotly.graph_objects as go
import pytest

from dashboard.charts import common, timeline


def plans_frame() -> pd.DataFrame:
    rows = [
        ("p1", "58/KH-UBND", "Kế hoạch CCHC 2022", "UBND tỉnh Hà Giang", "province", "02",
         "Hà Giang", dt.date(2022, 2, 14)),
        ("p2", None, "Công văn", "UBND tỉnh Bắc Giang", "province", "24", "Bắc Giang",
         dt.date(2024, 6, 12)),
        ("p3", "9/KH-UBND", "Kế hoạch huyện", "UBND huyện Tam Nông", "district", "25", "Phú Thọ",
         dt.date(2016, 1, 18)),
        ("p4", "5/KH", "Không ngày", "UBND huyện X", "district", "40", "Nghệ An", None),
    ]  # fmt: skip
    columns = ["plan_id", "plan_number", "title", "issuer_name", "issuer_level"]
    frame = pd.DataFrame(rows, columns=[*columns, "province_code", "locality_name", "issue_date"])
    frame["issue_date"] = pd.to_datetime(frame["issue_date"])
    return frame


def adoption_frame() -> pd.DataFrame:
    rows = []
    for year, total in ((2021, 2), (2022, 4)):
        for key, group, vi, en in (
            ("web_portal", "digital", "Cổng TTĐT", "Web portal"),
            ("press", "press", "Báo chí", "Newspapers & press"),
        ):
            n = 1 if key == "web_portal" else 0
            rows.append((year, "channel", key, group, vi, en, n, total, n / total))
    columns = ["plan_year", "category", "key_id", "group_id", "label_vi", "label_en"]
    return pd.DataFrame(rows, columns=[*columns, "n_plans", "n_year_plans", "share"])


def locality_frame() -> pd.DataFrame:
    rows = [
        ("p1", "31/KH-UBND", "Kế hoạch 2023", "UBND tỉnh Thái Bình", "province",
         dt.date(2023, 2, 14), "issue_date", 7, 4),
        ("p2", "12/KH-UBND", "Kế hoạch 2021", "UBND huyện Vũ Thư", "district",
         dt.date(2021, 1, 1), "plan_year", 2, 1),
        ("p3", None, "Không ngày", "UBND huyện Y", "district", None, None, 0, 0),
    ]  # fmt: skip
    columns = ["plan_id", "plan_number", "title", "issuer_name", "issuer_level", "sort_date"]
    frame = pd.DataFrame(rows, columns=[*columns, "date_source", "n_channels", "n_themes"])
    frame["sort_date"] = pd.to_datetime(frame["sort_date"])
    return frame


def test_plans_by_issue_date_one_point_per_dated_plan() -> None:
    fig = timeline.plans_by_issue_date(plans_frame(), lang="en")
    assert [t.type for t in fig.data] == ["scatter", "scatter"]
    assert [t.name for t in fig.data] == ["Province", "District"]
    province = fig.data[0]
    assert province.mode == "markers"
    assert list(province.x) == ["2022-02-14", "2024-06-12"]
    assert list(province.y) == ["Ha Giang", "Bac Giang"]
    data = list(province.customdata[0])
    assert data[0] == "p1" and data[1] == "58/KH-UBND" and data[3] == "14/02/2022"
    assert common.selected_keys([{"customdata": data}], timeline.PLAN_KEYS) == [{"plan_id": "p1"}]
    assert province.customdata[1][1] == "(no number)"
    assert fig.layout.title.text == "Plans by issue date (one point per plan)"
    expected = "3 plans with an issue date; 1 without one are not shown"
    assert fig.layout.title.subtitle.text == expected
    assert fig.layout.xaxis.title.text == "Issue date"
    assert fig.layout.yaxis.title.text == "Locality (province)"
    assert fig.layout.legend.title.text == "Issuer level"
    assert fig.layout.xaxis.type == "date"
    assert fig.layout.xaxis.range[0] < "2016-01-18" < "2024-06-12" < fig.layout.xaxis.range[1]
    vi = timeline.plans_by_issue_date(plans_frame(), lang="vi")
    assert vi.layout.title.text == "Kế hoạch theo ngày ban hành (mỗi điểm là một kế hoạch)"
    assert vi.data[0].name == "Cấp tỉnh"
    assert list(vi.data[0].y) == ["Hà Giang", "Bắc Giang"]


def test_plans_by_issue_date_without_any_date() -> None:
    frame = plans_frame().assign(issue_date=pd.NaT)
    fig = timeline.plans_by_issue_date(frame, lang="en")
    assert len(fig.data) == 0
    assert fig.layout.annotations[0].text == "No plan has an issue date"


def test_adoption_heatmap_shares_per_year() -> None:
    fig = timeline.adoption_heatmap(adoption_frame(), lang="en", category="channel")
    heat, markers = fig.data
    assert heat.type == "heatmap" and markers.type == "scatter"
    assert list(heat.x) == ["2021", "2022"]
    assert list(heat.y) == ["Web portal", "Newspapers & press"]
    assert [list(r) for r in heat.z] == [[0.5, 0.25], [0.0, 0.0]]
    assert heat.zmax == 1
    cell = list(markers.customdata[1])
    assert cell[:6] == ["web_portal", 2022, "channel", 1, 4, 0.25]
    assert cell[-1] == "Web portal · 2022"
    assert common.selected_keys([{"customdata": cell}], timeline.ADOPTION_KEYS) == [
        {"key_id": "web_portal", "plan_year": 2022, "category": "channel"}
    ]
    assert "%{customdata[5]:.1%}" in markers.hovertemplate
    assert fig.layout.title.text == "Share of each year's plans using each channel"
    assert fig.layout.xaxis.title.text == "Year"
    assert fig.layout.yaxis.title.text == "Channel"
    vi = timeline.adoption_heatmap(adoption_frame(), lang="vi", category="theme")
    assert vi.layout.title.text == "Tỷ lệ kế hoạch trong năm đề cập mỗi nội dung"
    assert vi.layout.yaxis.title.text == "Nội dung tuyên truyền"


def test_locality_timeline_points_in_order_with_plan_numbers() -> None:
    fig = timeline.locality_timeline(locality_frame(), lang="en", place="Thai Binh")
    (scatter,) = fig.data
    assert scatter.type == "scatter" and scatter.mode == "markers+text"
    assert list(scatter.x) == ["2023-02-14", "2021-01-01"]  # undated plan left out
    assert list(scatter.text) == ["31/KH-UBND", "12/KH-UBND"]
    assert list(scatter.y) == ["UBND tỉnh Thái Bình", "UBND huyện Vũ Thư"]
    assert list(scatter.customdata[1][:5]) == [
        "p2",
        "12/KH-UBND",
        "Kế hoạch 2021",
        "01/01/2021",
        "plan year",
    ]
    assert list(scatter.customdata[0][6:8]) == [7, 4]
    assert "Channels: %{customdata[6]:,d}" in scatter.hovertemplate
    assert fig.layout.title.text == "Thai Binh: plans over time"
    assert fig.layout.xaxis.title.text == "Date (issued, else published, else year)"
    assert fig.layout.yaxis.title.text == "Issuer"
    vi = timeline.locality_timeline(locality_frame(), lang="vi", place="Thái Bình")
    assert vi.layout.title.text == "Các kế hoạch của Thái Bình theo thời gian"
    assert vi.data[0].customdata[0][4] == "ngày ban hành"


def test_locality_timeline_single_plan_has_a_padded_axis() -> None:
    fig = timeline.locality_timeline(locality_frame().iloc[[0]], lang="en", place="X")
    start, end = fig.layout.xaxis.range
    assert start < "2023-02-14" < end


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_empty_frames(lang: str) -> None:
    figs = [
        timeline.plans_by_issue_date(plans_frame().iloc[0:0], lang=lang),
        timeline.adoption_heatmap(adoption_frame().iloc[0:0], lang=lang),
        timeline.locality_timeline(locality_frame().iloc[0:0], lang=lang, place="X"),
        timeline.locality_timeline(locality_frame().iloc[[2]], lang=lang, place="X"),
    ]
    for fig in figs:
        assert isinstance(fig, go.Figure)
        assert len(fig.data) == 0
        assert fig.layout.title.text
        assert fig.layout.annotations
