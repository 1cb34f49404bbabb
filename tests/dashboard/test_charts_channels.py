"""Channel chart builders (and the shared helpers of dashboard/charts/common.py) on small
hand-made frames: trace types, values, axis titles, hover text, titles in both languages,
click keys, empty frames."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import pytest

from dashboard.charts import channels, common

LOCALITY_COLUMNS = [
    "province_code",
    "locality_name",
    "key_id",
    "group_id",
    "label_vi",
    "label_en",
    "n_plans",
    "n_locality_plans",
    "share",
]


def by_locality() -> pd.DataFrame:
    rows = [
        ("24", "Bắc Giang", "web_portal", "digital", "Cổng TTĐT", "Web portal", 2, 4, 0.5),
        ("24", "Bắc Giang", "radio_tv", "broadcast", "Đài PT-TH", "Radio & TV", 1, 4, 0.25),
        ("02", "Hà Giang", "web_portal", "digital", "Cổng TTĐT", "Web portal", 3, 3, 1.0),
        ("", None, "leaflet", "print", "Tờ rơi", "Leaflets", 1, 2, 0.5),
    ]
    return pd.DataFrame(rows, columns=LOCALITY_COLUMNS)


def by_year() -> pd.DataFrame:
    rows = [
        (2022, "web_portal", "digital", "Cổng TTĐT", "Web portal", 2, 5, 0.4),
        (2022, "radio_tv", "broadcast", "Đài PT-TH", "Radio & TV", 5, 5, 1.0),
        (2023, "web_portal", "digital", "Cổng TTĐT", "Web portal", 1, 2, 0.5),
    ]
    columns = ["plan_year", "key_id", "group_id", "label_vi", "label_en"]
    return pd.DataFrame(rows, columns=[*columns, "n_plans", "n_year_plans", "share"])


def heatmap_frame() -> pd.DataFrame:
    rows = []
    for code, name, total in (("24", "Bắc Giang", 4), ("02", "Hà Giang", 3)):
        for key, group, vi, en in (
            ("web_portal", "digital", "Cổng TTĐT", "Web portal"),
            ("sms", "digital", "Tin nhắn", "SMS"),
        ):
            n = 2 if (code, key) == ("24", "web_portal") else 0
            rows.append((code, name, key, group, vi, en, n, total, n / total))
    return pd.DataFrame(rows, columns=LOCALITY_COLUMNS)


def platforms_frame() -> pd.DataFrame:
    rows = [
        ("facebook", "Facebook", "Facebook", 3, 10, 4, 0.3, 0.75),
        ("zalo", "Zalo", "Zalo", 1, 10, 4, 0.1, 0.25),
        ("other", "Nền tảng khác", "Other platform", 0, 10, 4, 0.0, 0.0),
    ]
    columns = ["platform_id", "label_vi", "label_en", "n_plans", "n_plans_total"]
    return pd.DataFrame(rows, columns=[*columns, "n_social_plans", "share", "share_of_social"])


# --- channel mix by locality ---------------------------------------------------------------


def test_mix_by_locality_counts_stack_one_bar_trace_per_channel() -> None:
    fig = channels.channel_mix_by_locality(by_locality(), lang="en", measure="plans")
    assert {trace.type for trace in fig.data} == {"bar"}
    assert [trace.name for trace in fig.data] == ["Web portal", "Radio & TV", "Leaflets"]
    assert fig.layout.barmode == "stack"
    web = fig.data[0]
    assert web.orientation == "h"
    assert list(web.x) == [2, 3]
    assert list(web.y) == ["Bac Giang", "Ha Giang"]  # English: no diacritics
    assert fig.layout.xaxis.title.text == "Plans"
    assert fig.layout.yaxis.title.text == "Locality (province)"
    assert fig.layout.title.text == "Number of plans using each channel, by locality"
    assert "several channels" in fig.layout.title.subtitle.text


def test_mix_by_locality_customdata_carries_keys_and_exact_numbers() -> None:
    fig = channels.channel_mix_by_locality(by_locality(), lang="en", measure="plans")
    first = list(fig.data[0].customdata[0])
    assert first[:3] == ["24", "web_portal", "channel"]
    assert first[3:6] == [2, 4, 0.5]
    keys = common.selected_keys([{"customdata": first}], channels.LOCALITY_KEYS)
    assert keys == [{"province_code": "24", "key_id": "web_portal", "level": "channel"}]
    hover = fig.data[0].hovertemplate
    assert "%{customdata[3]:,d}" in hover and "%{customdata[4]:,d}" in hover
    assert "%{customdata[5]:.1%}" in hover
    assert hover.endswith("<extra></extra>")


def test_mix_by_locality_unknown_province_has_an_empty_code_and_a_label() -> None:
    fig = channels.channel_mix_by_locality(by_locality(), lang="vi")
    leaflet = fig.data[2]
    assert list(leaflet.y) == ["(Không rõ địa phương)"]
    assert leaflet.customdata[0][0] == ""


def test_mix_by_locality_share_mode_groups_bars_with_percent_axis() -> None:
    fig = channels.channel_mix_by_locality(by_locality(), lang="vi", measure="share")
    assert fig.layout.barmode == "group"
    assert list(fig.data[0].x) == [0.5, 1.0]
    assert fig.layout.xaxis.tickformat == ".0%"
    assert fig.layout.xaxis.title.text == "Tỷ lệ kế hoạch"
    assert fig.layout.title.text == "Tỷ lệ kế hoạch của địa phương sử dụng mỗi kênh"


def test_mix_by_locality_localities_ordered_by_number_of_plans() -> None:
    fig = channels.channel_mix_by_locality(by_locality(), lang="vi")
    expected = ["Bắc Giang", "Hà Giang", "(Không rõ địa phương)"]
    assert list(fig.layout.yaxis.categoryarray) == expected


def test_mix_by_locality_groups_use_the_group_colour_and_title() -> None:
    frame = by_locality().assign(key_id=lambda d: d["group_id"])
    fig = channels.channel_mix_by_locality(frame, lang="en", level="group")
    assert fig.layout.title.text == "Number of plans using each channel group, by locality"
    assert fig.layout.legend.title.text == "Channel group"
    colours = {trace.name: trace.marker.color for trace in fig.data}
    assert colours["Web portal"] == common.CHANNEL_GROUP_COLORS["digital"]
    assert fig.data[0].customdata[0][2] == "group"


def test_labels_override_the_frame_labels() -> None:
    fig = channels.channel_mix_by_locality(
        by_locality(), lang="en", labels={"web_portal": "Portal!"}
    )
    assert fig.data[0].name == "Portal!"


def test_count_axis_has_integer_ticks() -> None:
    fig = channels.channel_mix_by_locality(by_locality(), lang="en")
    assert fig.layout.xaxis.dtick == 1
    assert fig.layout.xaxis.tickformat == ",d"


# --- by year -------------------------------------------------------------------------------


def test_mix_by_year_bars_per_year() -> None:
    fig = channels.channel_mix_by_year(by_year(), lang="en")
    assert [trace.type for trace in fig.data] == ["bar", "bar"]
    web, radio = fig.data
    assert list(web.x) == [2022, 2023] and list(web.y) == [2, 1]
    assert list(radio.y) == [5]
    assert fig.layout.xaxis.title.text == "Year"
    assert fig.layout.yaxis.title.text == "Plans"
    assert list(web.customdata[1][:3]) == [2023, "web_portal", "channel"]
    assert web.customdata[1][-1] == "2023 · Web portal"


def test_mix_by_year_share_titles_in_both_languages() -> None:
    vi = channels.channel_mix_by_year(by_year(), lang="vi", measure="share")
    en = channels.channel_mix_by_year(by_year(), lang="en", measure="share")
    assert vi.layout.title.text == "Tỷ lệ kế hoạch trong năm sử dụng mỗi kênh"
    assert en.layout.title.text == "Share of each year's plans using each channel"
    # shares are lines, with the years where a channel is not used at 0
    assert [t.type for t in en.data] == ["scatter", "scatter"]
    assert en.data[0].mode == "lines+markers"
    assert list(en.data[0].y) == [0.4, 0.5]
    radio = en.data[1]
    assert list(radio.x) == [2022, 2023] and list(radio.y) == [1.0, 0]
    assert list(radio.customdata[1][:6]) == [2023, "radio_tv", "channel", 0, 2, 0.0]
    assert en.layout.yaxis.tickformat == ".0%"


# --- heatmap -------------------------------------------------------------------------------


def test_heatmap_has_colour_cells_and_selectable_markers() -> None:
    fig = channels.channel_heatmap(heatmap_frame(), lang="en", measure="share")
    heat, markers = fig.data
    assert heat.type == "heatmap" and markers.type == "scatter"
    assert heat.hoverinfo == "skip"
    assert list(heat.x) == ["Web portal", "SMS"]
    assert list(heat.y) == ["Bac Giang", "Ha Giang"]
    assert [list(row) for row in heat.z] == [[0.5, 0.0], [0.0, 0.0]]
    assert heat.zmin == 0 and heat.zmax == 1
    assert fig.layout.hoverdistance == -1  # a click anywhere in a cell selects it
    assert list(fig.layout.yaxis.range) == [1.5, -0.5]  # first locality on top
    assert len(markers.customdata) == 4
    first = list(markers.customdata[0])
    assert first[:6] == ["24", "web_portal", "channel", 2, 4, 0.5]
    assert first[-1] == "Bac Giang · Web portal"
    assert "%{customdata[5]:.1%}" in markers.hovertemplate
    assert fig.layout.xaxis.title.text == "Channel"
    assert fig.layout.yaxis.title.text == "Locality (province)"
    assert fig.layout.title.text == "Locality × channel: share of the locality's plans using it"


def test_heatmap_counts_colour_bar_uses_integers() -> None:
    fig = channels.channel_heatmap(heatmap_frame(), lang="vi", measure="plans")
    heat = fig.data[0]
    assert [list(row) for row in heat.z] == [[2, 0], [0, 0]]
    assert heat.colorbar.tickformat == ",d"
    assert heat.colorbar.dtick == 1
    assert fig.layout.title.text == "Địa phương × kênh: số kế hoạch sử dụng"


# --- platforms -----------------------------------------------------------------------------


def test_platforms_bars_with_both_shares_in_the_hover() -> None:
    fig = channels.platform_breakdown(platforms_frame(), lang="en")
    (bar,) = fig.data
    assert bar.type == "bar" and bar.orientation == "h"
    assert list(bar.y) == ["Facebook", "Zalo", "Other platform"]
    assert list(bar.x) == [3, 1, 0]
    assert list(bar.customdata[0][:6]) == ["facebook", 3, 10, 0.3, 4, 0.75]
    assert "of all plans" in bar.hovertemplate
    assert "of plans using social media" in bar.hovertemplate
    assert bar.marker.color[0] == common.PLATFORM_COLORS["facebook"]
    assert fig.layout.title.subtitle.text == "4 of 10 plans use social media"
    assert fig.layout.xaxis.title.text == "Plans"
    assert fig.layout.yaxis.title.text == "Platform"
    vi = channels.platform_breakdown(platforms_frame(), lang="vi")
    assert vi.layout.title.text == "Số kế hoạch nêu tên mỗi nền tảng mạng xã hội"


# --- empty frames --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "build",
    [
        lambda lang: channels.channel_mix_by_locality(by_locality().iloc[0:0], lang=lang),
        lambda lang: channels.channel_mix_by_year(by_year().iloc[0:0], lang=lang),
        lambda lang: channels.channel_heatmap(heatmap_frame().iloc[0:0], lang=lang),
        lambda lang: channels.platform_breakdown(platforms_frame().iloc[0:0], lang=lang),
    ],
)
@pytest.mark.parametrize("lang", ["vi", "en"])
def test_empty_frames_give_a_titled_figure_without_traces(build, lang: str) -> None:
    fig = build(lang)
    assert isinstance(fig, go.Figure)
    assert len(fig.data) == 0
    assert fig.layout.title.text
    note = fig.layout.annotations[0].text
    assert note == ("No matching data" if lang == "en" else "Không có dữ liệu phù hợp")


# --- shared helpers ------------------------------------------------------------------------


def test_selected_keys_skips_points_without_customdata_and_duplicates() -> None:
    points = [
        {"customdata": ["24", "sms", "channel", 1]},
        {"x": 1},
        {"customdata": ["24", "sms", "channel", 1]},
        {"customdata": ["02"]},  # too short
    ]
    assert common.selected_keys(points, channels.HEATMAP_KEYS) == [
        {"province_code": "24", "key_id": "sms", "level": "channel"}
    ]
    assert common.selected_keys(None, ("a",)) == []


def test_point_descriptions_are_the_last_customdata_field() -> None:
    points = [
        {"customdata": ["24", 2, "Bắc Giang · SMS"]},
        {"customdata": ["x", "Bắc Giang · SMS"]},
    ]
    assert common.point_descriptions(points) == ["Bắc Giang · SMS"]


def test_merge_plans_keeps_each_plan_once() -> None:
    a = pd.DataFrame({"plan_id": ["p1", "p2"], "title": ["A", "B"]})
    b = pd.DataFrame({"plan_id": ["p2", "p3"], "title": ["B", "C"]})
    merged = common.merge_plans([a, b, pd.DataFrame()])
    assert list(merged["plan_id"]) == ["p1", "p2", "p3"]
    assert common.merge_plans([]).empty


def test_key_colours_are_shades_of_the_group_colour() -> None:
    colours = common.key_colors(
        [("web_portal", "digital"), ("sms", "digital"), ("press", "press")],
        common.CHANNEL_GROUP_COLORS,
    )
    assert colours["press"] == common.CHANNEL_GROUP_COLORS["press"]
    assert colours["web_portal"] != colours["sms"]
    assert all(c.startswith("#") and len(c) == 7 for c in colours.values())
    assert common.shade("#000000", 1.0) == "#ffffff"
    assert common.shade("#ffffff", -1.0) == "#000000"


def test_count_dtick() -> None:
    assert common.count_dtick(3) == 1
    assert common.count_dtick(None) == 1
    assert common.count_dtick(250) is None
