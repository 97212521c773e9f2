"""Which outbox rows a stored article writes: one per channel and kind, naming every topic it matched.

A development that matches two topics routed to the same channel is still one development:
the analyst gets one message naming both topics, not two messages about the same article.
Topics routed to different channels still reach each of their channels.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Callable, Mapping, Sequence


@dataclass(frozen=True)
class TopicPolicy:
    """How a topic alerts: instant, digest or both, and through which channels."""

    alert: str = "instant"
    channels: tuple[str, ...] = ("default",)
    quiet_hours: object = None  # extractors.topics.QuietHours: instant alerts wait until it ends


@dataclass(frozen=True)
class AlertRow:
    """One outbox row to write: `topics` in the order the article matched them."""

    channel: str
    kind: str
    topics: tuple[str, ...]
    next_attempt: datetime


def alert_kinds(policy: TopicPolicy, kind: str | None) -> tuple[str, ...]:
    """Outbox rows for one topic: a development (new/update) goes out instantly and/or into the
    digest as the topic says; a copy of a known development only shows in the digest."""
    if kind is None:
        return ("digest",)
    instant = (kind,) if policy.alert in ("instant", "both") else ()
    return instant + (("digest",) if policy.alert in ("digest", "both") else ())


def plan_alert_rows(topic_ids: Sequence[str], policies: Mapping[str, TopicPolicy],
                    kind_for_channel: Callable[[str], str | None], now: datetime) -> list[AlertRow]:
    """The rows for an article that matched `topic_ids`; `kind_for_channel` says whether the
    article is new to a channel ("new"), an update worth telling it ("update") or a copy (None)."""
    by_channel: dict[str, list[str]] = {}
    for topic_id in dict.fromkeys(topic_ids):
        for channel in _policy(policies, topic_id).channels:
            by_channel.setdefault(channel, []).append(topic_id)
    rows = []
    for channel, topics in by_channel.items():
        kind = kind_for_channel(channel)
        by_kind: dict[str, list[str]] = {}
        for topic_id in topics:
            for row_kind in alert_kinds(_policy(policies, topic_id), kind):
                by_kind.setdefault(row_kind, []).append(topic_id)
        rows += [AlertRow(channel, row_kind, tuple(members), _due(row_kind, members, policies, now))
                 for row_kind, members in by_kind.items()]
    return rows


def _policy(policies: Mapping[str, TopicPolicy], topic_id: str) -> TopicPolicy:
    return policies.get(topic_id) or TopicPolicy()


def _due(kind: str, topics: Sequence[str], policies: Mapping[str, TopicPolicy], now: datetime) -> datetime:
    """An instant row goes out as soon as one of its topics allows it: a topic without quiet hours
    (or outside them) means the analyst wants this channel told now; digest rows wait for the digest."""
    if kind == "digest":
        return now
    releases = []
    for topic_id in topics:
        quiet = _policy(policies, topic_id).quiet_hours
        releases.append((quiet.release(now) if quiet is not None else None) or now)
    return min(releases)
