"""Each hostile server behaviour gives the expected error kind quickly, and the fetcher goes on."""

import asyncio
import tracemalloc

import pytest
from hostile_server import ARABIC_HTML, HostileServer, LoopbackOnlyBackend, gzip_bomb

from flows.fetch.client import Fetcher, FetchResult
from flows.fetch.errors import (
    AddressRefused,
    BadEncoding,
    BodyTooLarge,
    FetchError,
    FetchTimeout,
    PermanentFetchError,
    RobotsDisallowed,
    TooManyRedirects,
    TransientFetchError,
    TruncatedBody,
)
from flows.settings import FetchSettings

FAST = dict(allow_networks=["127.0.0.1/32"], per_host_delay_s=0, retries=0, backoff_s=0, timeout_s=1.0,
            max_bytes=2_000_000)


@pytest.fixture(scope="module")
def server():
    gzip_bomb(), gzip_bomb(200_000_000, 2)  # made before the clock of any request starts
    with HostileServer() as running:
        yield running


def fetch(url: str, **overrides) -> FetchResult:
    async def go():
        async with Fetcher(FetchSettings(**{**FAST, **overrides}), network_backend=LoopbackOnlyBackend()) as f:
            return await f.get(url)
    return asyncio.run(go())


def failure(url: str, **overrides) -> FetchError:
    with pytest.raises(FetchError) as caught:
        fetch(url, **overrides)
    return caught.value


@pytest.mark.parametrize("path,error,kind", [
    ("/gzip-bomb", BodyTooLarge, "permanent"),
    ("/stacked-bomb", BodyTooLarge, "permanent"),
    ("/stacked-deep", BadEncoding, "permanent"),
    ("/brotli", BadEncoding, "permanent"),
    ("/truncated-gzip", TruncatedBody, "transient"),
    ("/drip", FetchTimeout, "transient"),
    ("/silent", FetchTimeout, "transient"),
    ("/endless", BodyTooLarge, "permanent"),
    ("/big.html", BodyTooLarge, "permanent"),
    ("/big-unannounced.html", BodyTooLarge, "permanent"),
    ("/loop/a", TooManyRedirects, "permanent"),
    ("/private/secret.html", RobotsDisallowed, "permanent"),
    ("/status?code=404", PermanentFetchError, "permanent"),
    ("/status?code=410", PermanentFetchError, "permanent"),
    ("/status?code=403", PermanentFetchError, "permanent"),
    ("/status?code=500", TransientFetchError, "transient"),
    ("/status?code=429&retry=0", TransientFetchError, "transient"),
])
def test_hostile_responses_fail_with_the_expected_kind(server, path, error, kind):
    exc = failure(server.url(path))
    assert isinstance(exc, error) and exc.kind == kind
    assert server.url(path.split("?")[0]) in str(exc)


@pytest.mark.parametrize("target", ["http://[::1]:{port}/ok.html", "http://0.0.0.0:{port}/ok.html",
                                    "http://127.0.0.2:{port}/ok.html", "http://169.254.169.254/latest/meta-data/",
                                    "http://[::ffff:a9fe:a9fe]/", "http://10.1.2.3/"])
def test_redirects_to_addresses_off_the_allow_list_are_refused(server, target):
    exc = failure(server.url("/to?u=" + target.format(port=server.server_address[1])))
    assert isinstance(exc, AddressRefused)


@pytest.mark.parametrize("target", ["file:///etc/passwd", "gopher://127.0.0.1:70/x", "ftp://127.0.0.1/x",
                                    "javascript:alert(1)", "data:text/html,x"])
def test_redirects_to_other_schemes_are_refused(server, target):
    exc = failure(server.url("/to?u=" + target))
    assert exc.kind == "permanent" and "redirect to a forbidden URL" in str(exc)


def test_stacked_but_small_encodings_are_decoded(server):
    result = fetch(server.url("/stacked-ok"))
    assert result.text == ARABIC_HTML


def test_gzip_bomb_costs_little_memory(server):
    tracemalloc.start()
    try:
        with pytest.raises(BodyTooLarge):
            fetch(server.url("/gzip-bomb"), max_bytes=1_000_000)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 20_000_000  # the bomb expands to 200 MB


@pytest.mark.parametrize("path", ["/cp1256-nocharset", "/cp1256-wrong-charset", "/iso-8859-6"])
def test_arabic_legacy_encodings_come_out_as_arabic(server, path):
    result = fetch(server.url(path))
    assert result.text == ARABIC_HTML and result.encoding in ("windows-1256", "iso-8859-6")


def test_one_fetcher_survives_every_hostile_route_and_still_works(server):
    paths = ["/gzip-bomb", "/stacked-deep", "/truncated-gzip", "/drip", "/endless", "/loop/a", "/big.html",
             "/invalid.xml", "/status?code=500", "/to?u=http://[::1]:1/"]

    async def go():
        async with Fetcher(FetchSettings(**FAST), network_backend=LoopbackOnlyBackend()) as f:
            outcomes = await asyncio.gather(*(f.get(server.url(p)) for p in paths), return_exceptions=True)
            return outcomes, await f.get(server.url("/ok.html"))

    outcomes, after = asyncio.run(go())
    assert all(isinstance(o, (FetchError, FetchResult)) for o in outcomes), outcomes
    assert after.text == ARABIC_HTML


def test_transient_errors_are_retried_and_permanent_ones_are_not(server):
    before = server.hits["/flaky"]
    assert fetch(server.url("/flaky?fail=1"), retries=1).status == 200
    assert server.hits["/flaky"] - before == 2
    before = server.hits["/status"]
    failure(server.url("/status?code=404"), retries=3)
    assert server.hits["/status"] - before == 1
    failure(server.url("/status?code=429&retry=0"), retries=2)
    assert server.hits["/status"] - before == 4


def test_a_retry_after_longer_than_allowed_fails_at_once(server):
    before = server.hits["/status"]
    exc = failure(server.url("/status?code=503&retry=3600"), retries=3, max_retry_after_s=60)
    assert exc.kind == "transient" and exc.retry_after_s == 3600
    assert server.hits["/status"] - before == 1


def test_error_messages_hide_credentials_and_query_values(server):
    exc = failure(server.url("/status?code=404&token=hunter2").replace("http://", "http://user:pa55@"))
    assert "hunter2" not in str(exc) and "pa55" not in str(exc) and "user" not in str(exc)


def test_non_http_urls_are_refused_up_front():
    for url in ("file:///etc/passwd", "gopher://127.0.0.1/", "javascript:alert(1)", "/relative"):
        with pytest.raises(PermanentFetchError):
            fetch(url)


def test_raw_utf8_arabic_in_a_location_header_is_followed(server):
    result = fetch(server.url("/to-arabic"))
    assert result.text == ARABIC_HTML
    assert result.final_url == server.url("/%D8%B9%D8%B1%D8%A8%D9%8A/%D8%AE%D8%A8%D8%B1?ref=1")


def test_a_cookie_set_on_a_redirect_to_the_same_url_is_not_a_loop(server):
    assert fetch(server.url("/cookie-gate")).text == ARABIC_HTML


def test_a_closed_port_is_a_transient_connection_failure():
    exc = failure("http://127.0.0.1:9/nothing-listens-here")
    assert isinstance(exc, TransientFetchError) and "connection failed" in str(exc)
