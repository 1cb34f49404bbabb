"""CCHC Atlas ETL: plan documents -> auditable facts -> DuckDB."""

__version__ = "0.1.0"

# Bumped whenever extraction logic changes the facts it produces; every fact row carries it.
EXTRACTOR_VERSION = "0.1.0"
