"""Stance detection on real sentences (tests/data/stance/sentences*.jsonl), as JSON.

    uv run python bench/stance_eval.py              # every half, the frozen ones included
    uv run python bench/stance_eval.py --fit-only  # the fit halves alone (for working on the rules)

Precision and recall per stance (claim, confirmation, denial, report) on each half of the four
sets — the frozen "stance-test", "stance-test2" and "stance-test4" (never looked at while the rules
were written or the model's weights fitted) and the fit halves "stance-fit", "stance-fit2",
"stance-fit3" and "stance-fit4" (the rules were written looking at the first; the model,
extractors/stance_model.py, was trained on all four, so its figures there are not a measure: bench/stance_train.py gives its
cross-validation instead) — for both languages and each, for three readers: rasid as shipped
(rules, then the model's last word), the rules alone, and the anchor (a cue-word list, no speaker,
negation or roles); how often the speaker found agrees with the labelled one (on sentences whose
stance is right); and the cost per article (a headline and two lede sentences) in microseconds,
with the machine's load average beside it (CPU time of this process, so other work on a shared
machine weighs less).
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from extractors.entities import parse_gazetteer  # noqa: E402
from extractors.stance import (_cached, _rules_verdict, analyse, sentence_stance,  # noqa: E402
                               split_sentences, text_stance)
from extractors.stance_eval import (FIT_HALVES, SET_FILES, TEST_HALVES, evaluate, keyword_stance,  # noqa: E402
                                    load_sentences)
from extractors.stance_speakers import Sentence  # noqa: E402
from extractors.story_text import tokens  # noqa: E402

DATA = [ROOT / "tests" / "data" / "stance" / name for name in SET_FILES]
GAZETTEER = ROOT / "seeds" / "gazetteer.yaml"


def quality(items, gazetteer, halves) -> dict:
    out = {}
    for split in halves:
        part = [i for i in items if i.split == split]
        rasid = evaluate(part, lambda text: sentence_stance(text, gazetteer=gazetteer))
        rules = evaluate(part, lambda text: rules_only(text, gazetteer))
        anchor = evaluate(part, keyword_stance)
        rules.pop("confusions"), anchor.pop("confusions")
        out[split] = {"rasid": rasid, "rules_only": rules, "anchor_keywords": anchor}
    return out


def rules_only(text: str, gazetteer):
    """The rules' verdict without the model's last word."""
    s = Sentence(text, tokens(text), gazetteer)
    return _rules_verdict(s, analyse(s))


def speed(items, gazetteer, rounds: int = 5) -> dict:
    """µs per article (a headline and a two-sentence lede, all three read): "cold" tokenizes the
    text too; "in_pipeline" finds its tokens remembered, as prepare() does right after the story
    signature read the same title and body. Best of rounds, the stance cache emptied each time."""
    articles = [(items[k].text, " ".join(i.text for i in items[k + 1:k + 3])) for k in range(0, len(items) - 2, 3)]
    cold = warm = float("inf")
    for _ in range(rounds):
        _cached.cache_clear()
        start = time.process_time()
        for title, lede in articles:
            for sentence in [title, *split_sentences(lede)]:
                sentence_stance(sentence, gazetteer=gazetteer)
        cold = min(cold, time.process_time() - start)
        spent = 0.0
        for title, lede in articles:
            tokens(title), tokens(lede)
            began = time.process_time()
            text_stance(title, lede, gazetteer=gazetteer, default_speaker="every sentence")
            spent += time.process_time() - began
        warm = min(warm, spent)
    return {"articles": len(articles), "us_per_article_cold": round(cold / len(articles) * 1e6, 1),
            "us_per_article_in_pipeline": round(warm / len(articles) * 1e6, 1),
            "load_average": os.getloadavg()[0]}


def main() -> None:
    items = [item for path in DATA for item in load_sentences(path.read_text(encoding="utf-8"))]
    gazetteer = parse_gazetteer(GAZETTEER.read_text(encoding="utf-8"), str(GAZETTEER))
    halves = FIT_HALVES if "--fit-only" in sys.argv else (*TEST_HALVES, *FIT_HALVES)
    print(json.dumps({"sentences": len(items), "quality": quality(items, gazetteer, halves),
                      "speed": speed(items, gazetteer)}, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
