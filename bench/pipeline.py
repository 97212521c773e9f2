"""Articles per second through the whole poll flow (Prefect included) against raw trafilatura.

The replica's article pages (seeds/replay, both waves) are copied under many URLs, each
copy with its headline slightly varied, and listed in the feeds of six synthetic outlets,
so one poll handles hundreds of new articles and Prefect's per-run cost is amortised as
in a real poll. A replay server in its own process serves them on 127.0.0.1 (no network),
keeping connections open as real outlets do.

For each archive size (0, 1k, 100k articles already stored: synthetic rows bulk-inserted
first, with stories and story keys), a fresh process polls into a fresh SQLite database
(migrated before the clock starts, as an installed rasid's is) and reports: wall time of
the poll flow (after a warm-up flow, so the one-time start of Prefect's temporary server is
not counted; it is reported apart), articles/s, raw `trafilatura.bare_extraction`
articles/s on the same pages in the same process with its defaults (the issue's baseline;
timed before and after the polls and averaged, as this machine's speed drifts by tens of
percent within minutes) and in its fast mode (the mode rasid runs it in), both ratios, peak
RSS of that process, and (empty archive) milliseconds per article of the pure stages
(`prepare`: extract, match, sign) and of storing, each alone, to show where the time goes,
and of `prepare` in the poll's extraction workers alone (no fetching, storing or Prefect).
`cpu_s_during_poll` gives the CPU seconds each process spent during the poll (the poll's
own process split into its event loop, its storing threads and the rest; the extraction
workers; Prefect's server; the replay server; PostgreSQL's processes), which tells which
side bounds it. `--database-url` polls into a PostgreSQL database instead of a fresh SQLite
file (every table in it is dropped first); the per-stage costs stay on SQLite.

The top-level figures are the first poll's: a fresh process, as every poll is (`rasid poll` is
one process; `rasid serve` and Prefect workers start a subprocess per run), which also starts
the extraction workers' forkserver (the pipeline's imports). With `--polls N` (default 2) the
same process then polls N-1 more times, each time other outlets with as many new articles,
into the same database: `later_polls` gives their figures, a diagnostic of what a poll costs
without the process's one-time costs (imports done, forkserver up, Prefect's client warm).

    uv run python bench/pipeline.py [--articles 600] [--archived 0,1000,100000] [--polls 2]
                                    [--profile] [--database-url URL] [--trafilatura-only]

`--trafilatura-only` measures the ceiling: the workers run trafilatura alone on each page
and the poll stores copies of one analysis (bench/trafilatura_only.py), so the figure is
what fetching, storing, grouping and Prefect leave when rasid's own analysis of a page
costs nothing.

Prints one JSON object.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

REPLAY = ROOT / "seeds" / "replay"
OUTLETS = 6


def article_pages() -> list[bytes]:
    """Every article page of the replica (feeds, sitemaps and robots files left out)."""
    pages = []
    for wave in ("wave1", "wave2"):
        for path in sorted((REPLAY / wave).rglob("*.html")):
            pages.append(path.read_bytes())
    return pages


def _varied(page: bytes, copy: int) -> bytes:
    """The same page with its headline (h1 and title) marked with the copy number."""
    text = page.decode("utf-8", "replace")
    text = re.sub(r"(<h1[^>]*>)", rf"\g<1>{copy} ", text, count=1)
    text = re.sub(r"(<title[^>]*>)", rf"\g<1>{copy} ", text, count=1)
    return text.encode("utf-8")


def build_replica(directory: Path, n_articles: int, polls: int = 1) -> list[bytes]:
    """Write pages, feeds, a manifest (flows.replay.servers format), an outlets file and `polls.json`
    (the outlet ids of each poll: every poll has its own outlets and `n_articles` new pages); returns
    the first poll's pages."""
    originals = article_pages()
    wave = directory / "bench"
    wave.mkdir(parents=True)
    resources, items, pages = [], {k: [] for k in range(OUTLETS * polls)}, []
    now = datetime.now(timezone.utc)
    for i in range(n_articles * polls):
        page = _varied(originals[i % len(originals)], i)
        pages.append(page)
        name = f"a{i}.html"
        (wave / name).write_bytes(page)
        k = i // n_articles * OUTLETS + i % OUTLETS
        url = f"https://bench{k}.example/article/{i}"
        resources.append({"url": url, "file": name, "content_type": "text/html; charset=utf-8"})
        items[k].append((url, now - timedelta(minutes=i)))
    outlets = []
    for k, entries in items.items():
        feed = "".join(f"<item><title>{u}</title><link>{u}</link><pubDate>{format_datetime(d)}</pubDate></item>"
                       for u, d in entries)
        (wave / f"rss{k}.xml").write_text(f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
                                          f"<title>bench{k}</title>{feed}</channel></rss>", encoding="utf-8")
        resources.append({"url": f"https://bench{k}.example/rss.xml", "file": f"rss{k}.xml",
                          "content_type": "application/rss+xml; charset=utf-8"})
        outlets.append({"id": f"bench{k}", "name": f"bench {k}", "home": f"https://bench{k}.example/",
                        "feeds": [f"https://bench{k}.example/rss.xml"], "lang": "ar"})
    import yaml

    (wave / "manifest.yaml").write_text(yaml.safe_dump({"resources": resources}), encoding="utf-8")
    (directory / "outlets.yaml").write_text(yaml.safe_dump({"outlets": outlets}, allow_unicode=True),
                                            encoding="utf-8")
    (directory / "polls.json").write_text(json.dumps(
        {"articles": n_articles, "outlets": [[o["id"] for o in outlets[p * OUTLETS:(p + 1) * OUTLETS]]
                                             for p in range(polls)]}), encoding="utf-8")
    return pages[:n_articles]


def serve_replica(directory: Path) -> None:
    """Child process: serve the replica until stdin closes; prints the base URL first."""
    from flows.replay.servers import ReplayServer

    server = ReplayServer(directory, "bench", keep_alive=True)  # outlets keep connections open
    print(server.base_url, flush=True)
    sys.stdin.read()
    server.close()


def archive(engine, count: int) -> float:
    """Bulk-insert `count` archived articles, one story and four story keys each; returns seconds."""
    import secrets

    from sqlalchemy import insert

    from storage.models import Article, KeyCount, Story, StoryKey

    started, batch, base = time.perf_counter(), 5000, datetime.now(timezone.utc) - timedelta(days=30)
    with engine.begin() as conn:
        for first in range(0, count, batch):
            ids = range(first + 1, min(first + batch, count) + 1)
            when = [base + timedelta(seconds=30 * i) for i in ids]
            conn.execute(insert(Story), [{"id": i, "title": f"archived {i}", "published": w, "created": w,
                                          "members": 1, "outlets": ["old"]} for i, w in zip(ids, when)])
            conn.execute(insert(Article), [
                {"id": i, "url": f"https://old.example/article/{i}", "outlet_id": "old", "title": f"archived {i}",
                 "text": "نص مؤرشف " * 60, "content_hash": secrets.token_hex(32), "published": w, "fetched": w,
                 "lang": "ar", "story_id": i} for i, w in zip(ids, when)])
            keys = [{"key": secrets.token_hex(8), "story_id": i, "published": w}
                    for i, w in zip(ids, when) for _ in range(4)]
            conn.execute(insert(StoryKey), keys)
            conn.execute(insert(KeyCount), [{"key": k["key"], "stories": 1} for k in keys])
    return time.perf_counter() - started


def raw_trafilatura(pages: list[bytes], **options) -> float:
    from trafilatura import bare_extraction

    started = time.perf_counter()
    for page in pages:
        bare_extraction(page.decode("utf-8"), **options)
    return time.perf_counter() - started


def stage_costs(pages: list[bytes], settings) -> dict:
    """Milliseconds per article of each stage alone, no Prefect, no HTTP: where the poll's time goes."""
    from sqlmodel import Session

    from extractors.feeds import FeedItem
    from extractors.outlets import Outlet
    from flows.fetch.client import FetchResult
    from flows.pipeline.outlet import STORE_BATCH
    from flows.pipeline.prepare import prepare
    from flows.pipeline.watch import load_watch
    from flows.poll import policies_of
    from storage import repo
    from storage.db import init_db

    watch = load_watch(settings)
    matcher, policies, outlet = watch.matcher(), policies_of(watch, settings), Outlet(id="s", name="s", home="")
    started, prepared = time.perf_counter(), []
    for i, page in enumerate(pages):
        url, text = f"https://stage.example/article/{i}", page.decode("utf-8")
        result = FetchResult(url=url, final_url=url, status=200, body=page, content_type="text/html",
                             encoding="utf-8", text=text, elapsed_s=0.0)
        prepared.append(prepare(matcher, outlet, FeedItem(url=url, title=None, published=None, summary=None),
                                result, watch.gazetteer))
    prepare_s = time.perf_counter() - started
    in_workers_s = asyncio.run(_prepare_in_workers(watch, matcher, outlet, pages, settings.prepare_processes))
    engine = init_db(settings.model_copy(update={"state_dir": Path(tempfile.mkdtemp(prefix="rasid-stage-")),
                                                 "database_url": None}))  # always a fresh SQLite file
    started = time.perf_counter()
    for first in range(0, len(prepared), STORE_BATCH):  # as the poll stores: batches, one transaction each
        with Session(engine, expire_on_commit=False) as session:
            repo.store_articles(session, [(p.article, p.matches, p.signature, p.derived)
                                          for p in prepared[first:first + STORE_BATCH]], policies)
    store_s = time.perf_counter() - started
    n = len(pages)
    return {"prepare_ms": round(prepare_s / n * 1000, 2), "store_ms": round(store_s / n * 1000, 2),
            "prepare_in_workers_ms": round(in_workers_s / (n - 1) * 1000, 2)}


async def _prepare_in_workers(watch, matcher, outlet, pages: list[bytes], processes: int) -> float:
    """Seconds for the poll's extraction workers alone (all of them, as a poll runs them) to
    prepare the pages after the first (which starts them): the most a poll could reach on this
    machine if fetching and storing cost nothing."""
    from extractors.feeds import FeedItem
    from flows.fetch.client import FetchResult
    from flows.pipeline.prepare_pool import Preparer

    jobs = []
    for i, page in enumerate(pages):
        url = f"https://workers.example/article/{i}"
        jobs.append((FeedItem(url=url), FetchResult(url=url, final_url=url, status=200, body=b"",
                                                    content_type="text/html", encoding="utf-8",
                                                    text=page.decode("utf-8"), elapsed_s=0.0)))
    preparer = Preparer(watch, matcher, processes)
    try:
        await preparer.prepare(outlet, *jobs[0], pooled=True)
        started = time.perf_counter()
        await asyncio.gather(*(preparer.prepare(outlet, item, result, pooled=True) for item, result in jobs[1:]))
        return time.perf_counter() - started
    finally:
        preparer.close()


def run_scenario(replica: Path, base_url: str, archived: int, profile: bool, database_url: str | None = None,
                 trafilatura_only: bool = False) -> dict:
    """Child process: archive, warm Prefect up, poll once, time it; raw trafilatura on the same pages."""
    from flows.ops import prefect_env

    if trafilatura_only:
        _start_trafilatura_only_workers()

    prefect_env.apply(quiet=True)
    from prefect import flow

    from flows.poll import poll_flow
    from flows.settings import load_settings
    from storage.db import init_db

    state = Path(tempfile.mkdtemp(prefix="rasid-bench-"))
    settings = load_settings(None, state_dir=state, outlets_file=replica / "outlets.yaml",
                             max_articles_per_outlet=100_000, channels={},
                             fetch={"replay_url": base_url, "allow_networks": ["127.0.0.1/32"], "retries": 0,
                                    "per_host_delay_s": 0.0, "per_host_concurrency": 8, "obey_robots": False},
                             **({"database_url": _emptied(database_url)} if database_url else {}))
    engine = init_db(settings)  # an installed rasid polls a migrated database; migrating is a one-time cost
    archive_s = archive(engine, archived) if archived else 0.0
    if archived and engine.dialect.name == "postgresql":
        from sqlalchemy import text

        with engine.begin() as conn:  # rows came with explicit ids: move the sequences past them
            for table in ("stories", "articles"):
                conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                  f"(SELECT max(id) FROM {table}))"))

    @flow(name="bench-warm-up")
    async def warm_up() -> None:
        return None

    started = time.perf_counter()
    asyncio.run(warm_up())
    prefect_start_s = time.perf_counter() - started

    plan = json.loads((replica / "polls.json").read_text(encoding="utf-8"))
    pages = [(replica / "bench" / f"a{i}.html").read_bytes() for i in range(plan["articles"])]  # the first poll's
    raw_before_s = raw_trafilatura(pages)  # again after the polls: this machine's speed drifts
    profiler = _profiler() if profile else None
    polls = [_timed_poll(poll_flow, settings, outlet_ids) for outlet_ids in plan["outlets"]]
    if profiler:
        profiler.stop()
        (state / "profile.txt").write_text(profiler.output_text(unicode=True, show_all=False), encoding="utf-8")
    (summary, poll_s, cpu_s), later = polls[0], polls[1:]
    stored = summary.total("stored")
    if trafilatura_only:
        _check_copies(engine, len(polls))
    raw_after_s = raw_trafilatura(pages)
    raw_s = (raw_before_s + raw_after_s) / 2
    raw_fast_s = raw_trafilatura(pages, fast=True)  # the mode rasid runs it in (docs/extraction.md)
    stages = stage_costs(pages, settings) if archived == 0 else {}
    pipeline_rate, raw_rate = stored / poll_s, len(pages) / raw_s
    return {"archived": archived, "articles": len(pages), "stored": stored,
            "errors": sum(len(r.errors) for polled, _, _ in polls for r in polled.outlets),
            "archive_insert_s": round(archive_s, 2),
            "prefect_first_flow_s": round(prefect_start_s, 2), "poll_flow_s": round(poll_s, 2),
            "pipeline_articles_per_s": round(pipeline_rate, 1), "raw_trafilatura_s": round(raw_s, 2),
            "raw_trafilatura_s_before_after": [round(raw_before_s, 2), round(raw_after_s, 2)],
            "raw_trafilatura_articles_per_s": round(raw_rate, 1),
            "pipeline_over_raw": round(pipeline_rate / raw_rate, 3),
            "raw_trafilatura_fast_articles_per_s": round(len(pages) / raw_fast_s, 1),
            "pipeline_over_raw_fast": round(pipeline_rate * raw_fast_s / len(pages), 3),
            "per_article_ms": {"poll_flow": round(poll_s / max(stored, 1) * 1000, 2),
                               "raw_trafilatura": round(raw_s / len(pages) * 1000, 2), **stages},
            "cpu_s_during_poll": cpu_s,
            "later_polls": [_later_poll(*poll, raw_rate, len(pages) / raw_fast_s) for poll in later],
            "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
            **({"workers_run": "trafilatura only (bench/trafilatura_only.py)"} if trafilatura_only else {}),
            **({"profile": str(state / "profile.txt")} if profile else {})}


def _later_poll(summary, poll_s: float, cpu_s: dict, raw_rate: float, raw_fast_rate: float) -> dict:
    rate = summary.total("stored") / poll_s
    return {"stored": summary.total("stored"), "poll_flow_s": round(poll_s, 2), "articles_per_s": round(rate, 1),
            "over_raw": round(rate / raw_rate, 3), "over_raw_fast": round(rate / raw_fast_rate, 3),
            "cpu_s_during_poll": cpu_s}


def _timed_poll(poll_flow, settings, outlet_ids: list[str]) -> tuple[object, float, dict]:
    """One poll of these outlets: its summary, wall seconds and CPU seconds by process."""
    cpu = CpuByProcess(os.getppid())
    started = time.perf_counter()
    summary = asyncio.run(poll_flow(settings, outlet_ids))
    poll_s = time.perf_counter() - started
    return summary, poll_s, cpu.stop()


class CpuByProcess:
    """CPU seconds each process spent while the poll ran: this one, its extraction workers,
    Prefect's temporary server and the replay server (children of `server_parent`). Read from
    /proc every 250 ms, so a worker that exits before the poll ends still counts (Linux only);
    this sampler's own CPU is left out of the poll process's."""

    def __init__(self, server_parent: int):
        import threading

        self._me, self._server_parent = os.getpid(), server_parent
        self._first: dict = {}
        self._last: dict = {}
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)
        self._thread.start()
        self._read()

    def stop(self) -> dict:
        self._done.set()
        self._thread.join()
        self._read()
        totals: dict = {}
        for pid, (role, cpu) in self._last.items():
            totals[role] = totals.get(role, 0.0) + cpu - self._first.get(pid, (role, 0.0))[1]
        totals["poll_process"] -= totals.pop("poll_process.sampler", 0.0)
        return {role: round(seconds, 2) for role, seconds in sorted(totals.items())}

    def _loop(self) -> None:
        while not self._done.wait(0.25):
            self._read()

    def _read(self) -> None:
        if not os.path.isdir("/proc"):
            return
        tick, parents, stats = os.sysconf("SC_CLK_TCK"), {}, {}
        for pid in filter(str.isdigit, os.listdir("/proc")):
            try:
                with open(f"/proc/{pid}/stat") as f:
                    head, _, rest = f.read().rpartition(")")
                with open(f"/proc/{pid}/cmdline") as f:
                    command = f.read()
            except OSError:
                continue
            fields = rest.split()
            parents[int(pid)] = int(fields[1])
            stats[int(pid)] = ((int(fields[11]) + int(fields[12])) / tick, command)
        for pid, (cpu, command) in stats.items():
            role = self._role(pid, command, parents)
            if role:
                self._first.setdefault(pid, (role, cpu))
                self._last[pid] = (role, cpu)
        self._read_threads(tick)

    def _read_threads(self, tick: int) -> None:
        """The poll process's CPU split by thread: the event loop (fetching, Prefect), the threads
        that store (asyncio.to_thread), and the rest (the worker pool's feeder, Prefect's)."""
        import threading

        kinds = {t.native_id: "event_loop" if t.name == "MainThread" else
                 "store_threads" if t.name.startswith("asyncio_") else "other_threads" for t in threading.enumerate()}
        kinds[self._thread.native_id] = "sampler"
        for tid in os.listdir(f"/proc/{self._me}/task"):
            try:
                with open(f"/proc/{self._me}/task/{tid}/stat") as f:
                    fields = f.read().rpartition(")")[2].split()
            except OSError:
                continue
            name = kinds.get(int(tid), "other_threads")
            key = f"thread:{tid}"
            cpu = (int(fields[11]) + int(fields[12])) / tick
            self._first.setdefault(key, (f"poll_process.{name}", cpu))
            self._last[key] = (f"poll_process.{name}", cpu)

    def _role(self, pid: int, command: str, parents: dict) -> str | None:
        if pid == self._me:
            return "poll_process"
        if "--serve" in command and parents.get(pid) == self._server_parent:
            return "replay_server"
        if command.startswith("postgres"):  # PostgreSQL's processes (any client's: keep the machine quiet)
            return "postgresql_server"
        ancestor = parents.get(pid)
        while ancestor and ancestor != self._me:
            ancestor = parents.get(ancestor)
        if not ancestor:
            return None
        return "prefect_server" if "uvicorn" in command else "workers"


def _emptied(database_url: str) -> str:
    """The benchmark's PostgreSQL database with its public schema dropped and made again (every table
    lost); created first when the server does not have it (a new machine)."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    url = make_url(database_url)
    server = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with server.connect() as conn:
        if conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :d"), {"d": url.database}).first() is None:
            conn.execute(text(f'CREATE DATABASE "{url.database}"'))
    server.dispose()
    engine = create_engine(database_url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    return database_url


def _start_trafilatura_only_workers() -> None:
    """The workers' forkserver, started before the poll does, with bench/trafilatura_only.py
    loaded after the pipeline: the poll finds it running and forks its workers from it."""
    import multiprocessing.forkserver

    from flows.pipeline import prepare_pool

    # the forkserver is a fresh interpreter that does not inherit sys.path (3.11): the module
    # must be found through PYTHONPATH, after the repository (bench/storage.py shadows storage/)
    inherited = [entry for entry in os.environ.get("PYTHONPATH", "").split(os.pathsep) if entry]
    os.environ["PYTHONPATH"] = os.pathsep.join([str(ROOT), str(ROOT / "bench"), *inherited])
    multiprocessing.get_context("forkserver").set_forkserver_preload(
        ["flows.pipeline.prepare_pool", "trafilatura", "trafilatura_only"])
    with prepare_pool._main_hidden():
        multiprocessing.forkserver.ensure_running()


def _check_copies(engine, polls: int) -> None:
    """Fail the run if the workers did not load the module: the forkserver skips a preload it
    cannot import without a word, and the figure would then be a real poll's under the wrong name."""
    from sqlalchemy import text

    with engine.connect() as conn:
        analyses = conn.execute(text("SELECT count(DISTINCT content_hash) FROM articles "
                                     "WHERE outlet_id <> 'old'")).scalar_one()  # not the archive's rows
    if analyses > 8 * polls:  # one per worker and poll (copies of its first page), a few inline pages at most
        raise SystemExit(f"--trafilatura-only: {analyses} distinct analyses stored, so the extraction workers "
                         "did not load bench/trafilatura_only.py")


def _profiler():
    from pyinstrument import Profiler

    profiler = Profiler(async_mode="enabled")
    profiler.start()
    return profiler


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=600)
    parser.add_argument("--archived", default="0,1000,100000", help="comma-separated archive sizes")
    parser.add_argument("--polls", type=int, default=2, help="polls per scenario, one after another in one "
                        "process, each of new articles: the first pays the process's one-time costs as every "
                        "real poll does, the later ones show what is left without them")
    parser.add_argument("--profile", action="store_true", help="write a pyinstrument profile per scenario")
    parser.add_argument("--database-url", help="poll into this PostgreSQL database instead of a fresh SQLite "
                        "file; EVERY TABLE IN IT IS DROPPED (e.g. postgresql+psycopg://postgres@127.0.0.1/rasid_bench)")
    parser.add_argument("--trafilatura-only", action="store_true",
                        help="the ceiling: workers run trafilatura alone and store copies (bench/trafilatura_only.py)")
    parser.add_argument("--serve", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--scenario", nargs=3, metavar=("REPLICA", "URL", "ARCHIVED"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.polls < 1:
        parser.error("--polls must be at least 1")
    if args.serve:
        return serve_replica(args.serve)
    if args.scenario:
        replica, url, archived = args.scenario
        print(json.dumps(run_scenario(Path(replica), url, int(archived), args.profile, args.database_url,
                                      args.trafilatura_only)))
        return None
    replica = Path(tempfile.mkdtemp(prefix="rasid-bench-replica-"))
    build_replica(replica, args.articles, args.polls)
    server = subprocess.Popen([sys.executable, __file__, "--serve", str(replica)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    try:
        base_url = server.stdout.readline().strip()
        results = []
        for archived in (int(a) for a in args.archived.split(",")):
            command = [sys.executable, __file__, "--scenario", str(replica), base_url, str(archived)]
            command += ["--profile"] if args.profile else []
            command += ["--database-url", args.database_url] if args.database_url else []
            command += ["--trafilatura-only"] if args.trafilatura_only else []
            out = subprocess.run(command, capture_output=True, text=True,
                                 env={**os.environ, "PREFECT_LOGGING_LEVEL": "WARNING"}, check=False)
            if out.returncode != 0:
                raise SystemExit(f"scenario {archived} failed:\n{out.stderr[-3000:]}")
            results.append(json.loads(out.stdout.strip().splitlines()[-1]))
    finally:
        server.stdin.close()
        server.wait(timeout=30)
    print(json.dumps({"articles_per_poll": args.articles, "polls": args.polls,
                      "source_pages": len(article_pages()), "cpus": os.cpu_count(), "scenarios": results}, indent=2))
    return None


if __name__ == "__main__":
    main()
