"""Extraction on the five real seed documents in ../shared/seeds, scored against the gold labels.

The seeds live beside the checkout (not in it); CI has them there. Everything is scored once
per module; each assertion is its own test so a failure names the field that regressed.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from etl.cli import main
from etl.evaluate import SINGLE_FIELD_NAMES, Report, evaluate, load_gold

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
SEEDS = SHARED / "seeds"
GOLD = SHARED / "gold" / "seeds.yaml"

pytestmark = [
    pytest.mark.seeds,
    pytest.mark.skipif(
        not SEEDS.is_dir() or not GOLD.is_file(),
        reason="../shared/seeds not found (CI has it beside the checkout)",
    ),
]

MIN_F1 = {
    "channels": 0.97,
    "themes": 0.95,
    "audiences": 0.95,
    "responsibilities": 0.90,
}


@pytest.fixture(scope="module")
def report() -> Report:
    return evaluate(SEEDS, GOLD)


def _misses(report: Report, field: str) -> str:
    return "\n".join(f"  {file}: {miss.describe()}" for file, miss in report.misses(field))


def test_every_gold_document_was_read(report: Report) -> None:
    errors = [f"{doc.file}: {doc.error}" for doc in report.documents if doc.error]
    assert errors == []
    assert len(report.documents) == len(load_gold(GOLD))


@pytest.mark.parametrize("field", SINGLE_FIELD_NAMES)
def test_single_field_right_on_every_document(report: Report, field: str) -> None:
    result = report.single_fields[field]
    assert result.total == len(report.documents), f"{field} is not labelled on every document"
    assert result.right == result.total, (
        f"{field}: {result.right}/{result.total} right\n{_misses(report, field)}"
    )


@pytest.mark.parametrize(("field", "minimum"), MIN_F1.items())
def test_set_field_micro_f1(report: Report, field: str, minimum: float) -> None:
    s = report.set_fields[field]
    assert s.f1 >= minimum, (
        f"{field}: F1 {s.f1:.3f} < {minimum} (P {s.precision:.3f}, R {s.recall:.3f}, "
        f"TP {s.tp}, FP {s.fp}, FN {s.fn})\n{_misses(report, field)}"
    )


def test_cli_evaluate_json(capsys: pytest.CaptureFixture[str]) -> None:
    status = main(["evaluate", "--docs", str(SEEDS), "--gold", str(GOLD), "--json"])
    assert status == 0
    data = json.loads(capsys.readouterr().out)
    assert set(data) == {"set_fields", "single_fields", "documents"}
    assert set(data["set_fields"]) >= set(MIN_F1) | {"platforms"}
    for scores in data["set_fields"].values():
        assert set(scores) == {"precision", "recall", "f1", "tp", "fp", "fn"}
    assert set(data["single_fields"]) == set(SINGLE_FIELD_NAMES)
    for scores in data["single_fields"].values():
        assert set(scores) == {"accuracy", "right", "total"}
    assert [doc["file"] for doc in data["documents"]] == [
        entry["file"] for entry in load_gold(GOLD)
    ]
    for doc in data["documents"]:
        assert {"file", "misses"} <= set(doc)
