"""Politeness: robots.txt obeyed and cached, our User-Agent sent, per-host concurrency, conditional GET."""

import asyncio

import pytest
from hostile_server import HostileServer, LoopbackOnlyBackend

from flows.fetch.client import Fetcher
from flows.fetch.errors import RobotsDisallowed
from flows.settings import FetchSettings

FAST = dict(allow_networks=["127.0.0.1/32"], per_host_delay_s=0, retries=0, timeout_s=5.0)


@pytest.fixture
def server():
    with HostileServer() as running:
        yield running


def run_with_fetcher(work, **overrides):
    async def go():
        async with Fetcher(FetchSettings(**{**FAST, **overrides}), network_backend=LoopbackOnlyBackend()) as f:
            return await work(f)
    return asyncio.run(go())


def test_robots_is_fetched_once_and_disallowed_paths_are_never_requested(server):
    async def work(f):
        for _ in range(3):
            await f.get(server.url("/ok.html"))
        with pytest.raises(RobotsDisallowed):
            await f.get(server.url("/private/secret.html"))
        with pytest.raises(RobotsDisallowed):  # a redirect into a disallowed path is checked too
            await f.get(server.url("/to?u=/private/secret.html"))

    run_with_fetcher(work)
    assert server.hits["/robots.txt"] == 1
    assert server.hits["/private/secret.html"] == 0


def test_robots_can_be_switched_off(server):
    result = run_with_fetcher(lambda f: f.get(server.url("/private/secret.html")), obey_robots=False)
    assert result.status == 200 and server.hits["/robots.txt"] == 0


def test_an_agent_named_in_robots_is_kept_out_everywhere(server):
    with pytest.raises(RobotsDisallowed):
        run_with_fetcher(lambda f: f.get(server.url("/ok.html")), user_agent="badbot/1.0 (+https://example.org)")
    assert server.hits["/ok.html"] == 0


def test_the_configured_user_agent_and_encodings_are_sent(server):
    run_with_fetcher(lambda f: f.get(server.url("/ok.html")), user_agent="rasid-test/9 (+https://example.org/bot)")
    assert {h.get("User-Agent") for h in server.headers_seen} == {"rasid-test/9 (+https://example.org/bot)"}
    assert {h.get("Accept-Encoding") for h in server.headers_seen} == {"gzip, deflate"}


def test_per_host_concurrency_is_capped(server):
    async def work(f):
        await asyncio.gather(*(f.get(server.url(f"/slow?s=0.1&n={i}")) for i in range(8)))

    run_with_fetcher(work, per_host_concurrency=2)
    assert server.hits["/slow"] == 8 and server.max_in_flight == 2


def test_conditional_get_turns_an_unchanged_feed_into_a_304(server):
    async def work(f):
        first = await f.get(server.url("/outlet/feed.xml"))
        again = await f.get(server.url("/outlet/feed.xml"), etag=first.etag, last_modified=first.last_modified)
        return first, again

    first, again = run_with_fetcher(work)
    assert first.status == 200 and first.etag and first.body
    assert again.not_modified and again.status == 304 and again.body == b"" and again.etag == first.etag
    assert server.headers_seen[-1].get("If-None-Match") == first.etag


@pytest.mark.parametrize("status,fetched", [(503, False), (404, True), (403, True)])
def test_robots_errors_follow_rfc_9309(status, fetched):
    """5xx robots.txt: assume disallow-all for now (transient, not retried); 4xx: no restrictions."""
    from flows.fetch.errors import RobotsUnavailable

    robots = {"/robots.txt": lambda h, q: h.reply(status, b"", "text/plain")}
    with HostileServer(extra=robots) as server:
        if fetched:
            assert run_with_fetcher(lambda f: f.get(server.url("/ok.html")), retries=2).status == 200
        else:
            with pytest.raises(RobotsUnavailable) as caught:
                run_with_fetcher(lambda f: f.get(server.url("/ok.html")), retries=2, backoff_s=0)
            assert caught.value.kind == "transient"
        assert server.hits["/ok.html"] == int(fetched) and server.hits["/robots.txt"] == 1


@pytest.mark.parametrize("crawl_delay,expected", [("7", 7.0), ("3600", 30.0), ("0.5", 1.0)])
def test_robots_crawl_delay_spaces_requests_up_to_a_cap(crawl_delay, expected):
    robots = {"/robots.txt": lambda h, q: h.reply(200, f"User-agent: *\nCrawl-delay: {crawl_delay}\n".encode(),
                                                  "text/plain")}
    with HostileServer(extra=robots) as server:
        async def work(f):
            await f.get(server.url("/ok.html"))
            return f.delay_for(server.url("/anything"))

        assert run_with_fetcher(work, per_host_delay_s=1.0) == expected
