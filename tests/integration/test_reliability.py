"""`make reliability` (scripts/reliability.py) on its small corpus: exit 0 and the counts."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "reliability.py"


@pytest.mark.slow
def test_the_reliability_report_passes_on_the_small_corpus() -> None:
    proc = subprocess.run(
        [sys.executable, str(SCRIPT), "--small"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=600,
    )
    out = proc.stdout
    assert proc.returncode == 0, out + proc.stderr[-3000:]
    counts = json.loads(out.strip().splitlines()[-1])
    assert counts["crashes"] == 0
    assert counts["facts_lost"] == 0
    assert counts["dashboard_errors"] == 0
    assert counts["inputs"] >= 30
    assert counts["clear_errors"] >= 14  # every hostile file but the readable ones
    assert re.search(r"^crashes: +0$", out, re.M)
    assert re.search(r"^facts lost from valid documents: +0 \(of \d+; 13/13 valid", out, re.M)
    assert re.search(r"^dashboard errors during rebuilds: +0$", out, re.M)
    assert re.search(r"exit statuses \[0, 75\]", out)
    assert re.search(r"refused: a rebuild is already running \(started \S+ by pid \d+\)", out)
    assert out.rstrip().splitlines()[-2] == "result: PASS"
    for name in ("empty.txt", "bomb.docx", "scan.pdf", "old-word.doc", "nested.html", "vni.txt"):
        assert re.search(rf"^{re.escape(name)} +(error|loaded) ", out, re.M), name
