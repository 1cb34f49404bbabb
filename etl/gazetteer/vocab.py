"""The gazetteer's own vocabulary files in `etl/vocab/` (see the package docstring)."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from etl.gazetteer.units import LEVELS

VOCAB_DIR = Path(__file__).resolve().parent.parent / "vocab"
ALIASES_CSV = VOCAB_DIR / "gazetteer_aliases.csv"
REGIONS_CSV = VOCAB_DIR / "regions.csv"
REGIONS_2025_CSV = VOCAB_DIR / "regions_2025.csv"

TYPE_WORD_LEVEL = "type_word"


@dataclass(frozen=True, slots=True)
class Alias:
    level: str  # 'province' | 'district' | 'commune' | 'type_word'
    code: str  # a unit code, or the canonical type word for level 'type_word'
    alias: str
    bare: bool  # may be found in text without a type word in front


@dataclass(frozen=True, slots=True)
class Region:
    region_id: str
    region_vi: str
    region_en: str


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [{k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(handle)]


def read_aliases(path: Path = ALIASES_CSV) -> list[Alias]:
    out: list[Alias] = []
    for line, row in enumerate(_read(path), start=2):
        level, bare = row["level"], row.get("bare", "") or "yes"
        if level not in (*LEVELS, TYPE_WORD_LEVEL) or bare not in ("yes", "no"):
            raise ValueError(f"{path}:{line}: bad level {level!r} or bare {bare!r}")
        out.append(Alias(level, row["code"], row["alias"], bare == "yes"))
    return out


def read_regions(path: Path) -> dict[str, Region]:
    """province_code -> its socio-economic region."""
    return {
        row["province_code"]: Region(row["region_id"], row["region_vi"], row["region_en"])
        for row in _read(path)
    }
