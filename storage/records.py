"""What the pipeline hands storage for one article, built without the database.

Kept apart from storage/repo.py (SQLAlchemy, SQLModel) so extraction workers import only this.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from extractors.search_terms import index_terms


@dataclass(frozen=True)
class NewArticle:
    """An extracted article ready to store (built by the pipeline)."""

    url: str
    outlet_id: str
    title: str
    text: str
    content_hash: str
    published: datetime | None = None
    date_source: str | None = None
    utc_offset_minutes: int | None = None
    published_precision: str | None = None  # "time" | "day" (published is then the day's noon) | None
    lang: str | None = None
    author: str | None = None
    agency: str | None = None
    stance: str | None = None       # claim | confirmation | denial | report (extractors.stance)
    stance_by: str | None = None
    stance_by_id: str | None = None
    views: int | None = None          # a Telegram post's views when it was last read
    edited: bool | None = None        # a Telegram post marked "edited"
    forwarded_from: str | None = None  # a Telegram post forwarded from another channel or user


@dataclass(frozen=True)
class Derived:
    """What storing an article computes from it without the database: the serialized story
    signature and the search index terms. Pure, so a worker process can compute it."""

    signature_json: str
    search_terms: str


def derive(title: str, text: str | None, signature) -> Derived:
    return Derived(signature.to_json(), index_terms(title, text))
