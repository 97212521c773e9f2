"""Story grouping figures, printed as JSON.

    uv run python bench/grouping.py            # quality (dev/test pair P/R/F1 vs baselines) and speed
(weights and threshold: bench/grouping_fit.py; every set and split beside TF-IDF and MinHash:
bench/grouping_splits.py)

Quality is measured on tests/data/stories/eval.jsonl (seed articles read from ../shared when
present). Speed: signature cost per article, and grouping throughput over a stream made of the
evaluation articles repeated in disjoint time windows (so the index keeps growing).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


from extractors import grouping  # noqa: E402
from extractors.entities import parse_gazetteer  # noqa: E402
from extractors.grouping_eval import (  # noqa: E402
    best_threshold,
    group_by_score,
    group_with,
    load_eval,
    pair_scores,
    stream_order,
    tfidf_scorer,
    trigram_scorer,
)
from extractors.places import parse_places  # noqa: E402
from extractors.story_signature import story_signature  # noqa: E402

EVAL = ROOT / "tests" / "data" / "stories" / "eval.jsonl"
REAL = ROOT / "tests" / "data" / "stories" / "real.jsonl"  # its real-fit half joins the fit; real-test never
SHARED = ROOT.parent / "shared"
GRID = [0.01] + [round(x * 0.02, 2) for x in range(1, 50)]


def _split(docs, name):
    return stream_order([d for d in docs if d.split == name])


def quality(docs, gaz) -> dict:
    """Ours at the pinned threshold; baselines at their best dev threshold, applied to test."""
    out: dict = {}
    dev, test, holdout = _split(docs, "dev"), _split(docs, "test"), _split(docs, "holdout")
    held = (("test", test), ("holdout", holdout)) + tuple(
        (name, _split(docs, name)) for name in ("holdout2", "holdout3", "holdout4"))
    for name, split in (("dev", dev),) + held:
        out.setdefault("rasid", {})[name] = pair_scores([d.story for d in split], group_with(split, gaz)).as_dict()
    for base, scorer in (("trigram_jaccard", trigram_scorer), ("tfidf_cosine", tfidf_scorer)):
        dev_score = scorer(dev)
        t, dev_result = best_threshold(dev, lambda t: group_by_score(dev, dev_score, t), GRID)
        out[base] = {"threshold": t, "dev": dev_result.as_dict()}
        for name, split in held:
            predicted = group_by_score(split, scorer(split), t)
            out[base][name] = pair_scores([d.story for d in split], predicted).as_dict()
    out["docs"] = {"dev": len(dev), **{name: len(split) for name, split in held},
                   "stories": len({d.story for d in docs})}
    return out


def speed(docs, gaz, repeats: int) -> dict:
    def sign_all() -> float:
        started = time.perf_counter()
        for d in docs:
            story_signature(d.title, d.text, published=d.published, gazetteer=gaz)
        return (time.perf_counter() - started) / len(docs)
    cold, per_doc = sign_all(), sign_all()  # first pass fills the stem and token caches
    seeds = sorted((SHARED / "seeds").glob("*.txt")) if SHARED.is_dir() else []
    long_texts = [p.read_text(encoding="utf-8") for p in seeds]
    started = time.perf_counter()
    for text in long_texts:
        story_signature("", text, gazetteer=gaz)
    per_seed = (time.perf_counter() - started) / len(long_texts) if long_texts else None
    stream = [replace(d, published=d.published + timedelta(days=30 * r) if d.published else None)
              for r in range(repeats) for d in stream_order(docs)]
    grouper = grouping.StoryGrouper(gaz)
    started = time.perf_counter()
    for d in stream:
        grouper.add(d.id, d.title, d.text, d.published)
    elapsed = time.perf_counter() - started
    return {"signature_ms_per_article_cold": round(cold * 1000, 2),
            "signature_ms_per_article": round(per_doc * 1000, 2),
            "mean_words_per_article": round(sum(len((d.title + " " + d.text).split()) for d in docs) / len(docs)),
            "signature_ms_per_seed_article": round(per_seed * 1000, 2) if per_seed is not None else None,
            "mean_words_per_seed_article": round(sum(len(t.split()) for t in long_texts) / len(long_texts))
            if long_texts else None,
            "grouping_stream_articles": len(stream),
            "grouping_articles_per_s": round(len(stream) / elapsed, 1),
            "grouping_ms_per_article": round(elapsed / len(stream) * 1000, 2),
            "mean_candidates_scored": round(grouper.stats["scored"] / len(stream), 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeats", type=int, default=30, help="copies of the eval stream for throughput")
    args = parser.parse_args()
    gaz = parse_gazetteer((ROOT / "seeds" / "gazetteer.yaml").read_text(encoding="utf-8"), "gazetteer.yaml")
    gaz = gaz.with_places(parse_places((ROOT / "seeds" / "places.tsv").read_text(encoding="utf-8"), "places.tsv"))
    docs = load_eval(EVAL, SHARED if SHARED.is_dir() else None)
    print(json.dumps({"quality": quality(docs, gaz), "speed": speed(docs, gaz, args.repeats)}, indent=1))


if __name__ == "__main__":
    main()
