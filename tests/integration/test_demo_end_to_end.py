"""The demo corpus end to end: generate, build the warehouse, score the ETL on the ground truth.

The generator's ground truth is what it wrote, so this measures the extractor on text it
has never seen, in the formats the product reads (news pages in TXT and HTML, plan documents,
no-diacritics and NFD files, reports, directives, several articles about one plan).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb
import pytest

from etl.demo import generate_corpus
from etl.evaluate import Report, evaluate, load_gold
from etl.load.build import build_warehouse
from etl.load.plans import normalize_plan_number

N_DOCUMENTS = 60
SEED = 2026
SET_THRESHOLDS = {"channels": 0.9, "themes": 0.9, "audiences": 0.9, "responsibilities": 0.8}
SINGLE_THRESHOLD = 0.9


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Report]:
    root = tmp_path_factory.mktemp("demo-e2e")
    docs, db = root / "demo", root / "demo.duckdb"
    generate_corpus(N_DOCUMENTS, SEED, docs)
    summary = build_warehouse(docs, db, workers=1)
    assert summary.documents == N_DOCUMENTS, summary.render()
    assert not summary.errors, summary.render()
    return docs, db, evaluate(docs, docs / "ground_truth.yaml")


def _distinct_plans(entries: list[dict[str, Any]]) -> int:
    """Plans of the ground truth: same issuer, plan number and year; others stand alone."""
    keys = set()
    for entry in entries:
        issuer = entry["issuer"]
        number = normalize_plan_number(entry.get("plan_number"))
        if number and entry.get("plan_year"):
            keys.add(
                (
                    issuer["level"],
                    issuer["province_code"],
                    issuer["district_code"],
                    issuer["province_code_2025"],
                    number,
                    entry["plan_year"],
                )
            )
        else:
            keys.add(("document", entry["file"]))
    return len(keys)


@pytest.mark.parametrize("field", sorted(SET_THRESHOLDS))
def test_set_fields_are_recovered(built: tuple[Path, Path, Report], field: str) -> None:
    _, _, report = built
    score = report.set_fields[field]
    misses = [f"{file}: {miss.describe()}" for file, miss in report.misses(field)]
    assert score.f1 >= SET_THRESHOLDS[field], "\n".join(misses)


def test_single_fields_are_recovered(built: tuple[Path, Path, Report]) -> None:
    _, _, report = built
    for name, score in report.single_fields.items():
        misses = [f"{file}: {miss.describe()}" for file, miss in report.misses(name)]
        assert score.accuracy >= SINGLE_THRESHOLD, f"{name}\n" + "\n".join(misses)


def test_every_document_was_read(built: tuple[Path, Path, Report]) -> None:
    _, _, report = built
    assert len(report.documents) == N_DOCUMENTS
    assert all(doc.error is None for doc in report.documents)


def test_warehouse_marks_the_demo_as_synthetic(built: tuple[Path, Path, Report]) -> None:
    _, db, _ = built
    with duckdb.connect(str(db), read_only=True) as con:
        total, synthetic = con.execute(
            "SELECT count(*), count(*) FILTER (WHERE synthetic) FROM documents"
        ).fetchone()
        plans_synthetic = con.execute("SELECT bool_and(synthetic) FROM plans").fetchone()[0]
    assert total == synthetic == N_DOCUMENTS
    assert plans_synthetic is True


def test_warehouse_groups_articles_into_the_plans_of_the_ground_truth(
    built: tuple[Path, Path, Report],
) -> None:
    docs, db, _ = built
    entries = load_gold(docs / "ground_truth.yaml")
    expected = _distinct_plans(entries)
    assert expected < len(entries)  # some plans have several articles
    with duckdb.connect(str(db), read_only=True) as con:
        plans = con.execute("SELECT count(*) FROM plans").fetchone()[0]
    assert plans == expected
