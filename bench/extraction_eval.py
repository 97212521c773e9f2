"""Extraction quality on real Arabic/Persian pages: rasid against plain trafilatura, as JSON.

    uv run python bench/extraction_eval.py            # corpus + replay pages, all systems
    uv run python bench/extraction_eval.py --sizes    # also the size/time guard on big pages

Pages: ../shared/corpus (real captured pages, truth.jsonl) and, when ../shared/seeds is
there, the replay pages built from the seed articles (seeds/replay, truth from
seeds/replay/_build/articles.yaml). Figures per system: title exact-match rate, date
accuracy (the outlet's local day; a page with no date must give none), wrong dates (a
date given that is not the truth: the figure that must stay 0), missing dates,
text must-contain and must-not-contain rates, on the replay the share of body
paragraphs that come out as lines of their own (not glued to others), per outlet. Systems: rasid as shipped,
rasid with other trafilatura settings and with each of its fixes turned off, and plain
trafilatura 2.3 defaults (its date is htmldate's), and htmldate's find_date alone (dates only).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Callable, Iterator

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
sys.path.insert(0, str(ROOT))

from extractors import article_text  # noqa: E402
from extractors.article import extract_article  # noqa: E402
from extractors.outlets import ExtractOverrides, parse_outlets  # noqa: E402


@dataclass
class Case:
    id: str
    outlet: str
    html: str
    url: str | None
    title: str
    date: str | None                       # the outlet's local day, YYYY-MM-DD
    contains: list[str]
    excludes: list[str]
    title_variants: list[str] = field(default_factory=list)
    instant: datetime | None = None        # exact publication instant when known (replay)
    utc_offset_hours: float | None = None
    overrides: ExtractOverrides = field(default_factory=ExtractOverrides)
    is_article: bool = True
    nav: list[str] = field(default_factory=list)  # menu items: must never be a line of the text
    whole_paragraphs: bool = False         # `contains` are whole paragraphs: each must be its own line


@dataclass
class Outcome:
    title: str | None
    date: str | None
    text: str
    instant: datetime | None = None
    gives_instant: bool = True             # plain trafilatura gives a day only


def norm(text: str | None) -> str:
    """Whitespace-normalised, NBSP to space, letters untouched (as the corpus README asks)."""
    return " ".join((text or "").replace("\u00a0", " ").split())


def corpus_cases(corpus: Path = SHARED / "corpus") -> list[Case]:
    cases = []
    for line in (corpus / "truth.jsonl").read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        html = (corpus / row["file"]).read_bytes().decode(row["encoding"])
        cases.append(Case(Path(row["file"]).stem, row["outlet"].split(" (")[0], html, row["url"], row["title"],
                          row["date"], row["text_contains"], row["text_excludes"],
                          title_variants=row.get("title_variants", []), is_article=row["page_type"] == "article"))
    return cases


def replay_cases(seeds: Path = SHARED / "seeds") -> list[Case]:
    """Replay pages with truth from the replica's own build data (needs ../shared/seeds)."""
    if not seeds.is_dir():
        return []
    build_dir = ROOT / "seeds" / "replay" / "_build"
    before = set(sys.modules)
    sys.path.insert(0, str(build_dir))
    try:
        import build  # the replica's generator: seed texts are read by line number, not copied
        from catalog import OUTLETS
    finally:
        sys.path.remove(str(build_dir))
        for name in set(sys.modules) - before:  # its modules are named dates, feeds…: do not leave them
            if getattr(sys.modules[name], "__file__", "") and str(build_dir) in sys.modules[name].__file__:
                del sys.modules[name]
    outlets = {o.id: o for o in parse_outlets((ROOT / "seeds" / "outlets.yaml").read_text(encoding="utf-8"))}
    cases = []
    for a in build.load_articles():
        page = ROOT / "seeds" / "replay" / f"wave{a['wave']}" / a["file"]
        boiler = [t for t, _ in OUTLETS[a["outlet"]]["filler"]]
        boiler += [link["title"] for b in a["blocks"] if b["kind"] in ("related", "readalso") for link in b["links"]]
        # an outlet's credit line and disclaimer (not a link to the original): boilerplate
        boiler += [t for b in a["blocks"] if b["kind"] == "credit" and not b["text"].startswith("http")
                   for t in (b["label"], b["text"])]
        outlet = outlets.get(a["outlet"])
        cases.append(Case(
            a["key"], a["outlet"], page.read_bytes().decode(a.get("encoding", "utf-8")), a["url"], a["title"],
            a["published_dt"].date().isoformat(),
            [b["text"] for b in a["blocks"] if b["kind"] in ("p", "h", "quote")], boiler,
            instant=a["published_dt"], utc_offset_hours=outlet.utc_offset_hours if outlet else None,
            overrides=outlet.extract if outlet else ExtractOverrides(), nav=OUTLETS[a["outlet"]]["nav"],
            whole_paragraphs=True))
    return cases


def run_rasid(case: Case) -> Outcome:
    a = extract_article(case.html, case.url, overrides=case.overrides, utc_offset_hours=case.utc_offset_hours)
    local = a.published_local
    return Outcome(a.title, local.date().isoformat() if local else None, a.text, a.published)


def run_plain(case: Case) -> Outcome:
    import trafilatura

    doc = trafilatura.bare_extraction(case.html, url=case.url, with_metadata=True)
    if doc is None:
        return Outcome(None, None, "", gives_instant=False)
    return Outcome(doc.title, doc.date, doc.text or "", gives_instant=False)


def run_htmldate(case: Case) -> Outcome:
    from htmldate import find_date

    return Outcome(None, find_date(case.html, url=case.url), "", gives_instant=False)


_DATE_FIGURES = ("pages", "date_accuracy", "wrong_dates", "missing_dates", "wrong_date_pages")


def score(cases: list[Case], outcomes: list[Outcome]) -> dict:
    total: dict = defaultdict(int)
    per_outlet: dict = defaultdict(lambda: defaultdict(int))
    wrong: list[str] = []
    for case, out in zip(cases, outcomes):
        counts = _count(case, out)
        for bucket in (total, per_outlet[case.outlet]):
            for key, value in counts.items():
                bucket[key] += value
        if counts["date_wrong"]:
            wrong.append(f"{case.id}: {out.date} (truth {case.date})")
    result = _rates(total)
    result["wrong_date_pages"] = wrong
    result["per_outlet"] = {name: _rates(c) for name, c in sorted(per_outlet.items())}
    return result


def _count(case: Case, out: Outcome) -> dict:
    text = norm(out.text)
    titles = {norm(case.title), *map(norm, case.title_variants)}
    checks_in = [norm(s) in text for s in case.contains] if case.is_article else []
    checks_out = [norm(s) not in text for s in case.excludes] if case.is_article else []
    lines = {norm(line) for line in out.text.split("\n")}
    counts = {"pages": 1, "title_exact": int(norm(out.title) in titles),
              "date_right": int(out.date == case.date),
              "date_wrong": int(out.date is not None and out.date != case.date),
              "date_missing": int(out.date is None and case.date is not None),
              "contains": len(checks_in), "contains_found": sum(checks_in),
              "excludes": len(checks_out), "excludes_absent": sum(checks_out)}
    if case.whole_paragraphs:
        counts["paragraphs"] = len(case.contains)
        counts["paragraphs_as_lines"] = sum(norm(s) in lines for s in case.contains)
    if case.instant is not None and out.gives_instant:
        counts["instants"] = 1
        counts["instant_exact"] = int(out.instant is not None and out.instant == case.instant)
    return counts


def _rates(c: dict) -> dict:
    pages = c["pages"] or 1
    rates = {"pages": c["pages"], "title_exact_rate": round(c["title_exact"] / pages, 4),
             "date_accuracy": round(c["date_right"] / pages, 4), "wrong_dates": c["date_wrong"],
             "missing_dates": c["date_missing"],
             "text_contains_rate": round(c["contains_found"] / c["contains"], 4) if c["contains"] else None,
             "text_excludes_ok_rate": round(c["excludes_absent"] / c["excludes"], 4) if c["excludes"] else None}
    if c.get("paragraphs"):
        rates["paragraph_lines_rate"] = round(c["paragraphs_as_lines"] / c["paragraphs"], 4)
    if c.get("instants"):
        rates["exact_instant_rate"] = round(c["instant_exact"] / c["instants"], 4)
    return rates


@contextmanager
def _patched(obj, name: str, value) -> Iterator[None]:
    old = getattr(obj, name)
    setattr(obj, name, value)
    try:
        yield
    finally:
        setattr(obj, name, old)


def _settings(**changes) -> dict:
    return {**article_text.TRAFILATURA_SETTINGS, **changes}


VARIANTS: dict[str, Callable[[], object]] = {
    "rasid_favor_precision": lambda: _patched(article_text, "TRAFILATURA_SETTINGS", _settings(favor_precision=True)),
    "rasid_favor_recall": lambda: _patched(article_text, "TRAFILATURA_SETTINGS", _settings(favor_recall=True)),
    "rasid_with_comments": lambda: _patched(article_text, "TRAFILATURA_SETTINGS", _settings(include_comments=True)),
    "rasid_without_lead_fix": lambda: _patched(article_text, "lead_paragraph", lambda *a: None),
    "rasid_without_line_filters": lambda: _patched(article_text, "tidy", lambda text, *a: text),
    "rasid_keeping_layout_tables": lambda: _patched(article_text, "without_layout_tables", lambda page: page),
    "rasid_without_second_reading": lambda: _patched(article_text, "_SECOND_READINGS", ()),
    "rasid_without_furniture_filter": lambda: _patched(article_text, "drop_furniture", lambda lines, *a: lines),
}


def evaluate(cases: list[Case], *, variants: bool = True) -> dict:
    """Scores per system on `cases`, plus the mean time per page for rasid and plain."""
    systems: dict[str, dict] = {}
    run_rasid(cases[0])  # imports and caches outside the timing
    started = time.perf_counter()
    systems["rasid"] = score(cases, [run_rasid(c) for c in cases])
    rasid_ms = (time.perf_counter() - started) * 1000 / max(1, len(cases))
    if not variants:
        return {"rasid": systems["rasid"]}
    for name, patch in VARIANTS.items():
        with patch():
            systems[name] = score(cases, [run_rasid(c) for c in cases])
    started = time.perf_counter()
    systems["plain_trafilatura_defaults"] = score(cases, [run_plain(c) for c in cases])
    plain_ms = (time.perf_counter() - started) * 1000 / max(1, len(cases))
    dates_only = score(cases, [run_htmldate(c) for c in cases])
    systems["htmldate_find_date_defaults"] = {k: dates_only[k] for k in _DATE_FIGURES}
    systems["mean_ms_per_page"] = {"rasid": round(rasid_ms, 1), "plain_trafilatura_defaults": round(plain_ms, 1)}
    return systems


def size_guard(sizes_mb: tuple[float, ...] = (0.8, 1.7, 3.4, 8.0)) -> list[dict]:
    """Seconds for one big flat page (trafilatura's worst shape found), rasid vs plain trafilatura.

    CPU seconds (process time) are given beside wall seconds: on a shared machine the wall
    clock mostly measures the neighbours.
    """
    import trafilatura

    para = ("<p>فقرة اختبار طويلة تتكرر لقياس زمن الاستخراج على الصفحات الكبيرة "
            "<a href='/x'>رابط</a> ثم تكملة الجملة.</p>\n")
    rows = []
    for mb in sizes_mb:
        html = ("<html><head><title>عنوان الصفحة</title></head><body><h1>عنوان الصفحة</h1><article>"
                + para * int(mb * 1_000_000 / len(para)) + "</article></body></html>")
        row: dict = {"chars": len(html)}
        row["rasid_wall_s"], row["rasid_cpu_s"] = _timed(lambda: extract_article(html))
        if mb <= 3.5:  # plain trafilatura on 8 MB takes minutes
            row["plain_wall_s"], row["plain_cpu_s"] = _timed(lambda: trafilatura.extract(html))
        rows.append(row)
    return rows


def _timed(call: Callable[[], object]) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    call()
    return round(time.perf_counter() - wall, 2), round(time.process_time() - cpu, 2)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", action="store_true", help="also time the size guard on 0.8-8 MB pages")
    args = parser.parse_args()
    report: dict = {"corpus": evaluate(corpus_cases())}
    replay = replay_cases()
    if replay:
        report["replay"] = evaluate(replay)
    if args.sizes:
        report["size_guard"] = size_guard()
    print(json.dumps(report, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
