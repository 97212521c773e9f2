"""The wide story sets are well formed, big and varied enough, and split by story family.

tests/data/stories/wide_*.jsonl (WIDE_SOURCES.md) are what grouping is measured on beyond
the seed topics. A grouping result on them means something only if every line is a real,
sourced, labelled excerpt, no story or same-kind family crosses the dev/test split, and the
set is not the seed domain in disguise; these tests hold those properties.
"""

from __future__ import annotations

import importlib.util
import json
from collections import Counter, defaultdict
from datetime import date, datetime
from pathlib import Path
from urllib.parse import urlparse

import pytest

ROOT = Path(__file__).resolve().parents[1]
STORIES = ROOT / "tests" / "data" / "stories"
_spec = importlib.util.spec_from_file_location("story_sets", ROOT / "bench" / "story_sets.py")
story_sets = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(story_sets)

# floors the set must keep (issue 17: >= 400 excerpts in >= 80 stories, a third off the seed topics;
# round 2 grew the sets to 700 in 159, round 3 (wide_more.jsonl) to 1099 in 253, so fitting data cannot
# shrink unnoticed)
MIN_ITEMS, MIN_STORIES = 1080, 250
MIN_HALF_STORIES, MIN_HALF_COPIED = 30, 20
REQUIRED = {"id": str, "story": str, "family": str, "split": str, "seed_topic": bool, "kind": str,
            "lang": str, "outlet": str, "title": str, "text": str, "source_url": str, "event_date": str}
KINDS = {"conflict", "withdrawal", "politics", "economy", "sport", "disaster"}


@pytest.fixture(scope="module")
def rows():
    return story_sets.wide_rows()


def test_every_line_is_a_complete_sourced_excerpt(rows):
    for r in rows:
        for field, kind in REQUIRED.items():
            assert isinstance(r.get(field), kind), (r.get("id"), field)
        assert r["lang"] in {"ar", "en"} and r["kind"] in KINDS, r["id"]
        assert r["id"] == f"w-{r['story']}-{r['id'].rsplit('-', 1)[1]}", r["id"]
        assert len(r["text"].strip()) >= 40, r["id"]
        host = urlparse(r["source_url"]).hostname or ""
        assert r["source_url"].startswith("http") and host.endswith(r["outlet"]), r["id"]
        date.fromisoformat(r["event_date"])
        if "published" in r:
            assert datetime.fromisoformat(r["published"]).tzinfo is not None, r["id"]
            assert r["published_from"] in {"url", "text", "page_date"}, r["id"]


def test_ids_addresses_and_texts_are_unique(rows):
    for field in ("id", "source_url", "text"):
        dup = [v for v, n in Counter(r[field] for r in rows).items() if n > 1]
        assert not dup, (field, dup[:3])


def test_no_page_of_the_fitted_real_set_is_reused(rows):
    real = [json.loads(line) for line in (STORIES / "real.jsonl").read_text(encoding="utf-8").splitlines() if line]
    assert not {r["source_url"] for r in real} & {r["source_url"] for r in rows}


def test_sizes_languages_and_subjects(rows):
    s = story_sets.summary(rows)
    assert s["items"] >= MIN_ITEMS and s["stories"] >= MIN_STORIES, s
    assert min(s["lang"].values()) >= s["items"] / 4 and set(s["lang"]) == {"ar", "en"}, s
    assert s["items_outside_seed_topics"] >= s["items"] / 3, s
    assert s["stories_outside_seed_topics"] >= s["stories"] / 3, s
    assert {"sport", "economy", "politics", "conflict"} <= set(s["kind"]), s


def test_same_kind_different_events_are_there_on_purpose(rows):
    stories_per_family = defaultdict(set)
    for r in rows:
        stories_per_family[r["family"]].add(r["story"])
    assert sum(len(v) >= 2 for v in stories_per_family.values()) >= 10


def test_no_story_or_family_crosses_the_split(rows):
    for key in ("story", "family"):
        halves = defaultdict(set)
        for r in rows:
            halves[r[key]].add(r["split"])
        assert all(len(h) == 1 for h in halves.values()), key
    families = defaultdict(set)
    for r in rows:
        families[r["story"]].add(r["family"])
    assert all(len(f) == 1 for f in families.values())
    for r in rows:
        assert r["split"] == story_sets.split_of(r["family"]), r["id"]


def test_both_halves_can_score_grouping(rows):
    for split in story_sets.SPLITS:
        half = [r for r in rows if r["split"] == split]
        copies = Counter(r["story"] for r in half)
        assert len(copies) >= MIN_HALF_STORIES and sum(n > 1 for n in copies.values()) >= MIN_HALF_COPIED, split
        assert {r["lang"] for r in half} == {"ar", "en"}, split


def test_load_wide_gives_labelled_documents_per_half(rows):
    docs = story_sets.load_wide("wide-test")
    assert docs and all(d.split == "wide-test" for d in docs)
    assert {d.id: d.story for d in docs} == {r["id"]: r["story"] for r in rows if r["split"] == "wide-test"}
    assert len(story_sets.load_wide()) == len(rows)
    with pytest.raises(ValueError):
        story_sets.load_wide("test")
