"""`cchc-atlas export --format parquet`: the partitioned dataset holds exactly the warehouse's
rows, per table and per (plan year, province), and comes with the data dictionary."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest
import yaml

from etl.cli import main
from etl.load.build import build_warehouse
from etl.load.export import DIMENSION_TABLES, FACT_TABLES, MARKER, export_parquet

ROOT = Path(__file__).resolve().parents[2]
SAMPLE_DOCS = ROOT / "data" / "sample" / "docs"
# a document naming neither a year nor a place: its plan's keys are NULL
UNPLACED = (
    "Tin hoạt động\n"
    "Đẩy mạnh tuyên truyền cải cách hành chính\n"
    "Các cơ quan tăng cường tuyên truyền cải cách thủ tục hành chính trên cổng thông tin điện "
    "tử và mạng xã hội, tổ chức hội nghị tập huấn cho cán bộ, công chức.\n"
)

# the partition keys of each fact table's rows in the warehouse
KEYS_SQL: dict[str, str] = {
    "plans": "SELECT plan_year, province_code FROM plans",
    "documents": "SELECT plan_year, province_code FROM documents",
    "field_evidence": (
        "SELECT d.plan_year, d.province_code FROM field_evidence AS f "
        "JOIN documents AS d ON d.doc_id = f.doc_id"
    ),
}


def _keys_sql(table: str) -> str:
    return KEYS_SQL.get(
        table,
        f"SELECT p.plan_year, p.province_code FROM {table} AS t "
        "JOIN plans AS p ON p.plan_id = t.plan_id",
    )


def _glob(out: Path, table: str) -> str:
    return f"read_parquet('{out}/{table}/**/*.parquet', hive_partitioning = true)"


def _per_partition(con: duckdb.DuckDBPyConnection, select: str) -> dict[tuple, int]:
    rows = con.execute(
        f"SELECT CAST(plan_year AS INTEGER), CAST(province_code AS VARCHAR), count(*) "
        f"FROM ({select}) GROUP BY ALL"
    ).fetchall()
    return {(year, province): n for year, province, n in rows}


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    tmp = tmp_path_factory.mktemp("export")
    docs = tmp / "docs"
    shutil.copytree(SAMPLE_DOCS, docs)
    (docs / "zz-unplaced.txt").write_text(UNPLACED, encoding="utf-8")
    db = tmp / "w.duckdb"
    summary = build_warehouse(docs, db, workers=1)
    assert summary.written and summary.documents > 0, summary.render()
    out = tmp / "parquet"
    assert main(["export", "--format", "parquet", "--db", str(db), "--out", str(out)]) == 0
    return db, out


def test_every_table_has_the_warehouse_rows(exported: tuple[Path, Path]) -> None:
    db, out = exported
    with duckdb.connect(str(db), read_only=True) as wh, duckdb.connect() as pq:
        for table in (*FACT_TABLES, *DIMENSION_TABLES):
            expected = wh.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            got = pq.execute(f"SELECT count(*) FROM {_glob(out, table)}").fetchone()[0]
            assert got == expected, table
        assert wh.execute("SELECT count(*) FROM channel_mentions").fetchone()[0] > 0


def test_counts_per_year_and_province_match(exported: tuple[Path, Path]) -> None:
    db, out = exported
    with duckdb.connect(str(db), read_only=True) as wh, duckdb.connect() as pq:
        for table in FACT_TABLES:
            expected = _per_partition(wh, _keys_sql(table))
            got = _per_partition(pq, f"SELECT * FROM {_glob(out, table)}")
            assert got == expected, table
        # the unplaced document's NULL keys survive the round trip
        plans = _per_partition(wh, _keys_sql("plans"))
        assert len(plans) > 1
        assert (None, None) in plans


def test_hive_layout_and_columns(exported: tuple[Path, Path]) -> None:
    db, out = exported
    years = {p.name for p in (out / "plans").iterdir()}
    assert any(name.startswith("plan_year=20") for name in years)
    files = list((out / "channel_mentions").glob("plan_year=*/province_code=*/*.parquet"))
    assert files
    with duckdb.connect(str(db), read_only=True) as wh, duckdb.connect() as pq:
        for table in FACT_TABLES:
            warehouse_cols = [r[0] for r in wh.execute(f"DESCRIBE {table}").fetchall()]
            parquet_cols = [
                r[0] for r in pq.execute(f"DESCRIBE SELECT * FROM {_glob(out, table)}").fetchall()
            ]
            if table == "documents":
                warehouse_cols.remove("text")
                assert "text" not in parquet_cols
            assert set(warehouse_cols) <= set(parquet_cols), table
            assert {"plan_year", "province_code"} <= set(parquet_cols), table
        # province codes keep their leading zeros
        codes = pq.execute(
            f"SELECT DISTINCT province_code FROM {_glob(out, 'plans')} "
            "WHERE province_code IS NOT NULL"
        ).fetchall()
        assert codes and all(len(code) == 2 for (code,) in codes)


def test_dictionary_and_readme(exported: tuple[Path, Path]) -> None:
    _, out = exported
    dictionary = yaml.safe_load((out / "dictionary.yaml").read_text(encoding="utf-8"))
    assert set(FACT_TABLES) <= set(dictionary["tables"])
    readme = (out / "README.md").read_text(encoding="utf-8")
    for table in FACT_TABLES:
        assert f"`{table}`" in readme
    assert "hive_partitioning" in readme


def test_refuses_to_replace_a_foreign_folder_and_replaces_an_export(
    exported: tuple[Path, Path], tmp_path: Path
) -> None:
    db, _ = exported
    foreign = tmp_path / "mine"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("keep me", encoding="utf-8")
    with pytest.raises(FileExistsError):
        export_parquet(db, foreign)
    assert (foreign / "notes.txt").read_text(encoding="utf-8") == "keep me"

    again = tmp_path / "again"
    export_parquet(db, again)
    (again / "plans" / "stale.parquet").write_bytes(b"")
    summary = export_parquet(db, again)  # an earlier export is replaced as a whole
    assert (again / MARKER).is_file()
    assert not (again / "plans" / "stale.parquet").exists()
    assert summary.rows["plans"] > 0


def test_missing_warehouse_is_an_error(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    code = main(
        [
            "export",
            "--format",
            "parquet",
            "--db",
            str(tmp_path / "no.duckdb"),
            "--out",
            str(tmp_path / "out"),
        ]
    )
    assert code == 1
    assert "no warehouse" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()
