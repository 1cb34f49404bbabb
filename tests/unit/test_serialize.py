"""`extraction_to_json`: the exact shape of the `extract --json` record."""

from __future__ import annotations

import json
from datetime import date

from etl.models import Evidence, Extraction, Issuer, Mention, Responsibility
from etl.serialize import extraction_to_json

TEXT = (
    "UBND thành phố Bạc Liêu vừa ban hành Kế hoạch số 50/KH-UBND. "
    "Tuyên truyền trên Cổng thông tin điện tử thành phố, qua tờ rơi và trang Zalo, Facebook. "
    "Đăng tải trên Cổng thông tin điện tử các xã; phát tờ rơi tại bộ phận một cửa. "
    "Giao Phòng Văn hóa - Thông tin chủ trì, phối hợp với Phòng Nội vụ. "
    "Phòng Văn hóa - Thông tin chủ trì tổ chức hội nghị. Hội Nông dân phối hợp tuyên truyền."
)


def ev(phrase: str, occurrence: int = 0) -> Evidence:
    """The evidence of the `occurrence`-th appearance of `phrase` in TEXT."""
    start = -1
    for _ in range(occurrence + 1):
        start = TEXT.index(phrase, start + 1)
    return Evidence(start, start + len(phrase), phrase)


def ev_json(phrase: str, occurrence: int = 0) -> dict[str, object]:
    e = ev(phrase, occurrence)
    return {"start": e.start, "end": e.end, "text": e.text}


def mention(category: str, mention_id: str, phrase: str, occurrence: int = 0) -> Mention:
    return Mention(category, mention_id, ev(phrase, occurrence), rule=f"{mention_id}.1")


def full_extraction() -> Extraction:
    portal_1 = mention("channel", "web_portal", "Cổng thông tin điện tử", 0)
    portal_2 = mention("channel", "web_portal", "Cổng thông tin điện tử", 1)
    leaflet_1 = mention("channel", "leaflet", "tờ rơi", 0)
    leaflet_2 = mention("channel", "leaflet", "tờ rơi", 1)
    conference = mention("channel", "conference", "hội nghị")
    lead = Responsibility(
        agency="culture_information",
        agency_text="Phòng Văn hóa - Thông tin",
        role="lead",
        task="chủ trì, phối hợp với Phòng Nội vụ",
        evidence=ev("Giao Phòng Văn hóa - Thông tin chủ trì"),
    )
    lead_again = Responsibility(
        agency="culture_information",
        agency_text="Phòng Văn hóa - Thông tin",
        role="lead",
        task="tổ chức hội nghị",
        evidence=ev("Phòng Văn hóa - Thông tin chủ trì tổ chức hội nghị"),
    )
    coordinate = Responsibility(
        agency="home_affairs",
        agency_text="Phòng Nội vụ",
        role="coordinate",
        task="phối hợp với Phòng Nội vụ",
        evidence=ev("phối hợp với Phòng Nội vụ"),
    )
    farmers = Responsibility(
        agency="other",
        agency_text="Hội Nông dân",
        role="coordinate",
        task="phối hợp tuyên truyền",
        evidence=ev("Hội Nông dân phối hợp tuyên truyền"),
    )
    farmers_again = Responsibility(
        agency="other",
        agency_text="Hội  Nông dân",  # spacing differs: the same agency
        role="coordinate",
        task="tuyên truyền",
        evidence=ev("tuyên truyền.", 0),
    )
    return Extraction(
        doc_id="ab" * 32,
        file="001_bac_lieu.txt",
        kind="plan",
        title="Bạc Liêu: tuyên truyền cải cách hành chính năm 2018",
        issuer=Issuer(
            name="UBND thành phố Bạc Liêu",
            level="district",
            province_code="95",
            district_code="954",
            commune_code=None,
            province_code_2025="96",
            source="text",
            evidence=ev("UBND thành phố Bạc Liêu"),
        ),
        plan_number="50/KH-UBND",
        issue_date=date(2018, 4, 16),
        published_date=date(2018, 4, 18),
        plan_year=2018,
        author="Kim Ngân",
        source_name=None,
        # deliberately out of document order, with repeated ids
        channels=[conference, leaflet_2, portal_2, leaflet_1, portal_1],
        themes=[
            mention("theme", "one_stop_shop", "bộ phận một cửa"),
            mention("theme", "procedure_reform", "Kế hoạch số 50/KH-UBND"),
        ],
        audiences=[],
        platforms=[
            mention("platform", "facebook", "Facebook"),
            mention("platform", "zalo", "Zalo"),
            mention("platform", "zalo", "Zalo"),
        ],
        responsibilities=[lead_again, farmers_again, coordinate, farmers, lead],
        field_evidence={"plan_number": ev("50/KH-UBND")},
        synthetic=False,
        extractor_version="0.1.0",
        codebook_version="2024.1",
    )


def test_exact_shape_of_a_full_record() -> None:
    record = extraction_to_json(full_extraction())
    assert record == {
        "file": "001_bac_lieu.txt",
        "kind": "plan",
        "title": "Bạc Liêu: tuyên truyền cải cách hành chính năm 2018",
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
        "channels": [
            {
                "id": "web_portal",
                "evidence": ev_json("Cổng thông tin điện tử", 0),
                "evidences": [
                    ev_json("Cổng thông tin điện tử", 0),
                    ev_json("Cổng thông tin điện tử", 1),
                ],
            },
            {
                "id": "leaflet",
                "evidence": ev_json("tờ rơi", 0),
                "evidences": [ev_json("tờ rơi", 0), ev_json("tờ rơi", 1)],
            },
            {
                "id": "conference",
                "evidence": ev_json("hội nghị"),
                "evidences": [ev_json("hội nghị")],
            },
        ],
        "themes": [
            {
                "id": "procedure_reform",
                "evidence": ev_json("Kế hoạch số 50/KH-UBND"),
                "evidences": [ev_json("Kế hoạch số 50/KH-UBND")],
            },
            {
                "id": "one_stop_shop",
                "evidence": ev_json("bộ phận một cửa"),
                "evidences": [ev_json("bộ phận một cửa")],
            },
        ],
        "audiences": [],
        "platforms": ["zalo", "facebook"],
        "responsibilities": [
            {
                "agency": "culture_information",
                "role": "lead",
                "task": "chủ trì, phối hợp với Phòng Nội vụ",
                "evidence": ev_json("Giao Phòng Văn hóa - Thông tin chủ trì"),
            },
            {
                "agency": "home_affairs",
                "role": "coordinate",
                "task": "phối hợp với Phòng Nội vụ",
                "evidence": ev_json("phối hợp với Phòng Nội vụ"),
            },
        ],
        "other_responsibilities": [
            {
                "agency": "other",
                "agency_text": "Hội Nông dân",
                "role": "coordinate",
                "task": "phối hợp tuyên truyền",
                "evidence": ev_json("Hội Nông dân phối hợp tuyên truyền"),
            },
        ],
        "doc_id": "ab" * 32,
        "source_name": None,
        "extractor_version": "0.1.0",
        "codebook_version": "2024.1",
        "synthetic": False,
    }


def test_key_order_is_fixed() -> None:
    assert list(extraction_to_json(full_extraction())) == [
        "file",
        "kind",
        "title",
        "issuer",
        "plan_number",
        "issue_date",
        "published_date",
        "plan_year",
        "author",
        "channels",
        "themes",
        "audiences",
        "platforms",
        "responsibilities",
        "other_responsibilities",
        "doc_id",
        "source_name",
        "extractor_version",
        "codebook_version",
        "synthetic",
    ]


def test_evidence_spans_point_into_the_text() -> None:
    record = extraction_to_json(full_extraction())
    for category in ("channels", "themes", "audiences"):
        for entry in record[category]:
            for span in [entry["evidence"], *entry["evidences"]]:
                assert TEXT[span["start"] : span["end"]] == span["text"]
    for entry in record["responsibilities"] + record["other_responsibilities"]:
        span = entry["evidence"]
        assert TEXT[span["start"] : span["end"]] == span["text"]


def test_one_entry_per_id_first_in_document_order() -> None:
    record = extraction_to_json(full_extraction())
    ids = [entry["id"] for entry in record["channels"]]
    assert ids == ["web_portal", "leaflet", "conference"]
    starts = [entry["evidence"]["start"] for entry in record["channels"]]
    assert starts == sorted(starts)
    for entry in record["channels"]:
        assert entry["evidence"] == entry["evidences"][0]
        evidence_starts = [e["start"] for e in entry["evidences"]]
        assert evidence_starts == sorted(evidence_starts)


def test_responsibilities_unique_by_agency_and_role_first_occurrence() -> None:
    record = extraction_to_json(full_extraction())
    pairs = [(r["agency"], r["role"]) for r in record["responsibilities"]]
    assert pairs == [("culture_information", "lead"), ("home_affairs", "coordinate")]
    assert record["responsibilities"][0]["task"] == "chủ trì, phối hợp với Phòng Nội vụ"
    assert all(r["agency"] != "other" for r in record["responsibilities"])
    assert all("agency_text" not in r for r in record["responsibilities"])


def test_same_agency_with_two_roles_keeps_both() -> None:
    ex = full_extraction()
    ex.responsibilities.append(
        Responsibility(
            agency="culture_information",
            agency_text="Phòng Văn hóa - Thông tin",
            role="implement",
            task="tổ chức hội nghị",
            evidence=ev("tổ chức hội nghị"),
        )
    )
    pairs = [(r["agency"], r["role"]) for r in extraction_to_json(ex)["responsibilities"]]
    assert pairs == [
        ("culture_information", "lead"),
        ("home_affairs", "coordinate"),
        ("culture_information", "implement"),
    ]


def test_other_agencies_are_kept_apart_by_text() -> None:
    ex = full_extraction()
    ex.responsibilities.append(
        Responsibility(
            agency="other",
            agency_text="Đoàn Thanh niên",
            role="coordinate",
            task="tuyên truyền",
            evidence=ev("Tuyên truyền trên"),
        )
    )
    others = extraction_to_json(ex)["other_responsibilities"]
    assert [(r["agency_text"], r["role"]) for r in others] == [
        ("Đoàn Thanh niên", "coordinate"),
        ("Hội Nông dân", "coordinate"),
    ]
    assert all(r["agency"] == "other" for r in others)


def test_platforms_unique_in_order_of_first_occurrence() -> None:
    assert extraction_to_json(full_extraction())["platforms"] == ["zalo", "facebook"]


def test_minimal_extraction_has_nulls_and_empty_lists() -> None:
    record = extraction_to_json(Extraction(doc_id="00" * 32, file="x/doc.html"))
    assert record == {
        "file": "x/doc.html",
        "kind": "other",
        "title": None,
        "issuer": {
            "name": None,
            "level": None,
            "province_code": None,
            "district_code": None,
            "province_code_2025": None,
        },
        "plan_number": None,
        "issue_date": None,
        "published_date": None,
        "plan_year": None,
        "author": None,
        "channels": [],
        "themes": [],
        "audiences": [],
        "platforms": [],
        "responsibilities": [],
        "other_responsibilities": [],
        "doc_id": "00" * 32,
        "source_name": None,
        "extractor_version": "",
        "codebook_version": "",
        "synthetic": False,
    }


def test_record_is_json_safe_and_round_trips() -> None:
    ex = full_extraction()
    ex.synthetic = True
    ex.source_name = "Cổng TTĐT tỉnh Bạc Liêu"
    record = extraction_to_json(ex)
    text = json.dumps(record, ensure_ascii=False)
    assert json.loads(text) == record
    assert record["synthetic"] is True
    assert record["source_name"] == "Cổng TTĐT tỉnh Bạc Liêu"


def test_serialization_does_not_change_the_extraction() -> None:
    ex = full_extraction()
    before = list(ex.channels)
    extraction_to_json(ex)
    assert ex.channels == before
