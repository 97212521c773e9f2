"""The alerts outbox: claim due rows, record delivery results.

A claimed row carries a lease; a relay that dies mid-delivery leaves the lease to
expire and the row is delivered again by the next relay (at-least-once, with at
most the in-flight row duplicated). PostgreSQL claims with FOR UPDATE SKIP LOCKED;
SQLite's BEGIN IMMEDIATE gives the same exclusion for the claim transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Sequence

from sqlmodel import Session, or_, select

from storage.models import Alert, Article, Match, Story, utcnow
from storage.provenance import Voice, story_voices

LEASE = timedelta(minutes=2)
MAX_ATTEMPTS = 5
BACKOFF_BASE = timedelta(minutes=1)


@dataclass(frozen=True)
class ClaimedAlert:
    alert: Alert
    article: Article
    matches: tuple[Match, ...]  # one per topic the row names, in the row's order
    story: Story
    voices: tuple[Voice, ...] = ()  # the story's claims, confirmations and denials, oldest first

    @property
    def topics(self) -> list[str]:
        return list(self.alert.topics or [self.alert.topic_id])

    @property
    def match(self) -> Match | None:
        """The first topic's match: its snippet is the one a message quotes."""
        return self.matches[0] if self.matches else None


def claim_due(session: Session, *, limit: int = 50, now: datetime | None = None,
              kinds: Sequence[str] = ("new", "update"), lease: timedelta = LEASE) -> list[ClaimedAlert]:
    """Lease up to `limit` due alerts to this relay and return them with what they show."""
    now = now or utcnow()
    query = (select(Alert).where(Alert.status == "pending", Alert.next_attempt <= now, Alert.kind.in_(list(kinds)),
                                 or_(Alert.lease_until.is_(None), Alert.lease_until < now))
             .order_by(Alert.id).limit(limit))
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    alerts = session.exec(query).all()
    for alert in alerts:
        alert.lease_until = now + lease
        alert.attempts += 1
        session.add(alert)
    session.commit()
    return [_with_context(session, a) for a in alerts]


def has_due(session: Session, *, now: datetime | None = None, waited: timedelta = timedelta(0),
            kinds: Sequence[str] = ("new", "update")) -> bool:
    """Whether claim_due would find an alert due for at least `waited`: one indexed query of a
    millisecond, so `rasid serve` asks it every half minute instead of starting a relay every minute."""
    now = now or utcnow()
    query = (select(Alert.id).where(Alert.status == "pending", Alert.next_attempt <= now - waited,
                                    Alert.kind.in_(list(kinds)),
                                    or_(Alert.lease_until.is_(None), Alert.lease_until < now)).limit(1))
    return session.exec(query).first() is not None


def _with_context(session: Session, alert: Alert) -> ClaimedAlert:
    topics = list(alert.topics or [alert.topic_id])
    found = {m.topic_id: m for m in session.exec(select(Match).where(Match.article_id == alert.article_id,
                                                                     Match.topic_id.in_(topics))).all()}
    matches = tuple(found[t] for t in topics if t in found)
    return ClaimedAlert(alert, session.get(Article, alert.article_id), matches, session.get(Story, alert.story_id),
                        tuple(story_voices(session, alert.story_id)))


def mark_sent(session: Session, alert_id: int) -> None:
    alert = session.get(Alert, alert_id)
    alert.status, alert.sent_at, alert.lease_until, alert.last_error = "sent", utcnow(), None, None
    session.add(alert)
    session.commit()


def mark_failed_attempt(session: Session, alert_id: int, error: str, *, max_attempts: int = MAX_ATTEMPTS) -> str:
    """Schedule a retry with exponential backoff, or give up after `max_attempts`; returns the new status."""
    alert = session.get(Alert, alert_id)
    alert.last_error, alert.lease_until = error[:500], None
    if alert.attempts >= max_attempts:
        alert.status = "failed"
    else:
        alert.next_attempt = utcnow() + BACKOFF_BASE * (2 ** (alert.attempts - 1))
    session.add(alert)
    session.commit()
    return alert.status


def recent_alerts(session: Session, *, status: str | None = None, limit: int = 50) -> list[tuple[Alert, Article]]:
    query = select(Alert, Article).where(Alert.article_id == Article.id).order_by(Alert.id.desc()).limit(limit)
    if status:
        query = query.where(Alert.status == status)
    return list(session.exec(query).all())


def sent_after(session: Session, after_id: int) -> list[ClaimedAlert]:
    """Alerts delivered with an id above `after_id`, oldest first (what one poll sent)."""
    alerts = session.exec(select(Alert).where(Alert.id > after_id, Alert.status == "sent").order_by(Alert.id)).all()
    return [_with_context(session, a) for a in alerts]


def last_id(session: Session) -> int:
    return session.exec(select(Alert.id).order_by(Alert.id.desc())).first() or 0


def alerted(session: Session, article_id: int) -> bool:
    """Whether an instant alert (new or update) names this article; a copy that joined its story
    silently has none (at most a digest line)."""
    return session.exec(select(Alert.id).where(Alert.article_id == article_id, Alert.kind != "digest")
                        .limit(1)).first() is not None
