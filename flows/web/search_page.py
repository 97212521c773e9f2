"""The search page: the archive's search (words side by side as AND, the whole query language),
filtered by topic, outlet and days, with the hits grouped by story."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Mapping

from markupsafe import Markup
from sqlmodel import Session

from extractors.errors import ConfigError
from extractors.query import QuerySyntaxError
from flows.web.site import Site, marked, safe_href, shown_url
from storage import findings
from storage.search import ArchiveFilter, search

LIMIT = 50
DAY_CHOICES = (1, 7, 30, 90, 365)


@dataclass(frozen=True)
class Hit:
    article_id: int
    title: str
    outlet: str
    when: str
    href: str
    url_text: str
    snippet: Markup


@dataclass(frozen=True)
class StoryGroup:
    story_id: int | None
    title: str
    first_seen: str
    hits: tuple[Hit, ...]


@dataclass(frozen=True)
class QueryProblem:
    """What the parser said, and the query cut where it points (column is 1-based)."""

    message: str
    column: int | None
    before: str
    at: str
    after: str


def search_page(session: Session, site: Site, params: Mapping[str, str], now: datetime) -> tuple[dict, int]:
    """The page's content and its HTTP status (400 for a query or filter that cannot be read)."""
    form = {name: (params.get(name) or "").strip() for name in ("q", "topic", "outlet", "days")}
    page = {"form": form, "topics": site.topics, "outlets": sorted(site.outlets.values(), key=lambda o: o.id),
            "day_choices": DAY_CHOICES, "groups": [], "problem": None, "result": None, "limit": LIMIT}
    if not form["q"]:
        return page, 200
    try:
        where = _filter(form, now)
        result = search(session, form["q"], where, limit=LIMIT, lists=site.lists, catch_up=False)
    except (QuerySyntaxError, ConfigError) as exc:
        return {**page, "problem": _problem(form["q"], exc)}, 400
    return {**page, "result": result, "groups": _groups(session, site, result.hits)}, 200


def _filter(form: dict, now: datetime) -> ArchiveFilter:
    since = None
    if form["days"]:
        if not form["days"].isdigit() or int(form["days"]) < 1:
            raise ConfigError(f"days must be a whole number of days, found {form['days']!r}", source="days")
        since = now - timedelta(days=int(form["days"]))
    return ArchiveFilter(topic=form["topic"] or None, since=since, outlet=form["outlet"] or None)


def _problem(query: str, exc: ConfigError) -> QueryProblem:
    offset = getattr(exc, "offset", None)
    if offset is None:
        return QueryProblem(exc.reason, None, query, "", "")
    return QueryProblem(exc.reason, offset + 1, query[:offset], query[offset:offset + 1] or " ", query[offset + 1:])


def _groups(session: Session, site: Site, hits) -> list[StoryGroup]:
    """Hits under their stories, in the order of each story's newest hit."""
    order: dict[int | None, list[Hit]] = {}
    for hit in hits:
        order.setdefault(hit.story_id, []).append(Hit(
            hit.article_id, hit.title, site.outlet_name(hit.outlet_id), site.clock.reader(hit.published, hit.day_only),
            safe_href(hit.url), shown_url(hit.url), marked(hit.snippet, hit.highlights)))
    heads = findings.stories_by_id(session, [story for story in order if story is not None])
    groups = []
    for story_id, story_hits in order.items():
        head = heads.get(story_id)
        groups.append(StoryGroup(story_id, head.title if head else story_hits[0].title,
                                 site.clock.reader(head.published) if head else "", tuple(story_hits)))
    return groups
