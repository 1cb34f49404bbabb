"""Export the warehouse as a Parquet dataset partitioned by plan year and province.

`export_parquet(db, out)` (the `cchc-atlas export --format parquet` command) writes, under
`out`, one folder per table in the hive layout DuckDB, Spark, Dask, Ray, Polars and Arrow read:

    out/plans/plan_year=2021/province_code=01/data_0.parquet
    out/channel_mentions/plan_year=__HIVE_DEFAULT_PARTITION__/province_code=79/data_0.parquet
    out/codebook/data.parquet
    out/dictionary.yaml, out/README.md

- Fact tables (`FACT_TABLES`) are partitioned by (plan_year, province_code), written by
  DuckDB's `COPY ... (FORMAT parquet, PARTITION_BY (plan_year, province_code))`. The keys live
  in the folder names, not in the files; NULL (unknown year or province) is DuckDB's
  `__HIVE_DEFAULT_PARTITION__`, read back as NULL.
  - plans and documents (without `text`) use their own plan_year / province_code columns;
  - field_evidence (one document's fields) takes its document's keys;
  - plan_sources, the mention tables and responsibilities take their plan's keys (joined on
    plan_id), so each gains the two columns plan_year and province_code.
- Small lookup tables (`DIMENSION_TABLES`) are one unpartitioned file each.
- `dictionary.yaml` is a copy of the warehouse's data dictionary; `README.md` says how the
  dataset is laid out and read, with the row count of every table.

The dataset is written to a temporary folder beside `out` and renamed over it when complete.
An existing `out` is replaced only if it is empty or an earlier export (it holds `MARKER`).
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import duckdb

MARKER = ".cchc-atlas-export"
PARTITION_COLUMNS = ("plan_year", "province_code")
MENTION_TABLES = ("channel_mentions", "theme_mentions", "audience_mentions", "platform_mentions")


def _by_plan(table: str) -> str:
    return (
        f'SELECT t.*, p.plan_year, p.province_code FROM "{table}" AS t '
        "LEFT JOIN plans AS p ON p.plan_id = t.plan_id"
    )


# table -> SELECT of its rows with the partition keys plan_year and province_code
FACT_TABLES: dict[str, str] = {
    "plans": "SELECT * FROM plans",
    "documents": "SELECT * EXCLUDE (text) FROM documents",
    "plan_sources": _by_plan("plan_sources"),
    **{table: _by_plan(table) for table in MENTION_TABLES},
    "responsibilities": _by_plan("responsibilities"),
    "field_evidence": (
        "SELECT f.*, d.plan_year, d.province_code FROM field_evidence AS f "
        "LEFT JOIN documents AS d ON d.doc_id = f.doc_id"
    ),
}
DIMENSION_TABLES = (
    "codebook",
    "localities",
    "locality_crosswalk",
    "duplicate_files",
    "load_errors",
    "build_info",
)
READ_EXAMPLE = (
    "read_parquet('{out}/{table}/**/*.parquet', hive_partitioning = true,\n"
    "             hive_types = {{'plan_year': 'INTEGER', 'province_code': 'VARCHAR'}})"
)


@dataclass
class ExportSummary:
    """What an export wrote: rows and files per table."""

    db: str
    out: str
    rows: dict[str, int] = field(default_factory=dict)
    files: dict[str, int] = field(default_factory=dict)
    partitions: dict[str, int] = field(default_factory=dict)  # fact table -> partition folders

    def render(self) -> str:
        lines = [f"Exported {self.db} to {self.out} (Parquet, hive partitions)"]
        for table, n in self.rows.items():
            where = (
                f"{self.partitions[table]} partitions, {self.files[table]} files"
                if table in self.partitions
                else f"{self.files.get(table, 0)} file"
            )
            lines.append(f"  {table + ':':<19}{n:>9} rows  ({where})")
        lines.append("  + dictionary.yaml, README.md")
        return "\n".join(lines)


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _prepare(out: Path) -> Path:
    if out.exists():
        if not out.is_dir():
            raise FileExistsError(f"{out} exists and is not a folder")
        if any(out.iterdir()) and not (out / MARKER).is_file():
            raise FileExistsError(
                f"{out} is not empty and is not an earlier export (no {MARKER}): "
                "refusing to replace it"
            )
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.parent / f".{out.name}.tmp-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir()
    return tmp


def _replace(tmp: Path, out: Path) -> None:
    old = out.parent / f".{out.name}.old-{os.getpid()}"
    if out.exists():
        out.rename(old)
    tmp.rename(out)
    shutil.rmtree(old, ignore_errors=True)


def export_parquet(db: Path, out: Path) -> ExportSummary:
    """Write the warehouse `db` as a partitioned Parquet dataset in `out` (see module doc)."""
    import duckdb

    db, out = Path(db), Path(out)
    if not db.is_file():
        raise FileNotFoundError(f"no warehouse at {db} (build one with `cchc-atlas build`)")
    summary = ExportSummary(db=str(db), out=str(out))
    con = duckdb.connect(str(db), read_only=True)
    try:
        names = {
            row[0]
            for row in con.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'"
            ).fetchall()
        }
        missing = sorted((set(FACT_TABLES) | set(DIMENSION_TABLES)) - names)
        if missing:
            raise ValueError(f"{db} is not a CCHC Atlas warehouse: missing {', '.join(missing)}")
        tmp = _prepare(out)
        try:
            for table, select in FACT_TABLES.items():  # fixed names: safe to put in SQL
                target = tmp / table
                con.execute(
                    f"COPY ({select}) TO {_literal(str(target))} (FORMAT parquet, "
                    "COMPRESSION zstd, PARTITION_BY (plan_year, province_code))"
                )
                summary.rows[table] = _count(con, table)
                files = sorted(target.rglob("*.parquet")) if target.exists() else []
                summary.files[table] = len(files)
                summary.partitions[table] = len({f.parent for f in files})
            for table in DIMENSION_TABLES:
                target = tmp / table
                target.mkdir()
                con.execute(
                    f'COPY (SELECT * FROM "{table}") TO '
                    f"{_literal(str(target / 'data.parquet'))} (FORMAT parquet, COMPRESSION zstd)"
                )
                summary.rows[table] = _count(con, table)
                summary.files[table] = 1
            info = dict(con.execute("SELECT key, value FROM build_info").fetchall())
            dictionary = resources.files("etl.load").joinpath("dictionary.yaml")
            (tmp / "dictionary.yaml").write_text(
                dictionary.read_text(encoding="utf-8"), encoding="utf-8"
            )
            (tmp / "README.md").write_text(_readme(summary, info), encoding="utf-8")
            (tmp / MARKER).write_text("cchc-atlas export --format parquet\n", encoding="utf-8")
            _replace(tmp, out)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
    finally:
        con.close()
    return summary


def _count(con: duckdb.DuckDBPyConnection, table: str) -> int:
    row = con.execute(f'SELECT count(*) FROM "{table}"').fetchone()
    return int(row[0]) if row else 0


def _readme(summary: ExportSummary, info: dict[str, str | None]) -> str:
    rows = "\n".join(
        f"| `{table}` | {n} | "
        + (
            "plan_year / province_code" + _key_source(table)
            if table in FACT_TABLES
            else "none (one file)"
        )
        + " |"
        for table, n in summary.rows.items()
    )
    versions = ", ".join(
        f"{key} `{info.get(key)}`"
        for key in ("extractor_version", "codebook_version", "built_at")
        if info.get(key)
    )
    example = READ_EXAMPLE.format(out="DIR", table="channel_mentions")
    return f"""# CCHC Atlas: Parquet export

Written by `cchc-atlas export --format parquet` from the DuckDB warehouse `{summary.db}`.
Build: {versions}.

Every table and column is described in `dictionary.yaml` (a copy of the warehouse's data
dictionary); the evidence conventions there hold here too, except that `documents` has no
`text` column (the cleaned text stays in the warehouse).

## Layout

One folder per table. The fact tables are partitioned by plan year and province (63-province
era code) in the hive layout: `<table>/plan_year=2021/province_code=01/data_0.parquet`. The
two keys are in the folder names, not inside the files; an unknown year or province is the
folder `__HIVE_DEFAULT_PARTITION__` and reads back as NULL. Lookup tables are one file each.

| table | rows | partitioned by |
| --- | --- | --- |
{rows}

`plan_sources`, the `*_mentions` tables and `responsibilities` do not have plan_year and
province_code in the warehouse: here they carry their plan's (from `plans`), so every fact of
a plan sits in its plan's partition. `field_evidence` carries its document's.

## Reading it

DuckDB (locally, or from object storage with the httpfs extension, e.g. `s3://bucket/DIR`):

```sql
SELECT *
FROM {example}
WHERE plan_year BETWEEN 2021 AND 2023 AND province_code = '01';
```

Give `hive_types` as above: without it the keys' types are guessed from the folder names
(plan_year becomes BIGINT). A filter on plan_year or province_code reads only the matching
folders. Spark (`spark.read.parquet`), Dask, Polars and pyarrow.dataset (`partitioning="hive"`)
read the same folders.
"""


def _key_source(table: str) -> str:
    if table in ("plans", "documents"):
        return " (own columns)"
    if table == "field_evidence":
        return " (of its document)"
    return " (of its plan)"
