"""Extraction quality on real pages: rasid beside trafilatura, newspaper4k and htmldate, as JSON.

    uv run python bench/extraction_eval.py                      # every page set, every system
    uv run python bench/extraction_eval.py --benchmark PATH     # also the article-extraction-benchmark
    uv run python bench/extraction_eval.py --sizes              # also the size/time guard on big pages

Page sets, each scored separately:
- `new_outlets_dev` / `new_outlets_test`: tests/data/new_outlets (pages of outlets the project
  had never seen, split by outlet). The test half is FROZEN: nothing is tuned on it, its
  failures are not read to design rules, its figures are reported as they come; the
  variants below are not even run on it.
- `shared_corpus`: ../shared/corpus (the pages the extractor was first built on).
- `replay`: the replay pages built from the seed articles (needs ../shared/seeds).
Figures per system: title right (exact, or a listed variant), text checks (sentences that
must be in the text and boilerplate that must stay out, together and apart), publication
day right / wrong / missing (the outlet's local day; a page with no date must give none).
Systems: rasid as shipped and with each fix turned off (not on the frozen half); trafilatura
2.x defaults (its date is htmldate's); newspaper4k's Article.parse on the same HTML, told the
page's language (its Arabic tokenizer needs nltk); htmldate's find_date alone (dates only).

`--benchmark PATH`: a checkout of scrapinghub/article-extraction-benchmark, scored with its
own metric (bench/article_benchmark.py, which carries its licence notice): rasid, trafilatura
defaults and trafilatura as the benchmark's own runner calls it, in the same run.
"""

from __future__ import annotations

import argparse
import gzip
import json
import warnings
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
NEW_OUTLETS = ROOT / "tests" / "data" / "new_outlets"
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
    lang: str | None = None


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


def corpus_cases(corpus: Path = SHARED / "corpus", split: str | None = None) -> list[Case]:
    """The pages of a corpus laid out as ../shared/corpus is (truth.jsonl; pages may be gzipped);
    `split`: only the rows of that half ("dev" or "test")."""
    cases = []
    for line in (corpus / "truth.jsonl").read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        if split is not None and row.get("split") != split:
            continue
        data = (corpus / row["file"]).read_bytes()
        html = (gzip.decompress(data) if row["file"].endswith(".gz") else data).decode(row["encoding"])
        cases.append(Case(Path(row["file"]).name.split(".")[0], row["outlet"].split(" (")[0], html, row["url"],
                          row["title"], row["date"], row["text_contains"], row["text_excludes"],
                          title_variants=row.get("title_variants", []), is_article=row["page_type"] == "article",
                          lang=row.get("lang")))
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


def run_newspaper(case: Case) -> Outcome:
    """newspaper4k's Article.parse on the same HTML, told the page's language."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from newspaper import Article

        article = Article(case.url or "https://example.com/", language=case.lang or "ar", fetch_images=False)
        article.download(input_html=case.html)
        try:
            article.parse()
        except Exception:  # noqa: BLE001 - an anchor's own failure is its result: nothing
            return Outcome(None, None, "", gives_instant=False)
    day = article.publish_date.date().isoformat() if article.publish_date else None
    return Outcome(article.title, day, article.text or "", gives_instant=False)


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
             "text_excludes_ok_rate": round(c["excludes_absent"] / c["excludes"], 4) if c["excludes"] else None,
             "titles_right": c["title_exact"], "days_right": c["date_right"],
             "text_checks": f"{c['contains_found'] + c['excludes_absent']}/{c['contains'] + c['excludes']}"}
    checks = c["contains"] + c["excludes"]
    rates["text_checks_rate"] = round((c["contains_found"] + c["excludes_absent"]) / checks, 4) if checks else None
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


def evaluate(cases: list[Case], *, variants: bool = True, anchors: bool | None = None) -> dict:
    """Scores per system on `cases`, plus the mean time per page of each full extractor.
    `variants`: rasid with each fix turned off too; `anchors` (default: as `variants`): the
    other extractors."""
    systems: dict[str, dict] = {}
    run_rasid(cases[0])  # imports and caches outside the timing
    timings: dict[str, float] = {}
    systems["rasid"] = _timed_score(cases, run_rasid, "rasid", timings)
    if variants:
        for name, patch in VARIANTS.items():
            with patch():
                systems[name] = score(cases, [run_rasid(c) for c in cases])
    if not (variants if anchors is None else anchors):
        return systems
    systems["plain_trafilatura_defaults"] = _timed_score(cases, run_plain, "plain_trafilatura_defaults", timings)
    run_newspaper(cases[0])
    systems["newspaper4k"] = _timed_score(cases, run_newspaper, "newspaper4k", timings)
    dates_only = score(cases, [run_htmldate(c) for c in cases])
    systems["htmldate_find_date_defaults"] = {k: dates_only[k] for k in _DATE_FIGURES}
    systems["mean_ms_per_page"] = timings
    return systems


def _timed_score(cases: list[Case], run: Callable[[Case], Outcome], name: str, timings: dict) -> dict:
    started = time.process_time()
    scores = score(cases, [run(c) for c in cases])
    timings[name] = round((time.process_time() - started) * 1000 / max(1, len(cases)), 1)
    return scores


def summary(report: dict) -> dict:
    """One line per page set and system: titles, text checks, days right / wrong / missing."""
    lines = {}
    for part, systems in report.items():
        for name in ("rasid", "plain_trafilatura_defaults", "newspaper4k", "htmldate_find_date_defaults"):
            s = systems.get(name) if isinstance(systems, dict) else None
            if not s or "pages" not in s:
                continue
            titles = f"{s['titles_right']}/{s['pages']}" if "titles_right" in s else "-"
            days = f"{round(s['date_accuracy'] * s['pages'])}/{s['wrong_dates']}/{s['missing_dates']}"
            lines[f"{part} | {name}"] = (f"titles {titles} | text checks {s.get('text_checks', '-')} "
                                         f"({s.get('text_checks_rate', '-')}) | days right/wrong/missing {days}")
    return lines


def benchmark(path: Path) -> dict:
    """The article-extraction-benchmark with its own metric: rasid beside trafilatura (defaults, and as
    the benchmark's own runner calls it), same pages, same run."""
    import importlib.util

    import trafilatura

    # loaded by path: bench/ on sys.path would shadow the storage package with bench/storage.py
    spec = importlib.util.spec_from_file_location("article_benchmark", ROOT / "bench" / "article_benchmark.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.evaluate(path, {
        "rasid": lambda html, url: extract_article(html, url).text,
        "trafilatura_defaults": lambda html, url: trafilatura.extract(html),
        "trafilatura_as_the_benchmark_runs_it": lambda html, url: trafilatura.extract(html, include_comments=False),
    })


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
    parser.add_argument("--benchmark", type=Path, metavar="PATH",
                        help="a checkout of scrapinghub/article-extraction-benchmark (html/, ground-truth.json)")
    args = parser.parse_args()
    report: dict = {}
    if (NEW_OUTLETS / "truth.jsonl").exists():
        report["new_outlets_dev"] = evaluate(corpus_cases(NEW_OUTLETS, "dev"))
        report["new_outlets_test_frozen"] = evaluate(corpus_cases(NEW_OUTLETS, "test"), variants=False, anchors=True)
    if (SHARED / "corpus" / "truth.jsonl").exists():
        report["shared_corpus"] = evaluate(corpus_cases())
    replay = replay_cases()
    if replay:
        report["replay"] = evaluate(replay)
    report = {"summary": summary(report), **report}
    if args.benchmark:
        report["article_extraction_benchmark"] = benchmark(args.benchmark)
    if args.sizes:
        report["size_guard"] = size_guard()
    print(json.dumps(report, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
