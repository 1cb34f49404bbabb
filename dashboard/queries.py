"""The dashboard's only door to the warehouse: named SQL files, `?` parameters, cached results.

- The database is the DuckDB file named by the environment variable `CCHC_ATLAS_DB` (default
  `warehouse/cchc.duckdb`), opened read-only with external access disabled, once per process
  and per version of the file (`st.cache_resource`); every query runs on its own cursor, so
  concurrent sessions do not share a statement.
- Every query is a file `dashboard/sql/<name>.sql`; `name` must be one of those files (names
  starting with `_` are fragments, not queries). User input only ever reaches DuckDB as a `?`
  parameter.
- `load(name, filters, *params)` puts `WITH filtered_plans AS (<_filtered_plans.sql>)` in
  front of the file (merged into the file's own WITH when it has one), binds the filter values
  first and then `params`, in order. `filtered_plans` has every column of the `plan_index`
  table: those of the `plan_facts` view plus `plan_no` (the integer the per-plan tables are
  joined on), the filter masks and `date_rank` (the order of the plan lists).
  `load_raw(name, *params)` runs a file without filtered_plans (lookups that ignore the
  filters).
- Shared CTEs: every other fragment `dashboard/sql/_<cte>.sql` is one SELECT that files use
  by naming `<cte>` like a table (e.g. `FROM province_plans`). `query_sql(name)` puts
  `<cte> AS (<_<cte>.sql>)` into the WITH of exactly the files that name it (whole word,
  outside comments and strings), and of the fragments they get; a fragment may name
  filtered_plans (then only `load` can run the file) and other fragments, which come before
  it. So the order of the CTEs is filtered_plans, the fragments (those a fragment names
  first, else alphabetical), the file's own CTEs. A fragment has no `?` of its own, so the
  parameters stay the filter values and then the file's own, in its order. ValueError (naming
  the files) for a fragment with a `?`, fragments naming each other in a cycle, or a file
  that defines a CTE of a fragment's name; a name that is no table, view or fragment fails
  in DuckDB, as QueryError naming the file.
- Results are cached with `st.cache_data(max_entries=256)`, keyed by the database file's
  identity (path, inode, size, mtime): rebuilding the warehouse invalidates them.
- `load_arrow(name, filters, *params)` runs a file the same way but returns an Arrow table,
  uncached: it serves the Downloads page's files (up to a million rows), whose bytes
  dashboard/exports.py caches instead; building a file from Arrow skips the Python objects
  of a DataFrame (several times faster).
"""

from __future__ import annotations

import contextlib
import os
import re
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import duckdb
import pandas as pd
import pyarrow as pa
import streamlit as st

if TYPE_CHECKING:
    from dashboard.state import Filters

ENV_VAR = "CCHC_ATLAS_DB"
DEFAULT_DB = "warehouse/cchc.duckdb"
PROJECT_ROOT = Path(__file__).resolve().parent.parent
SQL_DIR = Path(__file__).resolve().parent / "sql"
FILTER_FRAGMENT = "_filtered_plans"
BUILD_COMMAND = "make build DOCS=path/to/documents DB={db}"
# Every table and view of the warehouse that a dashboard/sql file reads: a file missing one of
# them (built by an older version) is reported as not readable, with the command that rebuilds
# it, rather than failing query by query (tests/dashboard/test_queries.py keeps this complete).
REQUIRED_TABLES = (
    "documents",
    "plans",
    "plan_facts",
    "build_info",
    "audience_mentions_export",
    "channel_mentions_export",
    "codebook",
    "document_search",
    "duplicate_files",
    "evidence_sources",
    "fact_evidence",
    "field_evidence",
    "filter_bits",
    "load_errors",
    "localities",
    "locality_crosswalk",
    "locality_plan_list",
    "plan_evidence",
    "plan_index",
    "plan_platforms",
    "plan_responsibilities",
    "plan_row_counts",
    "plan_sources",
    "platform_mentions_export",
    "province_short_names",
    "responsibilities_export",
    "responsibility_tasks",
    "theme_mentions_export",
)
# The same for the warehouse's SQL macros that a dashboard/sql file calls.
REQUIRED_MACROS = ("flat_text", "search_fold")
# The names of the warehouse's own tables and views, and of its own SQL macros.
WAREHOUSE_TABLES_SQL = (
    "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'"
)
WAREHOUSE_MACROS_SQL = (
    "SELECT function_name FROM duckdb_functions() "
    "WHERE function_type = 'macro' AND NOT internal AND schema_name = 'main'"
)

_NAME = re.compile(r"[a-z0-9][a-z0-9_]*")
# Leading blank lines and comments of a SQL file, then an optional WITH [RECURSIVE].
_LEAD = re.compile(r"\A(?:\s+|--[^\n]*(?:\n|\Z)|/\*.*?\*/)*", re.DOTALL)
_WITH = re.compile(r"WITH(\s+RECURSIVE)?\s+", re.IGNORECASE)
# String literals and comments: no `?` and no name of a fragment counts there.
_NOT_CODE = re.compile(r"'(?:[^']|'')*'|--[^\n]*|/\*.*?\*/", re.DOTALL)
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_$]*")
# `<cte> AS (`, `<cte>(a, b) AS [NOT] MATERIALIZED (`: a CTE definition.
_DEFINES = r"\b{cte}\s*(?:\([^()]*\)\s*)?AS\s*(?:NOT\s+)?(?:MATERIALIZED\s*)?\("

DbKey = tuple[str, int, int, int]  # path, inode, size, mtime_ns


class QueryError(RuntimeError):
    """A dashboard SQL file failed; the message names the file."""


# --- the database file ---------------------------------------------------------------------


def db_path() -> Path:
    """The warehouse file: $CCHC_ATLAS_DB, else warehouse/cchc.duckdb (cwd, else project)."""
    value = os.environ.get(ENV_VAR, "").strip()
    if value:
        return Path(value).expanduser()
    here = Path(DEFAULT_DB)
    return here if here.exists() else PROJECT_ROOT / DEFAULT_DB


def db_key(path: Path | None = None) -> DbKey:
    """Identity of the database file; raises FileNotFoundError when it does not exist."""
    path = path or db_path()
    stat = path.stat()
    return (str(path.resolve()), stat.st_ino, stat.st_size, stat.st_mtime_ns)


def _close(con: duckdb.DuckDBPyConnection) -> None:
    with contextlib.suppress(duckdb.Error):
        con.close()


@st.cache_resource(max_entries=4, show_spinner=False, on_release=_close)
def _connection(key: DbKey) -> duckdb.DuckDBPyConnection:
    return connect_readonly(Path(key[0]))


def connect_readonly(path: Path) -> duckdb.DuckDBPyConnection:
    """A read-only connection to the warehouse that cannot read or write any other file.

    The file is ATTACHed to a fresh in-memory database rather than opened directly: DuckDB
    hands a direct connection to a path the database already open there, which after a
    rebuild (a new file renamed over the old one) would still be the replaced file. The path
    is the operator's configuration (CCHC_ATLAS_DB), never user input."""
    con = duckdb.connect(":memory:")
    quoted = str(path).replace("'", "''")
    con.execute(f"ATTACH '{quoted}' AS warehouse (READ_ONLY)")
    con.execute("USE warehouse")
    con.execute("SET enable_external_access = false")
    con.execute("SET lock_configuration = true")
    return con


def warehouse_cursor(con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    """A cursor of a `connect_readonly` connection (a cursor starts in the default catalog)."""
    cur = con.cursor()
    cur.execute("USE warehouse")
    return cur


@dataclass(frozen=True)
class WarehouseStatus:
    """Whether the dashboard can read the warehouse: ok | empty | missing | invalid."""

    state: Literal["ok", "empty", "missing", "invalid"]
    path: str
    detail: str = ""

    @property
    def readable(self) -> bool:
        return self.state in ("ok", "empty")

    @property
    def build_command(self) -> str:
        return BUILD_COMMAND.format(db=self.path)


def missing_objects(cur: duckdb.DuckDBPyConnection) -> list[str]:
    """The REQUIRED_TABLES and REQUIRED_MACROS (as 'name()') that the warehouse lacks."""
    tables = {row[0] for row in cur.execute(WAREHOUSE_TABLES_SQL).fetchall()}
    macros = {row[0] for row in cur.execute(WAREHOUSE_MACROS_SQL).fetchall()}
    return [name for name in REQUIRED_TABLES if name not in tables] + [
        f"{name}()" for name in REQUIRED_MACROS if name not in macros
    ]


def warehouse_status() -> WarehouseStatus:
    """Check the warehouse file without raising: missing, not a warehouse, empty or ok."""
    path = db_path()
    shown = str(path)
    if not path.is_file():
        return WarehouseStatus("missing", shown)
    try:
        con = _connection(db_key(path))
        cur = warehouse_cursor(con)
        try:
            missing = missing_objects(cur)
            if missing:
                return WarehouseStatus("invalid", shown, "missing: " + ", ".join(missing))
            row = cur.execute("SELECT count(*) FROM documents").fetchone()
        finally:
            cur.close()
    except (duckdb.Error, OSError) as err:
        return WarehouseStatus("invalid", shown, f"{type(err).__name__}: {err}".strip())
    if not row or not row[0]:
        return WarehouseStatus("empty", shown)
    return WarehouseStatus("ok", shown)


# --- SQL files -----------------------------------------------------------------------------


def query_names() -> frozenset[str]:
    """The names `load`/`load_raw` accept: the files dashboard/sql/*.sql not starting with _."""
    return frozenset(
        path.stem for path in SQL_DIR.glob("*.sql") if _NAME.fullmatch(path.stem) and path.is_file()
    )


def _read(stem: str) -> str:
    return (SQL_DIR / f"{stem}.sql").read_text(encoding="utf-8").strip().rstrip(";").rstrip()


def query_sql(name: str) -> str:
    """The statement of dashboard/sql/<name>.sql: its text with the shared CTEs it names put
    in its WITH (`with_fragments`); ValueError for anything not in query_names()."""
    if not isinstance(name, str) or name not in query_names():
        raise ValueError(f"unknown dashboard query: {name!r}")
    return with_fragments(_read(name), f"dashboard/sql/{name}.sql")


def filter_sql() -> str:
    """The SELECT that defines filtered_plans (8 `?` parameters: see filter_params)."""
    return _read(FILTER_FRAGMENT)


def _with_ctes(body: str, ctes: list[str]) -> str:
    """`WITH <ctes>` in front of body (after its header comments), merged with body's own WITH
    (kept RECURSIVE)."""
    lead = _LEAD.match(body)
    start = lead.end() if lead else 0
    with_match = _WITH.match(body, start)
    joined = ",\n".join(ctes)
    if with_match is None:
        return f"{body[:start]}WITH {joined}\n{body[start:]}"
    recursive = "RECURSIVE " if with_match.group(1) else ""
    return f"{body[:start]}WITH {recursive}{joined},\n{body[with_match.end() :]}"


def compose(filter_select: str, body: str) -> str:
    """`WITH filtered_plans AS (filter_select)` in front of body, merged with body's own WITH."""
    return _with_ctes(body, [f"filtered_plans AS (\n{filter_select}\n)"])


# --- shared CTEs (the other `_` fragments) -------------------------------------------------


def fragment_names() -> frozenset[str]:
    """The shared CTEs: `<cte>` for every dashboard/sql/_<cte>.sql but _filtered_plans.sql."""
    return frozenset(
        path.stem[1:]
        for path in SQL_DIR.glob("_*.sql")
        if path.stem != FILTER_FRAGMENT and _NAME.fullmatch(path.stem[1:]) and path.is_file()
    )


def _code(sql: str) -> str:
    """sql without its comments and string literals (what names and `?` are looked for in)."""
    return _NOT_CODE.sub(" ", sql)


def _names(code: str, candidates: frozenset[str]) -> set[str]:
    """The candidates that `code` (SQL without comments and strings, see `_code`) names as
    whole words."""
    return {word.lower() for word in _WORD.findall(code)} & candidates


def fragment_sql(cte: str) -> str:
    """The SELECT of dashboard/sql/_<cte>.sql, without its header comments; ValueError for a
    name not in fragment_names() or a fragment with a `?`."""
    if not isinstance(cte, str) or cte not in fragment_names():
        raise ValueError(f"unknown dashboard SQL fragment: {cte!r}")
    return _fragment_select(cte)


def _fragment_select(cte: str) -> str:
    text = _read(f"_{cte}")
    if "?" in _code(text):
        raise ValueError(f"dashboard/sql/_{cte}.sql: a fragment takes no `?` parameters")
    lead = _LEAD.match(text)
    return text[lead.end() if lead else 0 :]


def with_fragments(body: str, where: str = "the SQL") -> str:
    """body with `<cte> AS (<fragment_sql(cte)>)` in its WITH for every fragment it names,
    directly or through another fragment: those a fragment names before it, else in
    alphabetical order, all before body's own CTEs (see the module doc). `where` names body
    in the errors."""
    available = fragment_names()
    selects: dict[str, str] = {}
    ordered: list[str] = []

    def add(cte: str, chain: tuple[str, ...]) -> None:
        if cte in ordered:
            return
        if cte in chain:
            cycle = " -> ".join(f"_{name}.sql" for name in (*chain, cte))
            raise ValueError(f"dashboard/sql fragments name each other in a cycle: {cycle}")
        selects[cte] = _fragment_select(cte)
        for name in sorted(_names(_code(selects[cte]), available) - {cte}):
            add(name, (*chain, cte))
        ordered.append(cte)

    code = _code(body)
    for cte in sorted(_names(code, available)):
        if re.search(_DEFINES.format(cte=re.escape(cte)), code, re.IGNORECASE):
            raise ValueError(f"{where} defines a CTE {cte}, the name of dashboard/sql/_{cte}.sql")
        add(cte, ())
    if not ordered:
        return body
    return _with_ctes(body, [f"{cte} AS (\n{selects[cte]}\n)" for cte in ordered])


def filter_params(filters: Filters) -> list[object]:
    """The values of the 8 filter placeholders, in the order of _filtered_plans.sql."""
    return [
        filters.year_min,
        filters.year_max,
        list(filters.regions),
        list(filters.levels),
        list(filters.provinces),
        list(filters.channel_groups),
        list(filters.themes),
        list(filters.kinds),
    ]


# --- running -------------------------------------------------------------------------------


def _bindable(value: object) -> object:
    if isinstance(value, tuple):
        return [_bindable(item) for item in value]
    return value


def execute(key: DbKey, sql: str, params: tuple[object, ...]) -> pd.DataFrame:
    """Run one statement on a fresh cursor of the cached connection (uncached)."""
    cur = warehouse_cursor(_connection(key))
    try:
        return cur.execute(sql, [_bindable(p) for p in params]).df()
    finally:
        cur.close()


def execute_arrow(key: DbKey, sql: str, params: tuple[object, ...]) -> pa.Table:
    """Run one statement on a fresh cursor of the cached connection, as an Arrow table."""
    cur = warehouse_cursor(_connection(key))
    try:
        result = cur.execute(sql, [_bindable(p) for p in params])
        with warnings.catch_warnings():
            # DuckDB suggests its relational API to save a copy; on these queries the cursor's
            # result is the faster of the two (measured on the 100,000-document warehouse).
            warnings.filterwarnings("ignore", message="Arrow output on a DB-API result")
            return result.to_arrow_table()
    finally:
        cur.close()


@st.cache_data(max_entries=256, show_spinner=False)
def _cached(key: DbKey, name: str, sql: str, params: tuple[object, ...]) -> pd.DataFrame:
    try:
        return execute(key, sql, params)
    except duckdb.Error as err:
        raise QueryError(f"dashboard/sql/{name}.sql failed: {err}") from err


def _freeze(params: tuple[object, ...]) -> tuple[object, ...]:
    return tuple(tuple(p) if isinstance(p, list) else p for p in params)


def load(name: str, filters: Filters, *params: object) -> pd.DataFrame:
    """Run dashboard/sql/<name>.sql over the plans passing `filters` (see the module doc)."""
    from dashboard.state import Filters

    if not isinstance(filters, Filters):
        raise TypeError("load() needs a dashboard.state.Filters")
    sql = compose(filter_sql(), query_sql(name))
    args = (*filter_params(filters), *params)
    return _cached(db_key(), name, sql, _freeze(tuple(args)))


def load_raw(name: str, *params: object) -> pd.DataFrame:
    """Run dashboard/sql/<name>.sql as it is, with `params` (no filters)."""
    return _cached(db_key(), name, query_sql(name), _freeze(params))


def load_arrow(name: str, filters: Filters | None, *params: object) -> pa.Table:
    """Run dashboard/sql/<name>.sql as `load` does (`filters=None`: as `load_raw` does) and
    return an Arrow table, uncached (see the module doc)."""
    from dashboard.state import Filters

    if filters is None:
        sql, args = query_sql(name), params
    elif isinstance(filters, Filters):
        sql = compose(filter_sql(), query_sql(name))
        args = (*filter_params(filters), *params)
    else:
        raise TypeError("load_arrow() needs a dashboard.state.Filters or None")
    try:
        return execute_arrow(db_key(), sql, tuple(args))
    except duckdb.Error as err:
        raise QueryError(f"dashboard/sql/{name}.sql failed: {err}") from err
