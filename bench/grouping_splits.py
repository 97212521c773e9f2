"""Story grouping on every evaluation set and split, beside the TF-IDF and MinHash anchors, printed as JSON.

    uv run python bench/grouping_splits.py                   # every set and split, as fetched and with no dates
    uv run python bench/grouping_splits.py --learning-curve  # dev-half F1 of fits on growing shares of the fit pairs

Sets: tests/data/stories/eval.jsonl (dev fits; test and holdouts report), real.jsonl
(real-fit fits; real-test reports) and, when present, the wide sets of bench/story_sets.py
(wide-dev fits; wide-test reports). Two ways the articles arrive:

- "as_fetched": each article at its publication time, or, when it has none, at noon UTC of
  its labelled event day (where a live poll would have fetched it);
- "busy_day": as fetched, but every family of stories moved to start within one day, its own
  spacing kept (grouping_eval.busy_day): the sets span years, a monitor sees dozens of
  developments a day, and time alone must not join them;
- "no_dates": every article undated (backfill, `topics test`, pages without a date): time
  gives no evidence and every pair may be compared.

Anchors group the same stream the same way (each article joins the story of its best earlier
match above a threshold, within the window when dated); their threshold is the best on the
set's fitting half in the same mode, then applied to every split: the frozen halves never pick
anything. rasid runs with the pinned weights and thresholds (bench/grouping_fit.py fits them).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from extractors.entities import parse_gazetteer  # noqa: E402
from extractors.grouping_eval import (  # noqa: E402
    as_fetched,
    best_threshold,
    busy_day,
    group_by_score,
    group_with,
    load_eval,
    minhash_scorer,
    pair_scores,
    stream_order,
    tfidf_scorer,
)
from extractors.places import parse_places  # noqa: E402

STORIES = ROOT / "tests" / "data" / "stories"
SHARED = ROOT.parent / "shared"
GRID = [0.01] + [round(x * 0.02, 2) for x in range(1, 50)]
ANCHORS = {"tfidf": tfidf_scorer, "minhash": minhash_scorer}


def gazetteer():
    gaz = parse_gazetteer((ROOT / "seeds" / "gazetteer.yaml").read_text(encoding="utf-8"), "gazetteer.yaml")
    return gaz.with_places(parse_places((ROOT / "seeds" / "places.tsv").read_text(encoding="utf-8"), "places.tsv"))


def sets() -> dict[str, tuple[str, dict[str, list]]]:
    """name -> (fitting split, {split: docs}); docs as loaded (dates where the page gave one)."""
    out = {}
    docs = load_eval(STORIES / "eval.jsonl", SHARED if SHARED.is_dir() else None)
    out["eval"] = ("dev", _by_split(docs))
    out["real"] = ("real-fit", _by_split(load_eval(STORIES / "real.jsonl", None)))
    sys.path.insert(0, str(ROOT / "bench"))
    from story_sets import load_wide  # type: ignore[import-not-found]

    out["wide"] = ("wide-dev", {split: load_wide(split) for split in ("wide-dev", "wide-test")})
    return out


def _by_split(docs) -> dict[str, list]:
    splits: dict[str, list] = {}
    for d in docs:
        splits.setdefault(d.split, []).append(d)
    return splits


MODES = ("as_fetched", "busy_day", "no_dates")


def arrive(docs, mode: str) -> list:
    if mode == "no_dates":
        return stream_order([replace(d, published=None) for d in docs])
    if mode == "busy_day":
        return stream_order(busy_day(as_fetched(docs)))
    return stream_order(as_fetched(docs))


def measure(gaz, name: str, fit_split: str, splits: dict[str, list]) -> dict:
    out: dict = {}
    for mode in MODES:
        streams = {split: arrive(docs, mode) for split, docs in splits.items()}
        fit_docs = streams[fit_split]
        thresholds = {}
        for anchor, scorer in ANCHORS.items():
            score = scorer(fit_docs)
            thresholds[anchor], _ = best_threshold(fit_docs, lambda t: group_by_score(fit_docs, score, t), GRID)
        for split, ds in streams.items():
            truth = [d.story for d in ds]
            started = time.perf_counter()
            ours = pair_scores(truth, group_with(ds, gaz)).as_dict()
            ms = (time.perf_counter() - started) * 1000 / max(len(ds), 1)
            row = {"articles": len(ds), "rasid": ours, "rasid_ms_per_article": round(ms, 2)}
            for anchor, scorer in ANCHORS.items():
                predicted = group_by_score(ds, scorer(ds), thresholds[anchor])
                row[anchor] = {"threshold": thresholds[anchor], **pair_scores(truth, predicted).as_dict()}
            out.setdefault(split, {})[mode] = row
    return out


def summary(report: dict) -> list[str]:
    lines = []
    for name, splits in report.items():
        for split, modes in splits.items():
            cells = [f"{modes[m]['rasid']['f1']:.3f}/{modes[m]['tfidf']['f1']:.3f}/{modes[m]['minhash']['f1']:.3f}"
                     for m in MODES]
            lines.append(f"{name:5} {split:9} fetched {cells[0]}  busy {cells[1]}  no-dates {cells[2]}"
                         "  (rasid/tfidf/minhash F1)")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--learning-curve", action="store_true",
                        help="refit on 20..100%% of the fitting pairs and print the fitting halves' F1")
    parser.add_argument("--only", help="one set (eval, real, wide ...)")
    args = parser.parse_args()
    gaz = gazetteer()
    if args.learning_curve:
        from grouping_fit import learning_curve  # type: ignore[import-not-found]

        print(json.dumps(learning_curve(gaz, sets()), indent=1))
        return
    report = {name: measure(gaz, name, fit_split, splits) for name, (fit_split, splits) in sets().items()
              if not args.only or name == args.only}
    print(json.dumps({"report": report, "summary": summary(report)}, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
