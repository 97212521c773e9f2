"""The front page: each topic's latest stories, newest first, and its stories per day over 30 days."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from markupsafe import Markup
from sqlmodel import Session

from flows.web.chart import DayCounts, bar_chart
from flows.web.site import Site
from storage import findings

CHART_DAYS = 30
COLOURS = ("#2f6f8f", "#a4503c", "#5b7f3a", "#7a5a9a", "#b08a2e", "#3f7f7a")


@dataclass(frozen=True)
class UpdateLine:
    """An update alert: when, which article, to which channels (names)."""

    when: str
    article_id: int
    channels: tuple[str, ...]


@dataclass(frozen=True)
class StoryCard:
    id: int
    title: str
    first_seen: str
    first_seen_iso: str
    members: int
    outlets: tuple[tuple[str, int], ...]           # (name, articles), most first
    entities: dict[str, list[str]] = field(default_factory=dict)
    updates: tuple[UpdateLine, ...] = ()


@dataclass(frozen=True)
class TopicSection:
    id: str
    title: str
    enabled: bool
    chart: Markup
    stories_in_chart: int
    stories: tuple[StoryCard, ...]


def front_page(session: Session, site: Site, now: datetime) -> dict:
    limit = site.settings.web.stories_per_topic
    heads = {topic.id: findings.latest_stories(session, topic.id, limit) for topic in site.topics}
    ids = [head.id for stories in heads.values() for head in stories]
    cards = _cards(session, site, ids)
    days, per_topic = _chart_counts(session, site, now)
    sections = []
    for index, topic in enumerate(site.topics):
        series = DayCounts(days, tuple(per_topic[topic.id][day] for day in days))
        chart = bar_chart(series, f"{topic.title}: قصص جديدة في اليوم", COLOURS[index % len(COLOURS)])
        sections.append(TopicSection(topic.id, topic.title, topic.enabled, chart, sum(series.counts),
                                     tuple(cards[head.id] for head in heads[topic.id])))
    return {"sections": sections, "chart_from": days[0], "chart_to": days[-1]}


def _cards(session: Session, site: Site, ids: list[int]) -> dict[int, StoryCard]:
    """Story cards for these stories, with four queries whatever their number."""
    heads = findings.stories_by_id(session, ids)
    outlets = findings.outlet_counts(session, ids)
    signatures = findings.member_signatures(session, ids)
    updates: dict[int, dict[int, list]] = {}
    for alert in findings.story_alerts(session, ids):
        if alert.kind == "update":
            updates.setdefault(alert.story_id, {}).setdefault(alert.article_id, []).append(alert)
    cards = {}
    for story_id, head in heads.items():
        lines = tuple(UpdateLine(site.clock.reader(rows[0].created), article_id,
                                 tuple(sorted({row.channel for row in rows})))
                      for article_id, rows in sorted(updates.get(story_id, {}).items(), key=lambda i: i[1][0].created))
        cards[story_id] = StoryCard(
            head.id, head.title, site.clock.reader(head.published),
            head.published.isoformat() if head.published else "", head.members,
            tuple((site.outlet_name(o), n) for o, n in outlets.get(story_id, {}).items()),
            site.entities(signatures.get(story_id, ())), lines)
    return cards


def chart_days(site: Site, session: Session, now: datetime) -> tuple[date, ...]:
    """The 30 days (reader's zone) up to the newest story, or today if that is later than now
    (a replayed or stale archive still shows its last month, not an empty one)."""
    newest = findings.newest_story_time(session)
    last = site.clock.day(min(now, newest) if newest else now)
    return tuple(last - timedelta(days=back) for back in range(CHART_DAYS - 1, -1, -1))


def _chart_counts(session: Session, site: Site, now: datetime) -> tuple[tuple[date, ...], dict[str, Counter]]:
    days = chart_days(site, session, now)
    rows = findings.topic_stories_between(session, site.clock.start_of(days[0]),
                                          site.clock.start_of(days[-1] + timedelta(days=1)))
    per_topic: dict[str, Counter] = {topic.id: Counter() for topic in site.topics}
    for topic_id, _story, published in rows:
        if topic_id in per_topic:
            per_topic[topic_id][site.clock.day(published)] += 1
    return days, per_topic
