"""The app frame and the Overview page, run with AppTest on the demo / empty / no warehouse."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from streamlit.testing.v1 import AppTest

from dashboard.i18n import catalog, translate

OpenPage = Callable[..., AppTest]
TextOf = Callable[[AppTest], str]
Ok = Callable[[AppTest], None]


def _metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def _charts(at: AppTest) -> int:
    return len(at.get("plotly_chart"))


def _foreign_strings(text: str, lang: str) -> list[str]:
    """UI strings of the other language that appear on the page."""
    other = "en" if lang == "vi" else "vi"
    found = []
    for entry in catalog()["ui"].values():
        foreign = entry[other]
        if len(foreign) >= 8 and foreign != entry[lang] and "{" not in foreign and foreign in text:
            found.append(foreign)
    return found


def test_overview_on_the_demo_warehouse(
    demo_db: Path, open_page: OpenPage, text_of: TextOf, ok: Ok
) -> None:
    at = open_page(demo_db, "overview")
    ok(at)
    assert at.title[0].value == "Tổng quan"
    metrics = _metrics(at)
    assert metrics["Kế hoạch"] == "12"
    assert metrics["Văn bản nguồn"] == "13"
    assert int(metrics["Địa phương"]) > 0 and int(metrics["Số năm"]) == 8
    assert _charts(at) == 3
    text = text_of(at)
    assert "Dữ liệu minh họa (tổng hợp)" in text  # the demo badge
    assert "Kế hoạch mới nhất" in text
    assert translate("quality.load_errors", "vi", n=1) in text
    assert translate("quality.duplicates", "vi", n=1) in text
    assert at.dataframe, "the newest plans table"
    assert not _foreign_strings(text, "vi")


def test_every_page_is_in_the_navigation_and_runs(
    demo_db: Path, open_page: OpenPage, ok: Ok
) -> None:
    for page in ("channels", "themes", "responsibilities", "timeline"):
        at = open_page(demo_db, page)
        ok(at)


def test_filters_matching_nothing_show_the_empty_state(
    demo_db: Path, open_page: OpenPage, text_of: TextOf, ok: Ok
) -> None:
    at = open_page(demo_db, "overview", province="02", y0="2016", y1="2017")
    ok(at)
    text = text_of(at)
    assert translate("empty.filters", "vi") in text
    assert not at.metric and _charts(at) == 0
    assert at.query_params["province"] == "02"  # the URL keeps the view
    assert "Dữ liệu minh họa (tổng hợp)" in text


def test_a_region_without_plans_is_a_valid_filter(
    demo_db: Path, open_page: OpenPage, text_of: TextOf, ok: Ok
) -> None:
    at = open_page(demo_db, "overview", region="southeast", kind="report")
    ok(at)
    assert translate("empty.filters", "vi") in text_of(at)
    assert at.multiselect(key="flt_region").value == ["southeast"]


def test_invalid_url_values_are_dropped(demo_db: Path, open_page: OpenPage, ok: Ok) -> None:
    at = open_page(
        demo_db,
        "overview",
        province="01'; DROP TABLE plans; --",
        level="province,nope",
        y0="abc",
        lang="xx",
    )
    ok(at)
    assert at.multiselect(key="flt_province").value == []
    assert at.multiselect(key="flt_level").value == ["province"]
    assert "province" not in at.query_params
    assert at.query_params["level"] == "province"
    assert "lang" not in at.query_params and "y0" not in at.query_params
    assert _metrics(at)["Kế hoạch"] == "5"


def test_sidebar_filters_write_the_url(demo_db: Path, open_page: OpenPage, ok: Ok) -> None:
    at = open_page(demo_db, "overview")
    at.multiselect(key="flt_level").set_value(["district"]).run()
    ok(at)
    assert at.query_params["level"] == "district"
    assert _metrics(at)["Kế hoạch"] == "5"
    at.slider(key="flt_years").set_value((2019, 2022)).run()
    ok(at)
    assert at.query_params["y0"] == "2019" and at.query_params["y1"] == "2022"
    at.button(key="flt_reset").click().run()
    ok(at)
    assert "level" not in at.query_params and "y0" not in at.query_params
    assert _metrics(at)["Kế hoạch"] == "12"


def test_the_url_opens_the_same_view(demo_db: Path, open_page: OpenPage, ok: Ok) -> None:
    first = open_page(demo_db, "overview", level="district", y0="2019", y1="2022")
    ok(first)
    again = open_page(demo_db, "overview", **dict(first.query_params))
    assert _metrics(again) == _metrics(first)
    assert again.slider(key="flt_years").value == (2019, 2022)


def test_english(demo_db: Path, open_page: OpenPage, text_of: TextOf, ok: Ok) -> None:
    at = open_page(demo_db, "overview", lang="en")
    ok(at)
    assert at.title[0].value == "Overview"
    assert set(_metrics(at)) == {"Plans", "Source documents", "Localities", "Years"}
    text = text_of(at)
    assert "Demo data (synthetic)" in text
    assert "Newest plans" in text and "Data quality" in text
    assert not _foreign_strings(text, "en")
    assert list(at.multiselect(key="flt_level").options)[:2] == ["Province", "District"]


def test_the_language_switch(demo_db: Path, open_page: OpenPage, text_of: TextOf, ok: Ok) -> None:
    at = open_page(demo_db, "overview")
    at.radio(key="ui_lang").set_value("en").run()
    ok(at)
    assert at.title[0].value == "Overview"
    assert at.query_params["lang"] == "en"
    assert not _foreign_strings(text_of(at), "en")
    at.radio(key="ui_lang").set_value("vi").run()
    assert at.title[0].value == "Tổng quan" and "lang" not in at.query_params


def test_empty_warehouse(empty_db: Path, open_page: OpenPage, text_of: TextOf, ok: Ok) -> None:
    at = open_page(empty_db, "overview")
    ok(at)
    text = text_of(at)
    assert translate("db.empty", "vi", path=str(empty_db)) in text
    assert translate("empty.filters", "vi") in text
    assert any("make build" in code.value for code in at.code)
    assert "Dữ liệu minh họa (tổng hợp)" not in text


def test_missing_warehouse(tmp_path: Path, open_page: OpenPage, text_of: TextOf, ok: Ok) -> None:
    missing = tmp_path / "nothing.duckdb"
    at = open_page(missing, "overview", lang="en")
    ok(at)
    assert at.error and str(missing) in at.error[0].value
    assert any("make build" in code.value and str(missing) in code.value for code in at.code)
    assert "Overview" not in [t.value for t in at.title]


def test_not_a_warehouse(tmp_path: Path, open_page: OpenPage, ok: Ok) -> None:
    bogus = tmp_path / "bogus.duckdb"
    bogus.write_bytes(b"not a database")
    at = open_page(bogus, "overview")
    ok(at)
    assert at.error and str(bogus) in at.error[0].value


# --- components used by every page -----------------------------------------------------------


def test_selected_values_reads_the_keys_of_clicked_points() -> None:
    from dashboard.components import selected_values

    points = [
        {"customdata": ["district", 3], "x": "Cấp huyện"},
        {"customdata": ["district", 3]},
        {"customdata": ["province"]},
        {"customdata": "commune"},
        {"x": 1},
    ]
    assert selected_values(points) == ["district", "province", "commune"]
    assert selected_values(points, 1) == [3]
    assert selected_values([]) == []


def test_plans_frame_shows_locality_year_number_title() -> None:
    import pandas as pd

    from dashboard.components import plans_frame

    df = pd.DataFrame(
        {
            "province_name": ["Tỉnh Phú Thọ", None],
            "district_name": ["Huyện Tam Nông", None],
            "issuer_name": ["UBND huyện Tam Nông", None],
            "plan_year": pd.array([2016, None], dtype="Int64"),
            "plan_number": ["09/KH-UBND", None],
            "title": ["Tam Nông triển khai", None],
            "issuer_level": ["district", None],
            "kind": ["plan", "other"],
            "issue_date": [pd.Timestamp("2016-01-18"), pd.NaT],
            "n_sources": [1, 1],
        }
    )
    frame = plans_frame(df)
    assert list(frame.columns[:4]) == ["Địa phương", "Năm", "Số hiệu", "Tiêu đề"]
    first, second = frame.to_dict("records")
    assert first["Địa phương"] == "Huyện Tam Nông, Tỉnh Phú Thọ"
    assert first["Năm"] == 2016 and first["Ngày ban hành"] == "2016-01-18"
    assert first["Cấp"] == "Cấp huyện"
    assert second["Địa phương"] == "Chưa xác định" and pd.isna(second["Năm"])
    assert str(frame["Năm"].dtype) == "Int64"
