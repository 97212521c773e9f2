"""Telegram posts already stored, and a post edited after it was stored.

A channel post is stored like an article (storage/repo.py: matches, story, alerts, once per URL).
What only posts do: the channel edits them. An edited post updates its article in place — text,
title, stance, views, its search terms — so the archive shows what the channel says now, with no
second article and no second alert (the story and alerts already written stay as they are).
"""

from __future__ import annotations

from typing import Iterable, Sequence

from sqlalchemy import bindparam, update
from sqlalchemy import select as sa_select
from sqlmodel import Session

from storage import search
from storage.models import Article
from storage.records import Derived, NewArticle

_articles = Article.__table__.c
_STORED = sa_select(_articles.url, _articles.content_hash).where(_articles.url.in_(bindparam("urls", expanding=True)))
_ANY = sa_select(_articles.id).where(_articles.outlet_id == bindparam("o")).limit(1)
_EDITED = ("title", "text", "content_hash", "views", "edited", "forwarded_from", "stance", "stance_by", "stance_by_id")


def stored_posts(session: Session, urls: Iterable[str]) -> dict[str, str]:
    """URL -> content hash of the posts among `urls` that are stored."""
    urls = list(dict.fromkeys(urls))
    if not urls:
        return {}
    return dict(session.connection().execute(_STORED, {"urls": urls}).all())


def has_posts(session: Session, outlet_id: str) -> bool:
    """Whether anything of this outlet is stored (a channel polled before has a gap to fill)."""
    return session.connection().execute(_ANY, {"o": outlet_id}).first() is not None


def update_posts(session: Session, edited: Sequence[tuple[NewArticle, Derived]]) -> int:
    """Write the new text of posts edited since they were stored; returns how many rows changed. Commits."""
    changed = 0
    for article, derived in edited:
        values = {name: getattr(article, name) for name in _EDITED}
        row = session.connection().execute(
            update(Article.__table__).where(_articles.url == article.url)
            .values(**values, signature=derived.signature_json).returning(_articles.id)).first()
        if row is not None:
            search.index_article(session, row[0], derived.search_terms)
            changed += 1
    session.commit()
    return changed
