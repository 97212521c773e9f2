"""The wide story sets: real news excerpts on many subjects, labelled by development.

    uv run python bench/story_sets.py            # counts per file, split, language, kind (JSON)
    uv run python bench/story_sets.py --score    # pair P/R/F1 per half: rasid beside TF-IDF (a report)

tests/data/stories/wide_*.jsonl hold excerpts of real Arabic and English news pages
(tests/data/stories/WIDE_SOURCES.md): Iraq security (the seed topics and others), the region
(other conflicts and politics), general news (economy, sport, disasters) and a third round of
same-kind families on all of these (wide_more.jsonl). They exist so
that story grouping is measured on subjects nobody tuned it on. Each line carries its
`story` (one development) and its `family` (stories of one kind or one chain of events,
e.g. two rocket attacks on one base in one week); the split goes by family, so a story and
the same-kind stories it must not be merged with always land in the same half.

`split_of(family)` is the rule: the parity of the SHA-1 of the family name, odd ->
"wide-test" (frozen: never fits a weight, picks a threshold or inspires a rule), even ->
"wide-dev". Every line also states its `split`; tests/test_story_sets.py checks both agree.

`--score` groups each half with the pinned weights and threshold, as fetched (undated
articles at noon of their event day, `as_fetched`) and with every date stripped, beside
TF-IDF cosine at the threshold best for it on that half itself (an upper bound for the
baseline). It reports; nothing is fitted, and the wide-test figures must not steer a change.

Other code imports `load_wide(split)` (EvalDoc objects, as `extractors.grouping_eval`
loads them, `story` holding the label) or `wide_rows(split)` (the raw dicts).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections import Counter
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from extractors.entities import parse_gazetteer  # noqa: E402
from extractors.grouping_eval import (  # noqa: E402
    EvalDoc,
    as_fetched,
    best_threshold,
    group_by_score,
    group_with,
    load_eval,
    pair_scores,
    stream_order,
    tfidf_scorer,
)

STORIES = ROOT / "tests" / "data" / "stories"
WIDE_FILES = ("wide_iraq_security.jsonl", "wide_region.jsonl", "wide_general.jsonl", "wide_more.jsonl")
SPLITS = ("wide-dev", "wide-test")


def split_of(family: str) -> str:
    """The half a story family belongs to: fixed by its name alone, so it never moves."""
    return "wide-test" if int(hashlib.sha1(family.encode("utf-8")).hexdigest(), 16) % 2 else "wide-dev"


def _check_split(split: str | None) -> None:
    if split is not None and split not in SPLITS:
        raise ValueError(f"unknown wide split {split!r}; use one of {SPLITS} or None for both")


def wide_rows(split: str | None = None, directory: Path = STORIES) -> list[dict]:
    """Every labelled line of the wide files (one half when `split` is given)."""
    _check_split(split)
    rows = []
    for name in WIDE_FILES:
        path = directory / name
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                row["file"] = name
                rows.append(row)
    return [r for r in rows if split is None or r["split"] == split]


def load_wide(split: str | None = None, directory: Path = STORIES) -> list[EvalDoc]:
    """The wide sets as evaluation documents (story label, publication time, event day)."""
    _check_split(split)
    docs = [d for name in WIDE_FILES for d in load_eval(directory / name, None)]
    return [d for d in docs if split is None or d.split == split]


def summary(rows: list[dict]) -> dict:
    """Counts a reader checks first: items, stories, languages, outlets, seed share."""
    stories = {r["story"] for r in rows}
    outside = {r["story"] for r in rows if not r["seed_topic"]}
    return {"items": len(rows), "stories": len(stories), "families": len({r["family"] for r in rows}),
            "outlets": len({r["outlet"] for r in rows}), "lang": dict(Counter(r["lang"] for r in rows)),
            "kind": dict(Counter(r["kind"] for r in rows)),
            "items_outside_seed_topics": sum(not r["seed_topic"] for r in rows),
            "stories_outside_seed_topics": len(outside),
            "stories_with_copies": sum(n > 1 for n in Counter(r["story"] for r in rows).values()),
            "dated": sum("published" in r for r in rows)}


GRID = [0.01] + [round(x * 0.02, 2) for x in range(1, 50)]


def score(docs: list[EvalDoc], gazetteer) -> dict:
    """Pair scores of rasid (pinned) and of TF-IDF at its own best threshold, one stream."""
    ds = stream_order(docs)
    truth = [d.story for d in ds]
    tfidf = tfidf_scorer(ds)
    t, base = best_threshold(ds, lambda th: group_by_score(ds, tfidf, th), GRID)
    return {"articles": len(ds), "rasid": pair_scores(truth, group_with(ds, gazetteer)).as_dict(),
            "tfidf_best_threshold": {"threshold": t, **base.as_dict()}}


def scores() -> dict:
    gaz = parse_gazetteer((ROOT / "seeds" / "gazetteer.yaml").read_text(encoding="utf-8"), "gazetteer.yaml")
    out = {}
    for split in SPLITS:
        docs = load_wide(split)
        out[split] = {"as_fetched": score(as_fetched(docs), gaz),
                      "no_dates": score([replace(d, published=None) for d in docs], gaz)}
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--score", action="store_true", help="group each half and report pair P/R/F1")
    args = parser.parse_args()
    if args.score:
        print(json.dumps(scores(), indent=1))
        return
    rows = wide_rows()
    report = {"all": summary(rows)}
    report.update({s: summary([r for r in rows if r["split"] == s]) for s in SPLITS})
    report.update({name: summary([r for r in rows if r["file"] == name]) for name in WIDE_FILES})
    print(json.dumps(report, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
