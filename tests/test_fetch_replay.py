"""Replay mode: requests go to the local replay server, results keep the outlets' own URLs."""

import asyncio

import pytest
from hostile_server import HostileServer, LoopbackOnlyBackend

from flows.fetch.client import Fetcher
from flows.fetch.errors import AddressRefused
from flows.settings import FetchSettings

PAGE = "<html><body><p>مقال</p></body></html>".encode()


@pytest.fixture
def replica():
    extra = {
        "/www.example.com/robots.txt": lambda h, q: h.reply(200, b"User-agent: *\nDisallow: /hidden\n", "text/plain"),
        "/www.example.com/news/1": lambda h, q: h.reply(200, PAGE),
        "/www.example.com/old": lambda h, q: h.redirect("/news/1", 301),
        "/www.example.com/wire": lambda h, q: h.redirect(h.server.base_url + "/www.example.com/news/1"),
        "/www.example.com/away": lambda h, q: h.redirect("https://other.example.net/story?id=7"),
        "/other.example.net/story": lambda h, q: h.reply(200, PAGE if q.get("id") == ["7"] else b"wrong query"),
    }
    with HostileServer(extra=extra) as running:
        yield running


def replay_get(server, url, allow=("127.0.0.1/32",)):
    settings = FetchSettings(allow_networks=list(allow), per_host_delay_s=0, retries=0, replay_url=server.base_url)

    async def go():
        async with Fetcher(settings, network_backend=LoopbackOnlyBackend()) as f:
            return await f.get(url)
    return asyncio.run(go())


def test_request_is_served_by_the_replica_under_the_original_url(replica):
    result = replay_get(replica, "https://www.example.com/news/1")
    assert (result.url, result.final_url, result.text) == (
        "https://www.example.com/news/1", "https://www.example.com/news/1", PAGE.decode())
    assert replica.hits["/www.example.com/robots.txt"] == 1


def test_redirects_stay_in_the_original_url_space(replica):
    assert replay_get(replica, "https://www.example.com/old").final_url == "https://www.example.com/news/1"
    assert replay_get(replica, "https://www.example.com/wire").final_url == "https://www.example.com/news/1"
    away = replay_get(replica, "https://www.example.com/away")
    assert away.final_url == "https://other.example.net/story?id=7" and away.body == PAGE


def test_robots_of_the_replayed_site_apply(replica):
    from flows.fetch.errors import RobotsDisallowed

    with pytest.raises(RobotsDisallowed):
        replay_get(replica, "https://www.example.com/hidden/x")


def test_the_guard_judges_the_replay_server_address(replica):
    with pytest.raises(AddressRefused, match="127.0.0.1"):
        replay_get(replica, "https://www.example.com/news/1", allow=())


def test_the_recorded_outlets_replay(replay):
    """The lead's replay server and wave data: every outlet's first feed answers through replay mode."""
    from extractors.outlets import parse_outlets
    from flows.replay.demo import REPLAY_DIR

    outlets = parse_outlets((REPLAY_DIR / "outlets.yaml").read_text(encoding="utf-8"))
    settings = FetchSettings(allow_networks=["127.0.0.1/32"], per_host_delay_s=0, retries=0, replay_url=replay.base_url)

    async def go():
        async with Fetcher(settings) as f:
            return [await f.get(o.feeds[0]) for o in outlets if o.feeds]

    results = asyncio.run(go())
    assert results and all(r.status == 200 and r.body for r in results)
    assert all(r.final_url.startswith("https://") for r in results)


def test_a_keep_alive_replica_serves_many_outlets_at_once_over_kept_connections():
    """The benchmark's replay server answers HTTP/1.1 and keeps connections open; each outlet's
    host gets its own connection pool behind the one server address, and every page arrives whole."""
    from flows.replay.demo import REPLAY_DIR
    from flows.replay.servers import ReplayServer, load_wave

    server = ReplayServer(REPLAY_DIR, "wave1", keep_alive=True)
    pages = {url: r for url, r in load_wave(REPLAY_DIR, "wave1").items() if r.content_type.startswith("text/html")}
    settings = FetchSettings(allow_networks=["127.0.0.1/32"], per_host_delay_s=0, retries=0, obey_robots=False,
                             per_host_concurrency=4, replay_url=server.base_url)

    async def go():
        async with Fetcher(settings, network_backend=LoopbackOnlyBackend()) as fetcher:
            results = await asyncio.gather(*(fetcher.get(url) for url in pages for _ in range(3)))
            pools = fetcher._client._transport._pool._pools
            return results, {key[-1] for key in pools}
    try:
        results, pooled_hosts = asyncio.run(go())
    finally:
        server.close()
    assert all(r.body == pages[r.url].file.read_bytes() for r in results)
    assert pooled_hosts == {url.split("/")[2].encode() for url in pages}
    assert len(server.requests) == 3 * len(pages)
