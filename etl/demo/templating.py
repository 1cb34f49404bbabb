"""Templates of the demo corpus: variants with labels, filling, and the ground truth they make.

A template (see templates.yaml) is text with `[a|b]` alternatives and `{slot}`s. A variant may
carry labels: what the sentence asserts (`req`) or only mentions (`opt`). Rendering a variant
records its labels in a `Truth`, so the ground truth of a document is exactly what its text
says, by construction.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

DEMO_DIR = Path(__file__).resolve().parent
CATEGORIES = ("channel", "theme", "audience")

_CHOICE = re.compile(r"\[([^\[\]]*)\]")
_SLOT = re.compile(r"\{(\w+)\}")


@lru_cache(maxsize=1)
def load_config() -> dict[str, Any]:
    return _load("config.yaml")


@lru_cache(maxsize=1)
def load_templates() -> dict[str, Any]:
    return _load("templates.yaml")


def _load(name: str) -> dict[str, Any]:
    with (DEMO_DIR / name).open(encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    if not isinstance(data, dict):
        raise ValueError(f"{name}: expected a mapping")
    return data


# --------------------------------------------------------------------------- variants


@dataclass(frozen=True, slots=True)
class Variant:
    """One wording, with the labels it carries and where it may be used."""

    text: str
    req: tuple[str, ...] = ()
    opt: tuple[str, ...] = ()
    needs: tuple[str, ...] = ()
    levels: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    year_from: int | None = None
    year_until: int | None = None
    roles: tuple[str, ...] = ()
    platforms: bool = False


def _tuple(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    return tuple(str(v) for v in value)


def to_variant(raw: Any) -> Variant:
    if isinstance(raw, str):
        return Variant(raw)
    if not isinstance(raw, Mapping) or "text" not in raw:
        raise ValueError(f"bad template variant: {raw!r}")
    return Variant(
        text=str(raw["text"]),
        req=_tuple(raw.get("req")),
        opt=_tuple(raw.get("opt")),
        needs=_tuple(raw.get("needs")),
        levels=_tuple(raw.get("levels")),
        kinds=_tuple(raw.get("kinds")),
        year_from=raw.get("from"),
        year_until=raw.get("until"),
        roles=_tuple(raw.get("roles")),
        platforms=bool(raw.get("platforms", False)),
    )


_VARIANTS: dict[int, tuple[Sequence[Any], tuple[Variant, ...]]] = {}


def variants(raw: Sequence[Any]) -> tuple[Variant, ...]:
    """The parsed variants of a template list (cached by the list's identity)."""
    found = _VARIANTS.get(id(raw))
    if found is None or found[0] is not raw:
        found = (raw, tuple(to_variant(item) for item in raw))
        _VARIANTS[id(raw)] = found
    return found[1]


@dataclass(frozen=True, slots=True)
class Scope:
    """Where a variant is to be used: it must fit the level, kind, year and plan labels."""

    level: str
    kind: str
    year: int
    labels: frozenset[str] = frozenset()

    def allows(self, variant: Variant) -> bool:
        if variant.levels and self.level not in variant.levels:
            return False
        if variant.kinds and self.kind not in variant.kinds:
            return False
        if variant.year_from is not None and self.year < variant.year_from:
            return False
        if variant.year_until is not None and self.year > variant.year_until:
            return False
        return all(label in self.labels for label in variant.needs)


def pick(rng: random.Random, raw: Sequence[Any], scope: Scope) -> Variant:
    """A random variant of the list that fits the scope."""
    fitting = [v for v in variants(raw) if scope.allows(v)]
    if not fitting:
        raise LookupError(f"no variant fits {scope}: {raw!r}")
    return fitting[rng.randrange(len(fitting))]


# --------------------------------------------------------------------------- ground truth


@dataclass
class Truth:
    """Labels a document's text carries, in the order they were first written."""

    required: dict[str, dict[str, None]] = field(
        default_factory=lambda: {c: {} for c in (*CATEGORIES, "platform", "resp")}
    )
    optional: dict[str, dict[str, None]] = field(
        default_factory=lambda: {c: {} for c in (*CATEGORIES, "platform", "resp")}
    )

    def add(self, label: str, required: bool = True) -> None:
        category, _, value = label.partition(":")
        if category not in self.required or not value:
            raise ValueError(f"bad label {label!r}")
        (self.required if required else self.optional)[category][value] = None

    def add_all(self, labels: Iterable[str], required: bool = True) -> None:
        for label in labels:
            self.add(label, required)

    def record(self, variant: Variant) -> None:
        self.add_all(variant.req, True)
        self.add_all(variant.opt, False)

    def ids(self, category: str) -> tuple[list[str], list[str]]:
        """(required, optional-and-not-required) ids of a category, in first-written order."""
        required = list(self.required[category])
        optional = [v for v in self.optional[category] if v not in self.required[category]]
        return required, optional


# --------------------------------------------------------------------------- filling


def choose_alternatives(rng: random.Random, text: str) -> str:
    """Replace each `[a|b|c]` by one of its alternatives."""
    if "[" not in text:
        return text
    return _CHOICE.sub(lambda m: rng.choice(m.group(1).split("|")), text)


def fill(rng: random.Random, text: str, resolve: Callable[[str], str]) -> str:
    """Choose alternatives, then replace `{slot}`s (a capitalised slot capitalises its value)."""
    text = choose_alternatives(rng, text)

    def slot(match: re.Match[str]) -> str:
        return resolve(match.group(1))

    # values may hold further slots ({lower_units} inside a portal name): two passes at most
    for _ in range(3):
        if "{" not in text:
            break
        text = _SLOT.sub(slot, text)
    return tidy(text)


_SPACES = re.compile(r" {2,}")
_SPACE_BEFORE = re.compile(r" +(?=[,.;:)])")


def tidy(text: str) -> str:
    """Collapse the double spaces and stray spaces an empty alternative leaves."""
    if "  " in text:
        text = _SPACES.sub(" ", text)
    if " ," in text or " ." in text or " ;" in text or " :" in text or " )" in text:
        text = _SPACE_BEFORE.sub("", text)
    return text


def capitalize(text: str) -> str:
    """Upper-case the first letter (the rest unchanged)."""
    for index, char in enumerate(text):
        if char.isalpha():
            return text[:index] + char.upper() + text[index + 1 :]
        if not char.isspace() and char not in "“\"'(":
            return text
    return text


def join_and(items: Sequence[str]) -> str:
    """ "a", "a và b", "a, b và c"."""
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + " và " + items[-1]


def weighted_choice(rng: random.Random, weights: Mapping[Any, float]) -> Any:
    """One key of `weights` (in the mapping's order), with probability proportional to it."""
    keys = list(weights)
    total = float(sum(weights[k] for k in keys))
    if total <= 0:
        raise ValueError(f"no positive weight in {weights!r}")
    x = rng.random() * total
    for key in keys:
        x -= weights[key]
        if x < 0:
            return key
    return keys[-1]


def weighted_sample(rng: random.Random, weights: Mapping[Any, float], k: int) -> list[Any]:
    """Up to k distinct keys, drawn one by one without replacement."""
    pool = {key: w for key, w in weights.items() if w > 0}
    chosen: list[Any] = []
    while pool and len(chosen) < k:
        key = weighted_choice(rng, pool)
        chosen.append(key)
        del pool[key]
    return chosen
