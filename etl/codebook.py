"""The codebook: category ids, labels, groups and patterns, loaded from `etl/vocab/`."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

if TYPE_CHECKING:  # imported by codebook_frame: extraction needs no DataFrame
    import pandas as pd

VOCAB_DIR = Path(__file__).parent / "vocab"
CODEBOOK_FILES = ("codebook.yaml", "agencies.yaml", "abbreviations.yaml")

# YAML section -> category name used in facts and tables
SECTIONS = {
    "channels": "channel",
    "themes": "theme",
    "audiences": "audience",
    "platforms": "platform",
    "agencies": "agency",
    "roles": "role",
}


@dataclass(frozen=True, slots=True)
class Category:
    category: str
    id: str
    group: str | None
    vi: str
    en: str
    patterns: tuple[Any, ...]
    spec: dict[str, Any]


@dataclass(frozen=True, slots=True)
class Codebook:
    version: str
    macros: dict[str, str]
    categories: dict[str, dict[str, Category]]  # category -> id -> Category
    groups: dict[str, dict[str, dict[str, str]]]  # category -> group id -> {vi, en}

    def ids(self, category: str) -> list[str]:
        return list(self.categories[category])


def load_yaml(name: str) -> Any:
    with (VOCAB_DIR / name).open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


@lru_cache(maxsize=1)
def load_codebook() -> Codebook:
    digest = hashlib.sha256()
    for name in CODEBOOK_FILES:
        digest.update((VOCAB_DIR / name).read_bytes())
    docs = {name: load_yaml(name) for name in CODEBOOK_FILES}
    merged: dict[str, Any] = {**docs["codebook.yaml"], **docs["agencies.yaml"]}
    categories: dict[str, dict[str, Category]] = {}
    for section, category in SECTIONS.items():
        entries = merged.get(section) or {}
        categories[category] = {
            key: Category(
                category=category,
                id=key,
                group=spec.get("group"),
                vi=spec["vi"],
                en=spec["en"],
                patterns=tuple(spec.get("patterns") or ()),
                spec=spec,
            )
            for key, spec in entries.items()
        }
    groups = {**merged.get("groups", {})}
    return Codebook(
        version=digest.hexdigest()[:12],
        macros={k: str(v) for k, v in docs["abbreviations.yaml"].items()},
        categories=categories,
        groups=groups,
    )


def codebook_frame() -> pd.DataFrame:
    """One row per category id: category, id, group_id, label_vi, label_en, description."""
    import pandas as pd

    book = load_codebook()
    rows = []
    for category, entries in book.categories.items():
        for item in entries.values():
            group = book.groups.get(category, {}).get(item.group or "", {})
            rows.append(
                {
                    "category": category,
                    "id": item.id,
                    "group_id": item.group,
                    "group_vi": group.get("vi"),
                    "group_en": group.get("en"),
                    "label_vi": item.vi,
                    "label_en": item.en,
                    "description": item.spec.get("description"),
                }
            )
    return pd.DataFrame(rows, dtype="object")
