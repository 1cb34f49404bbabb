"""The dashboard's words: every key in both languages, every used key defined, labels."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

from dashboard import i18n
from dashboard.state import LIST_KEYS
from etl.codebook import load_codebook
from etl.gazetteer.vocab import REGIONS_CSV, read_regions

DASHBOARD = Path(i18n.__file__).resolve().parent
LITERAL_T = re.compile(r"""\bt\(\s*["']([^"'{}]+)["']""")


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("section", ["ui", "labels"])
def test_every_entry_has_both_languages(section: str) -> None:
    entries = i18n.catalog()[section]
    assert entries
    missing = [
        f"{key}: {lang}"
        for key, texts in entries.items()
        for lang in i18n.LANGS
        if not isinstance(texts.get(lang), str) or not texts[lang].strip()
    ]
    assert not missing, f"entries without a text: {missing}"


def test_placeholders_are_the_same_in_both_languages() -> None:
    differ = [
        key
        for key, texts in i18n.catalog()["ui"].items()
        if _fields(texts["vi"]) != _fields(texts["en"])
    ]
    assert not differ


def test_every_literal_key_used_by_the_dashboard_is_defined() -> None:
    defined = set(i18n.catalog()["ui"])
    used: dict[str, str] = {}
    for path in DASHBOARD.rglob("*.py"):
        for key in LITERAL_T.findall(path.read_text(encoding="utf-8")):
            used.setdefault(key, path.relative_to(DASHBOARD).as_posix())
    assert used, "no t('...') call found"
    missing = {key: where for key, where in used.items() if key not in defined}
    assert not missing, f"t() keys missing from the i18n catalog: {missing}"


@pytest.mark.parametrize(
    "key",
    [
        *(
            f"page.{n}"
            for n in (
                "overview",
                "channels",
                "themes",
                "responsibilities",
                "timeline",
                "documents",
                "downloads",
            )
        ),
        *(f"filters.{url}" for url in LIST_KEYS.values()),
        "downloads.scope_filtered",
        "downloads.scope_all",
    ],
)
def test_keys_built_at_run_time_are_defined(key: str) -> None:
    assert key in i18n.catalog()["ui"]


def test_table_names_of_the_downloads_are_defined() -> None:
    from dashboard.exports import EXPORTS

    for spec in EXPORTS:
        assert f"table.{spec.stem}" in i18n.catalog()["ui"]


def test_a_key_missing_a_language_is_caught(tmp_path: Path) -> None:
    merged: dict[str, dict[str, str]] = {}
    i18n._merge_section(merged, {"a": {"vi": "A"}}, tmp_path / "x.yaml")
    assert merged["a"] == {"vi": "A", "en": None}  # the test above fails on such an entry
    with pytest.raises(i18n.CatalogError):
        i18n._merge_section(merged, {"a": {"vi": "A", "en": "A"}}, tmp_path / "x.yaml")
    with pytest.raises(i18n.CatalogError):
        i18n._merge_section({}, {"b": "only one text"}, tmp_path / "x.yaml")


def test_translate_formats_and_falls_back() -> None:
    assert i18n.translate("documents.results", "vi", n=3) == "3 văn bản"
    assert i18n.translate("documents.results", "en", n=3) == "3 documents"
    assert i18n.translate("no.such.key", "en") == "no.such.key"
    assert i18n.translate("page.overview", "vi") == "Tổng quan"
    assert i18n.translate("page.overview", "en") == "Overview"


@pytest.mark.parametrize("category", ["channel", "theme", "audience", "platform", "agency", "role"])
def test_every_codebook_id_has_a_label_in_both_languages(category: str) -> None:
    for item_id in load_codebook().ids(category):
        vi = i18n.label_in(category, item_id, "vi")
        en = i18n.label_in(category, item_id, "en")
        assert vi and en and vi != item_id and en != item_id, (category, item_id)


def test_group_labels() -> None:
    assert i18n.group_label_in("channel", "digital", "vi") == "Kênh số"
    assert i18n.group_label_in("channel", "digital", "en") == "Digital"
    assert i18n.group_label_in("theme", "reform_area", "en") == "Six reform areas"
    assert i18n.group_label_in("channel", "nope", "en") == "nope"


def test_dashboard_value_labels() -> None:
    for level in ("province", "district", "commune", "department"):
        assert i18n.label_in("level", level, "vi") != i18n.label_in("level", level, "en")
    for kind in ("plan", "report", "directive", "other"):
        assert i18n.label_in("kind", kind, "vi") != i18n.label_in("kind", kind, "en")
    for region in {r.region_id for r in read_regions(REGIONS_CSV).values()}:
        assert i18n.label_in("region", region, "vi") != region
        assert i18n.label_in("region", region, "en") != region
    assert i18n.label_in("level", None, "en") == "Unknown"
    assert i18n.label_in("level", "unknown", "vi") == "Chưa xác định"
    assert i18n.label_in("channel", "not_an_id", "vi") == "not_an_id"


def test_place_names() -> None:
    assert i18n.place_in("Tỉnh Hà Giang", "vi") == "Tỉnh Hà Giang"
    assert i18n.place_in("Tỉnh Hà Giang", "en") == "Ha Giang"
    assert i18n.place_in("Thành phố Đà Nẵng", "en") == "Da Nang"
    assert i18n.place_in("Thị xã Kỳ Anh", "en") == "Ky Anh"
    assert i18n.place_in(None, "en") == "Unknown"


def test_numbers() -> None:
    assert i18n.number_in(14149, "vi") == "14.149"
    assert i18n.number_in(14149, "en") == "14,149"
    assert i18n.number_in("x", "en") == "x"


def test_current_language_outside_a_session_is_vietnamese() -> None:
    assert i18n.t("page.overview") == "Tổng quan"
    assert i18n.label("level", "province") == "Cấp tỉnh"
