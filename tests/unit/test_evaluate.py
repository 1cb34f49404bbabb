"""`score` (pure) and `evaluate` (I/O) against gold entries in the seeds.yaml format."""

from __future__ import annotations

import json
import sys
import types
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from etl.evaluate import (
    SET_FIELDS,
    SINGLE_FIELD_NAMES,
    Miss,
    Report,
    SetScore,
    SingleScore,
    evaluate,
    load_gold,
    normalize_single,
    score,
)
from etl.models import DocumentError, Extraction, Issuer, RawDocument

# --------------------------------------------------------------------------- builders


def gold_entry(file: str = "a.txt", **overrides: Any) -> dict[str, Any]:
    """A gold entry as yaml.safe_load gives it (dates as `date`), every set field empty."""
    entry: dict[str, Any] = {
        "file": file,
        "issuer": {
            "level": "district",
            "province_code": "95",
            "district_code": "954",
            "province_code_2025": "96",
        },
        "kind": "plan",
        "plan_number": "50/KH-UBND",
        "issue_date": date(2018, 4, 16),
        "published_date": date(2018, 4, 18),
        "plan_year": 2018,
        "author": "Kim Ngân",
        "channels": {"required": [], "optional": []},
        "platforms": [],
        "themes": {"required": [], "optional": []},
        "audiences": {"required": [], "optional": []},
        "responsibilities": {"required": [], "optional": []},
    }
    entry.update(overrides)
    return entry


def span(text: str = "tờ rơi") -> dict[str, Any]:
    return {"start": 0, "end": len(text), "text": text}


def record(file: str = "a.txt", **overrides: Any) -> dict[str, Any]:
    """An `extraction_to_json` record that matches `gold_entry()` exactly."""
    rec: dict[str, Any] = {
        "file": file,
        "kind": "plan",
        "title": "Tuyên truyền CCHC năm 2018",
        "issuer": {
            "name": "UBND thành phố Bạc Liêu",
            "level": "district",
            "province_code": "95",
            "district_code": "954",
            "province_code_2025": "96",
        },
        "plan_number": "50/KH-UBND",
        "issue_date": "2018-04-16",
        "published_date": "2018-04-18",
        "plan_year": 2018,
        "author": "Kim Ngân",
        "channels": [],
        "themes": [],
        "audiences": [],
        "platforms": [],
        "responsibilities": [],
        "other_responsibilities": [],
        "doc_id": "0" * 64,
        "source_name": None,
        "extractor_version": "0.1.0",
        "codebook_version": "",
        "synthetic": False,
    }
    rec.update(overrides)
    return rec


def ids(*names: str) -> list[dict[str, Any]]:
    return [{"id": name, "evidence": span(name)} for name in names]


def resps(*pairs: tuple[str, str]) -> list[dict[str, Any]]:
    return [
        {"agency": agency, "role": role, "task": "chủ trì", "evidence": span()}
        for agency, role in pairs
    ]


def counts(report: Report, field: str) -> tuple[int, int, int]:
    s = report.set_fields[field]
    return (s.tp, s.fp, s.fn)


def miss_summary(report: Report, file: str = "a.txt") -> set[tuple[str, str, Any]]:
    (doc,) = [d for d in report.documents if d.file == file]
    out: set[tuple[str, str, Any]] = set()
    for m in doc.misses:
        if m.kind in ("fn", "fp"):
            out.add((m.field, m.kind, m.value))
        else:
            out.add((m.field, m.kind, (m.expected, m.got)))
    return out


# --------------------------------------------------------------------------- set fields

SET_CASES = [
    # (required, optional, extracted, (tp, fp, fn))
    pytest.param([], [], [], (0, 0, 0), id="all-empty"),
    pytest.param(["a", "b"], [], ["a", "b"], (2, 0, 0), id="exact"),
    pytest.param(["a", "b"], [], ["a"], (1, 0, 1), id="one-missed"),
    pytest.param(["a"], [], ["a", "x"], (1, 1, 0), id="one-extra"),
    pytest.param(["a"], ["o"], ["a", "o"], (1, 0, 0), id="optional-found-neutral"),
    pytest.param(["a"], ["o"], ["a"], (1, 0, 0), id="optional-missed-neutral"),
    pytest.param(["a", "b"], ["o"], ["o", "x", "y"], (0, 2, 2), id="all-wrong"),
    pytest.param([], [], ["x"], (0, 1, 0), id="fp-on-empty-gold"),
    pytest.param([], ["o"], ["o"], (0, 0, 0), id="only-optional"),
    pytest.param(["a"], ["a"], [], (0, 0, 1), id="required-wins-over-optional"),
]


@pytest.mark.parametrize("field", ["channels", "themes", "audiences"])
@pytest.mark.parametrize(("required", "optional", "extracted", "expected"), SET_CASES)
def test_set_field_arithmetic(
    field: str,
    required: list[str],
    optional: list[str],
    extracted: list[str],
    expected: tuple[int, int, int],
) -> None:
    gold = gold_entry(**{field: {"required": required, "optional": optional}})
    report = score([gold], {"a.txt": record(**{field: ids(*extracted)})})
    assert counts(report, field) == expected
    _tp, fp, fn = expected
    kinds = [m.kind for m in report.documents[0].misses if m.field == field]
    assert kinds.count("fp") == fp
    assert kinds.count("fn") == fn
    for other in SET_FIELDS:
        if other != field:
            assert counts(report, other) == (0, 0, 0)


def test_set_field_misses_name_the_ids() -> None:
    gold = gold_entry(themes={"required": ["one_stop_shop", "e_government"], "optional": []})
    report = score([gold], {"a.txt": record(themes=ids("one_stop_shop", "transparency"))})
    assert miss_summary(report) == {
        ("themes", "fn", "e_government"),
        ("themes", "fp", "transparency"),
    }


def test_duplicate_extracted_ids_count_once() -> None:
    gold = gold_entry(channels={"required": ["leaflet"], "optional": []})
    report = score([gold], {"a.txt": record(channels=ids("leaflet", "leaflet", "sms", "sms"))})
    assert counts(report, "channels") == (1, 1, 0)


def test_micro_average_over_documents() -> None:
    gold = [
        gold_entry("a.txt", channels={"required": ["a", "b", "c"], "optional": []}),
        gold_entry("b.txt", channels={"required": ["a"], "optional": []}),
    ]
    predictions = {
        "a.txt": record("a.txt", channels=ids("a", "b", "c")),
        "b.txt": record("b.txt", channels=ids("x")),
    }
    s = score(gold, predictions).set_fields["channels"]
    assert (s.tp, s.fp, s.fn) == (3, 1, 1)
    assert s.precision == pytest.approx(0.75)
    assert s.recall == pytest.approx(0.75)
    assert s.f1 == pytest.approx(0.75)


@pytest.mark.parametrize(
    ("tp", "fp", "fn", "precision", "recall", "f1"),
    [
        pytest.param(0, 0, 0, 1.0, 1.0, 1.0, id="nothing-either-way"),
        pytest.param(0, 0, 3, 1.0, 0.0, 0.0, id="nothing-extracted"),
        pytest.param(0, 2, 0, 0.0, 1.0, 0.0, id="nothing-required"),
        pytest.param(3, 1, 0, 0.75, 1.0, 6 / 7, id="one-fp"),
        pytest.param(1, 1, 2, 0.5, 1 / 3, 0.4, id="mixed"),
        pytest.param(5, 0, 0, 1.0, 1.0, 1.0, id="perfect"),
    ],
)
def test_precision_recall_f1_and_zero_denominators(
    tp: int, fp: int, fn: int, precision: float, recall: float, f1: float
) -> None:
    s = SetScore(tp, fp, fn)
    assert s.precision == pytest.approx(precision)
    assert s.recall == pytest.approx(recall)
    assert s.f1 == pytest.approx(f1)


def test_platforms_are_a_plain_set_all_required() -> None:
    gold = gold_entry(platforms=["facebook", "zalo", "youtube"])
    report = score([gold], {"a.txt": record(platforms=["zalo", "facebook", "tiktok"])})
    assert counts(report, "platforms") == (2, 1, 1)
    assert miss_summary(report) == {
        ("platforms", "fn", "youtube"),
        ("platforms", "fp", "tiktok"),
    }


def test_empty_platforms_and_none_extracted_score_perfectly() -> None:
    report = score([gold_entry(platforms=[])], {"a.txt": record(platforms=[])})
    assert counts(report, "platforms") == (0, 0, 0)
    assert report.set_fields["platforms"].f1 == 1.0


def test_responsibilities_are_scored_as_agency_role_pairs() -> None:
    gold = gold_entry(
        responsibilities={
            "required": [["information_communications", "lead"], ["home_affairs", "coordinate"]],
            "optional": [["all_agencies", "implement"]],
        }
    )
    predicted = resps(
        ("information_communications", "lead"),
        ("information_communications", "coordinate"),  # right agency, wrong role: FP
        ("all_agencies", "implement"),  # optional: neutral
    )
    report = score([gold], {"a.txt": record(responsibilities=predicted)})
    assert counts(report, "responsibilities") == (1, 1, 1)
    assert miss_summary(report) == {
        ("responsibilities", "fn", ("home_affairs", "coordinate")),
        ("responsibilities", "fp", ("information_communications", "coordinate")),
    }


def test_other_responsibilities_are_not_scored() -> None:
    other = [
        {
            "agency": "other",
            "agency_text": "Hội Nông dân",
            "role": "coordinate",
            "task": "phối hợp",
            "evidence": span("Hội Nông dân"),
        }
    ]
    report = score([gold_entry()], {"a.txt": record(other_responsibilities=other)})
    assert counts(report, "responsibilities") == (0, 0, 0)
    assert report.documents[0].misses == ()


# --------------------------------------------------------------------------- single fields


def test_a_document_with_everything_right() -> None:
    gold = gold_entry(
        channels={"required": ["web_portal", "leaflet"], "optional": ["press"]},
        themes={"required": ["one_stop_shop"], "optional": []},
        audiences={"required": ["citizens"], "optional": ["officials"]},
        platforms=["zalo"],
        responsibilities={"required": [["culture_information", "lead"]], "optional": []},
    )
    rec = record(
        channels=ids("leaflet", "web_portal", "press"),
        themes=ids("one_stop_shop"),
        audiences=ids("citizens"),
        platforms=["zalo"],
        responsibilities=resps(("culture_information", "lead")),
    )
    report = score([gold], {"a.txt": rec})
    assert report.documents[0].misses == ()
    assert report.documents[0].error is None
    for name in SINGLE_FIELD_NAMES:
        assert report.single_fields[name] == SingleScore(right=1, total=1)
        assert report.single_fields[name].accuracy == 1.0
    for name in SET_FIELDS:
        assert report.set_fields[name].f1 == 1.0
    assert "a.txt: no misses" in report.render()


SINGLE_CASES = [
    # (field, gold override, record override, right?)
    pytest.param("kind", {"kind": "plan"}, {"kind": "report"}, False, id="kind-wrong"),
    pytest.param(
        "issuer.level",
        {},
        {"issuer": {**record()["issuer"], "level": "province"}},
        False,
        id="level-wrong",
    ),
    pytest.param(
        "issuer.province_code",
        {},
        {"issuer": {**record()["issuer"], "province_code": "96"}},
        False,
        id="province-wrong",
    ),
    pytest.param(
        "issuer.district_code",
        {"issuer": {**gold_entry()["issuer"], "district_code": None}},
        {},
        False,
        id="district-null-vs-value",
    ),
    pytest.param(
        "issuer.district_code",
        {"issuer": {**gold_entry()["issuer"], "district_code": None}},
        {"issuer": {**record()["issuer"], "district_code": None}},
        True,
        id="district-null-equals-null",
    ),
    pytest.param(
        "issuer.province_code_2025",
        {},
        {"issuer": {**record()["issuer"], "province_code_2025": "95"}},
        False,
        id="province-2025-wrong",
    ),
    pytest.param("plan_number", {}, {"plan_number": "50/KH-UBNDT"}, False, id="number-wrong"),
    pytest.param("plan_number", {}, {"plan_number": " 50/KH-UBND "}, True, id="number-stripped"),
    pytest.param("issue_date", {}, {"issue_date": None}, False, id="date-value-vs-null"),
    pytest.param("issue_date", {"issue_date": None}, {}, False, id="date-null-vs-value"),
    pytest.param(
        "issue_date", {"issue_date": None}, {"issue_date": None}, True, id="date-null-null"
    ),
    pytest.param("issue_date", {"issue_date": "2018-04-16"}, {}, True, id="date-quoted-in-gold"),
    pytest.param(
        "published_date", {}, {"published_date": "2018-04-19"}, False, id="published-wrong"
    ),
    pytest.param("plan_year", {}, {"plan_year": 2019}, False, id="year-wrong"),
    pytest.param("plan_year", {"plan_year": "2018"}, {}, True, id="year-str-vs-int"),
    pytest.param("author", {}, {"author": "Kim  Ngân "}, True, id="author-whitespace"),
    pytest.param("author", {}, {"author": "Kim Nga\u0302n"}, True, id="author-nfd-equals-nfc"),
    pytest.param("author", {}, {"author": "kim ngân"}, False, id="author-case-matters"),
    pytest.param("author", {"author": None}, {"author": "Hà Nội portal"}, False, id="author-fp"),
    pytest.param("author", {"author": None}, {"author": "  "}, True, id="author-blank-is-null"),
]


@pytest.mark.parametrize(("field", "gold_over", "rec_over", "right"), SINGLE_CASES)
def test_single_field_comparison(
    field: str, gold_over: dict[str, Any], rec_over: dict[str, Any], right: bool
) -> None:
    report = score([gold_entry(**gold_over)], {"a.txt": record(**rec_over)})
    assert report.single_fields[field] == SingleScore(right=int(right), total=1)
    field_misses = report.misses(field)
    assert len(field_misses) == (0 if right else 1)
    others = [m for _, m in report.misses() if m.field != field]
    assert others == []
    if not right:
        miss = field_misses[0][1]
        assert miss.kind == "wrong"
        assert miss.describe().startswith(f"{field}: expected ")


def test_record_without_issuer_gets_every_issuer_field_wrong() -> None:
    report = score([gold_entry()], {"a.txt": record(issuer=None)})
    wrong = {m.field for _, m in report.misses()}
    assert wrong == {name for name in SINGLE_FIELD_NAMES if name.startswith("issuer.")}


def test_wrong_single_field_reports_expected_and_got() -> None:
    report = score([gold_entry()], {"a.txt": record(issue_date=None, plan_number="5/KH")})
    assert miss_summary(report) == {
        ("issue_date", "wrong", ("2018-04-16", None)),
        ("plan_number", "wrong", ("50/KH-UBND", "5/KH")),
    }
    text = report.render()
    assert "issue_date: expected '2018-04-16', got null" in text
    assert "plan_number: expected '50/KH-UBND', got '5/KH'" in text


def test_accuracy_over_documents() -> None:
    gold = [gold_entry("a.txt"), gold_entry("b.txt"), gold_entry("c.txt")]
    predictions = {
        "a.txt": record("a.txt"),
        "b.txt": record("b.txt", kind="report"),
        "c.txt": record("c.txt", kind="directive"),
    }
    kind = score(gold, predictions).single_fields["kind"]
    assert (kind.right, kind.total) == (1, 3)
    assert kind.accuracy == pytest.approx(1 / 3)


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("issue_date", date(2020, 1, 9), "2020-01-09"),
        ("issue_date", "2020-01-09", "2020-01-09"),
        ("issue_date", None, None),
        ("plan_year", 2020, "2020"),
        ("issuer.province_code", "01", "01"),
        ("author", "  Minh\tChấn \n", "Minh Chấn"),
        ("author", "", None),
        ("plan_number", "", None),
    ],
)
def test_normalize_single(name: str, value: Any, expected: str | None) -> None:
    assert normalize_single(name, value) == expected


def test_unlabelled_gold_fields_are_not_scored() -> None:
    gold = {"file": "a.txt", "kind": "plan", "channels": {"required": ["sms"]}}
    report = score([gold], {"a.txt": record(kind="plan", themes=ids("transparency"))})
    assert report.single_fields["kind"] == SingleScore(1, 1)
    assert report.single_fields["author"] == SingleScore(0, 0)
    assert report.single_fields["author"].accuracy == 1.0
    assert counts(report, "channels") == (0, 0, 1)
    assert counts(report, "themes") == (0, 0, 0)  # not labelled: the extra theme is no FP


# --------------------------------------------------------------------------- missing documents


def test_missing_document_is_a_miss_for_every_field() -> None:
    gold = [
        gold_entry(
            "gone.txt",
            channels={"required": ["web_portal", "sms"], "optional": ["press"]},
            platforms=["zalo"],
            responsibilities={"required": [["home_affairs", "lead"]], "optional": []},
        ),
        gold_entry("a.txt"),
    ]
    report = score(gold, {"a.txt": record()}, errors={"gone.txt": "document not found: x"})
    for name in SINGLE_FIELD_NAMES:
        assert report.single_fields[name] == SingleScore(right=1, total=2)
    assert counts(report, "channels") == (0, 0, 2)
    assert counts(report, "platforms") == (0, 0, 1)
    assert counts(report, "responsibilities") == (0, 0, 1)
    gone = report.documents[0]
    assert gone.file == "gone.txt"
    assert gone.error == "document not found: x"
    assert {m.field for m in gone.misses if m.kind == "missing"} == set(SINGLE_FIELD_NAMES)
    text = report.render()
    assert "gone.txt: ERROR document not found: x" in text
    assert "kind: expected 'plan', got nothing (no document)" in text
    assert "channels: FN sms" in text
    assert "responsibilities: FN home_affairs:lead" in text


def test_missing_document_without_a_reason() -> None:
    report = score([gold_entry("gone.txt")], {"gone.txt": None})
    assert report.documents[0].error == "document not found"
    assert report.single_fields["kind"] == SingleScore(0, 1)


def test_no_gold_entries() -> None:
    report = score([], {})
    assert report.documents == []
    assert all(s == SetScore() for s in report.set_fields.values())
    assert all(s.accuracy == 1.0 for s in report.single_fields.values())


# --------------------------------------------------------------------------- render / to_json


def two_document_report() -> Report:
    gold = [
        gold_entry(
            "a.txt",
            channels={"required": ["web_portal", "leaflet"], "optional": []},
            responsibilities={"required": [["culture_information", "lead"]], "optional": []},
        ),
        gold_entry("b.txt", author=None, platforms=["facebook"]),
    ]
    predictions = {
        "a.txt": record(
            "a.txt",
            channels=ids("web_portal", "hotline"),
            responsibilities=resps(("home_affairs", "coordinate")),
            plan_year=2019,
        ),
        "b.txt": record("b.txt", author="Theo Hà Nội portal"),
    }
    return score(gold, predictions)


def test_render_has_both_tables_and_every_miss() -> None:
    text = two_document_report().render()
    lines = text.splitlines()
    header = next(line for line in lines if line.startswith("field") and "F1" in line)
    assert header.split() == ["field", "P", "R", "F1", "TP", "FP", "FN"]
    single_header = next(line for line in lines if "accuracy" in line)
    assert single_header.split() == ["field", "accuracy", "right/total"]
    for name in SET_FIELDS:
        assert any(line.split()[:1] == [name] for line in lines)
    for name in SINGLE_FIELD_NAMES:
        assert any(line.split()[:1] == [name] for line in lines)
    channels_row = next(line for line in lines if line.startswith("channels "))
    assert channels_row.split() == ["channels", "0.500", "0.500", "0.500", "1", "1", "1"]
    plan_year_row = next(line for line in lines if line.startswith("plan_year "))
    assert plan_year_row.split() == ["plan_year", "0.500", "1/2"]
    for expected in (
        "a.txt:",
        "  channels: FN leaflet",
        "  channels: FP hotline",
        "  responsibilities: FN culture_information:lead",
        "  responsibilities: FP home_affairs:coordinate",
        "  plan_year: expected '2018', got '2019'",
        "b.txt:",
        "  author: expected null, got 'Theo Hà Nội portal'",
        "  platforms: FN facebook",
    ):
        assert expected in lines, expected


def test_render_table_columns_line_up() -> None:
    lines = two_document_report().render().splitlines()
    start = lines.index("Set-valued fields (micro-averaged)") + 1
    table = lines[start : start + 1 + len(SET_FIELDS)]
    assert len({len(line) for line in table}) == 1


def test_to_json_has_the_same_content() -> None:
    report = two_document_report()
    data = report.to_json()
    assert json.loads(json.dumps(data, ensure_ascii=False)) == data
    assert set(data) == {"set_fields", "single_fields", "documents"}
    assert set(data["set_fields"]) == set(SET_FIELDS)
    assert set(data["single_fields"]) == set(SINGLE_FIELD_NAMES)
    assert data["set_fields"]["channels"] == {
        "precision": 0.5,
        "recall": 0.5,
        "f1": 0.5,
        "tp": 1,
        "fp": 1,
        "fn": 1,
    }
    assert data["single_fields"]["plan_year"] == {"accuracy": 0.5, "right": 1, "total": 2}
    a_doc, b_doc = data["documents"]
    assert a_doc["file"] == "a.txt"
    assert a_doc["error"] is None
    assert {"field": "channels", "kind": "fn", "value": "leaflet"} in a_doc["misses"]
    assert {
        "field": "responsibilities",
        "kind": "fp",
        "value": ["home_affairs", "coordinate"],
    } in a_doc["misses"]
    assert {
        "field": "plan_year",
        "kind": "wrong",
        "expected": "2018",
        "got": "2019",
    } in a_doc["misses"]
    assert b_doc["misses"] == [
        {"field": "author", "kind": "wrong", "expected": None, "got": "Theo Hà Nội portal"},
        {"field": "platforms", "kind": "fn", "value": "facebook"},
    ]
    total_misses = sum(len(d["misses"]) for d in data["documents"])
    assert total_misses == len(report.misses())


def test_miss_describe() -> None:
    assert Miss("themes", "fp", value="transparency").describe() == "themes: FP transparency"
    assert (
        Miss("responsibilities", "fn", value=("home_affairs", "lead")).describe()
        == "responsibilities: FN home_affairs:lead"
    )
    assert Miss("kind", "wrong", "plan", "report").describe() == (
        "kind: expected 'plan', got 'report'"
    )


# --------------------------------------------------------------------------- evaluate (I/O)

GOLD_YAML = """\
# a two-entry gold file in the seeds.yaml format
- file: sub/one.txt
  issuer: {level: province, province_code: "92", district_code: null, province_code_2025: "92"}
  kind: plan
  plan_number: "31/KH-UBND"
  issue_date: null
  published_date: 2023-02-20
  plan_year: 2023
  author: "Phương Thảo"
  channels:
    required: [web_portal]
    optional: []
  platforms: [zalo]
  themes: {required: [], optional: []}
  audiences: {required: [], optional: []}
  responsibilities:
    required: [[information_communications, lead]]
    optional: []

- file: missing.txt
  issuer: {level: district, province_code: "95", district_code: "954", province_code_2025: "96"}
  kind: plan
  plan_number: "50/KH-UBND"
  issue_date: 2018-04-16
  published_date: 2018-04-18
  plan_year: 2018
  author: "Kim Ngân"
  channels: {required: [leaflet], optional: []}
  platforms: []
  themes: {required: [], optional: []}
  audiences: {required: [], optional: []}
  responsibilities: {required: [], optional: []}
"""


@pytest.fixture
def fake_reader(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[tuple[Path, Path]]]:
    """Stand-ins for read_document / extract_document, so only evaluate's wiring is tested."""
    calls: list[tuple[Path, Path]] = []

    def read_document(path: Path, root: Path) -> RawDocument:
        calls.append((path, root))
        text = path.read_text(encoding="utf-8")
        if "HỎNG" in text:
            raise DocumentError(path, "cannot decode")
        relpath = path.relative_to(root).as_posix()
        return RawDocument(
            doc_id="f" * 64,
            path=str(path),
            relpath=relpath,
            fmt="txt",
            size_bytes=len(text.encode()),
            encoding="utf-8",
            text=text,
        )

    def extract_document(raw: RawDocument, manifest: object = None) -> Extraction:
        return Extraction(
            doc_id=raw.doc_id,
            file=raw.relpath,
            kind="plan",
            issuer=Issuer(level="province", province_code="92", province_code_2025="92"),
            plan_number="31/KH-UBND",
            published_date=date(2023, 2, 20),
            plan_year=2023,
            author="Phương Thảo",
        )

    reading = types.ModuleType("etl.reading.document")
    reading.read_document = read_document  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "etl.reading.document", reading)
    monkeypatch.setattr("etl.extract.document.extract_document", extract_document)
    yield calls


def test_evaluate_reads_each_gold_document(
    tmp_path: Path, fake_reader: list[tuple[Path, Path]]
) -> None:
    docs = tmp_path / "docs"
    (docs / "sub").mkdir(parents=True)
    (docs / "sub" / "one.txt").write_text("Kế hoạch số 31/KH-UBND", encoding="utf-8")
    gold = tmp_path / "gold.yaml"
    gold.write_text(GOLD_YAML, encoding="utf-8")

    report = evaluate(docs, gold)

    assert fake_reader == [(docs / "sub" / "one.txt", docs)]
    one, missing = report.documents
    assert one.file == "sub/one.txt"
    assert one.error is None
    assert {(m.field, m.kind) for m in one.misses} == {
        ("channels", "fn"),
        ("platforms", "fn"),
        ("responsibilities", "fn"),
    }
    assert missing.file == "missing.txt"
    assert missing.error is not None and "not found" in missing.error
    assert report.single_fields["kind"] == SingleScore(1, 2)
    assert report.single_fields["issue_date"] == SingleScore(1, 2)  # null == null on one.txt
    assert counts(report, "channels") == (0, 0, 2)


def test_evaluate_reports_unreadable_documents(
    tmp_path: Path, fake_reader: list[tuple[Path, Path]]
) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "one.txt").write_text("HỎNG", encoding="utf-8")
    gold = tmp_path / "gold.yaml"
    gold.write_text(GOLD_YAML, encoding="utf-8")
    report = evaluate(tmp_path, gold)
    assert report.documents[0].error is not None
    assert "cannot decode" in report.documents[0].error
    assert report.single_fields["kind"] == SingleScore(0, 2)


def test_load_gold_keeps_yaml_types(tmp_path: Path) -> None:
    gold = tmp_path / "gold.yaml"
    gold.write_text(GOLD_YAML, encoding="utf-8")
    entries = load_gold(gold)
    assert [e["file"] for e in entries] == ["sub/one.txt", "missing.txt"]
    assert entries[1]["issue_date"] == date(2018, 4, 16)


@pytest.mark.parametrize(
    "text",
    ["file: a.txt\n", "- kind: plan\n", "- just a string\n"],
    ids=["not-a-list", "no-file", "not-a-mapping"],
)
def test_load_gold_rejects_malformed_files(tmp_path: Path, text: str) -> None:
    gold = tmp_path / "gold.yaml"
    gold.write_text(text, encoding="utf-8")
    with pytest.raises(ValueError, match=r"gold\.yaml"):
        load_gold(gold)


def test_load_gold_empty_file(tmp_path: Path) -> None:
    gold = tmp_path / "gold.yaml"
    gold.write_text("# nothing yet\n", encoding="utf-8")
    assert load_gold(gold) == []
