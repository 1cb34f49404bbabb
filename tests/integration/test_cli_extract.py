"""`cchc-atlas extract --json`: one JSON object per document, with evidence spans."""

import json
from pathlib import Path

from etl.cli import main

TEXT = (
    "Tuyên truyền cải cách hành chính năm 2024\n"
    "Ngày đăng: 12/03/2024 09:00\n"
    "Ngày 8/3, UBND huyện Thanh Chương ban hành Kế hoạch số 21/KH-UBND về tuyên truyền cải "
    "cách hành chính năm 2024; theo đó, huyện phát tờ rơi và đăng tin trên Cổng TTĐT huyện.\n"
    "Giao Phòng Nội vụ chủ trì, phối hợp với Phòng Văn hóa và Thông tin triển khai.\n"
    "Hải Yến\n"
)


def test_extract_json(tmp_path: Path, capsys) -> None:
    path = tmp_path / "a.txt"
    path.write_text(TEXT, encoding="utf-8")
    assert main(["extract", str(path), "--json"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 1
    record = json.loads(lines[0])
    assert record["plan_number"] == "21/KH-UBND"
    assert record["issue_date"] == "2024-03-08"
    assert record["published_date"] == "2024-03-12"
    assert record["plan_year"] == 2024
    assert record["author"] == "Hải Yến"
    assert record["issuer"]["level"] == "district"
    assert record["issuer"]["province_code"] == "40"  # Nghệ An
    assert {c["id"] for c in record["channels"]} == {"leaflet", "web_portal"}
    for item in record["channels"] + record["themes"] + record["audiences"]:
        span = item["evidence"]
        assert TEXT.replace("\r", "")[span["start"] : span["end"]] == span["text"]
    pairs = {(r["agency"], r["role"]) for r in record["responsibilities"]}
    assert pairs == {("home_affairs", "lead"), ("culture_information", "coordinate")}


def test_extract_reports_a_bad_file_and_goes_on(tmp_path: Path, capsys) -> None:
    good = tmp_path / "good.txt"
    good.write_text(TEXT, encoding="utf-8")
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    assert main(["extract", str(empty), str(good), "--json"]) == 1
    captured = capsys.readouterr()
    assert "empty.txt" in captured.err
    assert len(captured.out.strip().splitlines()) == 1
