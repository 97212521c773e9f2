"""Archive figures, printed as JSON: insert throughput, "already stored?" lookups, size per 10k articles.

    uv run python bench/storage.py                   # SQLite and PostgreSQL (if it runs on 127.0.0.1:5432)
    uv run python bench/storage.py --no-postgres --articles 500

- insert: articles with their topic matches through repo.store_article (one transaction
  each, story grouping included) with real signatures (extractors.grouping.story_signature);
  the articles are the repo's labelled Arabic/English test articles, each extended with
  sentences of others so that every one is distinct. Matching and signing happen before
  the clock starts. Also timed: the search index row (storage.search.index_article).
- lookup: repo.known_urls for a poll-sized batch (50 URLs, half stored) at 1k and 100k
  archived articles; the 100k rows are bulk-inserted (executemany / COPY), not stored one by one.
- size: database growth per 10k articles (the insert run scaled), with the search index;
  SQLite file size after a WAL checkpoint, PostgreSQL pg_database_size.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import statistics
import sys
import tempfile
import time
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import text  # noqa: E402
from sqlmodel import Session  # noqa: E402

from extractors.grouping import story_signature  # noqa: E402
from storage import repo, search  # noqa: E402
from storage.db import dispose_engines, init_db  # noqa: E402

DATA = [ROOT / "tests" / "data" / "matching" / name for name in ("dev.jsonl", "eval.jsonl", "heldout.jsonl")]
DATA.append(ROOT / "tests" / "data" / "stories" / "eval.jsonl")
PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
START = datetime(2025, 1, 1, tzinfo=timezone.utc)
LOOKUP_BATCH = 50
LOOKUP_REPEATS = 200


def load_docs() -> list[dict]:
    docs = []
    for path in DATA:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                doc = json.loads(line)
                docs.append({"title": doc.get("title") or "", "text": doc.get("text") or ""})
    return docs


def make_articles(count: int, seed: int = 7):
    """(NewArticle, matches, signature) per article, prepared outside the timed part."""
    from extractors.matcher import TopicMatcher
    from flows.pipeline.topic_files import load_topics_dir
    from flows.pipeline.watch import load_gazetteer, load_lists
    from flows.settings import Settings

    settings = Settings()
    lists = load_lists(settings.lists_file)
    matcher = TopicMatcher.compile(load_topics_dir(settings.topics_dir, lists)[0], lists)
    gazetteer = load_gazetteer(settings.gazetteer_file)
    docs, rng = load_docs(), random.Random(seed)
    sentences = [s.strip() + "." for d in docs for s in d["text"].split(".") if len(s.strip()) > 30]
    prepared = []
    for i in range(count):
        base = docs[i % len(docs)]
        body = base["text"] + "\n" + " ".join(rng.sample(sentences, 3))
        published = START + timedelta(minutes=37 * i)
        article = repo.NewArticle(
            url=f"https://bench.example/{i}", outlet_id=f"outlet{i % 6}", title=base["title"], text=body,
            content_hash=hashlib.sha256(f"{base['title']}\n{body}".encode()).hexdigest(), published=published,
            lang="ar")
        matches = matcher.match(article.title, body)
        signature = story_signature(article.title, body, published=published, topics=[m.topic_id for m in matches],
                                    lang="ar", gazetteer=gazetteer)
        prepared.append((article, matches, signature))
    return prepared


def db_size(engine) -> int:
    if engine.dialect.name == "postgresql":
        with engine.connect() as conn:
            return conn.execute(text("SELECT pg_database_size(current_database())")).scalar_one()
    raw = engine.raw_connection()   # outside a transaction: a checkpoint cannot run inside one
    try:
        cur = raw.cursor()
        cur.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        pages = cur.execute("PRAGMA page_count").fetchone()[0]
        return pages * cur.execute("PRAGMA page_size").fetchone()[0]
    finally:
        raw.close()


def table_sizes(engine) -> dict[str, int]:
    """Bytes per table, its indexes included (the FTS5 shadow tables count under article_fts)."""
    with engine.connect() as conn:
        if engine.dialect.name == "postgresql":
            rows = conn.execute(text("SELECT relname, pg_total_relation_size(oid) FROM pg_class "
                                     "WHERE relkind = 'r' AND relnamespace = 'public'::regnamespace"))
            return {name: size for name, size in rows if size}
        owner = dict(conn.exec_driver_sql("SELECT name, tbl_name FROM sqlite_master").all())
        sizes: dict[str, int] = {}
        for name, size in conn.exec_driver_sql("SELECT name, sum(pgsize) FROM dbstat GROUP BY name"):
            table = owner.get(name, name)
            table = "article_fts" if table.startswith("article_fts") else table
            sizes[table] = sizes.get(table, 0) + size
        return sizes


def bench_insert(url: str, prepared) -> dict:
    engine = init_db(url)
    empty = db_size(engine)
    matched = sum(1 for _, matches, _ in prepared if matches)
    with Session(engine, expire_on_commit=False) as session:
        started = time.perf_counter()
        outcomes = [repo.store_article(session, a, m, s, {}) for a, m, s in prepared]
        store_s = time.perf_counter() - started
        started = time.perf_counter()
        for (article, _, _), outcome in zip(prepared, outcomes):
            search.index_article(session, outcome.article_id, search.index_terms(article.title, article.text))
        session.commit()
        index_s = time.perf_counter() - started
        stories = session.execute(text("SELECT count(*) FROM stories")).scalar_one()
    grown = db_size(engine) - empty
    n = len(prepared)
    per_table = {name: round(size / n) for name, size in sorted(table_sizes(engine).items(), key=lambda i: -i[1])}
    return {"articles": n, "matched": matched, "stories": stories,
            "store_article_per_s": round(n / store_s, 1), "store_article_ms": round(1000 * store_s / n, 2),
            "index_article_ms": round(1000 * index_s / n, 2),
            "bytes_per_article": round(grown / n), "mb_per_10k_articles": round(grown / n * 10_000 / 2**20, 1),
            "bytes_per_article_by_table": per_table}


def bulk_insert(engine, start: int, stop: int, titles: list[str]) -> None:
    """Articles with headlines only and their search rows, fast: executemany on SQLite, COPY on PostgreSQL."""
    now = datetime.now(timezone.utc)
    terms = {title: search.index_terms(title, None) for title in titles}
    rows = [(i + 1, f"https://bulk.example/{i}", f"outlet{i % 50}", titles[i % len(titles)], f"{i:064x}", now,
             now - timedelta(hours=i)) for i in range(start, stop)]
    words = [(row[0], terms[row[3]]) for row in rows]
    columns = "id, url, outlet_id, title, content_hash, fetched, published"
    raw = engine.raw_connection()
    try:
        cur = raw.cursor()
        if engine.dialect.name == "postgresql":
            with cur.copy(f"COPY articles ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            with cur.copy("COPY article_search (article_id, terms) FROM STDIN") as copy:
                for row in words:
                    copy.write_row(row)
        else:
            cur.execute("BEGIN IMMEDIATE")
            cur.executemany(f"INSERT INTO articles ({columns}) VALUES (?, ?, ?, ?, ?, ?, ?)",
                            [(*r[:5], r[5].isoformat(), r[6].isoformat()) for r in rows])
            cur.executemany("INSERT INTO article_search (article_id, terms) VALUES (?, ?)", words)
        raw.commit()
    finally:
        raw.close()
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("ANALYZE articles")
            conn.exec_driver_sql("ANALYZE article_search")


def time_lookups(engine, archived: int, rng: random.Random) -> dict:
    samples = []
    with Session(engine) as session:
        for _ in range(LOOKUP_REPEATS):
            known = [f"https://bulk.example/{rng.randrange(archived)}" for _ in range(LOOKUP_BATCH // 2)]
            unknown = [f"https://bulk.example/new/{uuid.uuid4().hex}" for _ in range(LOOKUP_BATCH // 2)]
            started = time.perf_counter()
            found = repo.known_urls(session, known + unknown)
            samples.append(time.perf_counter() - started)
            session.rollback()
            assert found == set(known), "known_urls returned a wrong set"
    samples.sort()
    return {"archived": archived, "batch_urls": LOOKUP_BATCH,
            "median_ms": round(1000 * statistics.median(samples), 3),
            "p95_ms": round(1000 * samples[int(0.95 * len(samples))], 3)}


def time_search(engine, archived: int) -> dict:
    """Search at this archive size: a frequent word, a rare phrase, and the catch-up check with nothing to do."""
    out: dict = {"archived": archived}
    with Session(engine) as session:
        for name, query in (("frequent_word_ms", "العراق"), ("rare_phrase_ms", '"اللجنة العسكرية العليا"'),
                            ("prefix_or_ms", "انسحاب* OR withdraw*")):
            search.search(session, query, limit=20)          # warm the caches once
            started = time.perf_counter()
            result = search.search(session, query, limit=20)
            out[name] = round(1000 * (time.perf_counter() - started), 1)
            out[name.replace("_ms", "_candidates")] = result.candidates
        started = time.perf_counter()
        search.sync_index(session)
        out["catch_up_noop_ms"] = round(1000 * (time.perf_counter() - started), 1)
    return out


def bench_lookup(url: str, sizes: list[int]) -> dict:
    engine = init_db(url)
    titles = [doc["title"] for doc in load_docs() if doc["title"]]
    lookups, stored, rng = [], 0, random.Random(11)
    for size in sizes:
        bulk_insert(engine, stored, size, titles)
        stored = size
        lookups.append(time_lookups(engine, size, rng))
    return {"lookup": lookups, "search": time_search(engine, stored)}


def run_backend(name: str, make_url, prepared, sizes) -> dict:
    with make_url() as url:
        insert = bench_insert(url, prepared)
    with make_url() as url:
        return {"backend": name, "insert": insert, **bench_lookup(url, sizes)}


class _SqliteUrl:
    def __enter__(self) -> str:
        self.dir = tempfile.TemporaryDirectory(prefix="rasid-bench-")
        return f"sqlite:///{self.dir.name}/bench.db"

    def __exit__(self, *exc) -> None:
        dispose_engines()
        self.dir.cleanup()


class _PostgresUrl:
    def __enter__(self) -> str:
        import psycopg

        self.name = f"rasid_bench_{uuid.uuid4().hex[:10]}"
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{self.name}"')
        return PG_ADMIN.rsplit("/", 1)[0] + f"/{self.name}"

    def __exit__(self, *exc) -> None:
        import psycopg

        dispose_engines()
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


def postgres_running() -> bool:
    try:
        import psycopg

        with psycopg.connect(PG_ADMIN, connect_timeout=3):
            return True
    except Exception:  # noqa: BLE001 - any failure means "not here"
        return False


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=200, help="articles stored with store_article per backend")
    parser.add_argument("--sizes", default="1000,100000", help="archive sizes for the lookup test")
    parser.add_argument("--no-postgres", action="store_true")
    args = parser.parse_args()
    started = time.perf_counter()
    prepared = make_articles(args.articles)
    sizes = [int(s) for s in args.sizes.split(",")]
    results = [run_backend("sqlite", _SqliteUrl, prepared, sizes)]
    if not args.no_postgres:
        if postgres_running():
            results.append(run_backend("postgresql", _PostgresUrl, prepared, sizes))
        else:
            results.append({"backend": "postgresql", "skipped": "not running on 127.0.0.1:5432"})
    print(json.dumps({"results": results, "seconds": round(time.perf_counter() - started, 1)}, indent=2))


if __name__ == "__main__":
    main()
