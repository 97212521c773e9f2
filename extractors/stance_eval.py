"""Measuring stance detection on labelled sentences: precision and recall per stance, and an anchor.

Four sets of real sentences labelled claim / confirmation / denial / report with the
stance-taker (tests/data/stance/sentences.jsonl, sentences2.jsonl, sentences3.jsonl and
sentences4.jsonl, described in their .md files). Sets 1, 2 and 4 are split in two: "stance-fit",
"stance-fit2" and "stance-fit4" (rules may be chosen and weights fitted looking at them),
"stance-test", "stance-test2" and "stance-test4" (frozen: only measured); the third is all
"stance-fit3" (fitting and cross-validation only).
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable, Iterable

from extractors.stance import STANCES, Stance
from extractors.story_text import norm_words, tokens

FIT, TEST = "stance-fit", "stance-test"
FIT2, TEST2 = "stance-fit2", "stance-test2"
FIT3 = "stance-fit3"
FIT4, TEST4 = "stance-fit4", "stance-test4"
FIT_HALVES, TEST_HALVES = (FIT, FIT2, FIT3, FIT4), (TEST, TEST2, TEST4)
SET_FILES = ("sentences.jsonl", "sentences2.jsonl", "sentences3.jsonl", "sentences4.jsonl")


@dataclass(frozen=True)
class Labelled:
    id: str
    text: str
    lang: str
    stance: str
    by: str
    split: str


def load_sentences(text: str) -> list[Labelled]:
    """One JSON object per line (id, text, lang, stance, by, split, …)."""
    rows = [json.loads(line) for line in text.splitlines() if line.strip()]
    return [Labelled(r["id"], r["text"], r["lang"], r["stance"], r.get("by", ""), r["split"]) for r in rows]


def scores(gold: Iterable[str], predicted: Iterable[str]) -> dict:
    """Precision, recall and support per stance, and accuracy."""
    pairs = list(zip(gold, predicted))
    out: dict = {"n": len(pairs), "accuracy": _ratio(sum(g == p for g, p in pairs), len(pairs))}
    for stance in STANCES:
        hits = sum(g == p == stance for g, p in pairs)
        out[stance] = {"precision": _ratio(hits, sum(p == stance for _, p in pairs)),
                       "recall": _ratio(hits, sum(g == stance for g, _ in pairs)),
                       "support": sum(g == stance for g, _ in pairs)}
    return out


def _ratio(a: int, b: int) -> float | None:
    return round(a / b, 3) if b else None


def evaluate(items: list[Labelled], classify: Callable[[str], Stance]) -> dict:
    """Scores on all items and per language, with speaker agreement and the confusions."""
    predicted = {item.id: classify(item.text) for item in items}
    out = {"all": scores([i.stance for i in items], [predicted[i.id].stance for i in items])}
    for lang in ("ar", "en"):
        part = [i for i in items if i.lang == lang]
        out[lang] = scores([i.stance for i in part], [predicted[i.id].stance for i in part])
    agreed = [i for i in items if i.stance != "report" and predicted[i.id].stance == i.stance]
    out["speaker_agreement"] = _ratio(sum(same_speaker(i.by, predicted[i.id].by) for i in agreed), len(agreed))
    out["confusions"] = dict(Counter(f"{i.stance}->{predicted[i.id].stance}" for i in items
                                     if i.stance != predicted[i.id].stance).most_common())
    return out


def same_speaker(gold: str, predicted: str | None) -> bool:
    """The predicted speaker shares a word with the labelled one (labels add glosses in brackets)."""
    if not predicted:
        return False
    return bool(set(norm_words(gold)) & set(norm_words(predicted)) - _FUNCTION_WORDS)


_FUNCTION_WORDS = frozenset("the a an of in for us and to".split())


# ---- the anchor: cue words alone ----------------------------------------------------------------

_KEYWORDS = {
    "denial": "deny denies denied denial false نفى نفت ينفي تنفي نفي",
    "claim": "claimed claims claim responsibility تبنى تبنت يتبنى مسؤوليته مسؤوليتها",
    "confirmation": "confirmed confirms confirm acknowledged أكد أكدت يؤكد تؤكد اعترف",
}


def keyword_stance(text: str) -> Stance:
    """The trivial anchor: the first stance whose cue word appears (denial, then claim, then
    confirmation), no speaker, no negation, no roles."""
    words = {form for tok in tokens(text) for form in tok.forms}
    for stance in ("denial", "claim", "confirmation"):
        if words & _keyword_forms(stance):
            return Stance(stance)
    return Stance()


@lru_cache(maxsize=None)
def _keyword_forms(stance: str) -> frozenset[str]:
    return frozenset(form for tok in tokens(_KEYWORDS[stance]) for form in tok.forms)
