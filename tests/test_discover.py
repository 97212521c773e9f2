"""discover_outlet: all sources of an outlet, cheap when unchanged, never raising for a broken source."""

import asyncio
import json

import pytest
from hostile_server import HostileServer, LoopbackOnlyBackend, gzip_bomb

from extractors.outlets import Outlet
from flows.fetch.client import Fetcher
from flows.pipeline.autodiscover import propose_outlet
from flows.pipeline.discover import Discovery, SourceState, discover_outlet
from flows.settings import FetchSettings

SETTINGS = FetchSettings(allow_networks=["127.0.0.1/32"], per_host_delay_s=0, retries=0, timeout_s=1.0,
                         max_bytes=2_000_000)


@pytest.fixture
def server():
    gzip_bomb()  # made before the clock of any request starts
    with HostileServer(articles=12) as running:
        yield running


def outlet(server, feeds=(), sitemaps=(), sections=(), pattern=r"/outlet/article/\d+\.html$") -> Outlet:
    return Outlet(id="test", name="اختبار", home=server.url("/outlet/"), feeds=tuple(map(server.url, feeds)),
                  sitemaps=tuple(map(server.url, sitemaps)), sections=tuple(map(server.url, sections)),
                  link_pattern=pattern)


def discover(o: Outlet, states=None) -> Discovery:
    async def go():
        async with Fetcher(SETTINGS, network_backend=LoopbackOnlyBackend()) as f:
            return await discover_outlet(f, o, states or {})
    return asyncio.run(go())


def roundtrip(states: dict[str, SourceState]) -> dict[str, SourceState]:
    """States as the caller stores them: JSON."""
    return {url: SourceState.from_dict(json.loads(json.dumps(s.to_dict()))) for url, s in states.items()}


def test_feed_sitemap_index_and_section_give_one_item_per_article(server):
    o = outlet(server, ["/outlet/feed.xml"], ["/outlet/sitemap-index.xml"], ["/outlet/section.html"])
    found = discover(o)
    assert found.errors == ()
    assert sorted(i.url for i in found.items) == sorted(server.url(f"/outlet/article/{n}.html") for n in range(12))
    assert all(i.title and i.published for i in found.items)  # feed fields win over the section's bare links
    assert set(found.states) == set(o.sources) | {server.url("/outlet/sitemap.xml.gz")}


def test_an_unchanged_outlet_yields_nothing_and_downloads_nothing(server):
    o = outlet(server, ["/outlet/feed.xml"], ["/outlet/sitemap-index.xml"], ["/outlet/section.html"])
    first = discover(o)
    again = discover(o, roundtrip(first.states))
    assert again.items == () and again.errors == ()
    assert set(again.unchanged) == set(first.states)  # the index's child sitemap was still asked
    assert again.states == first.states


def test_same_content_without_validators_is_recognised_by_hash(server):
    o = outlet(server, ["/feed-js.xml"])  # no ETag / Last-Modified on this route
    first = discover(o)
    assert [i.url for i in first.items] == [server.url("/news/1")]  # javascript: and data: links dropped
    assert discover(o, first.states).items == ()


def test_broken_sources_are_reported_and_the_rest_goes_on(server):
    o = outlet(server, ["/invalid.xml", "/gzip-bomb", "/status?code=404", "/drip", "/outlet/feed.xml"],
               ["/loop/a", "/truncated-gzip"], ["/private/secret.html", "/status?code=503"])
    found = discover(o)
    assert len(found.items) == 12
    assert len(found.errors) == 8
    assert all(e.startswith("outlet test: http://127.0.0.1:") for e in found.errors)
    kinds = {e.split(": ")[2] for e in found.errors}
    assert kinds == {"permanent", "transient"}


def test_a_failed_poll_keeps_the_previous_state(server):
    url = server.url("/status?code=500")
    old = {url: SourceState(etag='"abc"', last_modified=None, content_hash="f00")}
    found = discover(outlet(server, ["/status?code=500"]), old)
    assert found.states == old and len(found.errors) == 1


def propose(url: str, outlet_id: str | None = None):
    async def go():
        async with Fetcher(SETTINGS, network_backend=LoopbackOnlyBackend()) as f:
            return await propose_outlet(f, url, outlet_id)
    return asyncio.run(go())


def test_autodiscovery_proposes_an_outlets_entry(server):
    entry, notes = propose(server.url("/outlet/"), "local")
    assert entry["id"] == "local" and entry["feeds"] == [server.url("/outlet/feed.xml")] and notes == []


def test_autodiscovery_falls_back_to_robots_sitemaps_and_then_to_a_section(server):
    robots = {"/robots.txt": lambda h, q: h.reply(200, (
        f"User-agent: *\nDisallow: /private/\nSitemap: {h.server.base_url}/outlet/sitemap-index.xml\n"
        f"Sitemap: {h.server.base_url}/missing-sitemap.xml\n").encode(), "text/plain")}
    with HostileServer(extra=robots) as with_sitemaps:
        entry, notes = propose(with_sitemaps.url("/ok.html"))
        assert "feeds" not in entry and "sections" not in entry
        assert entry["sitemaps"] == [with_sitemaps.url("/outlet/sitemap-index.xml")]
        assert len(notes) == 1 and "missing-sitemap.xml" in notes[0]
    entry, notes = propose(server.url("/ok.html"))
    assert entry["sections"] == [server.url("/ok.html")] and "link_pattern" in notes[-1]


def test_each_source_gets_a_report_with_a_diagnosis(server):
    server.routes["/challenge"] = lambda h, q: h.reply(403, b"Just a moment...", "text/html",
                                                       {"cf-mitigated": "challenge"})
    o = outlet(server, ["/outlet/feed.xml", "/status?code=410", "/challenge", "/invalid.xml", "/drip"],
               sections=["/private/secret.html", "/status?code=502"])
    found = discover(o)
    by_url = {r.url.replace(server.base_url, ""): r for r in found.sources}
    assert by_url["/outlet/feed.xml"].outcome == "new" and by_url["/outlet/feed.xml"].items == 12
    assert by_url["/outlet/feed.xml"].newest is not None
    assert {path: (r.diagnosis, r.error_kind) for path, r in by_url.items() if r.outcome == "failed"} == {
        "/status?code=410": ("gone", "permanent"), "/challenge": ("blocked", "permanent"),
        "/invalid.xml": ("broken", "permanent"), "/drip": ("unreachable", "transient"),
        "/private/secret.html": ("blocked", "permanent"), "/status?code=502": ("server-error", "transient")}
    assert found.diagnosis == "ok"  # one working source is enough
    assert discover(outlet(server, ["/challenge", "/drip"])).diagnosis == "blocked"
    assert discover(outlet(server, ["/status?code=404"])).diagnosis == "gone"
    assert discover(outlet(server, [], [], ["/ok.html"])).diagnosis == "empty"  # layout changed: no links match


def test_poll_interval_follows_the_publishing_rate():
    from datetime import datetime, timedelta, timezone

    from flows.pipeline.discover import is_stale, poll_interval_minutes

    now = datetime(2024, 5, 20, 12, tzinfo=timezone.utc)
    hourly = [now - timedelta(hours=h) for h in range(24 * 7)]
    assert poll_interval_minutes(hourly, now) == pytest.approx(60, rel=0.01)
    assert poll_interval_minutes(hourly * 100, now) == 5  # a busy outlet: the floor
    assert poll_interval_minutes([now - timedelta(days=30)], now) == 360  # quiet: the ceiling
    assert poll_interval_minutes([], now, minimum=10, maximum=120) == 120
    naive = [now.replace(tzinfo=None) - timedelta(hours=1)] * 7 * 24
    assert poll_interval_minutes(naive, now) == pytest.approx(60, rel=0.01)
    assert is_stale(now - timedelta(days=3), now, timedelta(hours=1))
    from flows.pipeline.discover import turned_dark

    failures, crossings = 0.0, []
    for failed_share in (1, 1, 1, 1, 0, 1, 1):  # the lead's rule: 0.5 * before + share of sources failed
        after = 0.5 * failures + failed_share
        crossings.append(turned_dark(failures, after))
        failures = after if failed_share else 0.0
    assert crossings == [False, True, False, False, False, False, True]
    assert not is_stale(now - timedelta(hours=5), now, timedelta(hours=1))


def test_only_the_newest_child_sitemaps_of_an_index_are_read(server):
    months = [f"2024-{m:02d}" for m in range(1, 7)]
    index = "".join(f"<sitemap><loc>/sm/{m}.xml</loc><lastmod>{m}-28</lastmod></sitemap>" for m in months)
    server.routes["/sm/index.xml"] = lambda h, q: h.reply(200, f"<sitemapindex>{index}</sitemapindex>".encode(),
                                                          "application/xml")
    for m in months:
        server.routes[f"/sm/{m}.xml"] = lambda h, q, m=m: h.reply(
            200, f"<urlset><url><loc>/news/{m}</loc></url></urlset>".encode(), "application/xml")
    found = discover(outlet(server, sitemaps=["/sm/index.xml"], pattern=r"/news/"))
    assert sorted(i.url for i in found.items) == [server.url(f"/news/2024-0{m}") for m in (4, 5, 6)]
    assert [server.hits[f"/sm/{m}.xml"] for m in months] == [0, 0, 0, 1, 1, 1]


def test_sitemap_items_are_filtered_by_the_link_pattern(server):
    server.routes["/mixed-sitemap.xml"] = lambda h, q: h.reply(200, (
        "<urlset><url><loc>/outlet/article/1.html</loc></url><url><loc>/outlet/tag/iraq</loc></url>"
        "<url><loc>/outlet/author/someone</loc></url></urlset>").encode(), "application/xml")
    assert [i.url for i in discover(outlet(server, sitemaps=["/mixed-sitemap.xml"])).items] == [
        server.url("/outlet/article/1.html")]
    assert len(discover(outlet(server, sitemaps=["/mixed-sitemap.xml"], pattern=None)).items) == 3
    broken = discover(outlet(server, sitemaps=["/mixed-sitemap.xml"], pattern="(unclosed"))
    assert broken.items == () and "link_pattern" in broken.errors[0]
