"""Write a new warehouse file beside the target, table by table, and rename it over the target.

`WarehouseWriter` lets the build append rows in batches while documents are still being
extracted, so the build never holds every document in memory:

    with WarehouseWriter(db) as writer:
        writer.append("documents", batch)  # any number of times, any table of the schema
        ...
        writer.commit()  # views, checkpoint, then rename `<db>.tmp-<pid>` over `<db>`

Readers see the old database or the new one, never half of one. Leaving the `with` block
without `commit()` (an exception, say) removes the temporary file and leaves `db` as it was.
"""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path
from types import TracebackType
from typing import Any

# DuckDB's memory for writing the warehouse (its default is 80% of RAM, and it keeps every
# block it wrote cached): with a cap it evicts written blocks and spills large operations of
# views.sql to disk, so the build's memory stays flat. The tables are the same either way.
MEMORY_ENV = "CCHC_ATLAS_BUILD_MEMORY"
DEFAULT_MEMORY = "1GB"


def duckdb_config() -> dict[str, str]:
    """Settings of the build's DuckDB connection: `memory_limit` from $CCHC_ATLAS_BUILD_MEMORY
    (any DuckDB size, e.g. '4GB'; empty: DuckDB's default), else DEFAULT_MEMORY."""
    limit = os.environ.get(MEMORY_ENV, DEFAULT_MEMORY).strip()
    return {"memory_limit": limit} if limit else {}


def sql_text(name: str) -> str:
    return resources.files("etl.load").joinpath("sql", name).read_text(encoding="utf-8")


def _wal(path: Path) -> Path:
    return path.with_name(path.name + ".wal")


def _unlink(*paths: Path) -> None:
    for path in paths:
        path.unlink(missing_ok=True)


class WarehouseWriter:
    """A new warehouse being written to `<db>.tmp-<pid>`; see the module doc."""

    def __init__(self, db: Path) -> None:
        self.db = Path(db)
        self.tmp = self.db.with_name(f"{self.db.name}.tmp-{os.getpid()}")
        self.rows: dict[str, int] = {}  # table -> rows appended so far
        self._con: Any = None
        self._committed = False

    def __enter__(self) -> WarehouseWriter:
        import duckdb

        self.db.parent.mkdir(parents=True, exist_ok=True)
        _unlink(self.tmp, _wal(self.tmp))
        try:
            self._con = duckdb.connect(str(self.tmp), config=duckdb_config())
            self._con.execute(sql_text("schema.sql"))
        except BaseException:
            self._discard()
            raise
        return self

    def append(self, table: str, data: Any) -> None:
        """Append `data` (a pyarrow Table or a DataFrame with the table's columns)."""
        import pyarrow as pa

        from etl.load.frames import TABLES

        if table not in TABLES:
            raise ValueError(f"not a warehouse table: {table!r}")
        if self._con is None:
            raise RuntimeError("the writer is not open")
        arrow = (
            data if isinstance(data, pa.Table) else pa.Table.from_pandas(data, preserve_index=False)
        )
        if arrow.num_rows:
            self._con.register("incoming", arrow)
            try:  # `table` is one of the fixed TABLES: safe to name in SQL
                self._con.execute(f'INSERT INTO "{table}" BY NAME SELECT * FROM incoming')
            finally:
                self._con.unregister("incoming")
        self.rows[table] = self.rows.get(table, 0) + arrow.num_rows

    def commit(self) -> None:
        """Create the views, write everything to the file and rename it over `db`."""
        if self._con is None:
            raise RuntimeError("the writer is not open")
        self._con.execute(sql_text("views.sql"))
        self._con.execute("CHECKPOINT")
        self._con.close()
        self._con = None
        _unlink(_wal(self.db))  # a stale log of the old file must not be replayed onto the new
        os.replace(self.tmp, self.db)
        self._committed = True

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if not self._committed:
            self._discard()

    def _discard(self) -> None:
        if self._con is not None:
            try:
                self._con.close()
            finally:
                self._con = None
        _unlink(self.tmp, _wal(self.tmp))
