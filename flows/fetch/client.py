"""The one HTTP fetcher of rasid: polite to sites, bounded against hostile ones.

- one shared httpx client, no proxies from the environment (a proxy would hide the real
  destination from the address guard), redirects followed here so every hop is vetted;
- per host: at most `per_host_concurrency` requests at once and `per_host_delay_s` (or the
  site's robots.txt Crawl-delay, up to 30 s) between request starts; robots.txt obeyed;
- per request: a total deadline (`timeout_s`, so a server dripping a byte a second is cut
  off), one time budget per URL with its retries (`url_budget`, see fetch_budget), a body
  budget enforced while streaming and decompressing (see fetch_body), a cap on redirects,
  and the address guard under the socket (see fetch_guard);
- transient failures (timeouts, connection errors, 429, 5xx, truncated bodies) are retried
  with exponential backoff, honouring Retry-After up to `max_retry_after_s`; permanent ones
  (404, 410, robots.txt, refused address, too large) are not.

Replay mode (`replay_url`): a request for scheme://HOST/PATH?Q goes to
{replay_url}/HOST/PATH?Q, results keep the original URLs, and the guard judges the address
really connected to (so the replay server's 127.0.0.1 must be in allow_networks).
"""

from __future__ import annotations

import asyncio
import email.utils
import functools
import random
import ssl
import time
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timezone
from types import TracebackType
from typing import Callable
from urllib.parse import quote, urljoin, urlsplit, urlunsplit

import httpcore
import httpx

from extractors.charset import decode_html
from extractors.urls import UrlError, canonicalize_url
from flows.fetch.body import ACCEPT_ENCODING, parse_encodings, read_bounded
from flows.fetch.budget import Stopwatch, UrlBudget
from flows.fetch.errors import (
    AddressRefused,
    BadEncoding,
    Blocked,
    BodyTooLarge,
    BudgetSpent,
    FetchError,
    FetchTimeout,
    PermanentFetchError,
    RobotsDisallowed,
    RobotsUnavailable,
    TooManyRedirects,
    TransientFetchError,
    TruncatedBody,
)
from flows.fetch.guard import GuardedBackend, parse_networks
from flows.fetch.result import FetchResult  # noqa: F401 - what Fetcher.get returns, re-exported
from flows.fetch.robots import RobotsCache
from flows.settings import FetchSettings

__all__ = ["AddressRefused", "BadEncoding", "Blocked", "BodyTooLarge", "BudgetSpent", "FetchError", "FetchResult", "FetchTimeout",
           "Fetcher", "PermanentFetchError", "RobotsDisallowed", "RobotsUnavailable", "TooManyRedirects", "TransientFetchError",
           "TruncatedBody"]

_REDIRECTS = {301, 302, 303, 307, 308}
_TRANSIENT_STATUS = {408, 425, 429, 500, 502, 503, 504, 507, 509, 520, 521, 522, 523, 524}
_TEXT_TYPES = ("text/", "application/xhtml", "application/xml", "application/rss", "application/atom",
               "application/rdf", "application/json", "application/feed+json", "application/ld+json")
_MAX_CRAWL_DELAY_S = 30.0


@dataclass(frozen=True)
class _Hop:
    """One finished answer, before it becomes a FetchResult or an error."""

    url: str
    status: int
    headers: httpx.Headers
    body: bytes


class _HostGate:
    """Concurrency and spacing of requests to one host."""

    def __init__(self, concurrency: int) -> None:
        self.slots = asyncio.Semaphore(concurrency)
        self.spacing = asyncio.Lock()
        self.next_start = 0.0

    async def enter(self, delay_s: float) -> None:
        await self.slots.acquire()
        try:
            async with self.spacing:
                wait = self.next_start - time.monotonic()
                if wait > 0:
                    await asyncio.sleep(wait)
                self.next_start = time.monotonic() + delay_s
        except BaseException:
            self.slots.release()
            raise


class Fetcher:
    """Async context manager holding the shared client, host gates and robots cache."""

    def __init__(self, settings: FetchSettings, *, network_backend: httpcore.AsyncNetworkBackend | None = None) -> None:
        self.settings = settings
        self.backend = GuardedBackend(parse_networks(settings.allow_networks), inner=network_backend)
        self._client: httpx.AsyncClient | None = None
        self._gates: dict[str, _HostGate] = {}
        self._robots = RobotsCache(self._fetch_robots, settings.user_agent, settings.robots_ttl_s,
                                   namespace=settings.replay_url or "")
        self._crawl_delays: dict[str, float] = {}

    async def __aenter__(self) -> "Fetcher":
        s = self.settings
        transport = _GuardedTransport(self.backend, httpx.Limits(max_connections=100, max_keepalive_connections=20),
                                      replay=bool(s.replay_url))
        self._client = httpx.AsyncClient(
            transport=transport, follow_redirects=False, trust_env=False,
            timeout=httpx.Timeout(s.timeout_s, connect=s.connect_timeout_s),
            headers={"User-Agent": s.user_agent, "Accept-Encoding": ACCEPT_ENCODING,
                     "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"})
        await self._client.__aenter__()
        return self

    async def __aexit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                        tb: TracebackType | None) -> None:
        if self._client is not None:
            await self._client.__aexit__(exc_type, exc, tb)
            self._client = None

    async def get(self, url: str, *, etag: str | None = None, last_modified: str | None = None) -> FetchResult:
        """GET `url` (conditionally if etag/last_modified given); FetchError subclasses on failure."""
        url = _checked_url(url)
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        budget = UrlBudget(self.settings.url_budget)
        while True:
            budget.attempts += 1
            try:
                return await self._attempt(url, headers, budget)
            except RobotsUnavailable:
                raise  # cached for a minute: retrying within this request cannot help
            except TransientFetchError as exc:
                delay = self._backoff(budget.attempts - 1, exc)
                if delay is None:
                    raise
                if not budget.allows_retry_after(delay):
                    raise _budget_spent(exc, budget) from None
                with Stopwatch(budget):
                    await asyncio.sleep(delay)

    def delay_for(self, url: str) -> float:
        """Seconds kept between request starts to `url`'s host: the setting, or a larger robots.txt Crawl-delay."""
        return max(self.settings.per_host_delay_s, self._crawl_delays.get(_host_key(url), 0.0))

    def _backoff(self, attempt: int, exc: TransientFetchError) -> float | None:
        """Seconds to wait before the next attempt, or None to give up now."""
        s = self.settings
        if attempt >= s.retries:
            return None
        delay = s.backoff_s * (2 ** attempt) * (1 + random.random() / 2)
        if exc.retry_after_s is not None:
            if exc.retry_after_s > s.max_retry_after_s:
                return None
            delay = max(delay, exc.retry_after_s)
        return delay

    async def _attempt(self, url: str, headers: dict[str, str], url_budget: UrlBudget) -> FetchResult:
        started = time.monotonic()
        hop = await self._follow(url, headers, self.settings.max_bytes, check_robots=self.settings.obey_robots,
                                 url_budget=url_budget)
        elapsed = time.monotonic() - started
        if hop.status == 304:
            return FetchResult(url=url, final_url=hop.url, status=304, body=b"", content_type=None, encoding=None,
                               text=None, elapsed_s=elapsed,
                               etag=hop.headers.get("etag") or headers.get("If-None-Match"),
                               last_modified=hop.headers.get("last-modified") or headers.get("If-Modified-Since"),
                               not_modified=True)
        _raise_for_status(hop)
        content_type, charset = _media_type(hop.headers.get("content-type"))
        text = encoding = None
        if content_type is None or content_type.startswith(_TEXT_TYPES) or content_type.endswith(("+xml", "/xml")):
            text, encoding = decode_html(hop.body, charset)
        return FetchResult(url=url, final_url=hop.url, status=hop.status, body=hop.body, content_type=content_type,
                           encoding=encoding or charset, text=text, elapsed_s=elapsed, etag=hop.headers.get("etag"),
                           last_modified=hop.headers.get("last-modified"))

    async def _follow(self, url: str, headers: dict[str, str], max_bytes: int, *, check_robots: bool,
                      url_budget: UrlBudget | None = None) -> _Hop:
        """The first non-redirect answer for `url`, each hop vetted, all within one deadline."""
        budget = self.settings.timeout_s
        visits = Counter([url])
        for _ in range(self.settings.max_redirects + 1):
            if check_robots:
                await self._check_robots(url)
            started = time.monotonic()
            hop = await self._one_hop(url, headers, max_bytes, budget, url_budget)
            budget -= time.monotonic() - started
            if hop.status not in _REDIRECTS or "location" not in hop.headers:
                return hop
            url = self._redirect_target(hop)
            visits[url] += 1
            if visits[url] > 2:  # one revisit is allowed: sites set a cookie and redirect back
                raise TooManyRedirects("redirect loop", url=url)
        raise TooManyRedirects(f"more than {self.settings.max_redirects} redirects", url=url)

    def _redirect_target(self, hop: _Hop) -> str:
        location = _utf8_header(hop.headers["location"].strip())
        try:
            target = self._from_wire(location, urlsplit(hop.url).scheme) or urljoin(hop.url, location)
            return _checked_url(target)
        except PermanentFetchError as exc:
            raise PermanentFetchError(f"redirect to a forbidden URL ({exc.reason})", url=hop.url,
                                      status=hop.status) from None
        except ValueError:
            raise PermanentFetchError("malformed redirect Location", url=hop.url, status=hop.status) from None

    async def _one_hop(self, url: str, headers: dict[str, str], max_bytes: int, budget: float,
                       url_budget: UrlBudget | None) -> _Hop:
        assert self._client is not None, "use Fetcher as `async with Fetcher(settings) as fetcher:`"
        if budget <= 0:
            raise FetchTimeout(f"no complete answer within {self.settings.timeout_s}s", url=url)
        gate = self._gates.setdefault(_host_key(url), _HostGate(self.settings.per_host_concurrency))
        await gate.enter(self.delay_for(url))
        try:
            if url_budget is not None:
                budget = min(budget, url_budget.remaining())
                if budget <= 0:
                    raise FetchTimeout(f"the URL's budget of {url_budget.total_s:g}s is spent", url=url)
            with Stopwatch(url_budget):
                async with asyncio.timeout(budget):
                    return await self._exchange(url, headers, max_bytes)
        except TimeoutError:
            raise FetchTimeout(f"no complete answer within {self.settings.timeout_s}s", url=url) from None
        except FetchError as exc:
            if exc.url is None:
                raise type(exc)(exc.reason, url=url, status=exc.status, retry_after_s=exc.retry_after_s) from None
            raise
        except httpx.TimeoutException:
            raise FetchTimeout(f"no complete answer within {self.settings.timeout_s}s", url=url) from None
        except (httpx.ConnectError, httpx.ReadError, httpx.WriteError, httpx.RemoteProtocolError) as exc:
            raise TransientFetchError(f"connection failed ({exc.__class__.__name__}: {exc or 'closed'})",
                                      url=url) from None
        except httpx.HTTPError as exc:
            raise PermanentFetchError(f"request failed ({exc.__class__.__name__}: {exc})", url=url) from None
        finally:
            gate.slots.release()

    async def _exchange(self, url: str, headers: dict[str, str], max_bytes: int) -> _Hop:
        assert self._client is not None
        try:
            request = self._client.build_request("GET", self._wire_url(url), headers=headers)
        except (httpx.InvalidURL, httpx.UnsupportedProtocol) as exc:
            raise PermanentFetchError(f"malformed URL ({exc})") from None
        try:
            response = await self._client.send(request, stream=True)
        except httpx.InvalidURL:
            # httpx prepares the next request of a redirect even when not following it
            raise PermanentFetchError("redirect to a forbidden URL (malformed Location)") from None
        try:
            status = response.status_code
            if status in _REDIRECTS or status == 304 or status >= 400:
                return _Hop(url, status, response.headers, b"")
            length = response.headers.get("content-length", "")
            if length.isdigit() and int(length) > max_bytes:
                raise BodyTooLarge(f"Content-Length {length} is larger than {max_bytes} bytes", status=status)
            encodings = parse_encodings(response.headers.get_list("content-encoding"))
            body = await read_bounded(response.aiter_raw(), encodings, max_bytes)
            return _Hop(url, status, response.headers, body)
        finally:
            await response.aclose()

    async def _check_robots(self, url: str) -> None:
        verdict = await self._robots.verdict(url)
        if verdict.crawl_delay_s:
            self._crawl_delays[_host_key(url)] = min(verdict.crawl_delay_s, _MAX_CRAWL_DELAY_S)
        if not verdict.allowed:
            raise RobotsDisallowed("disallowed by the site's robots.txt", url=url)

    async def _fetch_robots(self, url: str, max_bytes: int) -> tuple[int, bytes]:
        hop = await self._follow(url, {}, max_bytes, check_robots=False)
        return hop.status, hop.body

    def _wire_url(self, url: str) -> str:
        """Where a request for `url` is really sent (the replay server in replay mode)."""
        replay = self.settings.replay_url
        if not replay:
            return url
        parts = urlsplit(url)
        return f"{replay.rstrip('/')}/{parts.netloc}{parts.path or '/'}" + (f"?{parts.query}" if parts.query else "")

    def _from_wire(self, location: str, scheme: str) -> str | None:
        """The original-space URL of an absolute replay-server URL (inverse of _wire_url), else None."""
        replay = self.settings.replay_url
        prefix = (replay or "").rstrip("/") + "/"
        if not replay or not location.startswith(prefix):
            return None
        host, _, rest = location[len(prefix):].partition("/")
        path, _, query = rest.partition("?")
        return urlunsplit((scheme, host, "/" + path, query, ""))


class _GuardedTransport(httpx.AsyncHTTPTransport):
    """httpx's transport with our network backend under its connection pool.

    httpx offers no parameter for the backend; the pool is rebuilt with the same settings
    (tests/test_fetch_guard.py pins that the guard is really in the path).
    """

    def __init__(self, backend: GuardedBackend, limits: httpx.Limits, replay: bool = False) -> None:
        ssl_context = _ssl_context()
        super().__init__(verify=ssl_context, trust_env=False, limits=limits)
        self._pool = _PoolPerOrigin(lambda: httpcore.AsyncConnectionPool(
            ssl_context=ssl_context, max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections, keepalive_expiry=limits.keepalive_expiry,
            http1=True, http2=False, network_backend=backend), replay=replay)


class _PoolPerOrigin:
    """One httpcore connection pool per origin, behind the interface httpx expects of one pool.

    httpcore's pool checks every connection it holds (is it idle, has it expired: a poll()
    syscall each) whenever it assigns a queued request, so its cost grows with all the
    connections a poll keeps alive. Measured on 540 pages from six loopback outlets with
    keep-alive, 8 connections each: 1.76 ms of CPU per page in one pool, 1.18 ms with a pool
    per outlet (the same at the default 2 connections per host). In replay mode one server
    stands in for every outlet (/HOST/PATH): each outlet's host still gets its own pool.
    """

    def __init__(self, make: Callable[[], httpcore.AsyncConnectionPool], replay: bool = False) -> None:
        self._make, self._replay = make, replay
        self._pools: dict[tuple[bytes, ...], httpcore.AsyncConnectionPool] = {}

    async def handle_async_request(self, request: httpcore.Request) -> httpcore.Response:
        url = request.url
        origin = (url.scheme, url.host, url.port, url.target.lstrip(b"/").partition(b"/")[0] if self._replay else b"")
        pool = self._pools.get(origin)
        if pool is None:
            pool = self._pools[origin] = self._make()
        return await pool.handle_async_request(request)

    async def aclose(self) -> None:
        pools, self._pools = list(self._pools.values()), {}
        for pool in pools:
            await pool.aclose()

    async def __aenter__(self) -> "_PoolPerOrigin":
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()


@functools.cache
def _ssl_context() -> ssl.SSLContext:
    """One verifying TLS context per process: loading the CA bundle costs more than a 304 poll."""
    return httpx.create_ssl_context(trust_env=False)


def _checked_url(url: str) -> str:
    """`url` without its fragment and with non-ASCII escaped, if it is http(s) with a host; else PermanentFetchError."""
    try:
        canonicalize_url(url)
    except UrlError as exc:
        raise PermanentFetchError(str(exc)) from None
    parts = urlsplit(url.strip())
    # raw non-ASCII (an Arabic slug) is percent-encoded as UTF-8, existing escapes are kept
    path = quote(parts.path or "/", safe="/:@!$&'()*+,;=%-._~")
    query = quote(parts.query, safe="=&;/?:@!$'()*+,%-._~")
    return urlunsplit((parts.scheme.lower(), parts.netloc, path, query, ""))


def _utf8_header(value: str) -> str:
    """A header httpx decoded as latin-1 but the server sent as UTF-8 (raw Arabic in Location)."""
    try:
        return value.encode("latin-1").decode("utf-8")
    except UnicodeError:
        return value


def _host_key(url: str) -> str:
    return urlsplit(url).netloc.lower().rpartition("@")[2]


def _media_type(value: str | None) -> tuple[str | None, str | None]:
    if not value:
        return None, None
    media, _, params = value.partition(";")
    charset = None
    for param in params.split(";"):
        name, _, val = param.partition("=")
        if name.strip().lower() == "charset":
            charset = val.strip().strip("\"'") or None
    return media.strip().lower() or None, charset


def _retry_after(value: str | None) -> float | None:
    """Seconds from a Retry-After header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - datetime.now(timezone.utc)).total_seconds())


def _budget_spent(exc: TransientFetchError, budget: UrlBudget) -> BudgetSpent:
    """The error a URL ends with when its retries would outlast its budget: kind transient, last reason kept."""
    return BudgetSpent(f"gave up after {budget.attempts} attempt(s) in {budget.spent_s:.1f}s, the URL's budget "
                       f"(fetch.url_budget_s) being {budget.total_s:g}s; last: {exc.reason}",
                       url=exc.url, status=exc.status, retry_after_s=exc.retry_after_s)


def _raise_for_status(hop: _Hop) -> None:
    status = hop.status
    if status < 300:
        return
    if status in _REDIRECTS:
        raise PermanentFetchError(f"HTTP {status} redirect without a Location", url=hop.url, status=status)
    if hop.headers.get("cf-mitigated", "").lower() == "challenge":
        raise Blocked(f"HTTP {status}: bot challenge page (Cloudflare)", url=hop.url, status=status)
    if status in (401, 403, 451):
        raise Blocked(f"HTTP {status}: access refused to our user agent", url=hop.url, status=status)
    if status in _TRANSIENT_STATUS or status >= 500:
        raise TransientFetchError(f"HTTP {status}", url=hop.url, status=status,
                                  retry_after_s=_retry_after(hop.headers.get("retry-after")))
    raise PermanentFetchError(f"HTTP {status}", url=hop.url, status=status)
