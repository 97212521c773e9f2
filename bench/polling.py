"""What an unchanged poll costs against a cold one, and fetch throughput with per-host limits on.

Runs against the loopback outlet server of the tests (tests/hostile_server.py) in replay
mode, so each simulated outlet has its own host name and its own politeness limits. A cold
poll discovers every source (feed, sitemap index + child, section page) and fetches every
article it finds, as the poll flow does for articles not yet stored; an unchanged poll
repeats discovery with the states the cold poll left, which the server answers with 304.
Article bodies are the real pages of ../shared/corpus when present (else a short page).

    uv run python bench/polling.py [--outlets 6] [--articles 50] [--hosts 8] [--pages 200]

Prints one JSON object.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import time
from itertools import cycle
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from hostile_server import HostileServer, outlet_routes  # noqa: E402

from extractors.outlets import Outlet  # noqa: E402
from flows.fetch.client import Fetcher  # noqa: E402
from flows.pipeline.discover import discover_outlet  # noqa: E402
from flows.settings import FetchSettings  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus" / "pages"


def _pages() -> list[bytes]:
    pages = sorted(CORPUS.glob("*.html")) if CORPUS.is_dir() else []
    return [p.read_bytes() for p in pages] or [b"<html><body><p>" + b"x" * 50_000 + b"</p></body></html>"]


def _outlet(k: int) -> Outlet:
    home = f"https://news{k}.example.com/outlet/"
    return Outlet(id=f"news{k}", name=f"news{k}", home=home, feeds=(home + "feed.xml",),
                  sitemaps=(home + "sitemap-index.xml",), sections=(home + "section.html",),
                  link_pattern=r"/outlet/article/\d+\.html$")


async def _poll(fetcher: Fetcher, outlets: list[Outlet], states: dict, fetch_articles: bool) -> dict:
    found = await asyncio.gather(*(discover_outlet(fetcher, o, states.get(o.id, {})) for o in outlets))
    articles = [item.url for d in found for item in d.items] if fetch_articles else []
    pages = await asyncio.gather(*(fetcher.get(url) for url in articles))
    for outlet, discovery in zip(outlets, found):
        states[outlet.id] = discovery.states
    return {"items": sum(len(d.items) for d in found), "errors": sum(len(d.errors) for d in found),
            "articles_fetched": len(pages), "article_bytes": sum(len(p.body) for p in pages)}


async def _measured(server: HostileServer, settings: FetchSettings, work) -> dict:
    hits, sent = sum(server.hits.values()), server.bytes_sent
    wall, cpu = time.perf_counter(), time.process_time()
    async with Fetcher(settings) as fetcher:
        figures = await work(fetcher)
    return {**figures, "requests": sum(server.hits.values()) - hits, "bytes_served": server.bytes_sent - sent,
            "wall_s": round(time.perf_counter() - wall, 4), "cpu_s": round(time.process_time() - cpu, 4)}


def _ratios(cold: dict, warm: dict) -> dict:
    return {key: round(warm[key] / cold[key], 4) if cold[key] else None
            for key in ("requests", "bytes_served", "wall_s", "cpu_s")}


async def unchanged_vs_cold(server: HostileServer, n_outlets: int, fetch_articles: bool = True) -> dict:
    settings = FetchSettings(allow_networks=["127.0.0.1/32"], per_host_delay_s=0, replay_url=server.base_url)
    outlets = [_outlet(k) for k in range(n_outlets)]
    states: dict = {}
    cold = await _measured(server, settings, lambda f: _poll(f, outlets, states, fetch_articles))
    warm = await _measured(server, settings, lambda f: _poll(f, outlets, states, fetch_articles))
    return {"cold": cold, "unchanged": warm, "unchanged_over_cold": _ratios(cold, warm)}


async def throughput(server: HostileServer, hosts: int, pages: int, delay_s: float) -> dict:
    settings = FetchSettings(allow_networks=["127.0.0.1/32"], per_host_delay_s=delay_s, per_host_concurrency=2,
                             replay_url=server.base_url)
    urls = [f"https://news{n % hosts}.example.com/outlet/article/{n // hosts}.html" for n in range(pages)]
    first = len(server.started)
    figures = await _measured(server, settings, lambda f: _fetch_all(f, urls))
    starts: dict[str, list[float]] = {}
    for at, path in server.started[first:]:
        if "/robots.txt" not in path:
            starts.setdefault(path.split("/")[1], []).append(at)
    gaps = [b - a for times in starts.values() for a, b in zip(times, times[1:])]
    return {**figures, "hosts": hosts, "per_host_delay_s": delay_s, "per_host_concurrency": 2,
            "pages_per_s": round(pages / figures["wall_s"], 1),
            # seen by the server, so connection reuse and its threads blur it by a few ms either way
            "median_gap_between_requests_on_one_host_s": round(statistics.median(gaps), 4) if gaps else None}


async def _fetch_all(fetcher: Fetcher, urls: list[str]) -> dict:
    results = await asyncio.gather(*(fetcher.get(u) for u in urls))
    return {"pages": len(results), "page_bytes": sum(len(r.body) for r in results)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--outlets", type=int, default=6)
    parser.add_argument("--articles", type=int, default=50, help="articles per outlet (the poll's default cap)")
    parser.add_argument("--hosts", type=int, default=8)
    parser.add_argument("--pages", type=int, default=200)
    args = parser.parse_args()
    routes = {}
    for k, page in zip(range(max(args.outlets, args.hosts)), cycle(_pages())):
        routes.update(outlet_routes(max(args.articles, args.pages // args.hosts + 1), f"/news{k}.example.com", page))
    with HostileServer(extra=routes) as server:
        report = {
            "setup": {"outlets": args.outlets, "articles_per_outlet": args.articles,
                      "sources_per_outlet": "feed, sitemap index + child, section page",
                      "article_pages": "shared/corpus pages" if CORPUS.is_dir() else "synthetic 50 KB page"},
            "poll": asyncio.run(unchanged_vs_cold(server, args.outlets)),
            # the sources alone, as if every article were already stored (the cost a poll cannot avoid)
            "discovery_only": asyncio.run(unchanged_vs_cold(server, args.outlets, fetch_articles=False)),
            "throughput_no_delay": asyncio.run(throughput(server, args.hosts, args.pages, 0.0)),
            "throughput_delay_50ms": asyncio.run(throughput(server, args.hosts, args.pages, 0.05)),
        }
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
