"""Story grouping quality on the evaluation set: floors that a change may not lower.

tests/data/stories/eval.jsonl holds articles written for this set (Arabic rewrites and
English versions of one development from several outlets, and same-topic different
events inside the time window), plus seed articles by path. Weights and the threshold
are fitted on the dev split only; test and holdout were not used to fit them.
Re-measure with `uv run python bench/grouping.py` (docs/grouping.md has the numbers).
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from typer.testing import CliRunner

from extractors.entities import parse_gazetteer
from extractors.grouping_eval import (
    as_fetched,
    best_threshold,
    busy_day,
    group_by_score,
    group_with,
    load_eval,
    pair_scores,
    stream_order,
    tfidf_scorer,
    trigram_scorer,
    update_decisions,
)
from extractors.places import parse_places

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
EVAL = ROOT / "tests" / "data" / "stories" / "eval.jsonl"
GAZ = parse_gazetteer((ROOT / "seeds" / "gazetteer.yaml").read_text(encoding="utf-8"), "gazetteer.yaml").with_places(
    parse_places((ROOT / "seeds" / "places.tsv").read_text(encoding="utf-8"), "places.tsv"))  # as the pipeline loads it

needs_shared = pytest.mark.skipif(not SHARED.is_dir(), reason=f"seed articles are not at {SHARED}")
# floors: measured value rounded down (docs/grouping.md); raise them when the method improves
# dev precision 0.93 -> 0.9 and test F1 0.95 -> 0.94 with the refit of issue 17 (place table, undated weights,
# wide-dev pairs, threshold 0.82 -> 0.68 chosen on dev + real-fit + wide-dev): event/reaction pairs merge,
# one Arabic-English pair of the test split splits (docs/grouping.md). dev precision 0.9 -> 0.88 with the
# rarity-weighted name skeletons (names_idf): they rightly join the Arabic and English reports of the Hilla
# strikes, and the English one already sat (wrongly) in the Erbil drone story the day before: P 0.888, R 1.0
FLOORS = {"dev": (0.88, 0.93), "test": (0.98, 0.94), "holdout": (0.6, 0.75),    # (precision, F1)
          "holdout2": (0.9, 0.9), "holdout3": (0.6, 0.75), "holdout4": (0.9, 0.9)}
# with every date removed (backfill, `rasid stories` on undated pages): the fitting halves only
# with names_idf: dev 0.708 (0.694 in a checkout without ../shared's seed articles), real-fit 0.710 (0.643 / 0.661 before)
NO_DATES_FLOORS = {"dev": 0.69, "real-fit": 0.7}


@pytest.fixture(scope="module")
def docs():
    return load_eval(EVAL, SHARED if SHARED.is_dir() else None)


def split(docs, name):
    return stream_order([d for d in docs if d.split == name])


@needs_shared
@pytest.mark.parametrize("name", ["dev", "test", "holdout", "holdout2", "holdout3", "holdout4"])
def test_pair_precision_and_f1_floors(docs, name):
    ds = split(docs, name)
    scores = pair_scores([d.story for d in ds], group_with(ds, GAZ))
    precision, f1 = FLOORS[name]
    assert scores.precision >= precision and scores.f1 >= f1, scores


@needs_shared
def test_beats_trigram_and_tfidf_baselines_by_far(docs):
    """Baselines at the threshold that suits them best on test itself (an upper bound for them)."""
    ds = split(docs, "test")
    truth = [d.story for d in ds]
    ours = pair_scores(truth, group_with(ds, GAZ)).f1
    for scorer in (trigram_scorer, tfidf_scorer):
        score = scorer(ds)
        best = max(pair_scores(truth, group_by_score(ds, score, t)).f1 for t in (0.01, 0.05, 0.1, 0.2, 0.3, 0.5))
        assert best <= 0.65 and ours - best >= 0.3, (scorer.__name__, best, ours)


def test_english_and_arabic_copies_join_and_a_week_later_attack_does_not(docs):
    """Without the seed files: the two drone attacks on Ain al-Asad a week apart stay two stories,
    and each attack's Arabic and English reports are one."""
    ds = [d for d in split(docs, "test") if d.story in ("asad-drone-2024-07-16", "asad-drone-2024-07-23")]
    predicted = group_with(ds, GAZ)
    assert pair_scores([d.story for d in ds], predicted).f1 == 1.0


def test_update_rule_alerts_exactly_the_labelled_follow_ups(docs):
    """Follow-ups labelled as updates (a higher casualty figure) are alerted; copies are not."""
    for name in ("dev", "test", "holdout", "holdout2", "holdout3", "holdout4"):
        decisions = update_decisions(split(docs, name), GAZ)
        wrong = [(doc_id, labelled) for doc_id, labelled, rule in decisions if labelled != rule]
        assert not wrong, (name, wrong)
        assert sum(labelled for _, labelled, _ in decisions) >= (1 if name in ("dev", "test", "holdout2", "holdout4") else 0)


def test_stories_command_prints_one_story_per_input_line(tmp_path, docs):
    from flows.cli import app

    ds = [d for d in split(docs, "test") if not d.id.startswith("t-seed")]
    path = tmp_path / "docs.jsonl"
    path.write_text("\n".join(json.dumps({"id": d.id, "title": d.title, "text": d.text,
                                          "published": d.published.isoformat()}, ensure_ascii=False)
                              for d in ds) + "\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["stories", str(path), "--json"])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.output.splitlines()]
    assert [line["id"] for line in lines] == [d.id for d in ds]
    assert pair_scores([d.story for d in ds], [line["story"] for line in lines]).f1 >= FLOORS["test"][1]


def test_stories_command_names_a_bad_line(tmp_path):
    from flows.cli import app

    path = tmp_path / "docs.jsonl"
    path.write_text('{"id": "a", "title": "x", "text": "y"}\n{not json\n', encoding="utf-8")
    result = CliRunner().invoke(app, ["stories", str(path), "--json"])
    assert result.exit_code == 1
    assert "docs.jsonl:2" in result.output


# ---- real copies: excerpts of 120 published pages from 108 sites (tests/data/stories/REAL_SOURCES.md) ----
REAL = ROOT / "tests" / "data" / "stories" / "real.jsonl"
# measured (bench/grouping_real.py), rounded down; this set is never fitted on
REAL_FLOORS = {"as_fetched": (0.96, 0.97), "dated_only": (0.95, 0.95),  # (precision, F1)
               "real_test": (0.98, 0.95)}  # the half never fitted on (weights: dev + real-fit pairs)


@pytest.fixture(scope="module")
def real():
    docs = load_eval(REAL, None)
    return {"as_fetched": stream_order(as_fetched(docs)),
            "dated_only": stream_order([d for d in docs if d.published is not None]),
            "real_test": stream_order([d for d in as_fetched(docs) if d.split == "real-test"])}


@pytest.mark.parametrize("name", ["as_fetched", "dated_only", "real_test"])
def test_real_copies_floors(real, name):
    """Undated pages as a live poll stores them (at fetch time: their event day), and the dated pages alone."""
    ds = real[name]
    scores = pair_scores([d.story for d in ds], group_with(ds, GAZ))
    precision, f1 = REAL_FLOORS[name]
    assert scores.precision >= precision and scores.f1 >= f1, scores


def test_real_copies_beat_the_baselines_at_their_own_best_threshold(real):
    ds = real["as_fetched"]
    truth = [d.story for d in ds]
    ours = pair_scores(truth, group_with(ds, GAZ)).f1
    for scorer in (trigram_scorer, tfidf_scorer):
        score = scorer(ds)
        best = max(pair_scores(truth, group_by_score(ds, score, t)).f1 for t in (0.02, 0.05, 0.1, 0.2, 0.22, 0.3, 0.5))
        assert ours - best >= 0.15, (scorer.__name__, best, ours)


def test_real_attacks_on_one_base_stay_apart(real):
    """Eleven different attacks on Ain al-Asad (2020-2024) in the real set: never one story."""
    attack = ("drone", "rocket", "ballistic", "srbm", "missile")
    ds = [d for d in real["as_fetched"] if "asad" in d.story and any(w in d.story for w in attack)]
    predicted = group_with(ds, GAZ)
    assert len({d.story for d in ds}) >= 8
    for story_id in set(predicted):
        assert len({d.story for d, p in zip(ds, predicted) if p == story_id}) == 1


def _undated(ds):
    return stream_order([replace(d, published=None) for d in ds])


@pytest.mark.parametrize("name", ["dev", "real-fit"])
def test_with_no_dates_the_fitting_halves_keep_their_floor_and_beat_tfidf(docs, name):
    """No time evidence at all: rasid still groups on the words, places and figures, and does
    better than TF-IDF cosine at the threshold that suits TF-IDF best on the same half."""
    source = docs if name == "dev" else load_eval(REAL, None)
    ds = _undated([d for d in source if d.split == name])
    truth = [d.story for d in ds]
    ours = pair_scores(truth, group_with(ds, GAZ)).f1
    score = tfidf_scorer(ds)
    _t, anchor = best_threshold(ds, lambda t: group_by_score(ds, score, t), [0.05 * k for k in range(1, 15)])
    assert ours >= NO_DATES_FLOORS[name] and ours > anchor.f1, (ours, anchor)


# ---- the wide sets (bench/story_sets.py): floors on the wide-dev half only; wide-test stays frozen ----
# (precision, F1), measured, rounded down. Round 2 of issue 17 grew wide-dev by ~165 harder excerpts
# (same wording elsewhere, same-kind events with other figures): with the weights of the time it measured
# P 0.93 / F1 0.80 as fetched and P 0.63 / F1 0.60 undated (363 articles), so the floors moved from (0.9, 0.9) and
# (0.65, 0.6) to these until the refit on the grown half. Name skeletons (n: keys, cross_names) raised
# as fetched to P 0.939 / F1 0.839: floor F1 0.83. Round 3 (wide_more.jsonl) grew wide-dev to 548 articles with
# same-kind families (five Fed cuts, ISIS attacks on consecutive nights, Gulf steps a day apart); measured once
# after its final data commit with unchanged weights: as fetched P 0.930 / F1 0.844, undated P 0.523 / F1 0.546,
# so the undated floor moves to these, rounded down, until a refit on the grown half. Rarity-weighted name
# skeletons (names_idf, weights picked on the fitting halves' mean F1) then gave as fetched P 0.930 / F1 0.878
# (recall 0.771 -> 0.831: Arabic-English copies) and undated P 0.518 / F1 0.544 (eval dev and real-fit undated
# +0.065 / +0.05). A dated pair must bring evidence beyond time (MIN_EVIDENCE): as fetched P 0.932 / F1 0.868,
# on a busy day (every family moved to one day, grouping_eval.busy_day) P 0.640 / F1 0.716 (0.279 / 0.417 before).
# Countries named by both undated ledes, none shared, cap the pair (COUNTRY_CONFLICT_SCORE): undated P 0.578 / F1 0.567.
WIDE_DEV_FLOORS = {"as_fetched": (0.9, 0.86), "busy_day": (0.6, 0.7), "no_dates": (0.55, 0.56)}


@pytest.mark.parametrize("mode", ["as_fetched", "busy_day", "no_dates"])
def test_wide_dev_floors(mode):
    """Stories on many subjects (other conflicts, politics, economy, sport), as fetched, on a
    monitor's busy day (time alone must not join them) and undated."""
    import sys

    sys.path.insert(0, str(ROOT / "bench"))
    from story_sets import load_wide

    docs = load_wide("wide-dev")
    if mode == "no_dates":
        ds = _undated(docs)
    else:
        ds = stream_order(busy_day(as_fetched(docs)) if mode == "busy_day" else as_fetched(docs))
    scores = pair_scores([d.story for d in ds], group_with(ds, GAZ))
    precision, f1 = WIDE_DEV_FLOORS[mode]
    assert scores.precision >= precision and scores.f1 >= f1, scores
