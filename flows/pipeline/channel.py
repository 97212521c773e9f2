"""One Telegram channel's poll: its preview pages → posts → articles (docs/telegram.md).

A channel has no feed and no article pages: its preview (`t.me/s/NAME`) holds the posts
themselves, so a poll reads one page (the newest ~20 posts) through the same guarded, polite
fetcher as every outlet, and steps back with `?before=` from the lowest id seen while a page holds
only posts it has not stored (the channel posted more than a page since the last poll). Each
post then takes the web articles' path — matching, stories, stance, alerts (storage/repo.py) —
and a post edited since it was stored updates its article (storage/posts.py) instead of adding one.

A preview turned off, a throttled answer ("No posts found" with status 200) or a page whose
markup moved is this outlet's health (diagnosis and last error), never a failed poll.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from urllib.parse import urlsplit

from sqlmodel import Session

from extractors.errors import RasidError
from extractors.grouping import story_signature
from extractors.outlets import Outlet
from extractors.stance import text_stance
from extractors.telegram import (LAYOUT_CHANGED, NO_POSTS, PREVIEW_DISABLED, PREVIEW_HOSTS, Post, parse_preview,
                                 post_title, preview_url)
from flows.pipeline.discover import diagnose
from flows.pipeline.outlet import OutletReport, PollContext, count_outcome, save_states, store_batch
from flows.pipeline.prepare import Prepared
from storage import posts as stored
from storage.records import NewArticle, derive

log = logging.getLogger("rasid.pipeline")
MAX_PAGES = 3  # preview pages read in one poll: the newest, then older ones while every post is new
_DIAGNOSES = {PREVIEW_DISABLED: "preview-disabled", NO_POSTS: "throttled", LAYOUT_CHANGED: "layout-changed"}


async def poll_channel(ctx: PollContext, outlet: Outlet) -> OutletReport:
    report = OutletReport(outlet.id)
    posts = await _read_channel(ctx, outlet, report)
    report.discovered = len(posts)
    known = await asyncio.to_thread(_stored, ctx.engine, [post.url for post in posts])
    fresh = [post for post in posts if post.url not in known]
    changed = [post for post in posts if post.url in known and known[post.url] != content_hash(post.text)]
    report.new = len(fresh)
    new, edited = await asyncio.to_thread(_prepare_all, ctx, outlet, fresh, changed)
    if new:
        async with ctx.store_turn:
            outcomes = await asyncio.to_thread(store_batch, ctx, new)
        for item, outcome in zip(new, outcomes):
            count_outcome(report, outlet, item, outcome)
    if edited:
        async with ctx.store_turn:
            report.updated = await asyncio.to_thread(_update, ctx.engine, edited)
    await asyncio.to_thread(save_states, ctx.engine, outlet, {}, report)
    return report


async def _read_channel(ctx: PollContext, outlet: Outlet, report: OutletReport) -> list[Post]:
    """The posts of the newest page, and of older ones while a page holds nothing stored yet (only on
    a channel polled before: a first poll takes the newest page, as a feed would)."""
    posts: dict[int, Post] = {}
    before, hosts = None, list(PREVIEW_HOSTS)
    backlog = await asyncio.to_thread(_has_posts, ctx.engine, outlet.id)
    for _ in range(MAX_PAGES):
        page = await _page(ctx, outlet, before, hosts, report)
        if page is None:
            break
        added = [post for post in page.posts if post.id not in posts]
        posts.update((post.id, post) for post in added)
        if not backlog or not added or page.before is None or (before is not None and page.before >= before):
            break
        if await asyncio.to_thread(_stored, ctx.engine, [post.url for post in added]):
            break  # this page reaches what the last poll stored: no gap behind it
        before = page.before
    return sorted(posts.values(), key=lambda post: post.id)


async def _page(ctx: PollContext, outlet: Outlet, before: int | None, hosts: list[str], report: OutletReport):
    """One preview page parsed, or None with the outlet's diagnosis and a warning set. `hosts`: t.me
    first; when it cannot be reached, telegram.me, which serves the same pages (kept for the poll)."""
    report.source_errors = 0
    while True:
        url = preview_url(outlet.channel, before, hosts[0])
        try:
            fetched = await ctx.fetcher.get(url)
            break
        except RasidError as exc:
            if len(hosts) > 1 and diagnose(exc) == "unreachable":
                hosts.pop(0)
                continue
            report.error(url, exc)
            report.source_errors, report.diagnosis = 1, diagnose(exc)
            return None
    report.fetched += 1
    if not urlsplit(fetched.final_url).path.startswith("/s/"):
        return _warn(report, outlet, PREVIEW_DISABLED, f"{url} redirects to {fetched.final_url}: the channel's "
                     "owner turned its web preview off", broken=True)
    page = parse_preview(fetched.text or "", outlet.channel)
    if page.state != "ok":
        return _warn(report, outlet, page.state, "; ".join(page.warnings), broken=page.state != NO_POSTS)
    return page


def _warn(report: OutletReport, outlet: Outlet, state: str, detail: str, broken: bool) -> None:
    """The outlet's health says why no post came; a throttled preview is not a broken source."""
    report.diagnosis = _DIAGNOSES[state]
    report.errors.append(f"telegram @{outlet.channel}: {state}: {detail}")
    report.source_errors = int(broken)
    log.warning("telegram @%s: %s", outlet.channel, detail)
    return None


def _prepare_all(ctx: PollContext, outlet: Outlet, *groups: list[Post]) -> list[list[Prepared]]:
    """Posts are short and their text is already clean: prepared here, not in the extraction workers."""
    matcher, gazetteer = ctx.preparer.matcher, ctx.preparer.watch.gazetteer
    return [[prepare_post(matcher, outlet, post, gazetteer) for post in group] for group in groups]


def content_hash(text: str) -> str:
    """What tells an edited post: its text changed (views change on every poll)."""
    return hashlib.sha256(text.encode()).hexdigest()


def prepare_post(matcher, outlet: Outlet, post: Post, gazetteer=None) -> Prepared:
    """A post as an article: its first line is its title; nobody named in it means the channel speaks
    (or the channel or user it was forwarded from)."""
    title = post_title(post.text)
    found = text_stance(title, post.text, gazetteer=gazetteer, default_speaker=post.forwarded_from or outlet.name)
    offset = round(outlet.utc_offset_hours * 60) if outlet.utc_offset_hours is not None else None
    article = NewArticle(
        url=post.url, outlet_id=outlet.id, title=title, text=post.text,
        content_hash=content_hash(post.text), published=post.published,
        date_source="telegram", utc_offset_minutes=offset, lang=outlet.lang, stance=found.stance,
        stance_by=found.by, stance_by_id=found.by_id, views=post.views, edited=post.edited,
        forwarded_from=post.forwarded_from)
    matches = matcher.match(title, post.text)
    signature = story_signature(title, post.text, published=post.published, agency=None,
                                topics=[m.topic_id for m in matches], lang=article.lang, gazetteer=gazetteer)
    return Prepared(article, tuple(matches), signature, derive(title, post.text, signature))


def _stored(engine, urls: list[str]) -> dict[str, str]:
    with Session(engine) as session:
        return stored.stored_posts(session, urls)


def _has_posts(engine, outlet_id: str) -> bool:
    with Session(engine) as session:
        return stored.has_posts(session, outlet_id)


def _update(engine, edited: list[Prepared]) -> int:
    with Session(engine) as session:
        return stored.update_posts(session, [(p.article, p.derived) for p in edited])
