"""Compiled cues from etl/vocab/metadata.yaml (loaded once)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from etl.codebook import load_codebook, load_yaml
from etl.match.patterns import DualRegex, compile_dual


@dataclass(frozen=True, slots=True)
class MetadataCues:
    plan_number: DualRegex
    citation: DualRegex
    issuance: DualRegex
    kinds: dict[str, DualRegex]
    page_clock: re.Pattern[str]
    section_responsibilities: re.Pattern[str]
    section_next: re.Pattern[str]


@lru_cache(maxsize=1)
def metadata_cues() -> MetadataCues:
    data = load_yaml("metadata.yaml")
    macros = load_codebook().macros
    return MetadataCues(
        plan_number=compile_dual(data["plan_number"], macros, lead_boundary=False),
        citation=compile_dual(data["citation_cues"], macros, bounded=False),
        issuance=compile_dual(data["issuance"], macros, bounded=False),
        kinds={k: compile_dual(v, macros, bounded=False) for k, v in data["kinds"].items()},
        page_clock=re.compile(data["page_clock"]),
        section_responsibilities=re.compile(data["sections"]["responsibilities"]),
        section_next=re.compile(data["sections"]["next"]),
    )
