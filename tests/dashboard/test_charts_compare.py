"""Comparison builders (dashboard/charts/compare.py) on small hand-made frames: grouped and
mirrored bars, the reform-area radar, what one has and the others lack, the agencies table,
the baselines (national, previous plan, plans of the same level) and the CSV export, in both
languages."""

from __future__ import annotations

import io

import pandas as pd
import plotly.graph_objects as go
import pytest

from dashboard.charts import compare

NAMES = {"01": "Hà Nội", "79": "Hồ Chí Minh"}
NAMES_EN = {"01": "Ha Noi", "79": "Ho Chi Minh"}
PROFILE_COLUMNS = [
    "entity",
    "key_id",
    "group_id",
    "label_vi",
    "label_en",
    "n_plans",
    "n_entity_plans",
    "share",
]


def profile(rows: list[tuple[str, str, str, int, int]]) -> pd.DataFrame:
    """(entity, key, group, n_plans, n_entity_plans) -> rows of compare_*.sql."""
    out = []
    for entity, key, group, n, total in rows:
        out.append((entity, key, group, f"{key} vi", f"{key} en", n, total, n / total))
    return pd.DataFrame(out, columns=PROFILE_COLUMNS)


def channel_groups() -> pd.DataFrame:
    return profile(
        [
            ("01", "digital", "digital", 2, 4),
            ("01", "print", "print", 0, 4),
            ("79", "digital", "digital", 3, 3),
            ("79", "print", "print", 1, 3),
        ]
    )


def themes() -> pd.DataFrame:
    rows = []
    for entity, total, counts in (("01", 4, (1, 0, 2)), ("79", 3, (3, 1, 0))):
        for key, n in zip(
            ("procedure_reform", "e_government", "transparency"), counts, strict=True
        ):
            group = "mechanism" if key == "transparency" else "reform_area"
            rows.append((entity, key, group, n, total))
    return profile(rows)


def national(category: str = "channel", level: str = "group") -> pd.DataFrame:
    rows = [
        ("channel", "group", "digital", "digital", 8, 10),
        ("channel", "group", "print", "print", 5, 10),
        ("channel", "id", "web_portal", "digital", 7, 10),
        ("theme", "id", "procedure_reform", "reform_area", 6, 10),
        ("theme", "id", "e_government", "reform_area", 4, 10),
        ("theme", "id", "transparency", "mechanism", 0, 10),
    ]
    frame = pd.DataFrame(
        [(c, lv, k, g, f"{k} vi", f"{k} en", n, t, n / t) for c, lv, k, g, n, t in rows],
        columns=[
            "category",
            "level",
            "key_id",
            "group_id",
            "label_vi",
            "label_en",
            "n_plans",
            "n_total",
            "share",
        ],
    )
    return frame


# --- names ------------------------------------------------------------------------------------


def test_entity_names_both_languages_and_years() -> None:
    entities = pd.DataFrame(
        {"entity": ["01", "79"], "name_vi": ["Hà Nội", "Hồ Chí Minh"], "name_en": ["Ha Noi", None]}
    )
    assert compare.entity_names(entities, "loc", "vi") == NAMES
    # English: the English name, else the Vietnamese one without diacritics
    assert compare.entity_names(entities, "loc", "en") == NAMES_EN
    years = pd.DataFrame({"entity": ["2022", "2024"], "name_vi": ["Hà Nội"] * 2})
    assert compare.entity_names(years, "year", "vi") == {"2022": "2022", "2024": "2024"}


def test_wrap_label() -> None:
    assert compare.wrap_label("Short") == "Short"
    wrapped = compare.wrap_label("Civil-service regime & salary reform", width=18)
    assert wrapped.count("<br>") == 1 and wrapped.replace("<br>", " ").startswith("Civil")
    three = compare.wrap_label("one two three four five six seven eight nine ten", width=8)
    assert three.count("<br>") == 1 and three.endswith("…")


# --- bars -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "title"),
    [
        ("vi", "Tỷ lệ kế hoạch sử dụng mỗi nhóm kênh"),
        ("en", "Share of plans using each channel group"),
    ],
)
def test_grouped_bars_one_trace_per_entity(lang: str, title: str) -> None:
    names = NAMES if lang == "vi" else NAMES_EN
    fig = compare.grouped_bars(channel_groups(), lang=lang, names=names, category="channel")
    assert fig.layout.title.text == title
    assert fig.layout.barmode == "group"
    bars = [t for t in fig.data if t.type == "bar"]
    assert [b.name for b in bars] == list(names.values())
    assert all(b.orientation == "h" for b in bars)
    assert list(bars[0].y) == ["digital en" if lang == "en" else "digital vi", f"print {lang}"]
    assert list(bars[0].x) == [0.5, 0.0]  # a zero share is a bar of length 0, not missing
    assert list(bars[1].x) == [1.0, pytest.approx(1 / 3)]
    # hover: exact counts, denominator and share
    assert list(bars[1].customdata[1][:5]) == ["79", "print", 1, 3, pytest.approx(1 / 3)]
    assert "%{customdata[2]:,d}" in bars[0].hovertemplate
    assert "%{customdata[3]:,d}" in bars[0].hovertemplate
    assert "%{customdata[4]:.1%}" in bars[0].hovertemplate
    assert ("of" if lang == "en" else "trên") in bars[0].hovertemplate
    assert fig.layout.xaxis.tickformat == ".0%"
    assert fig.layout.xaxis.title.text == ("Share of plans" if lang == "en" else "Tỷ lệ kế hoạch")


def test_grouped_bars_theme_title_and_national_baseline() -> None:
    base = national()
    fig = compare.grouped_bars(
        themes(),
        lang="en",
        names=NAMES_EN,
        category="theme",
        level="theme",
        baseline=base[(base["category"] == "theme") & (base["level"] == "id")],
    )
    assert fig.layout.title.text == "Share of plans addressing each theme"
    diamonds = [t for t in fig.data if t.type == "scatter"]
    assert len(diamonds) == 1 and diamonds[0].name == "National"
    assert diamonds[0].marker.symbol == "diamond"
    assert list(diamonds[0].x) == [0.6, 0.4, 0.0]
    assert list(diamonds[0].customdata[0][2:4]) == [6, 10]


def test_mirrored_bars_need_exactly_two() -> None:
    fig = compare.grouped_bars(
        channel_groups(), lang="vi", names=NAMES, category="channel", mirrored=True
    )
    left, right = (t for t in fig.data if t.type == "bar")
    assert list(left.x) == [-0.5, -0.0] and list(right.x) == [1.0, pytest.approx(1 / 3)]
    assert fig.layout.barmode == "relative"
    assert "50%" in list(fig.layout.xaxis.ticktext)  # no negative percentages on the axis
    assert all(not str(text).startswith("-") for text in fig.layout.xaxis.ticktext)
    # with three compared things mirrored bars fall back to grouped ones
    three = pd.concat([channel_groups(), profile([("48", "digital", "digital", 1, 1)])])
    fig = compare.grouped_bars(
        three, lang="vi", names={**NAMES, "48": "Đà Nẵng"}, category="channel", mirrored=True
    )
    assert fig.layout.barmode == "group"
    assert all(min(t.x) >= 0 for t in fig.data if t.type == "bar")


def test_bars_of_an_empty_frame_keep_their_title() -> None:
    fig = compare.grouped_bars(
        pd.DataFrame(columns=PROFILE_COLUMNS), lang="en", names={}, category="channel"
    )
    assert fig.layout.title.text == "Share of plans using each channel group"
    assert not fig.data


def test_large_fonts_for_presentation() -> None:
    fig = compare.grouped_bars(
        channel_groups(), lang="vi", names=NAMES, category="channel", font_size=22
    )
    assert fig.layout.font.size == 22
    assert fig.layout.xaxis.tickfont.size == 22 and fig.layout.yaxis.tickfont.size == 22
    assert fig.layout.legend.font.size == 22
    assert fig.layout.title.font.size > 22


# --- radar ------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_radar_of_the_reform_areas(lang: str) -> None:
    base = national()
    fig = compare.radar(
        themes(),
        lang=lang,
        names=NAMES if lang == "vi" else NAMES_EN,
        baseline=base[base["level"] == "id"],
    )
    polars = [t for t in fig.data if isinstance(t, go.Scatterpolar)]
    assert len(polars) == 3  # two compared + national
    first = polars[0]
    # only the reform areas, closed loop
    theta = [str(v).replace("<br>", " ") for v in first.theta]
    assert theta == [f"procedure_reform {lang}", f"e_government {lang}", f"procedure_reform {lang}"]
    assert list(first.r) == [0.25, 0.0, 0.25]
    assert list(first.customdata[0][:2]) == [1, 4]
    assert "%{customdata[0]:,d}" in first.hovertemplate and "%{r:.1%}" in first.hovertemplate
    assert polars[2].line.dash == "dash"
    assert fig.layout.polar.radialaxis.range == (0, 1)
    assert fig.layout.polar.radialaxis.tickformat == ".0%"
    title = fig.layout.title.text
    assert ("reform areas" in title) if lang == "en" else ("nội dung CCHC" in title)


def test_radar_without_reform_areas_is_an_empty_figure() -> None:
    frame = themes()
    fig = compare.radar(frame[frame["group_id"] != "reform_area"], lang="en", names=NAMES_EN)
    assert not fig.data and fig.layout.annotations


# --- tables -----------------------------------------------------------------------------------


def test_unique_items_lists_what_only_one_has() -> None:
    table = compare.unique_items(channel_groups(), themes(), lang="en", names=NAMES_EN)
    rows = {tuple(r) for r in table.itertuples(index=False)}
    assert rows == {
        ("Ho Chi Minh", "Channel", "print en", "1 of 3 plans (33.3%)"),
        ("Ha Noi", "Theme", "transparency en", "2 of 4 plans (50.0%)"),
        ("Ho Chi Minh", "Theme", "e_government en", "1 of 3 plans (33.3%)"),
    }
    assert list(table.iloc[:, 0]) == sorted(table.iloc[:, 0], key=list(NAMES_EN.values()).index)
    # a single compared thing: nothing to contrast
    alone = compare.unique_items(
        channel_groups().query("entity == '01'"),
        themes().query("entity == '01'"),
        lang="vi",
        names={"01": "Hà Nội"},
    )
    assert alone.empty


def test_agencies_table_by_role() -> None:
    frame = pd.DataFrame(
        [
            ("01", "home_affairs", "Sở Nội vụ", "Home Affairs", "lead", 2, 4),
            ("01", "justice", "Sở Tư pháp", "Justice", "coordinate", 1, 4),
            ("01", "newspaper", "Báo", "Newspaper", "coordinate", 3, 4),
            ("79", "justice", "Sở Tư pháp", "Justice", "implement", 1, 3),
        ],
        columns=[
            "entity",
            "agency_id",
            "agency_label_vi",
            "agency_label_en",
            "role",
            "n_plans",
            "n_entity_plans",
        ],
    )
    table = compare.agencies_table(frame, lang="en", names=NAMES_EN)
    assert list(table.columns) == ["Compared", "Leads", "Coordinates"]
    assert table.iloc[0].tolist() == [
        "Ha Noi",
        "Home Affairs (2/4)",
        "Newspaper (3/4); Justice (1/4)",  # most plans first
    ]
    assert table.iloc[1].tolist() == ["Ho Chi Minh", "—", "—"]
    vi = compare.agencies_table(frame, lang="vi", names=NAMES)
    assert list(vi.columns) == ["Đối tượng so sánh", "Chủ trì", "Phối hợp"]
    assert vi.iloc[0, 1] == "Sở Nội vụ (2/4)"


def test_baseline_national_table() -> None:
    ids = pd.concat(
        [
            profile([("01", "web_portal", "digital", 1, 4)]).assign(category="channel"),
            themes().assign(category="theme"),
        ],
        ignore_index=True,
    )
    table = compare.baseline_national_table(ids, national(), lang="en", names=NAMES_EN)
    assert len(set(table.columns)) == len(table.columns) == 6
    rows = {(r[0], r[2]): r for r in table.itertuples(index=False)}
    web = rows[("Ha Noi", "web_portal en")]
    assert web[3] == "1 of 4 plans (25.0%)" and web[4] == "7 of 10 plans (70.0%)"
    assert web[5] == pytest.approx(-45.0)
    assert rows[("Ho Chi Minh", "procedure_reform en")][5] == pytest.approx(40.0)
    # neither side has it: left out
    assert ("Ho Chi Minh", "transparency en") not in rows
    # biggest gaps first within a compared thing
    hanoi = [abs(r[5]) for r in table.itertuples(index=False) if r[0] == "Ha Noi"]
    assert hanoi == sorted(hanoi, reverse=True)


def test_baseline_previous_table() -> None:
    frame = pd.DataFrame(
        [
            ("01", "01", 2024, 2022, 2, 1, "channel", "web_portal", "Cổng", "Portal", 2, 1),
            ("01", "01", 2024, 2022, 2, 1, "channel", "leaflet", "Tờ rơi", "Leaflets", 0, 1),
            ("01", "01", 2024, 2022, 2, 1, "theme", "e_government", "CQĐT", "E-gov", 1, 0),
            ("79", "79", 2016, None, 1, 0, None, None, None, None, None, None),
        ],
        columns=[
            "entity",
            "province_code",
            "cur_year",
            "prev_year",
            "n_cur_total",
            "n_prev_total",
            "category",
            "key_id",
            "label_vi",
            "label_en",
            "n_cur",
            "n_prev",
        ],
    )
    table = compare.baseline_previous_table(frame, lang="en", names=NAMES_EN)
    changes = {r[3]: r[6] for r in table.itertuples(index=False) if r[0] == "Ha Noi"}
    assert changes == {"Portal": "Kept", "Leaflets": "Dropped", "E-gov": "New"}
    assert list(changes.values()) == ["New", "Dropped", "Kept"]  # new first
    first = table.iloc[0].tolist()
    assert first[1] == "2024 / 2022" and first[4] == "1 of 2 plans (50.0%)"
    last = table.iloc[-1].tolist()
    assert last[0] == "Ho Chi Minh" and last[3] == "No earlier plan"
    vi = compare.baseline_previous_table(frame, lang="vi", names=NAMES)
    assert "Mới" in set(vi.iloc[:, 6]) and "Không có kế hoạch trước đó" in set(vi.iloc[:, 3])


def test_level_gaps_over_half_of_the_level() -> None:
    prof = pd.DataFrame(
        [
            ("01", "province", 2, "channel", "web_portal", 2),
            ("01", "district", 1, None, None, 0),
            ("79", "province", 1, "theme", "e_government", 1),
        ],
        columns=["entity", "issuer_level", "n_level_plans", "category", "key_id", "n_plans"],
    )
    levels = pd.DataFrame(
        [
            ("province", "channel", "web_portal", "Cổng", "Portal", 9, 10, 0.9),
            ("province", "theme", "e_government", "CQĐT", "E-gov", 6, 10, 0.6),
            ("province", "channel", "leaflet", "Tờ rơi", "Leaflets", 5, 10, 0.5),  # not > 50%
            ("district", "channel", "radio_tv", "PTTH", "Radio & TV", 3, 4, 0.75),
        ],
        columns=[
            "issuer_level",
            "category",
            "key_id",
            "label_vi",
            "label_en",
            "n_plans",
            "n_level_plans",
            "share",
        ],
    )
    table = compare.level_gaps(prof, levels, lang="en", names=NAMES_EN)
    rows = [tuple(r) for r in table.itertuples(index=False)]
    assert rows == [
        ("Ha Noi", "District", "Channel", "Radio & TV", "3 of 4 plans (75.0%)"),
        ("Ha Noi", "Province", "Theme", "E-gov", "6 of 10 plans (60.0%)"),
        ("Ho Chi Minh", "Province", "Channel", "Portal", "9 of 10 plans (90.0%)"),
    ]
    assert compare.level_gaps(prof, levels.iloc[0:0], lang="vi", names=NAMES).empty


# --- export -----------------------------------------------------------------------------------


def test_comparison_csv_has_a_bom_and_every_item() -> None:
    frame = compare.comparison_frame(channel_groups(), themes(), national(), lang="vi", names=NAMES)
    assert len(frame) == len(channel_groups()) + len(themes())
    digital = frame[(frame["entity"] == "79") & (frame["key_id"] == "digital")].iloc[0]
    assert digital["entity_name"] == "Hồ Chí Minh" and digital["n_plans"] == 3
    assert digital["national_share"] == pytest.approx(0.8)
    data = compare.csv_bytes(frame)
    assert data.startswith(b"\xef\xbb\xbf")
    back = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", dtype={"entity": str})
    assert list(back.columns) == list(frame.columns)
    assert "Hồ Chí Minh" in set(back["entity_name"])


def test_n_of() -> None:
    assert compare.n_of(1, 3, "en") == "1 of 3 plans (33.3%)"
    assert compare.n_of(2, 4, "vi") == "2/4 kế hoạch (50.0%)"
    assert compare.n_of(0, 0, "en") == "0 of 0 plans (–)"


def test_radar_names_the_place_under_its_title() -> None:
    fig = compare.radar(themes(), lang="vi", names=NAMES, title_suffix=" — Hà Giang")
    assert fig.layout.title.subtitle.text == "Hà Giang"
    assert "Hà Giang" not in fig.layout.title.text
