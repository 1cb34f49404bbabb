"""Synthetic demo corpus: realistic documents, their ground truth and a manifest.

`generate_corpus(n, seed, out)` (the `cchc-atlas demo-corpus` command) writes `n` made-up
documents about real localities, in the formats the ETL reads, plus `ground_truth.yaml` (the
gold format) and `manifest.csv` (every row synthetic=true). The wording lives in
`templates.yaml`, the probabilities that shape the corpus in `config.yaml`.
"""

from etl.demo.generator import DemoSummary, generate_corpus

__all__ = ["DemoSummary", "generate_corpus"]
