"""Words of the dashboard in Vietnamese (default) and English.

- `t(key, **fmt)`: a UI string of `dashboard/i18n.yaml` (section `ui`) in the current
  language, `str.format`-ed with `fmt`. Other `dashboard/i18n_*.yaml` files (same layout) are
  merged in, so each page's author can keep their strings in their own file; a key defined
  twice is an error. Every key has both languages (tests/dashboard/test_i18n.py).
- `label(category, id)`: the label of a codebook id (channel, theme, audience, platform,
  agency, role: `etl/vocab`), of a region (`etl/vocab/regions.csv`) or of a value the
  dashboard names itself (`labels` section of i18n.yaml: level, kind, fact category).
  Unknown ids come back unchanged; None/'' /'unknown' read "Unknown".
- `group_label(category, group_id)`: the label of a codebook group.
- `place(name)`: a place name as shown in the current language (English: no type word, no
  diacritics: 'Tỉnh Hà Giang' -> 'Ha Giang').
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from etl.codebook import load_codebook

LANGS = ("vi", "en")
CATALOG_DIR = Path(__file__).resolve().parent
MAIN_CATALOG = "i18n.yaml"
TYPE_WORDS = (
    "thành phố",
    "thị trấn",
    "thị xã",
    "huyện",
    "quận",
    "phường",
    "tỉnh",
    "xã",
)


class CatalogError(ValueError):
    """A malformed or conflicting i18n catalog."""


def catalog_files() -> list[Path]:
    main = CATALOG_DIR / MAIN_CATALOG
    extra = sorted(CATALOG_DIR.glob("i18n_*.yaml"))
    return [main, *extra]


def _merge_section(
    target: dict[str, dict[str, str]], section: Any, path: Path, prefix: str = ""
) -> None:
    if not isinstance(section, dict):
        raise CatalogError(f"{path.name}: section {prefix or 'ui'} is not a mapping")
    for key, value in section.items():
        full = f"{prefix}{key}"
        if isinstance(value, dict) and set(value) <= set(LANGS) and value:
            if full in target:
                raise CatalogError(f"{path.name}: key {full!r} is defined twice")
            target[full] = {lang: value.get(lang) for lang in LANGS}
        elif isinstance(value, dict):
            _merge_section(target, value, path, f"{full}.")
        else:
            raise CatalogError(f"{path.name}: {full!r} needs 'vi' and 'en' texts")


@lru_cache(maxsize=1)
def catalog() -> dict[str, dict[str, dict[str, str]]]:
    """{'ui': key -> {vi, en}, 'labels': 'category.id' -> {vi, en}} from every catalog file.

    Nested mappings are flattened with dots: `overview: {title: {vi, en}}` is 'overview.title'.
    """
    ui: dict[str, dict[str, str]] = {}
    labels: dict[str, dict[str, str]] = {}
    for path in catalog_files():
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        if not isinstance(data, dict):
            raise CatalogError(f"{path.name}: not a mapping")
        _merge_section(ui, data.get("ui") or {}, path)
        _merge_section(labels, data.get("labels") or {}, path)
    return {"ui": ui, "labels": labels}


def _lang(lang: str | None) -> str:
    if lang in LANGS:
        return str(lang)
    from dashboard.state import current_lang

    return current_lang()


def translate(key: str, lang: str, **fmt: Any) -> str:
    """The UI string `key` in `lang` (the key itself when unknown)."""
    entry = catalog()["ui"].get(key)
    if entry is None:
        return key
    text = entry.get(lang) or entry.get("vi") or key
    return text.format(**fmt) if fmt else text


def t(key: str, **fmt: Any) -> str:
    """The UI string `key` in the current language, formatted with `fmt`."""
    return translate(key, _lang(None), **fmt)


@lru_cache(maxsize=1)
def _regions() -> dict[str, tuple[str, str]]:
    from etl.gazetteer.vocab import REGIONS_CSV, read_regions

    return {r.region_id: (r.region_vi, r.region_en) for r in read_regions(REGIONS_CSV).values()}


def is_unknown(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and value != value:  # NaN
        return True
    return str(value).strip() in ("", "unknown")


def label_in(category: str, id: object, lang: str) -> str:
    """The label of `id` in `category`, in `lang` (see the module doc)."""
    if is_unknown(id):
        return translate("unknown", lang)
    key = str(id)
    own = catalog()["labels"].get(f"{category}.{key}")
    if own is not None:
        return own.get(lang) or own.get("vi") or key
    if category == "region":
        names = _regions().get(key)
        if names:
            return names[1] if lang == "en" else names[0]
        return key
    book = load_codebook()
    item = book.categories.get(category, {}).get(key)
    if item is None:
        return key
    return item.en if lang == "en" else item.vi


def label(category: str, id: object) -> str:
    """The label of a codebook (or dashboard) id in the current language."""
    return label_in(category, id, _lang(None))


def group_label_in(category: str, group_id: object, lang: str) -> str:
    if is_unknown(group_id):
        return translate("unknown", lang)
    group = load_codebook().groups.get(category, {}).get(str(group_id))
    if not group:
        return str(group_id)
    return str(group.get(lang) or group.get("vi") or group_id)


def group_label(category: str, group_id: object) -> str:
    """The label of a codebook group (e.g. channel 'digital') in the current language."""
    return group_label_in(category, group_id, _lang(None))


def fold(text: str) -> str:
    """Text without diacritics (đ -> d), case kept."""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def place_in(name: object, lang: str) -> str:
    """A place name in `lang`: as written in Vietnamese; in English without its type word
    and diacritics ('Thành phố Hải Phòng' -> 'Hai Phong')."""
    if is_unknown(name):
        return translate("unknown", lang)
    text = str(name).strip()
    if lang != "en":
        return text
    lowered = text.lower()
    for word in TYPE_WORDS:
        if lowered.startswith(word + " "):
            text = text[len(word) + 1 :]
            break
    return fold(text)


def place(name: object) -> str:
    return place_in(name, _lang(None))


def number_in(value: object, lang: str) -> str:
    """An integer with thousands separators: '1.234' in Vietnamese, '1,234' in English."""
    try:
        text = f"{int(value):,}"  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return str(value)
    return text if lang == "en" else text.replace(",", ".")


def number(value: object) -> str:
    return number_in(value, _lang(None))
