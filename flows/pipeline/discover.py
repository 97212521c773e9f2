"""Discovery: every feed, sitemap and section page of an outlet to one list of candidate articles.

An unchanged source costs a conditional GET answered 304 (or, for servers without
validators, one download whose hash matches) and yields nothing. A broken source is
recorded in `errors` and the others go on: discovery never raises for a source. Each
source also gets a `SourceReport` (outcome, items, newest date, diagnosis of a failure)
from which outlet health and the adaptive poll interval are computed (see the end).
"""

from __future__ import annotations

import asyncio
import hashlib
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime, timedelta, timezone
from typing import Any, Iterable, Mapping, Sequence

from extractors.errors import RasidError
from extractors.feeds import FeedError, FeedItem, merge_items, parse_feed
from extractors.links import articles_only, section_links
from extractors.outlets import Outlet
from extractors.sitemaps import SitemapError, parse_sitemap
from extractors.urls import redact_url
from flows.fetch.client import (
    AddressRefused,
    BadEncoding,
    Blocked,
    BodyTooLarge,
    Fetcher,
    FetchResult,
    FetchTimeout,
    RobotsDisallowed,
    TooManyRedirects,
    TransientFetchError,
)

_MAX_INDEX_DEPTH = 2


@dataclass(frozen=True)
class SourceState:
    """What the last poll of one source URL left behind, to make the next one conditional."""

    etag: str | None = None
    last_modified: str | None = None
    content_hash: str | None = None
    children: tuple[str, ...] = ()  # a sitemap index's child sitemaps, polled even when it is unchanged

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["children"] = list(self.children)
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "SourceState":
        return cls(etag=data.get("etag"), last_modified=data.get("last_modified"),
                   content_hash=data.get("content_hash"), children=tuple(data.get("children") or ()))


@dataclass(frozen=True)
class SourceReport:
    """How one source fared in one poll."""

    url: str
    kind: str  # feed | sitemap | section
    outcome: str  # new (parsed, with items) | empty (parsed, no items) | unchanged | failed
    items: int = 0
    newest: datetime | None = None  # newest publication date among its items
    diagnosis: str | None = None  # for failures, see diagnose()
    error_kind: str | None = None  # transient | permanent


@dataclass(frozen=True)
class Discovery:
    items: tuple[FeedItem, ...]
    states: dict[str, SourceState]
    errors: tuple[str, ...]
    unchanged: tuple[str, ...] = ()  # source URLs that answered 304 or the same content
    sources: tuple[SourceReport, ...] = ()

    @property
    def diagnosis(self) -> str:
        """One word for the outlet's state in this poll (see outlet_diagnosis)."""
        return outlet_diagnosis(self.sources)


@dataclass
class _Poll:
    """Mutable bookkeeping of one outlet's discovery."""

    fetcher: Fetcher
    outlet: Outlet
    old: Mapping[str, SourceState]
    states: dict[str, SourceState] = field(default_factory=dict)
    items: list[FeedItem] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    reports: list[SourceReport] = field(default_factory=list)

    async def source(self, url: str, kind: str, depth: int = 0) -> None:
        previous = self.old.get(url, SourceState())
        if url in self.old:
            self.states[url] = previous  # kept as it was if this poll fails
        try:
            state = await self._poll(url, kind, previous)
        except RasidError as exc:
            self._error(url, kind, exc, f"{exc.kind}: {getattr(exc, 'reason', None) or exc}")
            return
        except Exception as exc:  # noqa: BLE001 - a parser bug on hostile bytes must not end the poll
            self._error(url, kind, exc, f"internal error: {exc.__class__.__name__}: {exc}")
            return
        self.states[url] = state
        if kind == "sitemap" and depth < _MAX_INDEX_DEPTH and state.children:
            # even an unchanged index is followed: its children are where new articles appear
            await asyncio.gather(*(self.source(child, kind, depth + 1) for child in state.children))

    async def _poll(self, url: str, kind: str, previous: SourceState) -> SourceState:
        result = await self.fetcher.get(url, etag=previous.etag, last_modified=previous.last_modified)
        if result.not_modified:
            self._unchanged(url, kind)
            return replace(previous, etag=result.etag or previous.etag,
                           last_modified=result.last_modified or previous.last_modified)
        state = SourceState(result.etag, result.last_modified, hashlib.sha256(result.body).hexdigest(),
                            previous.children)
        if state.content_hash == previous.content_hash:
            self._unchanged(url, kind)
            return state
        # parsing a hostile 10 MB feed takes seconds: off the event loop, other requests keep their deadlines
        items, children = await asyncio.to_thread(self._parse, kind, result)
        self.items.extend(items)
        dates = [item.published for item in items if item.published]
        self.reports.append(SourceReport(url, kind, "new" if items or children else "empty", len(items),
                                         max(dates, default=None)))
        return replace(state, children=children)

    def _unchanged(self, url: str, kind: str) -> None:
        self.unchanged.append(url)
        self.reports.append(SourceReport(url, kind, "unchanged"))

    def _parse(self, kind: str, result: FetchResult) -> tuple[tuple[FeedItem, ...], tuple[str, ...]]:
        if kind == "feed":
            return parse_feed(result.body, result.final_url), ()
        if kind == "section":
            return section_links(result.text or "", result.final_url, self.outlet.link_pattern), ()
        parsed = parse_sitemap(result.body, result.final_url)
        return (articles_only(parsed.items, self.outlet.link_pattern),
                parsed.children[: self.fetcher.settings.max_sitemap_children])

    def _error(self, url: str, kind: str, exc: Exception, message: str) -> None:
        self.errors.append(f"outlet {self.outlet.id}: {redact_url(url)}: {message}")
        self.reports.append(SourceReport(url, kind, "failed", diagnosis=diagnose(exc),
                                         error_kind=getattr(exc, "kind", "permanent")))


async def discover_outlet(fetcher: Fetcher, outlet: Outlet, states: Mapping[str, SourceState]) -> Discovery:
    """All candidate articles of `outlet`'s sources that changed since `states`; never raises for a source."""
    poll = _Poll(fetcher, outlet, states)
    jobs = [poll.source(url, "feed") for url in outlet.feeds]
    jobs += [poll.source(url, "sitemap") for url in outlet.sitemaps]
    jobs += [poll.source(url, "section") for url in outlet.sections]
    await asyncio.gather(*jobs)
    return Discovery(items=merge_items(poll.items), states=poll.states, errors=tuple(poll.errors),
                     unchanged=tuple(poll.unchanged), sources=tuple(poll.reports))


# --- outlet health and adaptive polling (pure; the caller keeps the history) ---------------

_DIAGNOSES: tuple[tuple[tuple[type[BaseException], ...], str], ...] = (
    ((Blocked, RobotsDisallowed), "blocked"),
    ((AddressRefused,), "refused"),
    ((FeedError, SitemapError, BodyTooLarge, BadEncoding, TooManyRedirects), "broken"),
    ((FetchTimeout,), "unreachable"),
)


def diagnose(exc: BaseException) -> str:
    """One word for why a source failed: blocked, gone, refused, broken, unreachable, server-error, failed."""
    for types, word in _DIAGNOSES:
        if isinstance(exc, types):
            return word
    status = getattr(exc, "status", None)
    if status in (404, 410):
        return "gone"
    if isinstance(exc, TransientFetchError):
        return "server-error" if status else "unreachable"
    return "failed"


def outlet_diagnosis(sources: Sequence[SourceReport]) -> str:
    """ok when any source worked (new, unchanged); else the most telling failure; empty if all parsed empty."""
    if not sources or any(s.outcome in ("new", "unchanged") for s in sources):
        return "ok"
    failures = [s.diagnosis for s in sources if s.outcome == "failed"]
    if not failures:
        return "empty"
    for word in ("blocked", "gone", "refused", "broken", "server-error", "unreachable"):
        if word in failures:
            return word
    return failures[0] or "failed"


DARK_FAILURES = 1.5  # all sources failed in two polls running, with failures = 0.5 * before + failed share


def is_stale(newest: datetime | None, now: datetime, usual_gap: timedelta | None) -> bool:
    """True when nothing was published for well over the outlet's usual gap between items (and 2 days at least)."""
    floor = timedelta(days=2)
    return newest is not None and _utc(now) - _utc(newest) > max(4 * usual_gap if usual_gap else floor, floor)


def turned_dark(failures_before: float, failures_after: float) -> bool:
    """True on the one poll where an outlet crosses into "dark": the moment to alert the operator, once."""
    return failures_before < DARK_FAILURES <= failures_after


def outlet_health(failures: float, last_success: datetime | None, newest: datetime | None, now: datetime,
                  usual_gap: timedelta | None = None) -> str:
    """dark (failing two polls running), failing (the last poll failed), never polled, stale, or ok.

    `failures` is counted fractionally, as Media Cloud does: one bad poll or one broken source
    out of several does not make an outlet dark.
    """
    if failures >= DARK_FAILURES:
        return "dark"
    if failures > 0:
        return "failing"
    if last_success is None:
        return "never polled"
    return "stale" if is_stale(newest, now, usual_gap) else "ok"


def poll_interval_minutes(published: Iterable[datetime | None], now: datetime, *, minimum: float = 5,
                          maximum: float = 360, window: timedelta = timedelta(days=7)) -> float:
    """Minutes until the next poll, from how often the outlet published in the last `window`.

    Miniflux's "entry frequency" rule: the average gap between items over the window, bounded
    to [minimum, maximum]; an outlet with nothing in the window is polled at `maximum`.
    Naive datetimes are taken as UTC.
    """
    now = _utc(now)
    start = now - window
    recent = sum(1 for p in published if p is not None and start <= _utc(p) <= now)
    if recent == 0:
        return float(maximum)
    return float(min(maximum, max(minimum, window.total_seconds() / 60 / recent)))


@dataclass(frozen=True)
class PollPolicy:
    """How often an outlet is polled and why: `reason` is one of fixed, quiet, ceiling, floor, pace.

    `gap_minutes` is the average gap between its items over the last week (None: none in it)."""

    minutes: float
    reason: str
    ceiling: float
    gap_minutes: float | None = None

    def explain(self) -> str:
        """A short phrase for `rasid outlets status`: why this interval."""
        gap = f"an item every {_span(self.gap_minutes)}" if self.gap_minutes else ""
        return {"fixed": "fixed (adaptive: false)", "quiet": "nothing in 7 days: ceiling",
                "ceiling": f"{gap}: ceiling", "floor": f"{gap}: floor", "pace": gap}[self.reason]


def poll_policy(published: Iterable[datetime | None], now: datetime, *, adaptive: bool, fixed: float,
                minimum: float, ceiling: float, window: timedelta = timedelta(days=7)) -> PollPolicy:
    """The interval of poll_interval_minutes with the bound (or rule) that set it."""
    if not adaptive:
        return PollPolicy(float(fixed), "fixed", float(ceiling))
    now = _utc(now)
    recent = sum(1 for p in published if p is not None and now - window <= _utc(p) <= now)
    if recent == 0:
        return PollPolicy(float(ceiling), "quiet", float(ceiling))
    gap = window.total_seconds() / 60 / recent
    reason = "ceiling" if gap >= ceiling else "floor" if gap <= minimum else "pace"
    return PollPolicy(float(min(ceiling, max(minimum, gap))), reason, float(ceiling), gap)


def outlet_poll_policy(outlet: Outlet, published: Iterable[datetime | None], now: datetime) -> PollPolicy:
    """poll_policy with the outlet's own bounds (adaptive, poll_minutes, poll_min_minutes, its ceiling)."""
    return poll_policy(published, now, adaptive=outlet.adaptive, fixed=outlet.poll_minutes,
                       minimum=outlet.poll_min_minutes, ceiling=outlet.poll_ceiling)


def _span(minutes: float | None) -> str:
    if minutes is None:
        return "-"
    if minutes < 90:
        return f"{minutes:.0f} min"
    return f"{minutes / 60:.0f} h" if minutes < 48 * 60 else f"{minutes / 1440:.0f} d"


def _utc(value: datetime) -> datetime:
    return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value
