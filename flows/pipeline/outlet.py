"""One outlet's poll as plain functions: discover → fetch → extract → match → store/group.

Prefect tasks in flows/poll.py wrap these; nothing here imports Prefect, so the
whole path can be driven from a test or a benchmark directly. Per-article work is
plain function calls (a Prefect task per article would double the cost).
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Mapping

from sqlalchemy.engine import Engine
from sqlmodel import Session

from extractors.errors import RasidError
from extractors.feeds import FeedItem
from extractors.outlets import Outlet
from extractors.site_lines import learn, site_keys
from extractors.urls import canonicalize_url
from flows.fetch.client import Fetcher, FetchResult
from flows.pipeline.discover import SourceState, discover_outlet, outlet_poll_policy, turned_dark
from flows.pipeline.prepare import Prepared
from storage import repo
from storage.models import utcnow

log = logging.getLogger("rasid.pipeline")
STORE_BATCH = 25  # prepared articles stored per thread hop, in one transaction


@dataclass
class OutletReport:
    """Counts for one outlet in one poll (shown by `rasid runs` and the Prefect UI)."""

    outlet_id: str
    discovered: int = 0
    new: int = 0
    fetched: int = 0
    stored: int = 0
    matched: int = 0
    alerts: int = 0
    copies: int = 0
    failed: int = 0
    source_errors: int = 0
    empty: int = 0  # pages fetched whose main text came out empty
    updated: int = 0  # Telegram posts edited since they were stored, their articles updated
    diagnosis: str = "ok"
    turned_dark: bool = False
    errors: list[str] = field(default_factory=list)
    matches: list[dict] = field(default_factory=list)

    def counts(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if k not in ("matches",)}

    def error(self, url: str, exc: RasidError) -> None:
        """One line per failed item; the error's own message already names the (redacted) URL."""
        self.failed += 1
        message = str(exc)
        self.errors.append(f"{exc.kind}: {message}" if url in message or "://" in message
                           else f"{url}: {exc.kind}: {message}")


class PollContext:
    """What every outlet's poll shares; a plain class so Prefect does not walk into it."""

    def __init__(self, settings, engine: Engine, fetcher: Fetcher, preparer, policies: Mapping[str, repo.TopicPolicy],
                 exclusive: bool = False):
        self.settings, self.engine, self.fetcher = settings, engine, fetcher
        self.preparer, self.policies = preparer, policies  # preparer: flows.pipeline.prepare_pool.Preparer
        # One store at a time per poll: writes are serialized by the database anyway (SQLite's
        # write lock, the advisory lock on PostgreSQL), and threads that contend there sleep in
        # the busy handler (up to 100 ms) while the lock is already free again.
        self.store_turn = asyncio.Lock()
        self.exclusive = exclusive  # one run per outlet at a time (flows/pipeline/outlet_slots.py)


async def poll_outlet(ctx: PollContext, outlet: Outlet) -> OutletReport:
    if outlet.kind == "telegram":  # a channel's preview holds the posts themselves (flows/pipeline/channel.py)
        from flows.pipeline.channel import poll_channel

        return await poll_channel(ctx, outlet)
    report = OutletReport(outlet.id)
    started = utcnow()
    states, site_state = await asyncio.to_thread(_load_states, ctx.engine, outlet)
    site_lines = site_keys(site_state)
    discovery = await discover_outlet(ctx.fetcher, outlet, states)
    report.errors.extend(discovery.errors)
    report.source_errors = len(discovery.errors)
    report.diagnosis = discovery.diagnosis
    items = _unique_items(discovery.items, report)
    report.discovered = len(items)
    fresh = await asyncio.to_thread(_unknown, ctx.engine, items)
    fresh = _newest(fresh, ctx.settings.max_articles_per_outlet)
    report.new = len(fresh)
    pooled = ctx.preparer.wants_pool(len(fresh))
    if pooled:
        ctx.preparer.start_soon()
    jobs = [asyncio.ensure_future(_fetch_and_prepare(ctx, outlet, item, report, pooled, site_lines)) for item in fresh]
    try:
        await _store_in_order(ctx, outlet, jobs, report)
    finally:
        for job in jobs:  # only left running when storing failed unexpectedly
            job.cancel()
    if report.fetched and report.empty == report.fetched and report.diagnosis == "ok":
        report.diagnosis = "layout-changed"  # pages arrive but nothing is extracted from them
    pages = [prepared.line_keys for prepared in _prepared(jobs)]
    learned = learn(site_state, pages) if pages else None
    await asyncio.to_thread(save_states, ctx.engine, outlet, discovery.states, report, learned, started)
    return report


def _prepared(jobs: list) -> list[Prepared]:
    """The pages of the poll that were prepared (not failed, not cancelled)."""
    return [job.result() for job in jobs
            if job.done() and not job.cancelled() and job.exception() is None and job.result() is not None]


def _unique_items(items, report: OutletReport) -> list[FeedItem]:
    """Canonical URL per item, first occurrence wins (a feed and a sitemap may list the same article)."""
    seen: dict[str, FeedItem] = {}
    for item in items:
        try:
            url = canonicalize_url(item.url)
        except RasidError as exc:
            report.errors.append(f"{item.url}: {exc}")
            continue
        seen.setdefault(url, FeedItem(url=url, title=item.title, published=item.published, summary=item.summary))
    return list(seen.values())


def _newest(items: list[FeedItem], limit: int) -> list[FeedItem]:
    floor = datetime.min.replace(tzinfo=timezone.utc)
    return sorted(items, key=lambda i: i.published or floor, reverse=True)[:limit]


async def _fetch(fetcher: Fetcher, item: FeedItem, report: OutletReport) -> FetchResult | None:
    try:
        page = await fetcher.get(item.url)
    except RasidError as exc:
        report.error(item.url, exc)
        return None
    report.fetched += 1
    return page


async def _fetch_and_prepare(ctx: PollContext, outlet: Outlet, item: FeedItem, report: OutletReport,
                             pooled: bool, site_lines: frozenset[str]) -> Prepared | None:
    page = await _fetch(ctx.fetcher, item, report)
    if page is None:
        return None
    try:
        return await ctx.preparer.prepare(outlet, item, page, pooled, site_lines)
    except RasidError as exc:
        report.error(item.url, exc)
        return None


async def _store_in_order(ctx: PollContext, outlet: Outlet, jobs: list, report: OutletReport) -> None:
    """Store in feed order while later pages are still fetched and prepared; whatever is ready
    goes in one batch (one thread hop, one session, one transaction: repo.store_articles)."""
    position = 0
    while position < len(jobs):
        batch = [await jobs[position]]
        position += 1
        while position < len(jobs) and jobs[position].done() and len(batch) < STORE_BATCH:
            batch.append(jobs[position].result())
            position += 1
        ready = [p for p in batch if p is not None]
        if ready:
            async with ctx.store_turn:
                outcomes = await asyncio.to_thread(store_batch, ctx, ready)
            for prepared, outcome in zip(ready, outcomes):
                count_outcome(report, outlet, prepared, outcome)


def count_outcome(report: OutletReport, outlet: Outlet, prepared: Prepared, outcome) -> None:
    if isinstance(outcome, RasidError):
        report.error(prepared.article.url, outcome)
        return
    report.empty += int(prepared.empty)
    if not outcome.created:
        return
    report.stored += 1
    report.alerts += outcome.alerts
    report.copies += int(not outcome.new_story)
    if prepared.matches:
        report.matched += 1
        report.matches += [{"title": prepared.article.title, "outlet": outlet.name, "topic": m.topic_id,
                            "url": prepared.article.url, "new_story": outcome.new_story} for m in prepared.matches]


def store_batch(ctx: PollContext, batch: list[Prepared]) -> list:
    """Outcome or RasidError per article, the batch in one transaction (repo.store_articles)."""
    with Session(ctx.engine, expire_on_commit=False) as session:
        return repo.store_articles(session, [(p.article, p.matches, p.signature, p.derived) for p in batch],
                                   ctx.policies)


def _unknown(engine: Engine, items: list[FeedItem]) -> list[FeedItem]:
    with Session(engine) as session:
        known = repo.known_urls(session, [i.url for i in items])
    return [i for i in items if i.url not in known]


def _load_states(engine: Engine, outlet: Outlet) -> tuple[dict[str, SourceState], dict | None]:
    """The sources' validators and the outlet's learned site lines (extractors/site_lines.py)."""
    with Session(engine) as session:
        sources = {url: SourceState.from_dict(s) for url, s in repo.outlet_source_states(session, outlet.id).items()}
        return sources, repo.outlet_site_lines(session, outlet.id)


def save_states(engine: Engine, outlet: Outlet, states: Mapping[str, SourceState], report: OutletReport,
                 site_lines: dict | None = None, started: datetime | None = None) -> None:
    """Validators, health, the site lines learned and the adaptive next poll; flags the one poll where
    the outlet went dark. The next poll counts from this poll's start, as its schedule does: counted
    from its end, an outlet whose interval equals its schedule's was never due at the next tick
    and was polled every other tick."""
    now = utcnow()
    with Session(engine) as session:
        interval = _next_interval(session, outlet, now)
        poll = repo.OutletPoll(
            states={url: s.to_dict() for url, s in states.items()}, broken_sources=report.source_errors,
            sources=len(outlet.sources), last_error=report.errors[-1] if report.errors else None,
            diagnosis=report.diagnosis, next_poll=(started or now) + timedelta(minutes=interval), site_lines=site_lines)
        before, after = repo.record_outlet_poll(session, outlet.id, outlet.name, poll)
    report.turned_dark = turned_dark(before, after)


def _next_interval(session: Session, outlet: Outlet, now: datetime) -> float:
    """Minutes to the next poll: from how often the outlet publishes, within its bounds (Miniflux's rule)."""
    if not outlet.adaptive:
        return float(outlet.poll_minutes)
    published = repo.recent_published(session, outlet.id, now - timedelta(days=7))
    return outlet_poll_policy(outlet, published, now).minutes
