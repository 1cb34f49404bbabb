"""The codebook contains every scoring id with its meaning, and all its patterns compile."""

from pathlib import Path

import pytest
import yaml

from etl.codebook import codebook_frame, load_codebook
from etl.match.matcher import compiled_category

GOLD_IDS = Path(__file__).resolve().parents[3] / "shared" / "gold" / "codebook_ids.yaml"
SECTIONS = {
    "channels": "channel",
    "themes": "theme",
    "audiences": "audience",
    "agencies": "agency",
    "roles": "role",
}


@pytest.mark.skipif(not GOLD_IDS.exists(), reason="../shared/gold not found (CI has it)")
def test_every_scoring_id_is_in_the_codebook_with_its_group() -> None:
    gold = yaml.safe_load(GOLD_IDS.read_text(encoding="utf-8"))
    book = load_codebook()
    for section, category in SECTIONS.items():
        for key, spec in gold[section].items():
            assert key in book.categories[category], f"{category} {key} missing"
            if "group" in spec:
                assert book.categories[category][key].group == spec["group"], key


def test_platforms_cover_the_social_media_facet() -> None:
    assert set(load_codebook().ids("platform")) >= {"facebook", "zalo", "youtube", "tiktok"}


@pytest.mark.parametrize("category", ["channel", "theme", "audience", "platform", "agency"])
def test_patterns_compile_and_every_id_has_one(category: str) -> None:
    patterns = compiled_category(category)
    assert {p.id for p in patterns} == set(load_codebook().ids(category))


def test_labels_in_both_languages_and_groups_labelled() -> None:
    frame = codebook_frame()
    assert frame["label_vi"].notna().all() and frame["label_en"].notna().all()
    grouped = frame[frame["category"].isin(["channel", "theme"])]
    assert grouped["group_vi"].notna().all()


def test_version_is_a_hash_of_the_files() -> None:
    version = load_codebook().version
    assert len(version) == 12 and int(version, 16) >= 0
