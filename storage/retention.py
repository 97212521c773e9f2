"""Retention: drop the bodies of old articles that matched no topic, keep everything else.

The article row stays (URL, title, dates, hash, story), so a later poll still knows the
URL is stored and never fetches it again, and a story keeps its members. Only `text`
goes; the search row is recomputed from the title, so the headline stays searchable.
Matched articles keep their bodies whatever their age: they are the archive's point.

Age is the publication time, or the fetch time for an undated article. Work is done
in batches, each its own short transaction, so pollers writing meanwhile wait briefly.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import exists, func, select, update
from sqlmodel import Session

from storage.models import Article, Match
from storage.search import reindex_articles


@dataclass(frozen=True)
class PruneReport:
    cutoff: datetime
    bodies_dropped: int        # unmatched articles older than the cutoff whose text was (or would be) removed
    matched_kept: int          # matched articles older than the cutoff, bodies kept
    already_pruned: int        # unmatched, older, text already gone
    dry_run: bool

    def to_dict(self) -> dict:
        return {"cutoff": self.cutoff.isoformat(), "bodies_dropped": self.bodies_dropped,
                "matched_kept": self.matched_kept, "already_pruned": self.already_pruned, "dry_run": self.dry_run}


def _older(cutoff: datetime):
    return func.coalesce(Article.published, Article.fetched) < cutoff


_MATCHED = exists().where(Match.article_id == Article.id)


def _count(session: Session, *conditions) -> int:
    return session.execute(select(func.count()).select_from(Article).where(*conditions)).scalar_one()


def prune_bodies(session: Session, cutoff: datetime, dry_run: bool = False, batch: int = 500) -> PruneReport:
    """Remove the text of unmatched articles older than `cutoff`; with dry_run only count."""
    older = _older(cutoff)
    matched_kept = _count(session, older, _MATCHED)
    already = _count(session, older, ~_MATCHED, Article.text.is_(None))
    if dry_run:
        dropped = _count(session, older, ~_MATCHED, Article.text.is_not(None))
        session.rollback()
        return PruneReport(cutoff, dropped, matched_kept, already, True)
    session.commit()
    dropped = 0
    while True:
        ids = list(session.execute(select(Article.id).where(older, ~_MATCHED, Article.text.is_not(None))
                                   .order_by(Article.id).limit(batch)).scalars())
        if not ids:
            return PruneReport(cutoff, dropped, matched_kept, already, False)
        result = session.execute(update(Article).where(Article.id.in_(ids), ~_MATCHED).values(text=None)
                                 .execution_options(synchronize_session=False))
        reindex_articles(session, ids)
        session.commit()
        dropped += result.rowcount
