"""Download bytes: CSV with BOM, Parquet, data dictionary, zip bundle."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pandas as pd
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
    frame = exports.table_frame(spec, Filters())
    assert len(frame) > 0
    for column in spec.dropped:
        assert column not in frame.columns
    described = exports.dictionary_frame({spec.stem: (spec.source, list(frame.columns))})
    missing = described[(described["column"] != "") & (described["description"] == "")]
    assert missing.empty, missing["column"].tolist()
    entry = exports.dictionary_entry(spec.source)
    assert set(frame.columns) == set(entry["columns"]) - set(spec.dropped)


def test_filtered_exports_follow_the_filters(on_demo: None) -> None:
    plans = exports.EXPORTS[0]
    assert plans.stem == "plans"
    everything = exports.table_frame(plans, Filters())
    some = exports.table_frame(plans, Filters(levels=("province",)))
    assert 0 < len(some) < len(everything)
    docs = exports.table_frame(exports.EXPORTS[1], Filters(levels=("province",)))
    assert set(docs["plan_id"]) <= set(some["plan_id"])
    assert "text" not in docs.columns


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
