"""Story grouping on real copies of news (tests/data/stories/real.jsonl), printed as JSON.

    uv run python bench/grouping_real.py

The set holds excerpts of real Arabic and English pages about the watched topics, labelled
by development (tests/data/stories/REAL_SOURCES.md). Nothing here is fitted on it: rasid
groups it with the pinned weights and threshold; the word-trigram and TF-IDF baselines get
the threshold that suits them best on this set itself (an upper bound for them, as in
tests/test_grouping_eval.py). Three runs:

- "as_published": the publication time where the page or its address states one; about half
  the articles have none and, as in storage, are placed at the latest time seen so far;
- "published_stripped": every article undated (time says nothing, every pair is compared);
- "dated_only": only the articles that carry a publication time;
- "as_fetched": what a live monitor sees: storage places an undated article at the time it
  was fetched, and a poll fetches within hours of publication, so undated articles are
  placed at noon (UTC) of their labelled event day (`event_date`, label metadata that is
  otherwise never read);
- "as_fetched_real_test": the same, on the real-test half only (stories never fitted on:
  the weights are fitted on the dev split and the real-fit half, bench/grouping.py --fit).

For each run: pair precision/recall/F1, the baselines, the wrong merges (a predicted story
holding several labelled ones, with the link that joined them: score and the features that
weighed most) and the misses (a labelled story split, with each copy's best score against
the earlier copies of its story and whether those were candidates at all).
"""

from __future__ import annotations

import json
import sys
from collections import Counter, defaultdict
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from extractors.entities import parse_gazetteer  # noqa: E402
from extractors.grouping import WEIGHTS, StoryGrouper, _naive, same_story  # noqa: E402
from extractors.grouping_eval import (  # noqa: E402
    as_fetched,
    best_threshold,
    group_by_score,
    group_with,
    load_eval,
    pair_scores,
    stream_order,
    tfidf_scorer,
    trigram_scorer,
)
from extractors.minhash import jaccard  # noqa: E402
from extractors.places import parse_places  # noqa: E402
from extractors.story_features import FEATURES, features  # noqa: E402
from extractors.story_signature import story_signature  # noqa: E402

REAL = ROOT / "tests" / "data" / "stories" / "real.jsonl"
GRID = [0.01] + [round(x * 0.02, 2) for x in range(1, 50)]


def _label(doc) -> str:
    return (doc.title or doc.text.replace("\n", " "))[:90]


def _why(a, b, doc_freq, n_docs) -> dict[str, float]:
    """The weighted features that moved the score most (sign = towards / against one story)."""
    f = features(a, b, doc_freq=doc_freq, n_docs=n_docs, minhash=jaccard(a.minhash, b.minhash))
    parts = {name: WEIGHTS.get(name, 0.0) * f[name] for name in FEATURES}
    top = sorted(parts.items(), key=lambda kv: -abs(kv[1]))[:6]
    return {name: round(v, 2) for name, v in top if v}


def traced(ds, gaz) -> tuple[list[int], list[dict]]:
    """Group as group_with does, recording for every article its best candidate and the best
    earlier copy of its own labelled story (score, whether it was a candidate)."""
    grouper = StoryGrouper(gaz)
    predicted, trace = [], []
    for k, d in enumerate(ds):
        sig = story_signature(d.title, d.text, published=d.published, gazetteer=gaz)
        when = _naive(sig.published_at) if sig.published_at else None
        cands = grouper._candidates(sig, when)
        n_docs, doc_freq = len(grouper._sigs), Counter(grouper._doc_freq)
        scored = {i: same_story(sig, grouper._sigs[i], doc_freq=doc_freq, n_docs=n_docs) for i in cands}
        best = max(scored, key=scored.get) if scored else None
        own = {i: same_story(sig, grouper._sigs[i], doc_freq=doc_freq, n_docs=n_docs)
               for i in range(k) if ds[i].story == d.story}
        own_best = max(own, key=own.get) if own else None
        predicted.append(grouper.add_signature(d.id, sig))
        trace.append({"sig": sig, "when": when, "best": best, "best_score": scored.get(best),
                      "own_best": own_best, "own_score": own.get(own_best), "own_is_candidate": own_best in scored,
                      "doc_freq": doc_freq, "n_docs": n_docs})
    return predicted, trace


def errors(ds, predicted, trace) -> dict:
    by_pred, by_truth = defaultdict(list), defaultdict(list)
    for k, d in enumerate(ds):
        by_pred[predicted[k]].append(k)
        by_truth[d.story].append(k)
    merges = []
    for members in by_pred.values():
        if len({ds[k].story for k in members}) < 2:
            continue
        links = []
        for k in members:
            j = trace[k]["best"]
            if j is not None and predicted[j] == predicted[k] and ds[j].story != ds[k].story:
                links.append({"joined": ds[k].id, "to": ds[j].id, "score": round(trace[k]["best_score"], 3),
                              "why": _why(trace[k]["sig"], trace[j]["sig"], trace[k]["doc_freq"], trace[k]["n_docs"])})
        merges.append({"articles": [{"id": ds[k].id, "story": ds[k].story, "title": _label(ds[k])} for k in members],
                       "cross_links": links})
    misses = []
    for story, members in by_truth.items():
        parts = defaultdict(list)
        for k in members:
            parts[predicted[k]].append(ds[k].id)
        if len(parts) < 2:
            continue
        split_links = []
        for k in members:
            j = trace[k]["own_best"]
            if j is None or predicted[j] == predicted[k]:
                continue
            hours = None
            if trace[k]["when"] is not None and trace[j]["when"] is not None:
                hours = round(abs((trace[k]["when"] - trace[j]["when"]).total_seconds()) / 3600, 1)
            best = trace[k]["best"]
            split_links.append({
                "article": ds[k].id, "title": _label(ds[k]), "best_own_copy": ds[j].id,
                "score": round(trace[k]["own_score"], 3), "was_candidate": trace[k]["own_is_candidate"],
                "hours_apart_as_placed": hours,
                "joined_instead": ds[best].id if best is not None and predicted[best] == predicted[k] else None,
                "why": _why(trace[k]["sig"], trace[j]["sig"], trace[k]["doc_freq"], trace[k]["n_docs"])})
        misses.append({"story": story, "parts": list(parts.values()), "split_links": split_links})
    return {"wrong_merges": merges, "misses": misses}


def measure(ds, gaz) -> dict:
    ds = stream_order(ds)
    truth = [d.story for d in ds]
    predicted, trace = traced(ds, gaz)
    assert predicted == group_with(ds, gaz), "the traced run must group as group_with does"
    out: dict = {"articles": len(ds), "dated": sum(d.published is not None for d in ds),
                 "rasid": pair_scores(truth, predicted).as_dict()}
    for name, scorer in (("trigram_jaccard", trigram_scorer), ("tfidf_cosine", tfidf_scorer)):
        score = scorer(ds)
        t, result = best_threshold(ds, lambda t: group_by_score(ds, score, t), GRID)
        out[name] = {"best_threshold": t, **result.as_dict()}
    out.update(errors(ds, predicted, trace))
    return out


def counts(docs, rows) -> dict:
    sizes = Counter(d.story for d in docs)
    langs_of = defaultdict(set)
    for row in rows:
        langs_of[row["story"]].add(row["lang"])
    return {"articles": len(docs), "stories": len(sizes), "stories_with_2_or_more": sum(n >= 2 for n in sizes.values()),
            "singletons": sum(n == 1 for n in sizes.values()),
            "true_pairs": sum(n * (n - 1) // 2 for n in sizes.values()),
            "languages": dict(Counter(row["lang"] for row in rows)),
            "stories_with_both_languages": sum(len(v) > 1 for v in langs_of.values()),
            "dated": sum(d.published is not None for d in docs), "outlets": len({row["source_url"].split("/")[2]
                                                                                 for row in rows})}


def main() -> None:
    gaz = parse_gazetteer((ROOT / "seeds" / "gazetteer.yaml").read_text(encoding="utf-8"), "gazetteer.yaml")
    gaz = gaz.with_places(parse_places((ROOT / "seeds" / "places.tsv").read_text(encoding="utf-8"), "places.tsv"))
    docs = load_eval(REAL, None)
    rows = [json.loads(line) for line in REAL.read_text(encoding="utf-8").splitlines() if line.strip()]
    report = {"counts": counts(docs, rows),
              "as_published": measure(docs, gaz),
              "published_stripped": measure([replace(d, published=None) for d in docs], gaz),
              "dated_only": measure([d for d in docs if d.published is not None], gaz),
              "as_fetched": measure(as_fetched(docs), gaz),
              "as_fetched_real_test": measure([d for d in as_fetched(docs) if d.split == "real-test"], gaz)}
    print(json.dumps(report, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
