"""Fit the stance model's weights on the fit halves only, and say how it does on them.

    uv run python bench/stance_train.py            # cross-validation on the fit halves, then write
    uv run python bench/stance_train.py --no-write # cross-validation only
    uv run python bench/stance_train.py --search   # the grid that chose KINDS, L2 and MIN_STORIES

Multinomial logistic regression (numpy, full-batch gradient descent with momentum, L2) over the
features of extractors/stance_model.py, trained on "stance-fit", "stance-fit2", "stance-fit3" and
"stance-fit4" — never on a test half. Before writing extractors/stance_weights.json it prints a 5-fold
cross-validation grouped by story (a story's sentences are all in one fold): the rules alone against
rules plus model, per fit half, so the model is kept only if it beats the rules on sentences it did
not see. `--search` prints that cross-validation's accuracy (all fit halves together) for each
feature kind set, L2 strength and minimum number of stories a feature must appear in, writing
nothing; it is the only thing that chose those settings (a few minutes of CPU).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from extractors import stance_model  # noqa: E402
from extractors.entities import parse_gazetteer  # noqa: E402
from extractors.stance import _rules_verdict, analyse  # noqa: E402
from extractors.stance_eval import FIT_HALVES, SET_FILES  # noqa: E402
from extractors.stance_model import (EPOCHS, FOLDS, KINDS, MIN_COUNT, STANCES, WEIGHTS,  # noqa: E402
                                     cross_validate, features, story_of, train)
from extractors.stance_speakers import Sentence  # noqa: E402
from extractors.story_text import tokens  # noqa: E402

DATA = [ROOT / "tests" / "data" / "stance" / name for name in SET_FILES]
GAZETTEER = ROOT / "seeds" / "gazetteer.yaml"
# (kinds, L2, minimum stories): what was tried on the four fit halves; the shipped settings are
# the smallest model within half a point of the best cross-validated accuracy. ("relations":
# extractors/stance_relations.py.)
GRID = [*((("phrasing", "words"), l2, ms) for l2 in (0.003, 0.01, 0.03) for ms in (2, 3)),
        *((("phrasing", "words", "relations"), l2, ms) for l2, ms in ((0.01, 2), (0.03, 3))),
        (("phrasing", "relations"), 0.01, 2)]


def fit_rows() -> list[dict]:
    rows = [json.loads(line) for path in DATA for line in path.read_text(encoding="utf-8").splitlines() if line]
    return [row for row in rows if row["split"] in FIT_HALVES]


def accuracy_overall(result: dict, rows: list[dict], key: str) -> float:
    sizes = {half: sum(row["split"] == half for row in rows) for half in result}
    return round(sum(result[h][key]["accuracy"] * n for h, n in sizes.items()) / sum(sizes.values()), 3)


def search(rows: list[dict], analysed: list, rules: list[str]) -> None:
    names_of: dict[tuple[str, ...], list[list[str]]] = {}
    for kinds, l2, min_stories in GRID:
        if kinds not in names_of:
            names_of[kinds] = [features(s, rule, frames, kinds) for s, rule, frames in analysed]
        stance_model.L2, stance_model.MIN_STORIES = l2, min_stories
        result = cross_validate(rows, rules, names_of[kinds])
        print(json.dumps({"kinds": kinds, "l2": l2, "min_stories": min_stories,
                          "rules": accuracy_overall(result, rows, "rules"),
                          "rules_and_model_cv": accuracy_overall(result, rows, "rules_and_model_cv"),
                          **{h: v["rules_and_model_cv"]["accuracy"] for h, v in result.items()}}), flush=True)


def main() -> None:
    gazetteer = parse_gazetteer(GAZETTEER.read_text(encoding="utf-8"), str(GAZETTEER))
    rows = fit_rows()
    analysed = []
    for row in rows:
        s = Sentence(row["text"], tokens(row["text"]), gazetteer)
        frames = analyse(s)
        analysed.append((s, _rules_verdict(s, frames), frames))
    rules = [rule.stance for _, rule, _ in analysed]
    if "--search" in sys.argv:
        search(rows, analysed, rules)
        return
    names = [features(s, rule, frames) for s, rule, frames in analysed]
    labels = np.array([STANCES.index(row["stance"]) for row in rows])
    result = cross_validate(rows, rules, names)
    report = {"sentences": len(rows), "folds": FOLDS, "l2": stance_model.L2, "kinds": KINDS,
              "min_stories": stance_model.MIN_STORIES,
              "overall": {"rules": accuracy_overall(result, rows, "rules"),
                          "rules_and_model_cv": accuracy_overall(result, rows, "rules_and_model_cv")},
              "cross_validation": result}
    if "--no-write" not in sys.argv:
        weights = train(names, labels, [story_of(row) for row in rows])
        kept = {name: row for name, row in weights.items() if max(map(abs, row)) >= 0.01}
        shipped = {"trained_on": list(FIT_HALVES), "sentences": len(rows), "l2": stance_model.L2,
                   "min_count": MIN_COUNT, "min_stories": stance_model.MIN_STORIES, "kinds": list(KINDS),
                   "epochs": EPOCHS, "stances": list(STANCES), "weights": kept}
        WEIGHTS.write_text(json.dumps(shipped, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n",
                           encoding="utf-8")
        report["features_kept"] = len(kept)
    print(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
