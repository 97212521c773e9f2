"""Every table of rasid, in one module (SQLModel).

Times are timezone-aware UTC in Python (SQLModel refuses naive ones); the outlet's
offset is kept beside the publication time so local days can be shown.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any, Optional

from sqlalchemy import JSON, Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class OutletState(SQLModel, table=True):
    """What rasid remembers about an outlet between polls (feed validators, health)."""

    __tablename__ = "outlets"

    id: str = Field(primary_key=True)
    name: str = ""
    source_states: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    last_polled: Optional[datetime] = None
    last_success: Optional[datetime] = None
    failures: float = 0.0
    last_error: Optional[str] = Field(default=None, sa_column=Column(Text))
    diagnosis: Optional[str] = None  # ok | empty | blocked | gone | refused | broken | ...
    next_poll: Optional[datetime] = None  # adaptive: when this outlet is due again
    # lines the outlet repeats on its pages, learned from them (extractors/site_lines.py: hashed keys, no text)
    site_lines: Optional[dict[str, Any]] = Field(default=None, sa_column=Column(JSON, nullable=True))


class Story(SQLModel, table=True):
    """One development, however many outlets reported it."""

    __tablename__ = "stories"

    id: Optional[int] = Field(default=None, primary_key=True)
    title: str = Field(sa_column=Column(Text, nullable=False))
    first_article_id: Optional[int] = None
    published: Optional[datetime] = Field(default=None, index=True)
    created: datetime = Field(default_factory=utcnow)
    members: int = 1
    outlets: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))


class Article(SQLModel, table=True):
    """One article, stored once per canonical URL."""

    __tablename__ = "articles"
    __table_args__ = (Index("ix_articles_outlet_published", "outlet_id", "published"),)

    id: Optional[int] = Field(default=None, primary_key=True)
    url: str = Field(sa_column=Column(Text, nullable=False, unique=True))
    outlet_id: str = Field(index=True)
    title: str = Field(default="", sa_column=Column(Text, nullable=False))
    text: Optional[str] = Field(default=None, sa_column=Column(Text))
    content_hash: str = Field(index=True)
    published: Optional[datetime] = Field(default=None, index=True)
    date_source: Optional[str] = None
    utc_offset_minutes: Optional[int] = None
    # "day" when the page gave only the day: published is then noon of that day on the outlet's clock
    # (extractors/dates_page.day_value) and is shown as the day alone; "time" or NULL otherwise
    published_precision: Optional[str] = None
    fetched: datetime = Field(default_factory=utcnow)
    lang: Optional[str] = None
    author: Optional[str] = None
    agency: Optional[str] = None
    story_id: Optional[int] = Field(default=None, foreign_key="stories.id", index=True)
    signature: Optional[str] = Field(default=None, sa_column=Column(Text))
    # who claimed, confirmed or denied the development (extractors/stance.py); None: not read
    stance: Optional[str] = None  # claim | confirmation | denial | report
    stance_by: Optional[str] = Field(default=None, sa_column=Column(Text))  # the speaker as written
    stance_by_id: Optional[str] = None  # the speaker's gazetteer id, when it names a faction or actor
    # Telegram posts (docs/telegram.md); None for web articles
    views: Optional[int] = None
    edited: Optional[bool] = None
    forwarded_from: Optional[str] = Field(default=None, sa_column=Column(Text))


class Match(SQLModel, table=True):
    """Why an article matched a topic: the terms and the sentence around them."""

    __tablename__ = "matches"
    __table_args__ = (UniqueConstraint("article_id", "topic_id"),)

    id: Optional[int] = Field(default=None, primary_key=True)
    article_id: int = Field(foreign_key="articles.id", index=True)
    topic_id: str = Field(index=True)
    terms: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    snippet: str = Field(default="", sa_column=Column(Text, nullable=False))
    highlights: list[list[int]] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    created: datetime = Field(default_factory=utcnow)


class StoryKey(SQLModel, table=True):
    """Candidate-retrieval index: grouping looks up keys, it never scans articles."""

    __tablename__ = "story_keys"
    __table_args__ = (Index("ix_story_keys_key_published", "key", "published"),
                      UniqueConstraint("key", "story_id"))

    id: Optional[int] = Field(default=None, primary_key=True)
    key: str
    story_id: int = Field(foreign_key="stories.id", index=True)
    published: datetime


class KeyCount(SQLModel, table=True):
    """How many stories hold each story key: the document frequency that weighs rare shared
    terms, read by primary key. Counting the key index instead costs time that grows with
    the archive (22 ms per article at 100k stories with common terms)."""

    __tablename__ = "key_counts"

    key: str = Field(primary_key=True)
    stories: int = 0


class Alert(SQLModel, table=True):
    """Outbox row: written with the match, delivered later by the relay. One row per development,
    channel and kind, naming every topic of that channel the article matched."""

    __tablename__ = "alerts"
    __table_args__ = (UniqueConstraint("story_id", "topic_id", "channel", "article_id", "kind"),
                      Index("ix_alerts_status_due", "status", "next_attempt"))

    id: Optional[int] = Field(default=None, primary_key=True)
    article_id: int = Field(foreign_key="articles.id", index=True)
    story_id: int = Field(foreign_key="stories.id")
    topic_id: str  # the first topic the article matched (part of the unique key)
    topics: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))  # every topic named
    channel: str
    kind: str = "new"  # new | update
    status: str = "pending"  # pending | sent | failed
    attempts: int = 0
    next_attempt: datetime = Field(default_factory=utcnow)
    lease_until: Optional[datetime] = None
    last_error: Optional[str] = Field(default=None, sa_column=Column(Text))
    created: datetime = Field(default_factory=utcnow)
    sent_at: Optional[datetime] = None


class PollRun(SQLModel, table=True):
    """One poll and its counts, for `rasid runs` and for finding stuck runs."""

    __tablename__ = "poll_runs"

    id: Optional[int] = Field(default=None, primary_key=True)
    started: datetime = Field(default_factory=utcnow, index=True)
    finished: Optional[datetime] = None
    status: str = "running"  # running | completed | failed | crashed (marked by the next poll)
    flow_run_id: Optional[str] = None
    counts: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))


class ArticleSearch(SQLModel, table=True):
    """An article's distinct normalized word forms, the text the search index reads (storage/search.py).

    SQLite indexes it with an FTS5 table (article_fts), PostgreSQL with a GIN index over
    its words; both are created by migration, not here.
    """

    __tablename__ = "article_search"

    article_id: int = Field(foreign_key="articles.id", primary_key=True,
                            sa_column_kwargs={"autoincrement": False})
    terms: str = Field(default="", sa_column=Column(Text, nullable=False))
