"""Read-only queries for the analyst's page (flows/web): stories per topic, a story's articles and
alerts, what outlets did. Nothing here writes; every query runs on an index (bench/web.py).

Times come back aware UTC (SQLite hands back naive ones).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Iterable

from sqlalchemy import func, select
from sqlmodel import Session

from storage.models import Alert, Article, Match, OutletState, Story
from storage.repo import as_utc


@dataclass(frozen=True)
class StoryHead:
    """A story as a list shows it: headline, first report, size, outlets."""

    id: int
    title: str
    published: datetime | None
    members: int
    outlets: tuple[str, ...]


@dataclass(frozen=True)
class ArticleRow:
    """One article of a story, with what its page shows."""

    id: int
    url: str
    outlet_id: str
    title: str
    lead: str
    published: datetime | None
    utc_offset_minutes: int | None
    fetched: datetime
    lang: str | None
    agency: str | None
    signature: str | None
    stance: str | None = None  # claim | confirmation | denial | report (extractors/stance.py)
    stance_by: str | None = None
    published_precision: str | None = None  # "day": published is the day's noon, show the day alone


@dataclass(frozen=True)
class MatchRow:
    topic_id: str
    terms: tuple[str, ...]
    snippet: str
    highlights: tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class AlertRow:
    """An outbox row of a story: which article, topic and channel (a name: URLs live in settings only)."""

    story_id: int
    article_id: int
    topic_id: str
    channel: str
    kind: str
    status: str
    created: datetime
    sent_at: datetime | None


LEAD_CHARS = 400


def _head(row) -> StoryHead:
    return StoryHead(row.id, row.title, as_utc(row.published), row.members, tuple(row.outlets or ()))


_STORY_COLUMNS = (Story.id, Story.title, Story.published, Story.members, Story.outlets)


SPARSE_TOPIC = 2000   # matches below which a topic's stories are collected rather than looked for


def latest_stories(session: Session, topic_id: str, limit: int) -> list[StoryHead]:
    """The newest stories (by first report) with an article that matched the topic.

    Two plans, chosen by the topic's match count (an index count): a topic with many matches is
    found by walking the stories newest first and stopping at `limit` (1-2 ms at 100k articles,
    where collecting its 15k matches and sorting their stories took 160-200 ms); a sparse one by
    collecting its stories (walking would read the whole archive looking for them: 185 ms).
    """
    first = select(Match.id).where(Match.topic_id == topic_id).limit(SPARSE_TOPIC + 1).subquery()
    if session.execute(select(func.count()).select_from(first)).scalar_one() <= SPARSE_TOPIC:
        in_topic = Story.id.in_(select(Article.story_id).join(Match, Match.article_id == Article.id)
                                .where(Match.topic_id == topic_id))
    else:
        in_topic = (select(Article.id).join(Match, Match.article_id == Article.id)
                    .where(Article.story_id == Story.id, Match.topic_id == topic_id).exists())
    rows = session.execute(select(*_STORY_COLUMNS).where(in_topic)
                           .order_by(Story.published.desc(), Story.id.desc()).limit(limit))
    return [_head(row) for row in rows]


def stories_by_id(session: Session, ids: Iterable[int]) -> dict[int, StoryHead]:
    ids = sorted(set(ids))
    if not ids:
        return {}
    return {row.id: _head(row) for row in session.execute(select(*_STORY_COLUMNS).where(Story.id.in_(ids)))}


def newest_story_time(session: Session) -> datetime | None:
    """When the newest story was first reported (the end of the front page's chart)."""
    return as_utc(session.execute(select(func.max(Story.published))).scalar())


def topic_stories_between(session: Session, since: datetime, until: datetime) -> list[tuple[str, int, datetime]]:
    """(topic, story, first report) for every story first reported in [since, until) that matched a topic."""
    query = (select(Match.topic_id, Story.id, Story.published).distinct()
             .join(Article, Article.story_id == Story.id).join(Match, Match.article_id == Article.id)
             .where(Story.published >= since, Story.published < until))
    return [(topic, story, as_utc(when)) for topic, story, when in session.execute(query)]


def outlet_counts(session: Session, story_ids: Iterable[int]) -> dict[int, dict[str, int]]:
    """Per story, how many of its articles each outlet carried (most first)."""
    ids = sorted(set(story_ids))
    counts: dict[int, dict[str, int]] = {story: {} for story in ids}
    if not ids:
        return counts
    rows = session.execute(select(Article.story_id, Article.outlet_id, func.count())
                           .where(Article.story_id.in_(ids)).group_by(Article.story_id, Article.outlet_id))
    for story, outlet, count in sorted(rows, key=lambda r: (r[0], -r[2], r[1])):
        counts[story][outlet] = count
    return counts


def member_signatures(session: Session, story_ids: Iterable[int], per_story: int = 8) -> dict[int, list[str]]:
    """The stored signatures (JSON) of each story's first members, for the places and actors it names."""
    ids = sorted(set(story_ids))
    if not ids:
        return {}
    ranked = (select(Article.story_id, Article.signature,
                     func.row_number().over(partition_by=Article.story_id, order_by=Article.id).label("rank"))
              .where(Article.story_id.in_(ids)).subquery())
    out: dict[int, list[str]] = {story: [] for story in ids}
    for story, signature in session.execute(select(ranked.c.story_id, ranked.c.signature)
                                            .where(ranked.c.rank <= per_story, ranked.c.signature.is_not(None))):
        out[story].append(signature)
    return out


def story_alerts(session: Session, story_ids: Iterable[int]) -> list[AlertRow]:
    """Every outbox row of these stories, oldest first (the unique key starts with story_id: an index)."""
    ids = sorted(set(story_ids))
    if not ids:
        return []
    rows = session.execute(select(Alert.story_id, Alert.article_id, Alert.topic_id, Alert.channel, Alert.kind,
                                  Alert.status, Alert.created, Alert.sent_at)
                           .where(Alert.story_id.in_(ids)).order_by(Alert.id))
    return [AlertRow(*row[:6], as_utc(row.created), as_utc(row.sent_at)) for row in rows]


def story_articles(session: Session, story_id: int) -> list[ArticleRow]:
    """The story's articles in time order (publication time, else fetch time)."""
    when = func.coalesce(Article.published, Article.fetched)
    rows = session.execute(select(Article.id, Article.url, Article.outlet_id, Article.title,
                                  func.substr(Article.text, 1, LEAD_CHARS), Article.published,
                                  Article.utc_offset_minutes, Article.fetched, Article.lang, Article.agency,
                                  Article.signature, Article.stance, Article.stance_by, Article.published_precision)
                           .where(Article.story_id == story_id).order_by(when, Article.id))
    return [ArticleRow(r[0], r[1], r[2], r[3] or "", r[4] or "", as_utc(r[5]), r[6], as_utc(r[7]), *r[8:])
            for r in rows]


def article_matches(session: Session, article_ids: Iterable[int]) -> dict[int, list[MatchRow]]:
    """Per article, the topics it matched when stored, with their terms and snippet."""
    ids = sorted(set(article_ids))
    out: dict[int, list[MatchRow]] = {aid: [] for aid in ids}
    if not ids:
        return out
    rows = session.execute(select(Match.article_id, Match.topic_id, Match.terms, Match.snippet, Match.highlights)
                           .where(Match.article_id.in_(ids)).order_by(Match.article_id, Match.topic_id))
    for article_id, topic, terms, snippet, highlights in rows:
        out[article_id].append(MatchRow(topic, tuple(terms or ()), snippet or "",
                                        tuple(tuple(h) for h in highlights or ())))
    return out


def story_topics(session: Session, story_ids: Iterable[int]) -> dict[int, tuple[str, ...]]:
    """Per story, the topics its articles matched."""
    ids = sorted(set(story_ids))
    out: dict[int, set[str]] = {story: set() for story in ids}
    if ids:
        rows = session.execute(select(Article.story_id, Match.topic_id).distinct()
                               .join(Match, Match.article_id == Article.id).where(Article.story_id.in_(ids)))
        for story, topic in rows:
            out[story].add(topic)
    return {story: tuple(sorted(topics)) for story, topics in out.items()}


@dataclass(frozen=True)
class OutletActivity:
    """What `outlets status` is computed from: the stored state and how much each outlet published."""

    states: dict[str, OutletState]
    week: dict[str, list[datetime]]       # publication times in the last 7 days, per outlet
    month: dict[str, int]                 # articles published in the last 30 days, per outlet
    newest: dict[str, datetime | None]    # newest publication time ever, per outlet


def outlet_activity(session: Session, outlet_ids: Iterable[str], now: datetime) -> OutletActivity:
    """Per outlet, three range reads of its (outlet, published) index: an archive-wide GROUP BY read
    every entry of that index (60-150 ms at 100k articles; these take a few ms for six outlets)."""
    states = {state.id: state for state in session.execute(select(OutletState)).scalars()}
    week, month, newest = {}, {}, {}
    for outlet_id in outlet_ids:
        mine = Article.outlet_id == outlet_id
        week[outlet_id] = [as_utc(p) for p in session.execute(select(Article.published).where(
            mine, Article.published >= now - timedelta(days=7))).scalars()]
        month[outlet_id] = session.execute(select(func.count()).select_from(Article).where(
            mine, Article.published >= now - timedelta(days=30))).scalar_one()
        newest[outlet_id] = as_utc(session.execute(select(func.max(Article.published)).where(mine)).scalar())
    return OutletActivity(states, week, month, newest)
