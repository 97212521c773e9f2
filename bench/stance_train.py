"""Fit the stance model's weights on the fit halves only, and say how it does on them.

    uv run python bench/stance_train.py            # cross-validation on the fit halves, then write
    uv run python bench/stance_train.py --no-write # cross-validation only

Multinomial logistic regression (numpy, full-batch gradient descent with momentum, L2) over the
features of extractors/stance_model.py, trained on "stance-fit" and "stance-fit2" — never on a
test half. Before writing extractors/stance_weights.json it prints a 5-fold cross-validation
grouped by story (a story's sentences are all in one fold): the rules alone against rules plus
model, per fit half, so the model is kept only if it beats the rules on sentences it did not see.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from extractors.entities import parse_gazetteer  # noqa: E402
from extractors.stance_eval import FIT_HALVES  # noqa: E402
from extractors.stance_model import (EPOCHS, FOLDS, L2, MIN_COUNT, STANCES, WEIGHTS, cross_validate,  # noqa: E402
                                     sentence_features, train)

DATA = [ROOT / "tests" / "data" / "stance" / name for name in ("sentences.jsonl", "sentences2.jsonl")]
GAZETTEER = ROOT / "seeds" / "gazetteer.yaml"


def fit_rows() -> list[dict]:
    rows = [json.loads(line) for path in DATA for line in path.read_text(encoding="utf-8").splitlines() if line]
    return [row for row in rows if row["split"] in FIT_HALVES]


def main() -> None:
    gazetteer = parse_gazetteer(GAZETTEER.read_text(encoding="utf-8"), str(GAZETTEER))
    rows = fit_rows()
    computed = [sentence_features(row["text"], gazetteer) for row in rows]
    rules = [stance for stance, _ in computed]
    names = [row_names for _, row_names in computed]
    labels = np.array([STANCES.index(row["stance"]) for row in rows])
    report = {"sentences": len(rows), "folds": FOLDS, "l2": L2,
              "cross_validation": cross_validate(rows, rules, names)}
    if "--no-write" not in sys.argv:
        weights = train(names, labels)
        kept = {name: row for name, row in weights.items() if max(map(abs, row)) >= 0.01}
        shipped = {"trained_on": list(FIT_HALVES), "sentences": len(rows), "l2": L2, "min_count": MIN_COUNT,
                   "epochs": EPOCHS, "stances": list(STANCES), "weights": kept}
        WEIGHTS.write_text(json.dumps(shipped, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n",
                           encoding="utf-8")
        report["features_kept"] = len(kept)
    print(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
