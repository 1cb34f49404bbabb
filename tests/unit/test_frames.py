"""Extractions -> DataFrames: exact columns and types, provenance kept, order independent."""

from __future__ import annotations

import hashlib
from datetime import date

import duckdb
import pandas as pd
import pyarrow as pa
import pytest

from etl.load import frames as fr
from etl.load.build import sql_text
from etl.load.plans import assign_plans
from etl.models import (
    Evidence,
    Extraction,
    Issuer,
    ManifestRow,
    Mention,
    RawDocument,
    Responsibility,
)

DUCKDB_TYPES = {
    pa.string(): "VARCHAR",
    pa.large_string(): "VARCHAR",
    pa.date32(): "DATE",
    pa.int32(): "INTEGER",
    pa.int64(): "BIGINT",
    pa.bool_(): "BOOLEAN",
    pa.float64(): "DOUBLE",
}

TEXT_A = (
    "UBND tỉnh Kon Tum vừa ban hành Kế hoạch số 45/KH-UBND ngày 10/3/2022 về thông tin, "
    "tuyên truyền cải cách hành chính năm 2022. Các cơ quan đăng tin trên Cổng thông tin điện "
    "tử tỉnh, lập trang Zalo và in tờ rơi phát cho người dân. Giao Sở Nội vụ chủ trì thực hiện."
)
TEXT_B = (
    "Kon Tum: tuyên truyền cải cách hành chính năm 2022. Theo Kế hoạch số 45/KH-UBND, "
    "Đài Phát thanh - Truyền hình tỉnh mở chuyên mục về thủ tục hành chính cho doanh nghiệp."
)


def span(text: str, needle: str) -> Evidence:
    start = text.index(needle)
    return Evidence(start, start + len(needle), needle)


def raw_doc(relpath: str, text: str, **meta: str) -> RawDocument:
    doc_id = hashlib.sha256(text.encode()).hexdigest()
    return RawDocument(
        doc_id=doc_id,
        path=f"/docs/{relpath}",
        relpath=relpath,
        fmt="txt",
        size_bytes=len(text.encode()),
        encoding="utf-8",
        text=text,
        meta=dict(meta),
    )


def mention(category: str, id_: str, text: str, needle: str) -> Mention:
    return Mention(category=category, id=id_, evidence=span(text, needle), rule=f"{id_}.1")


def doc_a() -> tuple[RawDocument, Extraction]:
    raw = raw_doc("tin/a.txt", TEXT_A, url="https://example.vn/a")
    issuer_ev = span(TEXT_A, "UBND tỉnh Kon Tum")
    ex = Extraction(
        doc_id=raw.doc_id,
        file=raw.relpath,
        kind="plan",
        title="Kon Tum tuyên truyền cải cách hành chính",
        issuer=Issuer(
            name="UBND tỉnh Kon Tum",
            level="province",
            province_code="62",
            province_code_2025="51",
            source="text",
            evidence=issuer_ev,
        ),
        plan_number="45/KH-UBND",
        issue_date=date(2022, 3, 10),
        published_date=date(2022, 3, 12),
        plan_year=2022,
        author="Minh An",
        channels=[
            mention("channel", "web_portal", TEXT_A, "Cổng thông tin điện tử"),
            mention("channel", "leaflet", TEXT_A, "tờ rơi"),
            mention("channel", "social_media", TEXT_A, "trang Zalo"),
        ],
        themes=[mention("theme", "procedure_reform", TEXT_A, "cải cách hành chính")],
        audiences=[mention("audience", "citizens", TEXT_A, "người dân")],
        platforms=[mention("platform", "zalo", TEXT_A, "Zalo")],
        responsibilities=[
            Responsibility(
                agency="home_affairs",
                agency_text="Sở Nội vụ",
                role="lead",
                task="chủ trì thực hiện",
                evidence=span(TEXT_A, "Giao Sở Nội vụ chủ trì thực hiện"),
            )
        ],
        field_evidence={
            "plan_number": span(TEXT_A, "45/KH-UBND"),
            "issue_date": span(TEXT_A, "ngày 10/3/2022"),
            "plan_year": span(TEXT_A, "năm 2022"),
        },
        extractor_version="9.9.9",
        codebook_version="abc123",
    )
    return raw, ex


def doc_b() -> tuple[RawDocument, Extraction]:
    raw = raw_doc("tin/b.txt", TEXT_B)
    ex = Extraction(
        doc_id=raw.doc_id,
        file=raw.relpath,
        kind="plan",
        issuer=Issuer(name="UBND tỉnh Kon Tum", province_code="62", province_code_2025="51"),
        plan_number="45/KH-UBND",
        published_date=date(2022, 3, 15),
        plan_year=2022,
        source_name="Báo Kon Tum",
        channels=[mention("channel", "radio_tv", TEXT_B, "Đài Phát thanh - Truyền hình")],
        themes=[
            mention("theme", "procedure_reform", TEXT_B, "cải cách hành chính"),
            mention("theme", "procedure_reform", TEXT_B, "thủ tục hành chính"),
        ],
        audiences=[mention("audience", "businesses", TEXT_B, "doanh nghiệp")],
        extractor_version="9.9.9",
        codebook_version="abc123",
    )
    return raw, ex


def doc_c() -> tuple[RawDocument, Extraction]:
    text = "Huyện tổ chức hội nghị tập huấn về cải cách hành chính cho cán bộ, công chức."
    raw = raw_doc("c.txt", text)
    ex = Extraction(doc_id=raw.doc_id, file=raw.relpath, kind="report", extractor_version="9.9.9")
    return raw, ex


def all_frames() -> dict[str, pd.DataFrame]:
    return fr.extractions_to_frames(assign_plans([doc_a(), doc_b(), doc_c()]))


def schema_columns() -> dict[str, list[tuple[str, str]]]:
    con = duckdb.connect()
    con.execute(sql_text("schema.sql"))
    rows = con.execute(
        "SELECT table_name, column_name, data_type FROM information_schema.columns "
        "WHERE table_schema = 'main' ORDER BY table_name, ordinal_position"
    ).fetchall()
    out: dict[str, list[tuple[str, str]]] = {}
    for table, column, data_type in rows:
        out.setdefault(table, []).append((column, data_type))
    return out


def test_column_specs_match_schema_sql() -> None:
    specs = {
        table: [(name, DUCKDB_TYPES[arrow_type]) for name, arrow_type in columns]
        for table, columns in fr.TABLES.items()
    }
    assert specs == schema_columns()


def test_frames_have_exact_columns_and_dtypes() -> None:
    frames = all_frames()
    assert set(frames) == set(fr.EXTRACTION_TABLES)
    for table, data in frames.items():
        expected = [(name, pd.ArrowDtype(t)) for name, t in fr.TABLES[table]]
        assert list(zip(data.columns, data.dtypes, strict=True)) == expected, table


def test_empty_input_gives_empty_typed_frames() -> None:
    frames = fr.extractions_to_frames([])
    for table, data in frames.items():
        assert data.empty
        assert list(data.columns) == [name for name, _ in fr.TABLES[table]]
        assert all(isinstance(dtype, pd.ArrowDtype) for dtype in data.dtypes)


def test_documents_and_plans() -> None:
    frames = all_frames()
    docs = frames["documents"]
    assert list(docs["relpath"]) == ["c.txt", "tin/a.txt", "tin/b.txt"]
    a = docs[docs["relpath"] == "tin/a.txt"].iloc[0]
    assert a["url"] == "https://example.vn/a"
    assert a["published_date"] == date(2022, 3, 12)
    assert a["text"] == TEXT_A
    assert a["plan_year"] == 2022
    assert a["locality_source"] == "text"
    b = docs[docs["relpath"] == "tin/b.txt"].iloc[0]
    assert a["plan_id"] == b["plan_id"]  # same issuer, number, year
    assert b["source_name"] == "Báo Kon Tum"

    plans = frames["plans"]
    assert len(plans) == 2
    merged = plans[plans["plan_id"] == a["plan_id"]].iloc[0]
    assert merged["n_sources"] == 2
    assert merged["published_date"] == date(2022, 3, 12)
    assert merged["issue_date"] == date(2022, 3, 10)
    lonely = plans[plans["plan_id"] != a["plan_id"]].iloc[0]
    assert lonely["plan_number"] is pd.NA or pd.isna(lonely["plan_number"])
    assert lonely["kind"] == "report"

    sources = frames["plan_sources"]
    merged_sources = sources[sources["plan_id"] == a["plan_id"]]
    assert list(merged_sources["relpath"]) == ["tin/a.txt", "tin/b.txt"]  # earliest first


def test_facts_keep_their_document_and_evidence() -> None:
    frames = all_frames()
    (raw_a, _), (raw_b, _) = doc_a(), doc_b()
    themes = frames["theme_mentions"]
    assert len(themes) == 3  # one row per evidence span, from both sources
    assert set(themes["doc_id"]) == {raw_a.doc_id, raw_b.doc_id}
    texts = {raw_a.doc_id: raw_a.text, raw_b.doc_id: raw_b.text}
    for table in fr.FACT_TABLES:
        for row in frames[table].itertuples():
            assert texts[row.doc_id][row.evidence_start : row.evidence_end] == row.evidence_text
            assert row.extractor_version == "9.9.9"
    channels = frames["channel_mentions"]
    a_rows = channels[channels["doc_id"] == raw_a.doc_id]
    assert list(a_rows["channel_id"]) == ["web_portal", "social_media", "leaflet"]  # text order
    assert list(frames["platform_mentions"]["platform_id"]) == ["zalo"]
    resp = frames["responsibilities"].iloc[0]
    assert (resp["agency_id"], resp["role"], resp["agency_text"]) == (
        "home_affairs",
        "lead",
        "Sở Nội vụ",
    )


def test_field_evidence_values_are_text() -> None:
    frames = all_frames()
    fields = frames["field_evidence"]
    values = dict(zip(fields["field"], fields["value"], strict=True))
    assert values == {
        "issue_date": "2022-03-10",
        "issuer": "UBND tỉnh Kon Tum",
        "plan_number": "45/KH-UBND",
        "plan_year": "2022",
    }


def test_output_does_not_depend_on_input_order() -> None:
    forward = fr.extractions_to_frames(assign_plans([doc_a(), doc_b(), doc_c()]))
    backward = fr.extractions_to_frames(assign_plans([doc_c(), doc_b(), doc_a()]))
    for table in fr.EXTRACTION_TABLES:
        pd.testing.assert_frame_equal(forward[table], backward[table])


def test_the_same_document_twice_is_refused() -> None:
    items = assign_plans([doc_a(), doc_a()])
    with pytest.raises(ValueError, match="given twice"):
        fr.extractions_to_frames(items)


def test_frames_insert_into_the_schema() -> None:
    frames = all_frames()
    con = duckdb.connect()
    con.execute(sql_text("schema.sql"))
    for table, data in frames.items():
        con.register("incoming", data)
        con.execute(f'INSERT INTO "{table}" BY NAME SELECT * FROM incoming')
        con.unregister("incoming")
    assert con.execute("SELECT count(*) FROM channel_mentions").fetchone() == (4,)
    ok = con.execute(
        "SELECT bool_and(substring(d.text, m.evidence_start + 1, "
        "m.evidence_end - m.evidence_start) = m.evidence_text) "
        "FROM theme_mentions m JOIN documents d USING (doc_id)"
    ).fetchone()
    assert ok == (True,)


def test_check_evidence_drops_facts_whose_span_is_wrong() -> None:
    raw, ex = doc_a()
    ex.channels.append(Mention("channel", "press", Evidence(0, 4, "Báo "), "press.1"))
    ex.field_evidence["title"] = Evidence(5, 2, "")
    checked, problems = fr.check_evidence(raw, ex)
    assert [m.id for m in checked.channels] == ["web_portal", "leaflet", "social_media"]
    assert "title" not in checked.field_evidence
    assert len(problems) == 2
    assert "channel 'press'" in problems[0] and "dropped" in problems[0]
    unchanged, none = fr.check_evidence(*doc_a())
    assert none == [] and unchanged == doc_a()[1]


def test_apply_manifest_fills_only_the_gaps() -> None:
    raw, ex = doc_c()
    row = ManifestRow(
        file="c.txt",
        url="https://example.vn/c",
        published_date=date(2021, 5, 6),
        title="Tiêu đề từ manifest",
        kind="plan",
        synthetic=True,
    )
    raw2, ex2 = fr.apply_manifest(raw, ex, row)
    assert fr.document_url(raw2) == "https://example.vn/c"
    assert (ex2.published_date, ex2.title, ex2.synthetic) == (date(2021, 5, 6), row.title, True)
    assert ex2.kind == "report"  # the extractor knew better than 'other'
    raw_a, ex_a = doc_a()
    _, ex_a2 = fr.apply_manifest(raw_a, ex_a, row)
    assert ex_a2.title == ex_a.title and ex_a2.published_date == ex_a.published_date
    assert fr.apply_manifest(raw, ex, None) == (raw, ex)


def test_conform_casts_and_checks_columns() -> None:
    data = pd.DataFrame(
        {
            "province_code": ["62", "95"],
            "province_name": ["Kon Tum", "Bạc Liêu"],
            "province_code_2025": ["51", None],
            "province_name_2025": ["Quảng Ngãi", None],
            "extra": [1, 2],
        }
    )
    out = fr.conform("locality_crosswalk", data)
    assert list(out.columns) == [name for name, _ in fr.TABLES["locality_crosswalk"]]
    assert pd.isna(out["province_code_2025"].iloc[1])
    with pytest.raises(KeyError, match="province_name"):
        fr.conform("locality_crosswalk", data.drop(columns=["province_name"]))
    book = pd.DataFrame(
        [{"category": "channel", "id": "sms", "group_id": "digital", "label_vi": "Tin nhắn SMS"}]
    )
    book["label_en"] = "SMS"
    book["description"] = None
    conformed = fr.conform("codebook", book)  # group_vi/group_en are optional
    assert conformed["group_vi"].isna().all()


def test_errors_and_build_info_frames_are_sorted() -> None:
    errors = fr.errors_frame([("z.txt", "read", "empty file"), ("a.txt", "read", "binary")])
    assert list(errors["relpath"]) == ["a.txt", "z.txt"]
    info = fr.build_info_frame({"n_plans": "2", "built_at": "2024-01-01T00:00:00+00:00"})
    assert list(info["key"]) == ["built_at", "n_plans"]
