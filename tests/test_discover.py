"""discover_outlet: all sources of an outlet, cheap when unchanged, never raising for a broken source."""

import asyncio
import json

import pytest

from extractors.outlets import Outlet
from flows.discover import Discovery, SourceState, discover_outlet, propose_outlet
from flows.fetch import Fetcher
from flows.settings import FetchSettings
from hostile_server import HostileServer, LoopbackOnlyBackend, gzip_bomb

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


def test_autodiscovery_proposes_an_outlets_entry(server):
    async def go():
        async with Fetcher(SETTINGS, network_backend=LoopbackOnlyBackend()) as f:
            return await propose_outlet(f, server.url("/outlet/"), "local")

    entry, notes = asyncio.run(go())
    assert entry["id"] == "local" and entry["feeds"] == [server.url("/outlet/feed.xml")] and notes == []
