"""Golden test on the embedded sample corpus (our own hand-written documents and labels).

Unlike the seeds, this set ships with the project, so it also runs where ../shared is absent.
"""

from pathlib import Path

import pytest

from etl.evaluate import SINGLE_FIELD_NAMES, Report, evaluate

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "sample"


@pytest.fixture(scope="module")
def report() -> Report:
    return evaluate(SAMPLE / "docs", SAMPLE / "gold.yaml")


@pytest.mark.parametrize(
    ("field", "floor"),
    [("channels", 0.95), ("themes", 0.95), ("audiences", 0.95), ("responsibilities", 0.9)],
)
def test_set_field_f1(report: Report, field: str, floor: float) -> None:
    score = report.set_fields[field]
    assert score.f1 >= floor, report.render()


@pytest.mark.parametrize("field", SINGLE_FIELD_NAMES)
def test_single_fields(report: Report, field: str) -> None:
    score = report.single_fields[field]
    assert score.right == score.total, report.render()
