"""robots.txt, fetched once per site and cached, read with protego.

Following RFC 9309: a 4xx robots.txt means no restrictions; a 5xx or an unreachable one
means "assume everything is disallowed for now" (a transient error, so the poll retries
later). Results are cached per origin for `ttl_s`, process-wide, so a scheduler polling
every few minutes with a new fetcher each time does not ask again; failures are kept for a
minute only. `namespace` keeps replay servers' robots.txt apart from the real sites'.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from typing import Awaitable, Callable
from urllib.parse import urlsplit, urlunsplit

from flows.fetch.errors import FetchError, PermanentFetchError, RobotsUnavailable, TransientFetchError

MAX_ROBOTS_BYTES = 500_000  # what Google reads of a robots.txt
_FAILURE_TTL_S = 60.0


@dataclass(frozen=True)
class RobotsVerdict:
    allowed: bool
    crawl_delay_s: float | None = None


class _Entry:
    def __init__(self, rules: object | None, expires: float, failure: TransientFetchError | None = None) -> None:
        self.rules, self.expires, self.failure = rules, expires, failure


# fetch(url, max_bytes) -> (status, body); raises FetchError
RobotsFetch = Callable[[str, int], Awaitable[tuple[int, bytes]]]


_SHARED: dict[str, _Entry] = {}


def clear_robots_cache() -> None:
    """Forget every cached robots.txt (tests: a new local server may reuse an old one's port)."""
    _SHARED.clear()


class RobotsCache:
    def __init__(self, fetch: RobotsFetch, user_agent: str, ttl_s: float = 3600.0, *, namespace: str = "",
                 entries: dict[str, _Entry] | None = None) -> None:
        self._fetch = fetch
        self._agent = user_agent.split("/", 1)[0].strip() or user_agent
        self._ttl_s = ttl_s
        self._namespace = namespace
        self._entries = _SHARED if entries is None else entries
        self._locks: dict[str, asyncio.Lock] = {}

    async def verdict(self, url: str) -> RobotsVerdict:
        """May our agent fetch `url`? TransientFetchError while the site's robots.txt is unreachable."""
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        key = f"{self._namespace} {origin}"
        entry = self._entries.get(key)
        if entry is None or entry.expires < time.monotonic():
            async with self._locks.setdefault(key, asyncio.Lock()):
                entry = self._entries.get(key)
                if entry is None or entry.expires < time.monotonic():
                    entry = self._entries[key] = await self._load(origin)
        if entry.failure is not None:
            raise RobotsUnavailable(f"robots.txt unreachable, not fetching for now ({entry.failure.reason})",
                                    url=url)
        if entry.rules is None:
            return RobotsVerdict(True)
        path_url = urlunsplit(("", "", parts.path or "/", parts.query, ""))
        delay = entry.rules.crawl_delay(self._agent)  # type: ignore[attr-defined]
        return RobotsVerdict(bool(entry.rules.can_fetch(path_url, self._agent)),  # type: ignore[attr-defined]
                             float(delay) if delay is not None else None)

    async def _load(self, origin: str) -> _Entry:
        from protego import Protego

        now = time.monotonic()
        try:
            status, body = await self._fetch(origin + "/robots.txt", MAX_ROBOTS_BYTES)
        except TransientFetchError as exc:
            return _Entry(None, now + _FAILURE_TTL_S, failure=exc)
        except (PermanentFetchError, FetchError):
            return _Entry(None, now + self._ttl_s)  # no usable robots.txt: no restrictions
        if status >= 500:
            return _Entry(None, now + _FAILURE_TTL_S, failure=TransientFetchError(f"HTTP {status}"))
        if status >= 400:
            return _Entry(None, now + self._ttl_s)
        return _Entry(Protego.parse(body.decode("utf-8", "replace")), now + self._ttl_s)
