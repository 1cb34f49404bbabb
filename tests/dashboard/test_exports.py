"""Download bytes: CSV with BOM, Parquet, data dictionary, zip bundle."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pytest

from dashboard import exports, queries
from dashboard.state import Filters

VIETNAMESE = pd.DataFrame(
    {
        "title": [
            "Kế hoạch tuyên truyền cải cách hành chính năm 2023",
            'dấu "phẩy", và; xuống\ndòng',
        ],
        "issuer": ["UBND tỉnh Đắk Lắk", None],
        "plan_year": pd.array([2023, None], dtype="Int64"),
        "issue_date": [date(2023, 2, 14), None],
    }
)


def test_csv_has_a_bom_and_round_trips_vietnamese() -> None:
    data = exports.to_csv_bytes(VIETNAMESE)
    assert data.startswith(b"\xef\xbb\xbf")
    assert data.count(b"\xef\xbb\xbf") == 1
    back = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert list(back.columns) == list(VIETNAMESE.columns)
    assert back["title"].tolist() == VIETNAMESE["title"].tolist()
    assert back["issuer"].tolist() == ["UBND tỉnh Đắk Lắk", ""]
    assert back["plan_year"].tolist() == ["2023", ""]
    assert back["issue_date"].tolist() == ["2023-02-14", ""]


def test_csv_quotes_text_and_writes_booleans_in_lower_case() -> None:
    frame = pd.DataFrame(
        {
            "id": ["a", "b"],
            "synthetic": [True, False],
            "note": ['Sở "Nội vụ", tỉnh', None],  # a missing text is an empty cell
            "lat": [10.5, None],
        }
    )
    text = exports.to_csv_bytes(frame).decode("utf-8-sig")
    assert text == 'id,synthetic,note,lat\n"a",true,"Sở ""Nội vụ"", tỉnh",10.5\n"b",false,,\n'
    assert exports.to_csv_bytes(pa.Table.from_pandas(frame)) == exports.to_csv_bytes(frame)


def test_csv_of_an_empty_frame_keeps_the_header() -> None:
    data = exports.to_csv_bytes(VIETNAMESE.iloc[0:0])
    assert data.decode("utf-8-sig").strip() == "title,issuer,plan_year,issue_date"


def test_parquet_round_trips() -> None:
    back = pd.read_parquet(io.BytesIO(exports.to_parquet_bytes(VIETNAMESE)))
    assert back["title"].tolist() == VIETNAMESE["title"].tolist()
    assert back["plan_year"].tolist()[0] == 2023
    assert pd.isna(back["plan_year"].tolist()[1])


def test_dictionary_frame_describes_columns_and_flags_unknown_ones() -> None:
    frame = exports.dictionary_frame(
        {"tables/plans.csv": ("plan_facts", ["plan_id", "region_vi", "not_a_column"])}
    )
    assert list(frame.columns) == list(exports.DICTIONARY_COLUMNS)
    rows = frame.set_index("column")
    assert rows.loc["", "description"].startswith("One row per plan")
    assert rows.loc["plan_id", "type"] == "VARCHAR"
    assert "Vietnamese" in rows.loc["region_vi", "description"]
    assert rows.loc["not_a_column", "description"] == ""
    with pytest.raises(KeyError):
        exports.dictionary_entry("no_such_table")


def test_citation_is_one_line_with_the_data_version() -> None:
    info = {
        "extractor_version": "0.1.0",
        "codebook_version": "e8403ca7ae8a",
        "built_at": "2026-01-02T03:04:05+00:00",
    }
    line = exports.citation_text(info, {"province": "02,87", "y0": "2020"})
    assert "\n" not in line
    assert "extractor 0.1.0" in line and "codebook e8403ca7ae8a" in line
    assert "built 2026-01-02T03:04:05+00:00" in line
    assert "province=02,87&y0=2020" in line
    assert "?" not in exports.citation_text(info)
    vi = exports.citation_text(info, {"kind": "plan"}, "vi")
    assert "bộ trích xuất 0.1.0" in vi and "bộ mã e8403ca7ae8a" in vi and "bộ lọc: kind=plan" in vi


def test_bundle_zip_holds_dictionary_codebook_citation_and_tables() -> None:
    codebook = pd.DataFrame({"category": ["channel"], "id": ["radio_tv"], "label_vi": ["Đài"]})
    dictionary = exports.dictionary_frame({"codebook.csv": ("codebook", ["category", "id"])})
    data = exports.bundle_zip(
        {"plans": VIETNAMESE},
        dictionary=dictionary,
        codebook=codebook,
        citation="CCHC Atlas; data version: x",
        readme="read me",
    )
    archive = zipfile.ZipFile(io.BytesIO(data))
    names = set(archive.namelist())
    assert names == {
        "CITATION.txt",
        "README.txt",
        "data_dictionary.csv",
        "codebook.csv",
        "tables/plans.csv",
    }
    assert archive.read("CITATION.txt").decode("utf-8") == "CCHC Atlas; data version: x\n"
    assert archive.read("codebook.csv").startswith(b"\xef\xbb\xbf")
    plans = pd.read_csv(io.BytesIO(archive.read("tables/plans.csv")), encoding="utf-8-sig")
    assert plans["title"].iloc[0] == VIETNAMESE["title"].iloc[0]
    # same input, same bytes
    again = exports.bundle_zip(
        {"plans": VIETNAMESE},
        dictionary=dictionary,
        codebook=codebook,
        citation="CCHC Atlas; data version: x",
        readme="read me",
    )
    assert again == data


# --- on the demo warehouse -------------------------------------------------------------------


@pytest.fixture
def on_demo(demo_db: Path, use_db: Callable[[Path], None]) -> None:
    use_db(demo_db)


@pytest.mark.parametrize("spec", exports.EXPORTS, ids=lambda s: s.stem)
def test_every_export_column_is_in_the_data_dictionary(
    spec: exports.ExportTable, on_demo: None
) -> None:
    table = exports.export_table(spec, Filters())
    assert table.num_rows > 0
    for column in spec.dropped:
        assert column not in table.column_names
    described = exports.dictionary_frame({spec.stem: (spec.source, table.column_names)})
    missing = described[(described["column"] != "") & (described["description"] == "")]
    assert missing.empty, missing["column"].tolist()
    entry = exports.dictionary_entry(spec.source)
    assert set(table.column_names) == set(entry["columns"]) - set(spec.dropped)


def _cell(value: object) -> str:
    """How a value of a query's DataFrame reads in a CSV cell (DATE columns arrive as
    midnight time stamps)."""
    if pd.isna(value):
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


@pytest.mark.parametrize("spec", exports.EXPORTS, ids=lambda s: s.stem)
def test_every_export_file_holds_the_rows_of_its_query(
    spec: exports.ExportTable, on_demo: None
) -> None:
    """The CSV and Parquet files written from Arrow hold the values the query returns as a
    DataFrame (what the pages read), row for row."""
    filters = Filters()
    frame = queries.load(spec.sql, filters) if spec.filtered else queries.load_raw(spec.sql)
    table = exports.export_table(spec, filters)
    assert table.column_names == list(frame.columns)
    back = pd.read_csv(
        io.BytesIO(exports.to_csv_bytes(table)),
        encoding="utf-8-sig",
        dtype=str,
        keep_default_na=False,
    )
    expected = exports.to_csv_bytes(frame)
    assert exports.to_csv_bytes(table) == expected
    assert len(back) == len(frame)
    for column in frame.columns:
        values = frame[column]
        if values.dtype == bool:
            shown = ["true" if v else "false" for v in values]
        else:
            shown = [_cell(v) for v in values.astype(object)]
        if values.dtype.kind == "f":
            shown = [str(float(v)) if v else v for v in shown]
            assert [str(float(v)) if v else v for v in back[column]] == shown, column
        else:
            assert back[column].tolist() == shown, column
    parquet = pd.read_parquet(io.BytesIO(exports.to_parquet_bytes(table)))
    assert list(parquet.columns) == list(frame.columns)
    assert len(parquet) == len(frame)


def test_filtered_exports_follow_the_filters(on_demo: None) -> None:
    plans = exports.EXPORTS[0]
    assert plans.stem == "plans"
    everything = exports.export_table(plans, Filters())
    some = exports.export_table(plans, Filters(levels=("province",)))
    assert 0 < some.num_rows < everything.num_rows
    docs = exports.export_table(exports.EXPORTS[1], Filters(levels=("province",)))
    assert set(docs.column("plan_id").to_pylist()) <= set(some.column("plan_id").to_pylist())
    assert "text" not in docs.column_names


def test_bundle_of_the_demo_warehouse(on_demo: None) -> None:
    filters = Filters(levels=("province",))
    archive = zipfile.ZipFile(io.BytesIO(exports.bundle_bytes(filters)))
    names = set(archive.namelist())
    expected_tables = {f"tables/{s.stem}.csv" for s in exports.EXPORTS if s.filtered}
    assert expected_tables <= names
    assert {"data_dictionary.csv", "codebook.csv", "CITATION.txt"} <= names
    citation = archive.read("CITATION.txt").decode("utf-8")
    info = queries.load_raw("build_info").set_index("key")["value"]
    assert info["extractor_version"] in citation
    assert info["codebook_version"] in citation
    assert info["built_at"] in citation
    assert "level=province" in citation
    dictionary = pd.read_csv(
        io.BytesIO(archive.read("data_dictionary.csv")), encoding="utf-8-sig", dtype=str
    ).fillna("")
    for name in expected_tables | {"codebook.csv"}:
        header = archive.read(name).decode("utf-8-sig").splitlines()[0].split(",")
        described = dictionary[dictionary["file"] == name]
        assert set(described["column"]) - {""} == set(header), name
        assert (described["description"] != "").all(), name
    plans = pd.read_csv(io.BytesIO(archive.read("tables/plans.csv")), encoding="utf-8-sig")
    assert set(plans["issuer_level"]) == {"province"}


def test_table_bytes(on_demo: None) -> None:
    spec = exports.EXPORTS[-1]
    csv = exports.table_bytes(spec, Filters(), "csv")
    parquet = exports.table_bytes(spec, Filters(), "parquet")
    assert csv.startswith(b"\xef\xbb\xbf")
    assert parquet[:4] == b"PAR1"
    assert "Kênh số" in csv.decode("utf-8-sig")
