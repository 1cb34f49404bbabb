"""End to end: generator -> build -> ground truth -> the dashboard shows the generated numbers.

A pipeline test, not a quality claim (quality is measured on real documents)."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
import yaml

from etl.demo import generate_corpus
from etl.load.build import build_warehouse

N = 40


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[dict]]:
    base = tmp_path_factory.mktemp("e2e_demo")
    docs = base / "docs"
    generate_corpus(N, 7, docs)
    db = base / "demo.duckdb"
    summary = build_warehouse(docs, db, workers=1)
    assert summary.written and not summary.errors, summary.render()
    truth = yaml.safe_load((docs / "ground_truth.yaml").read_text(encoding="utf-8"))
    return db, truth


@pytest.fixture(scope="module")
def channel_counts(generated) -> dict[str, int]:
    # read before the app opens the file (one process may not mix connection settings)
    with duckdb.connect(str(generated[0]), read_only=True) as con:
        rows = con.execute(
            "SELECT channel_id, count(DISTINCT plan_id) FROM plan_channels GROUP BY 1"
        ).fetchall()
    return dict(rows)


def _plans(truth: list[dict]) -> int:
    keys = set()
    for entry in truth:
        issuer = entry["issuer"]
        key = (
            issuer.get("province_code"),
            issuer.get("district_code"),
            entry.get("plan_number"),
            entry.get("plan_year"),
        )
        keys.add(key if entry.get("plan_number") else (entry["file"],))
    return len(keys)


def test_overview_shows_the_generated_counts(generated, channel_counts, open_page) -> None:
    db, truth = generated
    at = open_page(db, "overview")
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    values = [str(v).replace(".", "").replace(",", "") for v in metrics.values()]
    assert str(len(truth)) in values  # documents
    assert str(_plans(truth)) in values  # plans
    badge = " ".join(str(getattr(el, "value", "")) for el in at.markdown)
    assert "minh họa" in badge.lower() or "synthetic" in badge.lower()


def test_channels_page_counts_match_the_ground_truth(generated, channel_counts, open_page) -> None:
    db, truth = generated
    required: dict[str, set] = {}
    possible: dict[str, set] = {}
    for entry in truth:
        issuer = entry["issuer"]
        plan = (issuer.get("province_code"), issuer.get("district_code"), entry.get("plan_number"))
        plan = plan if entry.get("plan_number") else (entry["file"],)
        for channel in entry["channels"]["required"]:
            required.setdefault(channel, set()).add(plan)
        for channel in entry["channels"]["required"] + entry["channels"]["optional"]:
            possible.setdefault(channel, set()).add(plan)
    for channel, plans in required.items():
        assert len(plans) <= channel_counts.get(channel, 0) <= len(possible[channel]), channel
    at = open_page(db, "channels")
    assert not at.exception
    assert len(at.get("plotly_chart")) >= 3
