"""Stance quality on real labelled sentences, pinned on the halves the rules and the model were
written and fitted against.

The floors are on the fit halves ("stance-fit", "stance-fit2", "stance-fit3", "stance-fit4") only: the
frozen "stance-test", "stance-test2" and "stance-test4" halves are measured and printed by `uv run python bench/stance_eval.py` (docs/stance.md holds
their figures), never pinned here, so no rule or weight is ever chosen to keep a test of them green.
The shipped model was trained on the fit halves, so its figures there are memory, not skill: the
test that it earns its place cross-validates it by story on those halves instead.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from extractors.stance import sentence_stance
from extractors.stance_eval import (FIT, FIT2, FIT3, FIT4, FIT_HALVES, TEST, TEST2, TEST4, evaluate,
                                    keyword_stance, load_sentences, same_speaker, scores)
from extractors.stance_model import KINDS, L2, MIN_STORIES, WEIGHTS, cross_validate, sentence_features
from flows.pipeline.watch import load_gazetteer
from flows.settings import SEEDS_DIR

DATA = Path(__file__).parent / "data" / "stance"
SETS = {"sentences.jsonl": (FIT, TEST), "sentences2.jsonl": (FIT2, TEST2), "sentences3.jsonl": (FIT3,),
        "sentences4.jsonl": (FIT4, TEST4)}
MINIMUM = {"sentences.jsonl": 400, "sentences2.jsonl": 400, "sentences3.jsonl": 300, "sentences4.jsonl": 240}
GAZETTEER = load_gazetteer(SEEDS_DIR / "gazetteer.yaml")

# (precision, recall) per stance on each fit half, both languages together; a change may raise them.
# The model has seen these sentences, but it is regularised and drops words met in fewer than three
# stories, so it does not recite them: the floors catch a broken weights file or feature change.
FIT_FLOORS = {"claim": (0.75, 0.75), "confirmation": (0.75, 0.75), "denial": (0.75, 0.75), "report": (0.75, 0.75)}
# stance-fit4 is the smallest half (155 sentences, 24 denials in 9 stories) and its words the least
# repeated: the model, held down by the story filter, recites it less.
FIT4_FLOORS = {"claim": (0.7, 0.7), "confirmation": (0.7, 0.7), "denial": (0.7, 0.7), "report": (0.7, 0.7)}
FIT_ACCURACY = {FIT: 0.92, FIT2: 0.92, FIT3: 0.85, FIT4: 0.85}


def _rows(name: str) -> list[dict]:
    return [json.loads(line) for line in (DATA / name).read_text(encoding="utf-8").splitlines() if line]


@pytest.fixture(scope="module")
def fit_results():
    items = [i for name in SETS for i in load_sentences((DATA / name).read_text(encoding="utf-8"))
             if i.split in FIT_HALVES]
    out = {}
    for half in FIT_HALVES:
        part = [i for i in items if i.split == half]
        out[half] = (evaluate(part, lambda text: sentence_stance(text, gazetteer=GAZETTEER)),
                     evaluate(part, keyword_stance))
    return out


@pytest.mark.parametrize("name", SETS)
def test_each_set_is_split_as_documented_and_labelled_with_every_stance(name):
    items = load_sentences((DATA / name).read_text(encoding="utf-8"))
    assert len(items) >= MINIMUM[name] and {i.split for i in items} == set(SETS[name])
    assert {i.lang for i in items} == {"ar", "en"} and {i.stance for i in items} == {
        "claim", "confirmation", "denial", "report"}
    assert all(i.by for i in items if i.stance != "report")


def test_the_second_set_keeps_each_story_and_each_page_on_one_side():
    rows = _rows("sentences2.jsonl")
    for key in ("event", "source_url"):
        sides: dict[str, set[str]] = {}
        for row in rows:
            sides.setdefault(row[key], set()).add(row["split"])
        assert all(len(halves) == 1 for halves in sides.values()), key
    first = {row["source_url"] for row in _rows("sentences.jsonl")}
    assert not first & {row["source_url"] for row in rows}


def test_the_third_set_shares_no_page_and_no_sentence_with_the_first_two():
    """Set 3 only fits weights: a page or sentence of a frozen half in it would leak that half."""
    earlier = _rows("sentences.jsonl") + _rows("sentences2.jsonl")
    third = _rows("sentences3.jsonl")
    assert not {row["source_url"] for row in earlier} & {row["source_url"] for row in third}
    assert not {row["text"] for row in earlier} & {row["text"] for row in third}
    assert all(row["event"] for row in third)


def test_the_fourth_set_is_new_and_split_by_a_hash_of_its_story():
    """Set 4's frozen half was not chosen by hand: a story goes to stance-test4 when the SHA-1 of its
    label is odd. No page or sentence of sets 1-3 is in it, so no earlier half leaks into it."""
    earlier = _rows("sentences.jsonl") + _rows("sentences2.jsonl") + _rows("sentences3.jsonl")
    fourth = _rows("sentences4.jsonl")
    assert not {row["source_url"] for row in earlier} & {row["source_url"] for row in fourth}
    assert not {row["text"] for row in earlier} & {row["text"] for row in fourth}
    assert len({row["text"] for row in fourth}) == len(fourth)
    for row in fourth:
        odd = int(hashlib.sha1(row["event"].encode()).hexdigest(), 16) % 2
        assert row["split"] == (TEST4 if odd else FIT4), row["id"]


def test_the_model_was_fitted_on_the_fit_halves_only():
    shipped = json.loads(WEIGHTS.read_text(encoding="utf-8"))
    assert shipped["trained_on"] == list(FIT_HALVES)
    assert shipped["kinds"] == list(KINDS) and shipped["min_stories"] == MIN_STORIES and shipped["l2"] == L2
    assert shipped["sentences"] == sum(1 for name in SETS for row in _rows(name) if row["split"] in FIT_HALVES)


@pytest.mark.parametrize("half", FIT_HALVES)
def test_precision_and_recall_per_stance_hold_their_floors_on_the_fit_halves(fit_results, half):
    rasid, anchor = fit_results[half]
    for stance, (precision, recall) in (FIT4_FLOORS if half == FIT4 else FIT_FLOORS).items():
        assert rasid["all"][stance]["precision"] >= precision, (stance, rasid["all"][stance])
        assert rasid["all"][stance]["recall"] >= recall, (stance, rasid["all"][stance])
    assert rasid["all"]["accuracy"] >= FIT_ACCURACY[half]
    assert rasid["all"]["accuracy"] >= anchor["all"]["accuracy"] + 0.4


def test_the_model_beats_the_rules_on_stories_it_was_not_trained_on():
    """Five folds of whole stories of the fit halves: trained on four, read on the fifth. On the
    halves no rule was written against the rules alone read 0.69, 0.66 and 0.61, rules and model
    0.80, 0.74 and 0.70; on stance-fit, the rules' own half, the model may cost a sentence or two."""
    rows = [row for name in SETS for row in _rows(name) if row["split"] in FIT_HALVES]
    computed = [sentence_features(row["text"], GAZETTEER) for row in rows]
    result = cross_validate(rows, [rule for rule, _ in computed], [names for _, names in computed])
    for fresh in (FIT2, FIT3, FIT4):
        assert result[fresh]["rules_and_model_cv"]["accuracy"] >= result[fresh]["rules"]["accuracy"] + 0.05, fresh
    assert result[FIT2]["rules_and_model_cv"]["accuracy"] >= 0.78
    assert result[FIT3]["rules_and_model_cv"]["accuracy"] >= 0.70
    assert result[FIT4]["rules_and_model_cv"]["accuracy"] >= 0.68
    assert result[FIT]["rules_and_model_cv"]["accuracy"] >= result[FIT]["rules"]["accuracy"] - 0.01


def test_speakers_are_found_for_most_stances(fit_results):
    """The anchor finds "denied" and "claimed" but not who speaks."""
    for half in FIT_HALVES:
        rasid, _ = fit_results[half]
        assert rasid["speaker_agreement"] >= 0.77, (half, rasid["speaker_agreement"])


def test_scores_count_precision_and_recall_per_stance():
    got = scores(["claim", "claim", "denial", "report"], ["claim", "report", "denial", "claim"])
    assert got["claim"] == {"precision": 0.5, "recall": 0.5, "support": 2}
    assert got["denial"]["precision"] == 1.0 and got["confirmation"]["precision"] is None
    assert got["accuracy"] == 0.5
    assert same_speaker("the Houthi group", "Yemen's Houthi group") and not same_speaker("the army", None)
