"""A learned last word on the stance: logistic regression over what the rules saw, and the words.

The rules of stance.py read frames (a stance verb, its speaker, what it says) and judge each one;
they are transparent but brittle on phrasings nobody wrote a rule for — a faction's spokesman
named alone ("Musab said the attack was directed at officials"), a passive operation in a group's
statement («تم إسقاط الطائرة»), a denial with no denial verb. This module turns one sentence into
features — the rules' verdict and cue, every frame's kind, verdict and speaker role, the word
classes present, how the sentence attributes (the verb, where the speaker stands, negation in what
is said, a passive, quotes, "we"), the speaker's words, and the words and word pairs of the
sentence, kept only when met in several stories — and scores the four stances with weights
learned on the fit halves of the evaluation sets only
(`stance_weights.json`, written by bench/stance_train.py). Cheap at run time: a few dozen
dictionary look-ups per sentence.
"""

from __future__ import annotations

import json
import math
import random
from collections import Counter
from functools import lru_cache
from pathlib import Path
from typing import Iterable

WEIGHTS = Path(__file__).with_name("stance_weights.json")
STANCES = ("claim", "confirmation", "denial", "report")


# Which kinds of feature the model reads; chosen by story-held-out cross-validation
# (bench/stance_train.py --search). "phrasing": how the sentence attributes (verb, speaker position,
# negation in what is said, passive, quotes, "we"); "words": the sentence's own words, readings and
# word pairs, which carry the stories' names as much as ways of speaking.
KINDS = ("phrasing", "words")


def features(s, rule, analysed, kinds: tuple[str, ...] | None = None) -> list[str]:
    """The feature names of one sentence: `s` a stance_speakers.Sentence, `rule` the rules'
    Stance, `analysed` the rules' frames with their verdicts and speaker roles."""
    kinds = KINDS if kinds is None else kinds
    lang = "ar" if s.arabic else "en"
    out = ["bias", f"lang:{lang}", f"rule:{rule.stance}", f"rule:{rule.stance}:{rule.cue.split(':')[0]}",
           f"rule:{rule.stance}:{lang}", f"frames:{min(len(analysed), 3)}"]
    for frame, verdict, role in analysed:
        verdict = verdict or "none"
        out += [f"frame:{frame.kind}", f"frame:{frame.kind}:{verdict}", f"role:{role}",
                f"role:{role}:{verdict}"]
        if frame.negated:
            out.append(f"neg:{frame.kind}")
        if frame.speaker[1] <= frame.speaker[0]:
            out.append(f"nospeaker:{frame.kind}:{verdict}")
        if "words" in kinds:
            out += [f"spk:{s.toks[i].norm}" for i in range(*frame.speaker)][:6]
            out += [f"comp:{s.toks[i].norm}" for i in range(*frame.complement)][:4]
    out += [f"cls:{name}" for name in s.where]
    if "phrasing" in kinds:
        out += phrasing(s, analysed)
    if "relations" in kinds:
        from extractors.stance_relations import relations
        out += relations(s, analysed)
    if "words" in kinds:
        words = [t.norm for t in s.toks]
        out += [f"w:{w}" for w in words]
        out += [f"f:{form}" for t in s.toks for form in t.forms[1:]]
        out += [f"b:{a}|{b}" for a, b in zip(words, words[1:])]
    if any(_first_person_plural(t.forms) for t in s.toks):
        out.append("we")
    return out


_BE = frozenset("was were been being is are".split())
_PASSIVE_AR = frozenset("تم يتم جري وتم".split())   # «تم إسقاط», «جرى استهداف»: done, no doer named
_WE_EN = frozenset("we our ours us".split())
_QUOTES = "\"“”«»"


def phrasing(s, analysed) -> list[str]:
    """How a sentence attributes, not what it is about: for each frame its verb (folded), where its
    speaker stands (before or after the verb, or none), the speaker's role with the frame's kind and
    verdict, whether what is said holds a negation, the speaker's own pronoun or an event word; for
    the sentence a passive ("was targeted", «تم استهداف»), quote marks (and a quote opening the
    sentence), an English "we/our"."""
    out = []
    for frame, verdict, role in analysed:
        verdict = verdict or "none"
        start, end = frame.speaker
        where = "none" if end <= start else "after" if start > frame.anchor else "before"
        out += [f"verb:{s.toks[frame.anchor].norm}", f"verb:{s.toks[frame.anchor].norm}:{verdict}",
                f"spos:{frame.kind}:{where}", f"spos:{frame.kind}:{where}:{verdict}",
                f"rk:{role}:{frame.kind}:{verdict}"]
        for name in ("negation", "self", "event", "action", "false", "future"):
            if s.at(frame.complement, name):
                out.append(f"comp_{name}:{frame.kind}")
    words = [t.norm for t in s.toks]
    if any(a in _BE and b.endswith("ed") for a, b in zip(words, words[1:])) or _PASSIVE_AR & set(words):
        out.append("passive")
    if _WE_EN & set(words):
        out.append("we")
    if any(q in s.text for q in _QUOTES):
        out.append("quote")
        if s.text.lstrip()[:1] in _QUOTES:
            out.append("quote_first")
    return out


def _first_person_plural(forms: tuple[str, ...]) -> bool:
    """«استهدفنا», «قواتنا»: an Arabic word whose stem is also read without the suffix «نا»."""
    return any(f.endswith("نا") and len(f) > 4 and f[:-2] in forms for f in forms)


@lru_cache(maxsize=1)
def _weights() -> dict[str, list[float]]:
    if not WEIGHTS.exists():
        return {}
    return json.loads(WEIGHTS.read_text(encoding="utf-8"))["weights"]


def score(names: Iterable[str], weights: dict[str, list[float]] | None = None) -> dict[str, float]:
    """Probabilities of the four stances for these features (an empty model gives none)."""
    table = _weights() if weights is None else weights
    totals = [0.0] * len(STANCES)
    seen = False
    for name in set(names):
        row = table.get(name)
        if row:
            seen = True
            for k, w in enumerate(row):
                totals[k] += w
    if not seen:
        return {}
    top = max(totals)
    exps = [math.exp(t - top) for t in totals]
    z = sum(exps)
    return {stance: e / z for stance, e in zip(STANCES, exps)}


def decide(names: Iterable[str]) -> str | None:
    """The most probable stance, or None when no model is installed or no feature is known."""
    probabilities = score(names)
    return max(probabilities, key=probabilities.get) if probabilities else None


# ---- training (bench/stance_train.py; tests/test_stance_eval.py cross-validates) ----------------

# Chosen by bench/stance_train.py --search (story-held-out cross-validation on the fit halves).
L2, EPOCHS, RATE, FOLDS, MIN_COUNT, MIN_STORIES = 0.01, 400, 0.5, 5, 2, 3


def sentence_features(text: str, gazetteer) -> tuple[str, list[str]]:
    """The rules' stance of one sentence and its features, the model out of the way."""
    from extractors.stance import _rules_verdict, analyse
    from extractors.stance_speakers import Sentence
    from extractors.story_text import tokens

    s = Sentence(text, tokens(text), gazetteer)
    analysed = analyse(s)
    rule = _rules_verdict(s, analysed)
    return rule.stance, features(s, rule, analysed)


def train(names: list[list[str]], labels, stories: list[str] | None = None) -> dict[str, list[float]]:
    """Weights for the features seen in at least MIN_COUNT training sentences and, when the
    sentences' `stories` are given, in at least MIN_STORIES stories: a word met in one story only
    is that story's name or place, not a way of speaking."""
    import numpy as np

    counts = Counter(n for row in names for n in set(row))
    spread = Counter(n for n, _ in {(n, story) for row, story in zip(names, stories) for n in row}) \
        if stories is not None else None
    vocab = {name: k for k, name in enumerate(sorted(
        n for n, c in counts.items()
        if n == "bias" or (c >= MIN_COUNT and (spread is None or spread[n] >= MIN_STORIES))))}
    x = np.zeros((len(names), len(vocab)), dtype=np.float64)
    for a, row in enumerate(names):
        for name in set(row) & vocab.keys():
            x[a, vocab[name]] = 1.0
    target = np.eye(len(STANCES))[labels]
    w = np.zeros((len(vocab), len(STANCES)))
    velocity = np.zeros_like(w)
    for _ in range(EPOCHS):
        z = x @ w
        z -= z.max(axis=1, keepdims=True)
        p = np.exp(z)
        p /= p.sum(axis=1, keepdims=True)
        velocity = 0.9 * velocity - RATE * (x.T @ (p - target) / len(names) + L2 * w)
        w += velocity
    return {name: [round(float(v), 3) for v in w[k]] for name, k in vocab.items()}


def predict(weights: dict[str, list[float]], row: list[str]) -> str:
    """The most probable stance under these weights (report when no feature is known)."""
    probabilities = score(row, weights)
    return max(probabilities, key=probabilities.get) if probabilities else "report"


def story_of(row: dict) -> str:
    """A labelled sentence's story: its set's half and its event label."""
    return f"{row['split']}/{row['event']}"


def cross_validate(rows: list[dict], rules: list[str], names: list[list[str]]) -> dict:
    """Rules alone against rules plus a model trained without the story: 5 folds of whole stories
    (a story's sentences never on both sides), scored per half of `rows` (the fit halves)."""
    import numpy as np

    from extractors.stance_eval import FIT_HALVES, scores

    labels = np.array([STANCES.index(row["stance"]) for row in rows])
    stories = sorted({(row["split"], row["event"]) for row in rows})
    random.Random(7).shuffle(stories)
    fold = {story: k % FOLDS for k, story in enumerate(stories)}
    where = [fold[(row["split"], row["event"])] for row in rows]
    learned = [""] * len(rows)
    for k in range(FOLDS):
        train_at = [i for i in range(len(rows)) if where[i] != k]
        weights = train([names[i] for i in train_at], labels[train_at], [story_of(rows[i]) for i in train_at])
        for i in range(len(rows)):
            if where[i] == k:
                learned[i] = predict(weights, names[i])
    out = {}
    for half in sorted({row["split"] for row in rows}, key=lambda h: FIT_HALVES.index(h) if h in FIT_HALVES else 9):
        at = [i for i, row in enumerate(rows) if row["split"] == half]
        gold = [rows[i]["stance"] for i in at]
        out[half] = {"rules": scores(gold, [rules[i] for i in at]),
                     "rules_and_model_cv": scores(gold, [learned[i] for i in at])}
    return out
