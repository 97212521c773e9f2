"""Who claimed, confirmed or denied a story, and when: its members' stances, oldest first.

An analyst reading an alert needs the chain at a glance — claimed by a faction's channel at
02:41, confirmed by an army at 09:10, denied by the Pentagon at 11:47 — so every alert of a story
carries it, read from the stance stored with each member article (storage only reads; the
stance itself comes from extractors/stance.py when the article is prepared).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, func
from sqlalchemy import select as sa_select

from storage.models import Article

TAKEN = ("claim", "confirmation", "denial")  # a plain report takes no stance


@dataclass(frozen=True)
class Voice:
    """One member article's stance on its story."""

    stance: str
    by: str | None
    by_id: str | None
    outlet_id: str
    at: datetime
    utc_offset_minutes: int | None
    article_id: int


_articles = Article.__table__.c
_WHEN = func.coalesce(_articles.published, _articles.fetched)
_VOICES = (sa_select(_articles.stance, _articles.stance_by, _articles.stance_by_id, _articles.outlet_id, _WHEN,
                     _articles.utc_offset_minutes, _articles.id)
           .where(_articles.story_id == bindparam("s"), _articles.stance.in_(TAKEN))
           .order_by(_WHEN, _articles.id))
_EARLIER = sa_select(_articles.id).where(_articles.story_id == bindparam("s"), _articles.stance == bindparam("st"),
                                         _articles.id != bindparam("a")).limit(1)


def story_voices(session, story_id: int) -> list[Voice]:
    """The story's claims, confirmations and denials in the order they were published."""
    rows = session.connection().execute(_VOICES, {"s": story_id}).all()
    return [Voice(*row) for row in rows]


def first_of_its_kind(session, story_id: int, article_id: int, stance: str | None) -> bool:
    """Whether the article is the story's first confirmation or first denial: news to an analyst
    who was already told of the story (a further copy of either is not)."""
    if stance not in ("confirmation", "denial"):
        return False
    return session.connection().execute(_EARLIER, {"s": story_id, "st": stance, "a": article_id}).first() is None
