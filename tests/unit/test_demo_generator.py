"""The demo-corpus generator: deterministic, complete, marked synthetic, spread over both eras."""

from __future__ import annotations

import csv
import re
import unicodedata
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from etl.cli import main
from etl.codebook import load_codebook
from etl.demo import generate_corpus
from etl.demo.page import TextForm, old_style_tones, strip_diacritics
from etl.demo.templating import choose_alternatives, load_config
from etl.evaluate import load_gold
from etl.gazetteer import ERA_2025, LEGACY, get_gazetteer
from etl.reading.discover import discover
from etl.reading.manifest import read_manifest

SEEDS = Path(__file__).resolve().parents[3] / "shared" / "seeds"
MERGER = date(2025, 7, 1)
SHINGLE = 16  # consecutive words that must not be shared with the development documents


def _files(root: Path) -> dict[str, bytes]:
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("demo") / "corpus"
    generate_corpus(500, 2026, out)
    return out


@pytest.fixture(scope="module")
def gold(corpus: Path) -> list[dict[str, Any]]:
    return load_gold(corpus / "ground_truth.yaml")


def _reference(entry: dict[str, Any]) -> date:
    day = entry.get("issue_date") or entry.get("published_date")
    assert isinstance(day, date), entry["file"]
    return day


# --------------------------------------------------------------------------- determinism


def test_same_seed_same_bytes(tmp_path: Path) -> None:
    generate_corpus(80, 7, tmp_path / "a")
    generate_corpus(80, 7, tmp_path / "b")
    assert _files(tmp_path / "a") == _files(tmp_path / "b")


def test_different_seed_differs(tmp_path: Path) -> None:
    generate_corpus(40, 7, tmp_path / "a")
    generate_corpus(40, 8, tmp_path / "b")
    a, b = _files(tmp_path / "a"), _files(tmp_path / "b")
    assert a["ground_truth.yaml"] != b["ground_truth.yaml"]
    assert set(a) != set(b) or any(a[name] != b[name] for name in a)


def test_a_longer_corpus_starts_like_a_shorter_one(tmp_path: Path) -> None:
    generate_corpus(30, 3, tmp_path / "short")
    generate_corpus(60, 3, tmp_path / "long")
    short, long = _files(tmp_path / "short"), _files(tmp_path / "long")
    documents = [name for name in short if name.endswith((".txt", ".html"))]
    assert len(documents) == 30
    assert all(short[name] == long[name] for name in documents)


# --------------------------------------------------------------------------- completeness


def test_counts_and_listings(corpus: Path, gold: list[dict[str, Any]]) -> None:
    documents = [path.relative_to(corpus).as_posix() for path in discover(corpus)]
    assert len(documents) == 500
    manifest = read_manifest(corpus)
    assert sorted(manifest) == sorted(documents)
    assert sorted(entry["file"] for entry in gold) == sorted(documents)
    assert all(row.synthetic for row in manifest.values())


def test_manifest_columns(corpus: Path) -> None:
    with (corpus / "manifest.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == [
        "file",
        "url",
        "locality",
        "published_date",
        "title",
        "author",
        "kind",
        "synthetic",
    ]
    assert {row["synthetic"] for row in rows} == {"true"}
    assert {row["kind"] for row in rows} == {"plan", "report", "directive"}


def test_ground_truth_uses_codebook_ids(gold: list[dict[str, Any]]) -> None:
    book = load_codebook()
    known = {name: set(items) for name, items in book.categories.items()}
    for entry in gold:
        assert entry["kind"] in ("plan", "report", "directive")
        for field, category in (("channels", "channel"), ("themes", "theme")):
            ids = entry[field]["required"] + entry[field]["optional"]
            assert set(ids) <= known[category], entry["file"]
        ids = entry["audiences"]["required"] + entry["audiences"]["optional"]
        assert set(ids) <= known["audience"]
        assert set(entry["platforms"]) <= known["platform"]
        for agency, role in entry["responsibilities"]["required"]:
            assert agency in known["agency"] and role in ("lead", "coordinate", "implement")
        assert not set(entry["channels"]["required"]) & set(entry["channels"]["optional"])


def test_single_fields_are_consistent(gold: list[dict[str, Any]]) -> None:
    for entry in gold:
        if entry["kind"] == "plan":
            assert re.fullmatch(r"\d+(?:/\d{4})?/KH-[A-Z]+", entry["plan_number"]), entry
        else:
            assert entry["plan_number"] is None
        if entry["issue_date"] and entry["published_date"]:
            assert entry["issue_date"] <= entry["published_date"]
        assert 2015 <= entry["plan_year"] <= 2026


# --------------------------------------------------------------------------- coverage


def test_all_provinces_of_both_eras_issue(gold: list[dict[str, Any]]) -> None:
    gazetteer = get_gazetteer()
    legacy = {e["issuer"]["province_code"] for e in gold if _reference(e) < MERGER}
    after = {e["issuer"]["province_code_2025"] for e in gold if _reference(e) >= MERGER}
    assert legacy == {u.code for u in gazetteer.units("province", LEGACY)}
    assert after == {u.code for u in gazetteer.units("province", ERA_2025)}


def test_no_district_after_the_merger(gold: list[dict[str, Any]]) -> None:
    after = [e for e in gold if _reference(e) >= MERGER]
    assert after
    assert all(e["issuer"]["district_code"] is None for e in after)
    assert {e["issuer"]["level"] for e in after} <= {"province", "commune", "department"}
    before = [e for e in gold if _reference(e) < MERGER]
    assert {e["issuer"]["level"] for e in before} >= {"province", "district", "department"}


def test_several_articles_about_one_plan(gold: list[dict[str, Any]]) -> None:
    plans = Counter(
        (e["issuer"]["province_code"], e["issuer"]["district_code"], e["plan_number"])
        for e in gold
        if e["plan_number"]
    )
    assert any(count >= 2 for count in plans.values())
    relays = [e for e in gold if e["author"] is None and e["published_date"]]
    assert relays  # "Theo Cổng TTĐT ...": a source, not an author


def test_digital_channels_rise_over_the_years(gold: list[dict[str, Any]]) -> None:
    def share(entries: list[dict[str, Any]], channel: str) -> float:
        return sum(channel in e["channels"]["required"] for e in entries) / len(entries)

    early = [e for e in gold if e["plan_year"] <= 2017]
    late = [e for e in gold if e["plan_year"] >= 2023]
    assert share(late, "social_media") > 2 * share(early, "social_media")


def test_text_variants_are_present(corpus: Path) -> None:
    ascii_only = nfd = 0
    for path in discover(corpus):
        text = path.read_bytes().decode("utf-8")
        ascii_only += text.isascii()
        nfd += not unicodedata.is_normalized("NFC", text)
    assert ascii_only >= 5 and nfd >= 5


# --------------------------------------------------------------------------- pieces


def test_text_forms() -> None:
    assert strip_diacritics("Đổi mới thủ tục") == "Doi moi thu tuc"
    assert old_style_tones("hòa giải, thủy lợi, khỏe, quý") == "hoà giải, thuỷ lợi, khoẻ, quý"
    form = TextForm(nfd=True)
    assert unicodedata.is_normalized("NFD", form.apply("Hà Giang"))
    assert form.visible("Hà Giang") == "Hà Giang"


def test_alternatives_are_chosen_from_the_template() -> None:
    import random

    rng = random.Random(1)
    seen = {choose_alternatives(rng, "[a|b|c] x") for _ in range(60)}
    assert seen == {"a x", "b x", "c x"}


def test_config_probabilities_are_probabilities() -> None:
    config = load_config()
    for block in ("channels", "themes"):
        assert all(0 <= p <= 1 for p in config[block]["base"].values())
    assert abs(sum(config["kinds"].values()) - 1) < 1e-9


def test_refuses_to_replace_a_folder_that_is_not_a_demo_corpus(tmp_path: Path) -> None:
    out = tmp_path / "mine"
    out.mkdir()
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(FileExistsError):
        generate_corpus(3, 1, out)
    assert (out / "notes.txt").read_text(encoding="utf-8") == "mine"


def test_regenerates_over_an_earlier_corpus(tmp_path: Path) -> None:
    out = tmp_path / "demo"
    generate_corpus(20, 1, out)
    generate_corpus(5, 1, out)
    assert len(discover(out)) == 5


def test_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "demo"
    assert main(["demo-corpus", "--n", "6", "--seed", "4", "--out", str(out)]) == 0
    assert "documents: 6" in capsys.readouterr().out
    assert (out / "ground_truth.yaml").is_file() and (out / "manifest.csv").is_file()


# --------------------------------------------------------------------------- originality


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", unicodedata.normalize("NFC", text).lower())


def _shingles(words: list[str]) -> set[tuple[str, ...]]:
    return {tuple(words[i : i + SHINGLE]) for i in range(len(words) - SHINGLE + 1)}


@pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/seeds not found")
def test_no_long_run_of_words_shared_with_the_development_documents(corpus: Path) -> None:
    seed_shingles: set[tuple[str, ...]] = set()
    for path in sorted(SEEDS.glob("*")):
        if path.is_file():
            text = path.read_bytes().decode("utf-8", errors="replace")
            seed_shingles |= _shingles(_words(text))
    assert seed_shingles
    for path in discover(corpus):
        words = _words(path.read_bytes().decode("utf-8"))
        shared = _shingles(words) & seed_shingles
        assert not shared, f"{path.name}: {' '.join(next(iter(shared)))}"
