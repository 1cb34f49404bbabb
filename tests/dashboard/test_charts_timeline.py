"""Timeline chart builders on small hand-made frames: trace types, values, axis titles, hover
text, titles in both languages, click keys, empty frames."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import plotly.graph_objects as go
import pytest

from dashboard.charts import common, timeline


def plans_frame() -> pd.DataFrame:
    """Rows of timeline_plans.sql: the dated plans, and one plan without a date (n_undated)."""
    rows = [
        ("p1", "58/KH-UBND", "Kế hoạch CCHC 2022", "UBND tỉnh Hà Giang", "province", "02",
         "Hà Giang", dt.date(2022, 2, 14)),
        ("p2", None, "Công văn", "UBND tỉnh Bắc Giang", "province", "24", "Bắc Giang",
         dt.date(2024, 6, 12)),
        ("p3", "9/KH-UBND", "Kế hoạch huyện", "UBND huyện Tam Nông", "district", "25", "Phú Thọ",
         dt.date(2016, 1, 18)),
    ]  # fmt: skip
    columns = ["plan_id", "plan_number", "title", "issuer_name", "issuer_level"]
    frame = pd.DataFrame(rows, columns=[*columns, "province_code", "locality_name", "issue_date"])
    frame["issue_date"] = pd.to_datetime(frame["issue_date"])
    return frame.assign(n_undated=1)


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
    for fig in (
        timeline.plans_by_issue_date(plans_frame().iloc[0:0], lang="en"),
        timeline.plans_by_period(binned_frame("month", []), lang="en"),
    ):
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
        timeline.plans_by_period(binned_frame("month", []), lang=lang),
        timeline.adoption_heatmap(adoption_frame().iloc[0:0], lang=lang),
        timeline.locality_timeline(locality_frame().iloc[0:0], lang=lang, place="X"),
        timeline.locality_timeline(locality_frame().iloc[[2]], lang=lang, place="X"),
    ]
    for fig in figs:
        assert isinstance(fig, go.Figure)
        assert len(fig.data) == 0
        assert fig.layout.title.text
        assert fig.layout.annotations


# --- many plans: one point per locality and period -----------------------------------------

BINNED_COLUMNS = ["province_code", "locality_name", "period", "issuer_level", "n_plans"]


def binned_frame(
    kind: str,
    rows: list[tuple[str, str | None, str, str, int]],
    n_undated: int = 1,
    dates: tuple[str, str] = ("2016-01-18", "2024-06-12"),
) -> pd.DataFrame:
    """Rows of timeline_binned.sql: (province_code, locality_name, period, issuer_level,
    n_plans), the period chosen (`kind`) and the totals on every row."""
    frame = pd.DataFrame(rows, columns=BINNED_COLUMNS)
    return frame.assign(
        period_kind=kind,
        n_dated=int(frame["n_plans"].sum()),
        n_undated=n_undated,
        first_date=pd.Timestamp(dates[0]),
        last_date=pd.Timestamp(dates[1]),
    )


def by_month() -> pd.DataFrame:
    """plans_frame's three dated plans plus two more in Hà Giang in February 2022 (one of them
    a district plan), by locality and month."""
    return binned_frame(
        "month",
        [
            ("02", "Hà Giang", "2022-02", "district", 1),
            ("02", "Hà Giang", "2022-02", "province", 2),
            ("24", "Bắc Giang", "2024-06", "province", 1),
            ("25", "Phú Thọ", "2016-01", "district", 1),
        ],
    )


def test_many_plans_are_binned_by_locality_and_month() -> None:
    frame = by_month()
    assert not timeline.dates_binned(frame)  # 5 dated plans: under the default limit
    assert timeline.dates_binned(frame, max_points=4)
    assert not timeline.dates_binned(frame.iloc[0:0], max_points=0)  # no dated plan
    fig = timeline.plans_by_period(frame, lang="en")
    assert [t.type for t in fig.data] == ["scatter"]
    trace = fig.data[0]
    points = {(y, x): list(d) for x, y, d in zip(trace.x, trace.y, trace.customdata, strict=True)}
    assert len(points) == 3  # Ha Giang 2022-02 holds three plans
    ha_giang = points[("Ha Giang", "2022-02-15")]
    assert ha_giang[:3] == ["02", "2022-02", 3]
    assert ha_giang[3] == "Province 2 · District 1"
    assert ha_giang[-1] == "Ha Giang · 02/2022"
    assert points[("Phu Tho", "2016-01-15")][:3] == ["25", "2016-01", 1]
    assert list(trace.marker.size) == [d[2] for d in trace.customdata]
    assert trace.marker.sizemode == "area"
    keys = common.selected_keys([{"customdata": ha_giang}], timeline.PERIOD_KEYS)
    assert keys == [{"province_code": "02", "period": "2022-02"}]
    assert fig.layout.title.text == "Plans by issue date (one point per locality and month)"
    assert fig.layout.title.subtitle.text.startswith("5 plans with an issue date")
    assert fig.layout.title.subtitle.text.endswith("1 without one are not shown")
    assert fig.layout.yaxis.categoryarray == ("Bac Giang", "Ha Giang", "Phu Tho")
    assert fig.layout.xaxis.range[0] < "2016-01-18" < "2024-06-12" < fig.layout.xaxis.range[1]
    vi = timeline.plans_by_period(frame, lang="vi")
    assert vi.layout.title.text.startswith("Kế hoạch theo ngày ban hành (mỗi điểm là")
    assert "Hà Giang" in set(vi.data[0].y)


def test_binned_by_quarter_or_year() -> None:
    """The period timeline_binned.sql chose (period_kind) names the chart and places the
    points (about the middle of the period)."""
    quarters = binned_frame(
        "quarter",
        [
            ("02", "Hà Giang", "2022-Q1", "province", 3),
            ("02", "Hà Giang", "2022-Q1", "district", 1),
            ("24", "Bắc Giang", "2024-Q2", "province", 1),
            ("25", "Phú Thọ", "2016-Q1", "district", 1),
        ],
    )
    fig = timeline.plans_by_period(quarters, lang="en")
    assert fig.layout.title.text == "Plans by issue date (one point per locality and quarter)"
    data = {d[1]: list(d) for d in fig.data[0].customdata}
    assert data["2022-Q1"][2] == 4 and data["2022-Q1"][-1] == "Ha Giang · Q1 2022"
    assert "2022-02-15" in set(fig.data[0].x)  # the middle of the first quarter
    vi = timeline.plans_by_period(quarters, lang="vi")
    assert {d[-1] for d in vi.data[0].customdata} >= {"Hà Giang · Quý 1/2022"}
    years = binned_frame(
        "year",
        [
            ("02", "Hà Giang", "2022", "province", 4),
            ("24", "Bắc Giang", "2024", "province", 1),
            ("25", "Phú Thọ", "2016", "district", 1),
        ],
    )
    fig = timeline.plans_by_period(years, lang="en")
    assert fig.layout.title.text == "Plans by issue date (one point per locality and year)"
    assert sorted(fig.data[0].x) == ["2016-07-01", "2022-07-01", "2024-07-01"]


def test_binned_unknown_province() -> None:
    frame = binned_frame("year", [("", None, "2022", "unknown", 2)])
    fig = timeline.plans_by_period(frame, lang="en", level_labels={"unknown": "Unknown"})
    (point,) = fig.data[0].customdata
    assert list(point[:4]) == ["", "2022", 2, "Unknown 2"]
    assert common.selected_keys([{"customdata": list(point)}], timeline.PERIOD_KEYS) == [
        {"province_code": "", "period": "2022"}
    ]


def test_periods() -> None:
    assert timeline.period_middle("2024-Q4") == "2024-11-15"
    assert timeline.period_middle("2024-03") == "2024-03-15"
    assert timeline.period_middle("2024") == "2024-07-01"
    assert timeline.period_label("2022-02", "en") == "02/2022"
    assert timeline.period_label("2022-Q3", "en") == "Q3 2022"
    assert timeline.period_label("2022", "vi") == "2022"


def test_binned_figure_stays_small_for_many_plans() -> None:
    """10,000 plans over 63 provinces, 40 quarters and 3 levels: a figure of a few hundred
    kB, not MBs."""
    codes = [f"{i:02d}" for i in range(1, 64)]
    quarters = [f"{2015 + q // 4}-Q{q % 4 + 1}" for q in range(40)]
    levels = ("province", "district", "commune")
    rows = [
        (code, f"Tỉnh {code}", quarter, level, 1 + (i * 7) % 2)
        for i, (code, quarter, level) in enumerate(
            (code, quarter, level) for code in codes for quarter in quarters for level in levels
        )
    ]
    frame = binned_frame("quarter", rows, dates=("2015-01-01", "2024-12-31"))
    n = int(frame["n_plans"].sum())
    assert n > 10_000 and timeline.dates_binned(frame)
    fig = timeline.plans_by_period(frame, lang="en")
    assert len(fig.data[0].x) == len(codes) * len(quarters)
    assert sum(d[2] for d in fig.data[0].customdata) == n
    assert len(fig.to_json()) < 1_500_000


def test_locality_timeline_with_many_plans_has_no_point_labels(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(timeline, "MAX_LABELLED_POINTS", 1)
    fig = timeline.locality_timeline(locality_frame(), lang="en", place="Thai Binh")
    (scatter,) = fig.data
    assert scatter.mode == "markers" and scatter.text is None
    assert len(scatter.x) == 2 and scatter.customdata[0][1] == "31/KH-UBND"  # still hovered
