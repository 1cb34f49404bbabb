# CCHC Atlas: `make help` lists the targets.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
DOCS   ?= data/sample/docs
DB     ?= warehouse/cchc.duckdb

.DEFAULT_GOAL := help
.PHONY: help install build run test lint format evaluate clean

help: ## List the targets with what they do
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  \033[36m%-10s\033[0m %s\n", $$1, $$2}' $(MAKEFILE_LIST)

$(BIN)/cchc-atlas: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	@touch $@

install: $(BIN)/cchc-atlas ## Create .venv and install the project with its dev extras

build: install ## Build the DuckDB warehouse from DOCS (default: the embedded sample) into DB
	$(BIN)/cchc-atlas build --docs $(DOCS) --db $(DB)

run: build ## Build on the embedded default data, then print the summary (dashboard: later issue)
	@echo "Warehouse ready at $(DB)."

test: install ## Run the whole test suite (lint included)
	$(BIN)/ruff check etl dashboard tests
	$(BIN)/ruff format --check etl dashboard tests
	$(BIN)/pytest

lint: install ## Lint only
	$(BIN)/ruff check etl dashboard tests

format: install ## Format the code in place
	$(BIN)/ruff format etl dashboard tests
	$(BIN)/ruff check --fix etl dashboard tests

evaluate: install ## Score extraction on ../shared/seeds against the gold labels
	$(BIN)/cchc-atlas evaluate --docs ../shared/seeds --gold ../shared/gold/seeds.yaml

clean: ## Remove built artefacts (not the virtualenv)
	rm -rf warehouse test-artefacts .pytest_cache .ruff_cache
