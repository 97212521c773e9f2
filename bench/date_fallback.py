"""How often the last-resort date (extractors/dates_fallback.py) would give a wrong day, as JSON.

    uv run python bench/date_fallback.py [--benchmark PATH]

Page sets: the dev half of tests/data/new_outlets, ../shared/corpus, the replay pages and, with
`--benchmark`, the article-extraction-benchmark's 181 pages (no date truth there: the reference
is rasid's own day when it was read from structured data or the byline). Never the frozen half.
For each htmldate setting, three counts of right / wrong / none:
- `used`: the pages where rasid's own sources find no date (where the fallback really runs);
- `full`: every page with a reference day, the page as it is (how often htmldate is wrong at all);
- `stripped`: the same pages with JSON-LD, date meta tags and `<time>` removed, so htmldate has
  to read what an undated page offers (URL, text, other markup): the case the fallback is for.
Plus mean milliseconds per call of each setting, `date_line_alone`: what the date-line step
(extractors/dates_page.date_line) alone answers on every page as it is, and `rasid_on_stripped_pages`: rasid's whole
date order (byline, URL, date line, fallback) on the stripped pages, wrong pages named with the
source that answered.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
import time
from collections import Counter
from datetime import datetime, timezone
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from extraction_eval import NEW_OUTLETS, SHARED, Case, _patched, corpus_cases, replay_cases  # noqa: E402

from extractors import dates_fallback  # noqa: E402
from extractors.article import extract_article, prepare_html  # noqa: E402
from extractors.dates_page import date_line, near_headline_text  # noqa: E402
from lxml import html as lxml_html  # noqa: E402

SETTINGS = {
    "careful_unchecked": {"original_date": True, "extensive_search": False},
    "careful": {"original_date": True, "extensive_search": False},
    "careful_extensive": {"original_date": True, "extensive_search": True},
    "latest_not_extensive": {"original_date": False, "extensive_search": False},
    "htmldate_defaults": {"original_date": False, "extensive_search": True},
}
_STRUCTURED = re.compile(
    r"<script[^>]*ld\+json[^>]*>.*?</script\s*>|<meta[^>]*(?:date|time|created|issued)[^>]*>"
    r"|<time\b[^>]*>", re.I | re.S)
NOW = datetime(2026, 12, 6, tzinfo=timezone.utc)


def _local_day(case: Case) -> tuple[str | None, str | None]:
    a = extract_article(case.html, case.url, overrides=case.overrides, utc_offset_hours=case.utc_offset_hours)
    local = a.published_local
    return (local.date().isoformat() if local else None), a.date_source


def _tree(html: str):
    return lxml_html.document_fromstring(prepare_html(html, 3_000_000))


def _fallback(name: str, tree, case: Case, settings: dict):
    """The fallback as shipped; "…_unchecked": without the check that the day is written near the headline."""
    near = near_headline_text(_headline(tree, case))
    call = partial(dates_fallback.fallback_day, tree, near_headline=near, url=case.url, now=NOW, lang=case.lang,
                   settings=settings)
    if not name.endswith("_unchecked"):
        return call()
    with _patched(dates_fallback, "_written", lambda *a: "(not checked)"):
        return call()


def _date_line_day(case: Case):
    """What the date line step alone would answer on the page, whatever the sources before it say."""
    tree = _tree(case.html)
    line = date_line(_headline(tree, case), utc_offset_minutes=round((case.utc_offset_hours or 0) * 60) or None,
                     lang=case.lang)
    return dates_fallback.FallbackDay(line.local_date, line.evidence) if line else None


def _stripped_chain(case: Case):
    """rasid's whole date order (byline, URL, date line, fallback) on the page without its metadata."""
    a = extract_article(_STRUCTURED.sub(" ", case.html), case.url, overrides=case.overrides,
                        utc_offset_hours=case.utc_offset_hours, now=NOW)
    local = a.published_local
    return dates_fallback.FallbackDay(local.date(), a.date_source) if local else None


def _headline(tree, case: Case):
    """The headline element as extract_article chooses it."""
    from extractors.article import headline_element, jsonld_objects, metadata_titles

    return headline_element(tree, metadata_titles(tree, jsonld_objects(tree)))


def _count(counter: Counter, answer, truth: str | None) -> None:
    day = answer.day.isoformat() if answer else None
    if truth is None:
        counter["wrong" if day else "none_right"] += 1
    elif day is None:
        counter["none"] += 1
    else:
        counter["right" if day == truth else "wrong"] += 1


def measure(cases: list[Case], reference_from_rasid: bool = False) -> dict:
    out: dict = {name: {"used": Counter(), "full": Counter(), "stripped": Counter(), "ms": 0.0, "wrong_pages": []}
                 for name in (*SETTINGS, "date_line_alone", "rasid_on_stripped_pages")}
    out["rasid_on_stripped_pages"]["by_source"] = Counter()
    for case in cases:
        rasid_day, source = _local_day(case)
        truth = case.date
        if reference_from_rasid:
            truth = rasid_day if source in ("jsonld", "meta", "time", "byline") else None
            if truth is None:
                continue
        for name, settings in SETTINGS.items():
            row = out[name]
            started = time.process_time()
            answer = _fallback(name, _tree(case.html), case, settings)
            row["ms"] += (time.process_time() - started) * 1000
            if rasid_day is None and not reference_from_rasid:
                _count(row["used"], answer, truth)
            _count(row["full"], answer, truth)
            stripped = _fallback(name, _tree(_STRUCTURED.sub(" ", case.html)), case, settings)
            _count(row["stripped"], stripped, truth)
            for kind, a in (("full", answer), ("stripped", stripped)):
                if a is not None and a.day.isoformat() != truth:
                    row["wrong_pages"].append(f"{kind} {case.id}: {a.day} (reference {truth})")
        alone = _date_line_day(case)
        _count(out["date_line_alone"]["full"], alone, truth)
        if alone is not None and alone.day.isoformat() != truth:
            out["date_line_alone"]["wrong_pages"].append(f"{case.id}: {alone.day} «{alone.evidence}» (reference {truth})")
        chain = _stripped_chain(case)
        _count(out["rasid_on_stripped_pages"]["stripped"], chain, truth)
        if chain is not None:
            out["rasid_on_stripped_pages"]["by_source"][
                f"{chain.evidence} {'right' if chain.day.isoformat() == truth else 'wrong'}"] += 1
        if chain is not None and chain.day.isoformat() != truth:
            out["rasid_on_stripped_pages"]["wrong_pages"].append(f"{case.id}: {chain.day} via {chain.evidence}")
    for row in out.values():
        row["ms"] = round(row["ms"] / max(1, len(cases)), 1)
        for kind in ("used", "full", "stripped", "by_source"):
            if kind in row:
                row[kind] = dict(row[kind])
    return out


def benchmark_cases(path: Path) -> list[Case]:
    truth = json.loads((path / "ground-truth.json").read_text(encoding="utf-8"))
    cases = []
    for key, row in sorted(truth.items()):
        html = gzip.decompress((path / "html" / f"{key}.html.gz").read_bytes()).decode("utf-8", "replace")
        cases.append(Case(key[:8], "", html, row.get("url"), "", None, [], []))
    return cases


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--benchmark", type=Path, metavar="PATH",
                        help="a checkout of scrapinghub/article-extraction-benchmark (html/, ground-truth.json)")
    args = parser.parse_args()
    report = {"new_outlets_dev": measure(corpus_cases(NEW_OUTLETS, "dev")),
              "shared_corpus": measure(corpus_cases(SHARED / "corpus"))}
    replay = replay_cases()
    if replay:
        report["replay"] = measure(replay)
    if args.benchmark:
        report["article_extraction_benchmark"] = measure(benchmark_cases(args.benchmark), reference_from_rasid=True)
    print(json.dumps(report, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
