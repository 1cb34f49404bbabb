"""The data dictionary documents exactly what the built warehouse holds, with its types."""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

import duckdb
import pytest
import yaml

from etl.load.build import build_warehouse

DOCS = {
    "kh/kon-tum.txt": (
        "Ngày đăng: 14/03/2022\n"
        "UBND tỉnh Kon Tum ban hành Kế hoạch số 45/KH-UBND về tuyên truyền cải cách hành chính "
        "năm 2022.\n"
        "Các cơ quan đăng tin trên Cổng thông tin điện tử tỉnh và trang Zalo, in tờ rơi cho "
        "người dân. Giao Sở Nội vụ chủ trì thực hiện.\n"
    ),
    "empty.txt": "",
}

Columns = dict[str, dict[str, str]]  # relation -> column -> type


def load_dictionary() -> dict[str, Any]:
    text = resources.files("etl.load").joinpath("dictionary.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


def documented(dictionary: dict[str, Any], section: str) -> Columns:
    return {
        name: {column: spec["type"] for column, spec in entry["columns"].items()}
        for name, entry in (dictionary.get(section) or {}).items()
    }


def fetch(db: Path, sql: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def built(db: Path, table_type: str) -> Columns:
    rows = fetch(
        db,
        "SELECT c.table_name, c.column_name, c.data_type "
        "FROM information_schema.columns AS c JOIN information_schema.tables AS t "
        "USING (table_catalog, table_schema, table_name) "
        "WHERE c.table_schema = 'main' AND t.table_type = ? "
        "ORDER BY c.table_name, c.ordinal_position",
        [table_type],
    )
    out: Columns = {}
    for relation, column, data_type in rows:
        out.setdefault(relation, {})[column] = data_type
    return out


def differences(actual: Columns, doc: Columns) -> list[str]:
    """Human-readable mismatches between the database and the dictionary."""
    problems = []
    for relation in sorted(actual.keys() - doc.keys()):
        problems.append(f"{relation}: in the database, not in the dictionary")
    for relation in sorted(doc.keys() - actual.keys()):
        problems.append(f"{relation}: in the dictionary, not in the database")
    for relation in sorted(actual.keys() & doc.keys()):
        have, said = actual[relation], doc[relation]
        for column in have.keys() - said.keys():
            problems.append(f"{relation}.{column}: not documented")
        for column in said.keys() - have.keys():
            problems.append(f"{relation}.{column}: documented but does not exist")
        for column in have.keys() & said.keys():
            if have[column] != said[column]:
                problems.append(
                    f"{relation}.{column}: type {have[column]}, documented {said[column]}"
                )
    return sorted(problems)


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("dictionary")
    docs = root / "docs"
    for name, text in DOCS.items():
        (docs / name).parent.mkdir(parents=True, exist_ok=True)
        (docs / name).write_text(text, encoding="utf-8")
    db = root / "w.duckdb"
    build_warehouse(docs, db, workers=1)
    return db


def test_every_table_column_is_documented_and_exists(warehouse: Path) -> None:
    dictionary = load_dictionary()
    assert differences(built(warehouse, "BASE TABLE"), documented(dictionary, "tables")) == []


def test_every_view_column_is_documented_and_exists(warehouse: Path) -> None:
    dictionary = load_dictionary()
    assert differences(built(warehouse, "VIEW"), documented(dictionary, "views")) == []


def built_macros(db: Path) -> dict[str, list[str]]:
    """The warehouse's own SQL macros (not DuckDB's): name -> parameter names."""
    rows = fetch(
        db,
        "SELECT function_name, parameters FROM duckdb_functions() "
        "WHERE function_type IN ('macro', 'table_macro') AND NOT internal "
        "AND database_name = current_database() AND schema_name = 'main'",
    )
    return {name: list(parameters) for name, parameters in rows}


def test_every_macro_is_documented_and_exists(warehouse: Path) -> None:
    documented_macros = {
        name: entry["parameters"] for name, entry in load_dictionary()["macros"].items()
    }
    assert built_macros(warehouse) == documented_macros


def test_every_entry_says_what_it_means() -> None:
    dictionary = load_dictionary()
    assert set(dictionary) == {"tables", "views", "macros"}
    for name, entry in dictionary["macros"].items():
        assert set(entry) == {"parameters", "description"}, name
        assert len(entry["description"].strip()) >= 8, name
    for section in ("tables", "views"):
        for name, entry in dictionary[section].items():
            assert str(entry.get("description") or "").strip(), name
            assert entry["columns"], name
            for column, spec in entry["columns"].items():
                assert set(spec) == {"type", "description"}, f"{name}.{column}"
                assert len(spec["description"].strip()) >= 8, f"{name}.{column}"


def test_the_check_catches_drift(warehouse: Path) -> None:
    """The comparison above must fail on an undocumented or a phantom column."""
    doc = documented(load_dictionary(), "tables")
    actual = built(warehouse, "BASE TABLE")
    undocumented = {**actual, "documents": {**actual["documents"], "secret": "VARCHAR"}}
    assert differences(undocumented, doc) == ["documents.secret: not documented"]
    phantom = {**doc, "plans": {**doc["plans"], "ghost": "INTEGER"}}
    assert differences(actual, phantom) == ["plans.ghost: documented but does not exist"]
    retyped = {**doc, "plans": {**doc["plans"], "plan_year": "VARCHAR"}}
    assert differences(actual, retyped) == ["plans.plan_year: type INTEGER, documented VARCHAR"]
