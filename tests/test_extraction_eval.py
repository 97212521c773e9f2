"""The extraction quality gate: floors on real pages that may only go up, and the replay pages.

Figures come from bench/extraction_eval.py (run it for the full comparison with plain
trafilatura and the other settings); docs/extraction.md records them.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"

_spec = importlib.util.spec_from_file_location("extraction_eval", ROOT / "bench" / "extraction_eval.py")
bench = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = bench  # dataclasses look their module up while the file runs
_spec.loader.exec_module(bench)

# Floors: raise them when the figures go up, never lower them.
CORPUS_FLOORS = {"title_exact_rate": 1.0, "date_accuracy": 1.0, "text_contains_rate": 1.0,
                 "text_excludes_ok_rate": 1.0}
REPLAY_FLOORS = {**CORPUS_FLOORS, "exact_instant_rate": 1.0, "paragraph_lines_rate": 1.0}
# The DEV half of tests/data/new_outlets (outlets never tuned on before issue 21). Its test half is
# frozen: bench/extraction_eval.py reports it, nothing here pins or reads it.
NEW_DEV_FLOORS = {"title_exact_rate": 1.0, "date_accuracy": 1.0, "text_contains_rate": 1.0,
                  "text_checks_rate": 1.0}


@pytest.fixture(scope="module")
def corpus_scores():
    if not (SHARED / "corpus" / "truth.jsonl").exists():
        pytest.skip(f"the shared page corpus is not at {SHARED / 'corpus'}")
    return bench.evaluate(bench.corpus_cases(), variants=False)["rasid"]


@pytest.fixture(scope="module")
def new_dev_scores():
    return bench.evaluate(bench.corpus_cases(bench.NEW_OUTLETS, "dev"), variants=False)["rasid"]


@pytest.mark.parametrize("figure", sorted(NEW_DEV_FLOORS))
def test_new_outlets_dev_floor(new_dev_scores, figure):
    assert new_dev_scores[figure] >= NEW_DEV_FLOORS[figure], new_dev_scores


def test_new_outlets_dev_has_no_wrong_day(new_dev_scores):
    assert new_dev_scores["wrong_dates"] == 0, new_dev_scores["wrong_date_pages"]


def test_the_frozen_half_is_not_read_by_the_dev_cases():
    dev = {c.id for c in bench.corpus_cases(bench.NEW_OUTLETS, "dev")}
    frozen = {c.id for c in bench.corpus_cases(bench.NEW_OUTLETS, "test")}
    assert dev and frozen and not dev & frozen


@pytest.fixture(scope="module")
def replay():
    cases = bench.replay_cases()
    if not cases:
        pytest.skip(f"the seed texts the replay truth is built from are not at {SHARED / 'seeds'}")
    return cases


@pytest.mark.parametrize("figure", sorted(CORPUS_FLOORS))
def test_corpus_floor(corpus_scores, figure):
    assert corpus_scores[figure] >= CORPUS_FLOORS[figure], corpus_scores


def test_corpus_has_no_confidently_wrong_date(corpus_scores):
    assert corpus_scores["wrong_dates"] == 0, corpus_scores["wrong_date_pages"]


def test_every_outlet_of_the_corpus_is_scored(corpus_scores):
    assert len(corpus_scores["per_outlet"]) >= 9


def test_replay_floors(replay):
    scores = bench.evaluate(replay, variants=False)["rasid"]
    assert scores["wrong_dates"] == 0, scores["wrong_date_pages"]
    for figure, floor in REPLAY_FLOORS.items():
        assert scores[figure] >= floor, (figure, scores)


def test_every_replay_page_gives_title_exact_time_body_and_no_boilerplate(replay):
    for case in replay:
        out = bench.run_rasid(case)
        assert bench.norm(out.title) == bench.norm(case.title), case.id
        assert out.instant == case.instant, (case.id, out.instant, case.instant)
        text = bench.norm(out.text)
        assert all(bench.norm(p) in text for p in case.contains), case.id
        assert not any(bench.norm(b) in text for b in case.excludes), case.id
        lines = {bench.norm(line) for line in out.text.split("\n")}
        assert case.nav and not lines & set(case.nav), case.id
        assert "حقوق" not in text and "©" not in text, case.id  # footer copyright


def test_the_gate_can_fail():
    """A wrong extraction must lower the figures (the gate is not vacuous)."""
    case = bench.Case("x", "o", "<html><body><h1>عنوان آخر</h1><p>نص</p></body></html>", None,
                      "عنوان", "2024-01-01", ["جملة غائبة"], ["نص"])
    scores = bench.score([case], [bench.Outcome("عنوان آخر", "2023-01-01", "نص")])
    assert scores["title_exact_rate"] == 0 and scores["wrong_dates"] == 1
    assert scores["text_contains_rate"] == 0 and scores["text_excludes_ok_rate"] == 0
