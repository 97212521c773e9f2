"""Measuring story grouping: the evaluation set, pair precision/recall/F1, and the baselines.

Pair metrics: every pair of articles in a split is a decision (same story or not);
precision is the share of pairs we put together that truly belong together, recall
the share of true pairs we put together. Baselines group the same stream the same
way (each article joins the story of its best earlier match above a threshold, inside
the time window) but score by word-trigram Jaccard or TF-IDF cosine of normalized text.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections import Counter
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta, timezone
from itertools import combinations
from pathlib import Path
from typing import Callable, Sequence

from extractors.errors import ConfigError
from extractors.grouping import WINDOW, StoryGrouper, added_content
from extractors.entities import Gazetteer
from extractors.minhash import jaccard, minhash, shingles
from extractors.story_signature import StorySignature, story_signature
from extractors.story_text import STOPWORDS, norm_words


@dataclass(frozen=True)
class EvalDoc:
    id: str
    title: str
    text: str
    published: datetime | None
    story: str
    split: str
    update: bool = False  # a follow-up labelled as worth an update alert
    event_date: date | None = None  # label metadata of the real set: the day the event happened
    family: str = ""  # label metadata of the wide sets: stories of one kind (same-kind-different-event)


@dataclass(frozen=True)
class PairScores:
    precision: float
    recall: float
    f1: float
    true_pairs: int
    predicted_pairs: int

    def as_dict(self) -> dict[str, float | int]:
        return {"precision": round(self.precision, 3), "recall": round(self.recall, 3), "f1": round(self.f1, 3),
                "true_pairs": self.true_pairs, "predicted_pairs": self.predicted_pairs}


def _title_and_body(raw: str) -> tuple[str, str]:
    """A seed file has no title field: take its first line of four words or more."""
    lines = [line.strip() for line in raw.splitlines() if line.strip()]
    for i, line in enumerate(lines):
        if len(line.split()) >= 4:
            return line, "\n".join(lines[i + 1:])
    return "", raw


def load_eval(path: Path, shared_dir: Path | None) -> list[EvalDoc]:
    """Read the evaluation JSONL; lines with a "path" read that file under shared_dir
    (skipped when shared_dir is None or lacks it)."""
    docs = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            published = datetime.fromisoformat(row["published"]) if row.get("published") else None
            title, text = row.get("title", ""), row.get("text", "")
            if "path" in row:
                source = shared_dir / row["path"] if shared_dir else None
                if source is None or not source.is_file():
                    continue
                title, text = _title_and_body(source.read_text(encoding="utf-8"))
            event_date = date.fromisoformat(row["event_date"]) if row.get("event_date") else None
            docs.append(EvalDoc(str(row["id"]), title, text, published, str(row["story"]), row.get("split", "dev"),
                                bool(row.get("update", False)), event_date, str(row.get("family", ""))))
        except (ValueError, KeyError) as exc:
            raise ConfigError(f"bad evaluation line: {exc}", source=str(path), line=number) from None
    return docs


def as_fetched(docs: Sequence[EvalDoc]) -> list[EvalDoc]:
    """Undated articles placed at noon UTC of their event day, as a live poll would place them.

    Storage puts an undated article at its fetch time, and a monitor fetches within hours
    of publication; an evaluation set spanning years must not put them all at one time.
    """
    return [d if d.published or d.event_date is None else
            replace(d, published=datetime(d.event_date.year, d.event_date.month, d.event_date.day, 12,
                                          tzinfo=timezone.utc)) for d in docs]


BUSY_DAY = datetime(2025, 1, 6, 6, tzinfo=timezone.utc)


def busy_day(docs: Sequence[EvalDoc]) -> list[EvalDoc]:
    """The dated articles as a monitor's busy day would bring them: every family of stories
    (a story, when it has none) moved to start within the same twelve hours, its own spacing
    kept (same-kind events stay days apart, a follow-up stays a day later).

    The sets span years, so as fetched an article's window holds few other stories and time
    alone looked like evidence: a pair sharing nothing but the hour scored above the threshold
    (wide-dev, all families on one day: precision 0.05). A monitor polling twenty outlets
    sees dozens of developments a day; this is that day."""
    def group(d: EvalDoc) -> str:
        return d.family or d.story

    start: dict[str, datetime] = {}
    for d in docs:
        if d.published is not None:
            when = _utc(d.published)
            start[group(d)] = min(start.get(group(d), when), when)
    out = []
    for d in docs:
        if d.published is None:
            out.append(d)
            continue
        offset = timedelta(minutes=int(hashlib.sha1(group(d).encode()).hexdigest(), 16) % 720)
        out.append(replace(d, published=BUSY_DAY + offset + (_utc(d.published) - start[group(d)])))
    return out


def _utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=timezone.utc) if moment.tzinfo is None else moment


def stream_order(docs: Sequence[EvalDoc]) -> list[EvalDoc]:
    """Articles as a poll would see them: by publication time."""
    return sorted(docs, key=lambda d: (d.published is None, d.published or datetime.min, d.id))


def pair_scores(truth: Sequence[str], predicted: Sequence[object]) -> PairScores:
    true_pairs = predicted_pairs = both = 0
    for i, j in combinations(range(len(truth)), 2):
        same_truth, same_pred = truth[i] == truth[j], predicted[i] == predicted[j]
        true_pairs += same_truth
        predicted_pairs += same_pred
        both += same_truth and same_pred
    precision = both / predicted_pairs if predicted_pairs else 1.0
    recall = both / true_pairs if true_pairs else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return PairScores(precision, recall, f1, true_pairs, predicted_pairs)


def group_with(docs: Sequence[EvalDoc], gazetteer: Gazetteer, threshold: float | None = None) -> list[int]:
    grouper = StoryGrouper(gazetteer, threshold=threshold)
    return [grouper.add(d.id, d.title, d.text, d.published) for d in docs]


def _within(a: EvalDoc, b: EvalDoc, window: timedelta) -> bool:
    if a.published is None or b.published is None:
        return True
    return abs(a.published - b.published) <= window


def group_by_score(docs: Sequence[EvalDoc], score: Callable[[int, int], float], threshold: float,
                   window: timedelta = WINDOW) -> list[int]:
    """Baseline grouping: join the story of the best earlier article above threshold (all pairs)."""
    stories: list[int] = []
    for i, doc in enumerate(docs):
        best, best_j = threshold, None
        for j in range(i):
            if _within(doc, docs[j], window):
                s = score(i, j)
                if s >= best:
                    best, best_j = s, j
        stories.append(stories[best_j] if best_j is not None else i)
    return stories


def trigram_scorer(docs: Sequence[EvalDoc]) -> Callable[[int, int], float]:
    grams = [shingles(norm_words(d.title + " " + d.text)) for d in docs]

    def score(i: int, j: int) -> float:
        union = grams[i] | grams[j]
        return len(grams[i] & grams[j]) / len(union) if union else 0.0
    return score


def tfidf_scorer(docs: Sequence[EvalDoc]) -> Callable[[int, int], float]:
    bags = [Counter(w for w in norm_words(d.title + " " + d.text) if w not in STOPWORDS and len(w) > 1)
            for d in docs]
    df = Counter(w for bag in bags for w in bag)
    n = len(docs)
    vectors = []
    for bag in bags:
        vec = {w: (1 + math.log(c)) * math.log((n + 1) / (df[w] + 1) + 1) for w, c in bag.items()}
        norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
        vectors.append({w: v / norm for w, v in vec.items()})

    def score(i: int, j: int) -> float:
        a, b = vectors[i], vectors[j]
        if len(a) > len(b):
            a, b = b, a
        return sum(v * b.get(w, 0.0) for w, v in a.items())
    return score


def minhash_scorer(docs: Sequence[EvalDoc]) -> Callable[[int, int], float]:
    """Estimated word-3-shingle Jaccard from MinHash values (the near-duplicate detector's view)."""
    values = [minhash(norm_words(d.title + " " + d.text)) for d in docs]

    def score(i: int, j: int) -> float:
        return jaccard(values[i], values[j])
    return score


def best_threshold(docs: Sequence[EvalDoc], group: Callable[[float], list[object]],
                   grid: Sequence[float]) -> tuple[float, PairScores]:
    """The threshold with the best pair F1 on these (dev) docs; of a run of equally good
    thresholds, the middle one (the farthest from both kinds of mistake)."""
    truth = [d.story for d in docs]
    results = [(t, pair_scores(truth, group(t))) for t in grid]
    top = max(r[1].f1 for r in results)
    best = [r for r in results if r[1].f1 == top]
    return best[len(best) // 2]


def update_decisions(docs: Sequence[EvalDoc], gazetteer: Gazetteer) -> list[tuple[str, bool, bool]]:
    """(id, labelled update, rule says update) for every article that follows an earlier one of
    its true story, judged against the members before it: the update rule on its own, apart
    from grouping mistakes."""
    members: dict[str, list[StorySignature]] = {}
    decisions = []
    for doc in docs:
        sig = story_signature(doc.title, doc.text, published=doc.published, gazetteer=gazetteer)
        earlier = members.setdefault(doc.story, [])
        if earlier:
            decisions.append((doc.id, doc.update, added_content(sig, earlier).worth_alert))
        earlier.append(sig)
    return decisions
