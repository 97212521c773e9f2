"""The public article-extraction-benchmark, scored with its own metric (used by extraction_eval.py --benchmark).

The benchmark is scrapinghub/article-extraction-benchmark: 181 article pages (`html/<id>.html.gz`)
and `ground-truth.json` ({id: {"articleBody", "url"}}). Nothing of it is stored here; point
`--benchmark` at a checkout. Its licence notice, as its LICENSE file gives it:

    MIT License

    Copyright (c) 2020 Scrapinghub

    Permission is hereby granted, free of charge, to any person obtaining a copy
    of this software and associated documentation files (the "Software"), to deal
    in the Software without restriction, including without limitation the rights
    to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
    copies of the Software, and to permit persons to whom the Software is
    furnished to do so, subject to the following conditions:

    The above copyright notice and this permission notice shall be included in all
    copies or substantial portions of the Software.

    THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
    IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
    FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
    AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
    LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
    OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE
    SOFTWARE.

The metric below is the benchmark's `evaluate.py` (its point estimate, without the bootstrap
spread): per page, the multiset of 4-token shingles (tokens: `\\w+`) of the extracted body
against the true one gives TP/FP/FN, normalised by their sum so long pages weigh no more;
precision and recall are means over pages (a page counts for precision only if anything was
predicted or expected, as there), F1 is their harmonic mean; accuracy is the share of pages
whose token list is exactly the truth's.
"""

from __future__ import annotations

import gzip
import json
import re
import statistics
from collections import Counter
from pathlib import Path
from typing import Callable

_TOKEN = re.compile(r"\w+", re.UNICODE | re.MULTILINE | re.IGNORECASE | re.DOTALL)
SHINGLE = 4


def load(path: Path) -> list[tuple[str, str, str, str]]:
    """(id, url, html, true body) for every page of a checkout of the benchmark."""
    truth = json.loads((path / "ground-truth.json").read_text(encoding="utf-8"))
    pages = []
    for key in sorted(truth):
        with gzip.open(path / "html" / f"{key}.html.gz", "rt", encoding="utf8") as f:
            pages.append((key, truth[key].get("url"), f.read(), truth[key].get("articleBody", "")))
    return pages


def _tokens(text: str) -> list[str]:
    return _TOKEN.findall(text or "")


def _shingles(text: str) -> Counter:
    tokens = _tokens(text)
    return Counter(tuple(tokens[i:i + SHINGLE]) for i in range(max(1, len(tokens) - SHINGLE + 1))
                   if tokens[i:i + SHINGLE])


def tp_fp_fn(true: str, pred: str) -> tuple[float, float, float]:
    t, p = _shingles(true), _shingles(pred)
    tp = fp = fn = 0.0
    for key in set(t) | set(p):
        tp += min(t[key], p[key])
        fp += max(0, p[key] - t[key])
        fn += max(0, t[key] - p[key])
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total > 0 else (tp, fp, fn)


def _precision(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    return 0.0 if tp == fp == 0 else tp / (tp + fp)


def _recall(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    return 0.0 if tp == fn == 0 else tp / (tp + fn)


def metrics(pairs: list[tuple[str, str]]) -> dict:
    """F1, precision, recall and accuracy over (true, predicted) bodies, as the benchmark computes them."""
    counts = [tp_fp_fn(true, pred) for true, pred in pairs]
    precision = statistics.mean(_precision(*c) for c in counts if c[0] + c[1] > 0)
    recall = statistics.mean(_recall(*c) for c in counts if c[0] + c[2] > 0)
    return {"f1": round(2 * precision * recall / (precision + recall), 4), "precision": round(precision, 4),
            "recall": round(recall, 4),
            "accuracy": round(statistics.mean(float(_tokens(t) == _tokens(p)) for t, p in pairs), 4)}


def evaluate(path: Path, systems: dict[str, Callable[[str, str | None], str]]) -> dict:
    """The benchmark's figures for each system (a function of html and url giving the body), same pages."""
    pages = load(path)
    report: dict = {"pages": len(pages)}
    for name, extract in systems.items():
        report[name] = metrics([(true, extract(html, url) or "") for _key, url, html, true in pages])
    return report
