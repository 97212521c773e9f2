"""Extraction in worker processes: the same articles, matches and stories as in the poll's own process,
and a worker that dies costs a retry, not the poll."""

import asyncio
import os
import signal

import pytest
from sqlmodel import Session, select

from extractors.errors import PermanentError
from extractors.feeds import FeedItem
from extractors.outlets import Outlet
from flows.pipeline import prepare_pool
from flows.fetch.client import FetchResult
from flows.pipeline.prepare_pool import Preparer
from flows.pipeline.watch import load_watch
from flows.replay.demo import REPLAY_DIR
from storage.db import init_db
from storage.models import Alert, Article, Match


def _pages():
    for path in sorted(REPLAY_DIR.rglob("*.html")):
        body = path.read_bytes()
        url = f"https://replay.example/{path.parent.name}/{path.name}"
        yield FeedItem(url=url), FetchResult(url=url, final_url=url, status=200, body=body,
                                             content_type="text/html", encoding="utf-8",
                                             text=body.decode("utf-8", "replace"), elapsed_s=0.0)


async def _prepare_all(preparer: Preparer, pooled: bool):
    outlet = Outlet(id="replay", name="replay", home="https://replay.example/")
    return await asyncio.gather(*(preparer.prepare(outlet, item, page, pooled) for item, page in _pages()))


def test_workers_prepare_exactly_what_the_poll_process_prepares(demo_settings):
    watch = load_watch(demo_settings)
    preparer = Preparer(watch, watch.matcher(), processes=2)
    try:
        pooled = asyncio.run(_prepare_all(preparer, pooled=True))
    finally:
        preparer.close()
    inline = asyncio.run(_prepare_all(Preparer(watch, watch.matcher(), processes=0), pooled=False))
    assert len(pooled) == len(inline) >= 15
    assert any(p.matches for p in pooled), "the replay has matching pages: the workers compiled the topics"
    for a, b in zip(pooled, inline):
        assert a.article == b.article and a.matches == b.matches and a.empty == b.empty
        assert a.signature.to_json() == b.signature.to_json()


def test_a_killed_worker_is_replaced_and_its_page_retried(demo_settings):
    watch = load_watch(demo_settings)
    preparer = Preparer(watch, watch.matcher(), processes=2)
    outlet = Outlet(id="replay", name="replay", home="https://replay.example/")
    item, page = next(_pages())

    async def run():
        first = await preparer.prepare(outlet, item, page, pooled=True)
        broken = preparer._pool
        for pid in list(broken._processes):
            os.kill(pid, signal.SIGKILL)
        again = await preparer.prepare(outlet, item, page, pooled=True)
        return first, again, broken

    try:
        first, again, broken = asyncio.run(run())
        assert again.article == first.article and preparer._pool is not broken
    finally:
        preparer.close()


@pytest.mark.usefixtures("prefect_harness")
def test_poll_through_workers_stores_and_alerts_like_one_process(demo_settings, monkeypatch, tmp_path):
    """Every outlet batch goes to the workers here (the threshold is lowered to one page)."""
    from flows.poll import poll_flow

    inline = demo_settings.model_copy(update={"prepare_processes": 0})
    asyncio.run(poll_flow(inline))
    monkeypatch.setattr(prepare_pool, "POOL_MIN_PAGES", 1)
    pooled = demo_settings.model_copy(update={"prepare_processes": 2, "state_dir": tmp_path / "pooled"})
    summary = asyncio.run(poll_flow(pooled))
    assert summary.total("stored") > 0 and not [e for r in summary.outlets for e in r.errors]
    assert _stored(pooled) == _stored(inline)


def _stored(settings):
    """What a user sees of a poll: articles, their matches, which share a story, which alerted."""
    with Session(init_db(settings)) as s:
        articles = s.exec(select(Article).order_by(Article.url)).all()
        members = {}
        for a in articles:
            members.setdefault(a.story_id, []).append(a.url)
        matches = sorted((a.url, m.topic_id) for a in articles
                         for m in s.exec(select(Match).where(Match.article_id == a.id)))
        alerts = sorted((a.url, al.topic_id, al.kind, al.channel) for a in articles
                        for al in s.exec(select(Alert).where(Alert.article_id == a.id)))
    return ([(a.url, a.title, a.content_hash, a.published, a.lang, tuple(members[a.story_id]))
             for a in articles], matches, alerts)


def test_workers_that_cannot_start_leave_the_poll_in_its_own_process(demo_settings, monkeypatch, caplog):
    """A sandbox without fork or shared memory must not fail every large poll."""
    watch = load_watch(demo_settings)
    preparer = Preparer(watch, watch.matcher(), processes=2)

    def refuse():
        raise OSError("[Errno 38] Function not implemented")

    monkeypatch.setattr(preparer, "_start", refuse)
    prepared = asyncio.run(_prepare_all(preparer, pooled=True))
    assert len(prepared) >= 15 and all(p.article.url for p in prepared)
    assert preparer.processes == 0 and "could not start" in caplog.text


def test_a_page_that_fails_in_a_worker_fails_alone(demo_settings):
    """Pages travel to the workers in chunks: a page refused there must not take its chunk with it."""
    watch = load_watch(demo_settings)
    preparer = Preparer(watch, watch.matcher(), processes=2)
    outlet = Outlet(id="replay", name="replay", home="https://replay.example/")
    pages = list(_pages())
    huge = FetchResult(url="https://replay.example/huge", final_url="https://replay.example/huge", status=200,
                       body=b"", content_type="text/html", encoding="utf-8", text="<p>x</p>" * 1_600_000,
                       elapsed_s=0.0)
    pages.insert(3, (FeedItem(url=huge.url), huge))

    async def run():
        return await asyncio.gather(*(preparer.prepare(outlet, item, page, True) for item, page in pages),
                                    return_exceptions=True)

    try:
        results = asyncio.run(run())
    finally:
        preparer.close()
    assert isinstance(results[3], PermanentError) and "refused" in str(results[3])
    good = results[:3] + results[4:]
    assert len(good) >= 15 and all(p.article.url == item.url for p, (item, _) in zip(good, pages[:3] + pages[4:]))
