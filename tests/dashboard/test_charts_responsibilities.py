"""Responsibility chart builders on small hand-made frames: trace types, values, axis titles,
hover text, titles in both languages, click keys, empty frames."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import pytest

from dashboard.charts import common, responsibilities

AGENCIES = {
    "home_affairs": ("Sở/Phòng Nội vụ", "Dept./Office of Home Affairs"),
    "broadcaster": ("Đài PT-TH", "Radio/TV station"),
    "other": ("Cơ quan khác", "Other agency"),
}


def by_level() -> pd.DataFrame:
    rows = [
        ("province", "home_affairs", "lead", 3, 4),
        ("province", "broadcaster", "implement", 2, 4),
        ("district", "home_affairs", "lead", 1, 2),
        ("district", "home_affairs", "coordinate", 1, 2),
        (None, "other", "coordinate", 1, 1),
    ]
    out = []
    for level, agency, role, n, total in rows:
        vi, en = AGENCIES[agency]
        out.append((level, agency, vi, en, role, None, None, n, total, n / total))
    columns = ["issuer_level", "agency_id", "agency_label_vi", "agency_label_en", "role"]
    columns += ["role_label_vi", "role_label_en", "n_plans", "n_level_plans", "share"]
    return pd.DataFrame(out, columns=columns)


def by_year() -> pd.DataFrame:
    out = []
    for year, total in ((2022, 2), (2023, 5)):
        for agency in ("home_affairs", "broadcaster"):
            for role in ("lead", "coordinate"):
                n = 2 if (agency, role, year) == ("home_affairs", "lead", 2023) else 0
                vi, en = AGENCIES[agency]
                out.append((year, agency, vi, en, role, None, None, n, total, n / total))
    columns = ["plan_year", "agency_id", "agency_label_vi", "agency_label_en", "role"]
    columns += ["role_label_vi", "role_label_en", "n_plans", "n_year_plans", "share"]
    return pd.DataFrame(out, columns=columns)


def sankey_frame() -> pd.DataFrame:
    rows = [
        ("province", "home_affairs", "lead", 3),
        ("province", "home_affairs", "implement", 1),
        ("district", "home_affairs", "lead", 2),
        ("district", "broadcaster", "coordinate", 2),
    ]
    out = []
    for level, agency, role, n in rows:
        vi, en = AGENCIES[agency]
        out.append((level, agency, vi, en, role, None, None, n, n))
    columns = ["issuer_level", "agency_id", "agency_label_vi", "agency_label_en", "role"]
    columns += ["role_label_vi", "role_label_en", "n_assignments", "n_plans"]
    return pd.DataFrame(out, columns=columns)


def test_roles_by_level_one_panel_per_level_bars_per_role() -> None:
    fig = responsibilities.roles_by_level(by_level(), lang="en", measure="plans")
    assert {t.type for t in fig.data} == {"bar"}
    # panels: province, district, unknown (levels in LEVEL_ORDER)
    titles = [a.text for a in fig.layout.annotations]
    assert titles == ["Province", "District", "Unknown"]
    assert fig.layout.barmode == "stack"
    names = [t.name for t in fig.data]
    assert names[:2] == ["Leads", "Implements"]
    # one legend entry per role
    shown = [t.name for t in fig.data if t.showlegend is not False]
    assert sorted(shown) == ["Coordinates", "Implements", "Leads"]
    lead_province = fig.data[0]
    assert lead_province.orientation == "h"
    assert list(lead_province.x) == [3]
    assert list(lead_province.y) == ["Dept./Office of Home Affairs"]
    data = list(lead_province.customdata[0])
    assert data[:6] == ["home_affairs", "lead", "province", 3, 4, 0.75]
    assert data[-1] == "Dept./Office of Home Affairs · Leads · Province"
    keys = common.selected_keys([{"customdata": data}], responsibilities.LEVEL_KEYS)
    assert keys == [{"agency_id": "home_affairs", "role": "lead", "issuer_level": "province"}]
    assert "%{customdata[3]:,d}" in lead_province.hovertemplate
    assert fig.layout.yaxis.title.text == "Agency"
    assert fig.layout.xaxis.title.text == "Plans"
    assert fig.layout.title.text == "Number of plans giving each agency a role, by issuer level"


def test_roles_by_level_vietnamese_share_and_label_overrides() -> None:
    fig = responsibilities.roles_by_level(
        by_level(),
        lang="vi",
        measure="share",
        role_labels={"lead": "CHỦ TRÌ"},
        level_labels={"province": "Tỉnh"},
    )
    assert fig.layout.barmode == "group"
    assert fig.layout.title.text == "Tỷ lệ kế hoạch của mỗi cấp giao vai trò cho mỗi cơ quan"
    assert fig.layout.annotations[0].text == "Tỉnh"
    assert fig.data[0].name == "CHỦ TRÌ"
    assert list(fig.data[0].x) == [0.75]
    assert fig.layout.xaxis.tickformat == ".0%"
    assert "Cơ quan khác" in {y for t in fig.data for y in t.y}


def test_roles_by_year_heatmap_for_one_role() -> None:
    fig = responsibilities.roles_by_year(by_year(), lang="en", role="lead", measure="plans")
    heat, markers = fig.data
    assert heat.type == "heatmap" and markers.type == "scatter"
    assert list(heat.x) == ["2022", "2023"]
    assert list(heat.y) == ["Dept./Office of Home Affairs", "Radio/TV station"]
    assert [list(r) for r in heat.z] == [[0, 2], [0, 0]]
    cell = list(markers.customdata[1])
    assert cell[:6] == ["home_affairs", "lead", 2023, 2, 5, 0.4]
    assert common.selected_keys([{"customdata": cell}], responsibilities.YEAR_KEYS) == [
        {"agency_id": "home_affairs", "role": "lead", "plan_year": 2023}
    ]
    assert fig.layout.title.text == "Number of plans in which each agency leads, by year"
    assert fig.layout.xaxis.title.text == "Year"
    assert fig.layout.yaxis.title.text == "Agency"
    vi = responsibilities.roles_by_year(by_year(), lang="vi", role="coordinate", measure="share")
    expected = "Tỷ lệ kế hoạch trong năm giao vai trò «Phối hợp» cho mỗi cơ quan"
    assert vi.layout.title.text == expected


def test_roles_by_year_role_without_rows_is_empty() -> None:
    fig = responsibilities.roles_by_year(by_year(), lang="en", role="implement")
    assert len(fig.data) == 0 and fig.layout.annotations


def test_sankey_nodes_links_and_conserved_flow() -> None:
    fig = responsibilities.responsibility_sankey(sankey_frame(), lang="en")
    (sankey,) = fig.data
    assert sankey.type == "sankey"
    labels = list(sankey.node.label)
    assert labels == [
        "Province",
        "District",
        "Dept./Office of Home Affairs",
        "Radio/TV station",
        "Leads",
        "Coordinates",
        "Implements",
    ]
    links = list(zip(sankey.link.source, sankey.link.target, sankey.link.value, strict=True))
    assert (0, 2, 4) in links  # province -> home affairs: 3 lead + 1 implement
    assert (1, 2, 2) in links and (1, 3, 2) in links
    assert (2, 4, 5) in links  # home affairs -> leads: 3 + 2
    incoming = sum(v for s, _, v in links if s < 2)
    outgoing = sum(v for s, _, v in links if s >= 2)
    assert incoming == outgoing == 8
    assert list(sankey.link.customdata[0][:3]) == ["province", "home_affairs", ""]
    assert "%{value:,d}" in sankey.link.hovertemplate
    expected = "Issuer level → agency → role (assignments: plan × agency × role)"
    assert fig.layout.title.text == expected
    vi = responsibilities.responsibility_sankey(sankey_frame(), lang="vi")
    assert vi.layout.title.text.startswith("Cấp ban hành → cơ quan → vai trò")
    assert "Chủ trì" in list(vi.data[0].node.label)


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_empty_frames(lang: str) -> None:
    figs = [
        responsibilities.roles_by_level(by_level().iloc[0:0], lang=lang),
        responsibilities.roles_by_year(by_year().iloc[0:0], lang=lang),
        responsibilities.responsibility_sankey(sankey_frame().iloc[0:0], lang=lang),
    ]
    for fig in figs:
        assert isinstance(fig, go.Figure)
        assert len(fig.data) == 0
        assert fig.layout.title.text
