"""What the findings page (rasid web) costs on a large archive, printed as JSON.

    uv run python bench/web.py                        # 100k articles on SQLite
    uv run python bench/web.py --articles 20000 --database-url postgresql+psycopg://postgres@127.0.0.1:5432/rasid_bench

The archive is bulk-inserted with the shape a year of polling leaves: articles spread over
`--days`, about two in three starting a story and the rest joining a recent one, real
headlines, bodies, search rows and story signatures (the repo's labelled test articles, drawn
so that `--matched-share` of them match a seed topic), topic matches as the seed topics' matcher
finds them in those articles, and outbox
rows as the store path writes them (new, update, digest). Each page is then requested through
the real app (Starlette's in-process client: routing, queries on the read-only engine,
templates), once to warm up and then `--repeats` times; the median and the slowest are printed.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import random
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import insert, text  # noqa: E402

from storage.db import dispose_engines, init_db  # noqa: E402
from storage.models import Alert, Article, ArticleSearch, Match, Story  # noqa: E402

END = datetime(2026, 12, 1, tzinfo=timezone.utc)
BATCH = 5000


def _bench_storage():
    """bench/storage.py's loader of the labelled articles (a module named like the storage package)."""
    spec = importlib.util.spec_from_file_location("bench_storage", Path(__file__).with_name("storage.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def prepared_docs(settings) -> list[dict]:
    """The labelled articles with their matches, signature JSON and search words, worked out once."""
    from extractors.grouping import story_signature
    from flows.pipeline.watch import load_watch
    from storage.records import derive

    watch = load_watch(settings)
    matcher = watch.matcher()
    out = []
    for doc in _bench_storage().load_docs():
        matches = matcher.match(doc["title"], doc["text"])
        signature = story_signature(doc["title"], doc["text"], topics=[m.topic_id for m in matches],
                                    gazetteer=watch.gazetteer)
        derived = derive(doc["title"], doc["text"], signature)
        out.append({**doc, "matches": matches, "signature": derived.signature_json, "terms": derived.search_terms})
    return out


def build(engine, docs: list[dict], outlets: list[str], count: int, days: int, matched_share: float,
          seed: int = 11) -> dict:
    """Bulk-insert `count` articles with stories, matches, search rows and alerts; returns counts."""
    rng, stories, made = random.Random(seed), [], {"stories": 0, "matches": 0, "alerts": 0}
    span = timedelta(days=days)
    with engine.begin() as conn:
        for first in range(0, count, BATCH):
            rows = _batch(rng, docs, outlets, stories, range(first + 1, min(first + BATCH, count) + 1), count, span,
                          matched_share)
            new_stories = [s for s in stories if s["id"] > made["stories"]]
            conn.execute(insert(Story), new_stories)
            made["stories"] = stories[-1]["id"]
            for table, key in ((Article, "articles"), (ArticleSearch, "search"), (Match, "matches"),
                               (Alert, "alerts")):
                if rows[key]:
                    conn.execute(insert(table), rows[key])
            made["matches"] += len(rows["matches"])
            made["alerts"] += len(rows["alerts"])
        conn.execute(text("UPDATE stories SET members = (SELECT count(*) FROM articles WHERE story_id = stories.id)"))
    return {"articles": count, **made}


def _batch(rng, docs, outlets, stories, ids, count, span, matched_share) -> dict:
    rows = {"articles": [], "search": [], "matches": [], "alerts": []}
    pools = [d for d in docs if d["matches"]], [d for d in docs if not d["matches"]]
    for i in ids:
        doc, when = rng.choice(pools[rng.random() >= matched_share]), END - span * (count - i) / count
        joins = stories and rng.random() < 0.35
        story = stories[-rng.randint(1, min(20, len(stories)))] if joins else _new_story(stories, doc, i, when)
        outlet = rng.choice(outlets)
        if outlet not in story["outlets"]:
            story["outlets"].append(outlet)
        rows["articles"].append({"id": i, "url": f"https://bench.example/{i}", "outlet_id": outlet,
                                 "title": doc["title"], "text": doc["text"], "content_hash": f"{i:064x}",
                                 "published": when, "fetched": when, "lang": "ar", "story_id": story["id"],
                                 "signature": doc["signature"], "utc_offset_minutes": 180})
        rows["search"].append({"article_id": i, "terms": doc["terms"]})
        for m in doc["matches"]:
            rows["matches"].append({"article_id": i, "topic_id": m.topic_id, "terms": list(m.terms),
                                    "snippet": m.snippet, "highlights": [list(h) for h in m.highlights],
                                    "created": when})
            kind = "new" if not joins else ("update" if rng.random() < 0.1 else "digest")
            rows["alerts"].append({"article_id": i, "story_id": story["id"], "topic_id": m.topic_id,
                                   "channel": "default", "kind": kind, "status": "sent", "attempts": 1,
                                   "next_attempt": when, "created": when, "sent_at": when})
    return rows


def _new_story(stories: list[dict], doc: dict, article_id: int, when: datetime) -> dict:
    story = {"id": len(stories) + 1, "title": doc["title"], "first_article_id": article_id, "published": when,
             "created": when, "members": 1, "outlets": []}
    stories.append(story)
    return story


def time_pages(client, paths: list[str], repeats: int) -> dict:
    out = {}
    for path in paths:
        status = client.get(path).status_code   # warm: first queries, templates compiled
        samples = []
        for _ in range(repeats):
            started = time.perf_counter()
            client.get(path)
            samples.append((time.perf_counter() - started) * 1000)
        out[path] = {"status": status, "median_ms": round(statistics.median(samples), 1),
                     "max_ms": round(max(samples), 1)}
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--days", type=int, default=365, help="the archive's span, ending 2026-12-01")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--matched-share", type=float, default=0.3, help="share of articles that match a topic")
    parser.add_argument("--database-url", help="an empty database to fill (default: a new SQLite file)")
    args = parser.parse_args()

    from starlette.testclient import TestClient

    from flows.pipeline.watch import load_outlets
    from flows.settings import load_settings
    from flows.web.server import build_app

    url = args.database_url or f"sqlite:///{tempfile.mkdtemp(prefix='rasid-web-bench-')}/rasid.db"
    settings = load_settings(None, database_url=url)
    docs = prepared_docs(settings)
    outlets = [o.id for o in load_outlets(settings.outlets_file)]
    engine = init_db(settings)
    started = time.perf_counter()
    built = build(engine, docs, outlets, args.articles, args.days, args.matched_share)
    build_s = time.perf_counter() - started
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("ANALYZE")
    with engine.connect() as conn:
        biggest = conn.execute(text("SELECT id FROM stories ORDER BY members DESC, id LIMIT 1")).scalar()
    client = TestClient(build_app(settings))
    paths = ["/", f"/story/{biggest}", "/search?q=التحالف", "/search?q=عين+الأسد&days=30", "/outlets"]
    pages = time_pages(client, paths, args.repeats)
    dispose_engines()
    print(json.dumps({"backend": engine.dialect.name, "archive": built, "span_days": args.days,
                      "matched_share": args.matched_share,
                      "build_s": round(build_s, 1), "pages": pages}, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
