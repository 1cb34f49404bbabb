"""The Downloads page: a button per table and format, the bundle, the citation."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from streamlit.testing.v1 import AppTest

from dashboard import exports, queries
from dashboard.i18n import translate

OpenPage = Callable[..., AppTest]
TextOf = Callable[[AppTest], str]
Ok = Callable[[AppTest], None]

N_BUTTONS = 1 + 2 * len(exports.EXPORTS)


def _buttons(at: AppTest) -> dict[str, str]:
    return {b.key: b.label for b in at.download_button}


def test_downloads_on_the_demo_warehouse(
    demo_db: Path, open_page: OpenPage, text_of: TextOf, ok: Ok
) -> None:
    at = open_page(demo_db, "downloads")
    ok(at)
    assert at.title[0].value == "Tải dữ liệu"
    buttons = _buttons(at)
    assert len(buttons) == N_BUTTONS
    assert buttons["dl_bundle"] == translate("downloads.bundle", "vi")
    for spec in exports.EXPORTS:
        assert buttons[f"dl_{spec.stem}_csv"] == "CSV"
        assert buttons[f"dl_{spec.stem}_parquet"] == "Parquet"
    for button in at.download_button:
        assert button.proto.ignore_rerun, button.key  # on_click="ignore"
    info = queries.load_raw("build_info").set_index("key")["value"]
    citation = at.code[0].value
    assert info["extractor_version"] in citation and info["built_at"] in citation
    text = text_of(at)
    assert "Dữ liệu minh họa (tổng hợp)" in text
    assert translate("downloads.rows", "vi", n=12) in text  # the plans


def test_the_scope_switch(demo_db: Path, open_page: OpenPage, text_of: TextOf, ok: Ok) -> None:
    at = open_page(demo_db, "downloads", level="province")
    ok(at)
    assert "level=province" in at.code[0].value  # the citation names the filters
    assert translate("downloads.rows", "vi", n=5) in text_of(at)  # the province-level plans
    at.segmented_control(key="dl_scope").set_value("all").run()
    ok(at)
    assert len(at.download_button) == N_BUTTONS
    assert translate("downloads.rows", "vi", n=12) in text_of(at)
    assert at.query_params["level"] == "province"  # the view itself is unchanged


def test_filters_matching_nothing(
    demo_db: Path, open_page: OpenPage, text_of: TextOf, ok: Ok
) -> None:
    at = open_page(demo_db, "downloads", kind="other")
    ok(at)
    assert len(at.download_button) == N_BUTTONS
    assert translate("downloads.rows", "vi", n=0) in text_of(at)


def test_empty_warehouse(empty_db: Path, open_page: OpenPage, text_of: TextOf, ok: Ok) -> None:
    at = open_page(empty_db, "downloads")
    ok(at)
    assert len(at.download_button) == N_BUTTONS
    assert translate("db.empty", "vi", path=str(empty_db)) in text_of(at)


def test_english(demo_db: Path, open_page: OpenPage, text_of: TextOf, ok: Ok) -> None:
    at = open_page(demo_db, "downloads", lang="en")
    ok(at)
    assert at.title[0].value == "Downloads"
    text = text_of(at)
    assert "Download the data bundle (.zip)" in text
    assert "Demo data (synthetic)" in text
    assert "Tải dữ liệu" not in [t.value for t in at.title]
