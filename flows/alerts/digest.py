"""The digest: follow-ups and digest-policy developments, one message per channel.

Rows of kind "digest" wait in the outbox until the digest runs (hourly under
`rasid serve`, or `rasid digest`); one message groups them by story with the
outlets that reported it, so copies of a known story are seen without an alert each.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Mapping

from sqlmodel import Session

from extractors.errors import PermanentError
from flows.alerts.messages import DigestEntry, Renderer, render_digest
from flows.alerts.relay import Channels
from storage import outbox


@dataclass
class DigestReport:
    messages: int = 0
    stories: int = 0
    rows: int = 0
    failed_channels: int = 0


def send_digest(session: Session, channels: Channels, outlet_names: Mapping[str, str],
                topic_titles: Mapping[str, str], renderer: Renderer | None = None) -> DigestReport:
    renderer = renderer or Renderer()
    report = DigestReport()
    by_channel: dict[str, list[outbox.ClaimedAlert]] = defaultdict(list)
    for claimed in outbox.claim_due(session, kinds=("digest",), limit=5000):
        by_channel[claimed.alert.channel].append(claimed)
    for channel, rows in by_channel.items():
        entries = _entries(rows, outlet_names, topic_titles)
        title, text, html = render_digest(renderer, entries)
        try:
            ok, error = channels.send(channel, title, text, html), "channel did not accept the digest"
        except PermanentError as exc:
            ok, error = False, str(exc)
        for row in rows:
            if ok:
                outbox.mark_sent(session, row.alert.id)
            else:
                outbox.mark_failed_attempt(session, row.alert.id, error)
        report.messages += int(ok)
        report.failed_channels += int(not ok)
        report.stories += len(entries) if ok else 0
        report.rows += len(rows) if ok else 0
    return report


def _entries(rows: list[outbox.ClaimedAlert], outlet_names, topic_titles) -> list[DigestEntry]:
    grouped: dict[int, list[outbox.ClaimedAlert]] = defaultdict(list)
    for row in rows:
        grouped[row.story.id].append(row)
    entries = []
    for members in grouped.values():
        story, first = members[0].story, members[0].article
        topics = dict.fromkeys(t for row in members for t in row.topics)
        entries.append(DigestEntry(
            topic_title=" · ".join(topic_titles.get(t, t) for t in topics), title=story.title, url=first.url,
            outlets=tuple(outlet_names.get(o, o) for o in story.outlets), count=story.members))
    return entries


def deliver_digest(settings) -> DigestReport:
    """Plain function behind the digest flow and `rasid digest`."""
    from flows.pipeline.watch import load_watch
    from storage.db import init_db

    watch = load_watch(settings)
    with Session(init_db(settings), expire_on_commit=False) as session:
        return send_digest(session, Channels(settings.channels), {o.id: o.name for o in watch.outlets},
                           {t.id: t.title for t in watch.topics})
