"""Alert delivery through apprise: the outbox relay.

A channel's URL is a secret: it is read from settings at delivery time, handed to
apprise, and never logged, stored or put into an exception; errors name the
channel only.
"""

from __future__ import annotations

import logging
import re
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Callable, Iterator, Mapping

import apprise
from markupsafe import escape
from pydantic import SecretStr
from sqlmodel import Session

from extractors.errors import PermanentError
from flows.alerts.messages import AlertView, Renderer, Stated
from storage import outbox

log = logging.getLogger("rasid.relay")


@dataclass
class RelayReport:
    sent: list[AlertView] = field(default_factory=list)
    retried: int = 0
    failed: int = 0


class Channels:
    """Named apprise targets built from secret URLs; a URL apprise cannot parse is refused by name."""

    def __init__(self, urls: Mapping[str, SecretStr]) -> None:
        self._urls = dict(urls)
        self._cache: dict[str, apprise.Apprise] = {}

    def names(self) -> list[str]:
        return sorted(self._urls)

    def get(self, name: str) -> apprise.Apprise:
        if name not in self._cache:
            if name not in self._urls:
                raise PermanentError(f"channel {name!r} is not configured (set RASID_CHANNELS__{name.upper()})")
            target = apprise.Apprise()
            if not target.add(self._urls[name].get_secret_value()):
                raise PermanentError(f"channel {name!r}: URL not understood by apprise")
            self._cache[name] = target
        return self._cache[name]

    def send(self, name: str, title: str, text: str, html: str) -> bool:
        """True only when every service of the channel accepted the message."""
        results = []
        with _contained_logs(), apprise.LogCapture(level=logging.WARNING) as captured:
            for service in self.get(name):
                body = html if service.notify_format == apprise.NotifyFormat.HTML else text
                results.append(bool(service.notify(body=body, title=title)))
        if not all(results):
            detail = _scrub(_first_line(captured.getvalue()), self._urls[name].get_secret_value())
            log.warning("channel %s: %d of %d services refused the alert (%s)", name,
                        results.count(False), len(results), detail)
        return bool(results) and all(results)


@contextmanager
def _contained_logs() -> Iterator[None]:
    """apprise and urllib3 (under requests) log notification URLs and paths, where tokens live
    (Telegram /bot<token>/, webhooks): while a message is sent, their records reach no handler of
    ours. Set for each send, because logging.config.dictConfig (Prefect's setup) may reset it."""
    loggers = [logging.getLogger(name) for name in ("apprise", "urllib3")]
    saved = [lg.propagate for lg in loggers]
    for lg in loggers:
        lg.propagate = False
    try:
        yield
    finally:
        for lg, value in zip(loggers, saved):
            lg.propagate = value


def _scrub(text: str, secret_url: str) -> str:
    """Remove every longer piece of the channel URL (tokens, user names, paths) from a message."""
    for piece in sorted(set(re.split(r"[^A-Za-z0-9_\-]+", secret_url)), key=len, reverse=True):
        if len(piece) >= 6:
            text = text.replace(piece, "***")
    return text


def _first_line(text: str) -> str:
    line = (text.strip().splitlines() or ["no detail"])[-1]
    return re.sub(r"\S+://\S+", "<url>", line)[:200]


def relay(session: Session, channels: Channels, view_of: Callable[[outbox.ClaimedAlert], AlertView],
          *, renderer: Renderer | None = None, limit: int = 500, batch: int = 10,
          lease_s: float = outbox.LEASE.total_seconds(), max_attempts: int = outbox.MAX_ATTEMPTS) -> RelayReport:
    """Deliver due alerts; a row is marked sent only after its channel accepted it.

    Rows are leased a small batch at a time, so a relay killed mid-delivery delays at
    most one batch until the lease runs out, and duplicates at most the row in flight.
    """
    renderer = renderer or Renderer()
    report = RelayReport()
    handled = 0
    while handled < limit:
        claimed = outbox.claim_due(session, limit=min(batch, limit - handled), lease=timedelta(seconds=lease_s))
        if not claimed:
            break
        handled += len(claimed)
        for row in claimed:
            _deliver(session, channels, renderer, view_of(row), row, report, max_attempts)
    return report


def _deliver(session, channels: Channels, renderer: Renderer, view: AlertView, row: outbox.ClaimedAlert,
             report: RelayReport, max_attempts: int) -> None:
    title, text, html = renderer.render(view)
    try:
        ok = channels.send(row.alert.channel, title, text, html)
        error = None if ok else "channel did not accept the message"
    except PermanentError as exc:
        ok, error = False, str(exc)
    if ok:
        outbox.mark_sent(session, row.alert.id)
        report.sent.append(view)
    elif outbox.mark_failed_attempt(session, row.alert.id, error, max_attempts=max_attempts) == "failed":
        report.failed += 1
    else:
        report.retried += 1


def view_builder(outlet_names: Mapping[str, str], topic_titles: Mapping[str, str],
                 gazetteer=None) -> Callable[[outbox.ClaimedAlert], AlertView]:
    """Turn an outbox row and its article into what the message shows.

    `gazetteer` (extractors.entities.Gazetteer) names the places, actors and weapons
    in the article, so an analyst sees at a glance where and who.
    """

    def view_of(claimed: outbox.ClaimedAlert) -> AlertView:
        article, match, story = claimed.article, claimed.match, claimed.story
        others = [outlet_names.get(o, o) for o in story.outlets if o != article.outlet_id]
        return AlertView(
            topic_ids=tuple(claimed.topics), topic_titles=tuple(topic_titles.get(t, t) for t in claimed.topics),
            title=article.title, outlet=outlet_names.get(article.outlet_id, article.outlet_id),
            published=format_local(article.published, article.utc_offset_minutes,
                                   day_only=article.published_precision == "day"), url=article.url,
            snippet=match.snippet if match else "", highlights=tuple(tuple(h) for h in (match.highlights if match else ())),
            terms=tuple(dict.fromkeys(term for m in claimed.matches for term in m.terms)), also=tuple(others), kind=claimed.alert.kind,
            entities=_entities(gazetteer, article.title, article.text or ""),
            provenance=stated(claimed.voices, outlet_names, gazetteer))

    return view_of


def stated(voices, outlet_names: Mapping[str, str], gazetteer=None) -> tuple[Stated, ...]:
    """The story's claims, confirmations and denials as a message shows them: the speaker by its
    Arabic name when the gazetteer knows it, the outlet by name, the time in the outlet's offset."""
    local = [(voice, _local(voice.at, voice.utc_offset_minutes)) for voice in voices]
    one_day = len({when.date() for _, when in local}) <= 1
    return tuple(Stated(voice.stance, _speaker_name(voice, gazetteer),
                        outlet_names.get(voice.outlet_id, voice.outlet_id), when.isoformat(timespec="minutes"),
                        when.strftime("%H:%M" if one_day else "%d/%m %H:%M"))
                 for voice, when in local)


def _local(at: datetime, offset_minutes: int | None) -> datetime:
    aware = at if at.tzinfo else at.replace(tzinfo=timezone.utc)
    return aware.astimezone(timezone(timedelta(minutes=offset_minutes or 0)))


def _speaker_name(voice, gazetteer) -> str:
    entity = gazetteer.entities.get(voice.by_id) if gazetteer is not None and voice.by_id else None
    return entity.name_ar if entity is not None else (voice.by or "?")


def _entities(gazetteer, title: str, text: str) -> tuple[str, ...]:
    if gazetteer is None:
        return ()
    return tuple(e.name_ar for e in gazetteer.find(title, text))[:12]


def format_local(published, offset_minutes: int | None, day_only: bool = False) -> str:
    """Publication time in the outlet's own offset when known, else UTC; the outlet's day alone
    when the page gave no time (its stored noon is not an hour anyone published at)."""
    if published is None:
        return "unknown time"
    offset = timedelta(minutes=offset_minutes or 0)
    local = (published if published.tzinfo else published.replace(tzinfo=timezone.utc)).astimezone(timezone(offset))
    if day_only:
        return local.strftime("%Y-%m-%d")
    hours = offset.total_seconds() / 3600
    return local.strftime("%Y-%m-%d %H:%M") + (f" (UTC{hours:+g})" if offset_minutes else " UTC")


def views_for(settings, watch) -> Callable[[outbox.ClaimedAlert], AlertView]:
    """The view builder of a configured watch: outlet names, topic titles, the gazetteer."""
    return view_builder({o.id: outlet_label(o) for o in watch.outlets}, {t.id: t.title for t in watch.topics},
                        watch.gazetteer)


def outlet_label(outlet) -> str:
    """The outlet as a message names it; a Telegram channel says so («تلغرام · NAME»): an analyst weighs a
    faction's channel differently from a news site."""
    return f"تلغرام · {outlet.name}" if outlet.kind == "telegram" else outlet.name


def deliver_due(settings, watch) -> RelayReport:
    """Send every due outbox row through its channel (plain function: the relay task and
    `rasid relay` call it; it imports no Prefect, so a relay process starts quickly)."""
    from storage.db import init_db

    with Session(init_db(settings), expire_on_commit=False) as session:
        return relay(session, Channels(settings.channels), views_for(settings, watch),
                     lease_s=settings.alert_lease_s, max_attempts=settings.alert_max_attempts)


def notify_operators(channels: Channels, names: list[str], outages: list[tuple[str, str, str]]) -> None:
    """Tell the operators which outlets went dark and why; a failure here is logged, never raised."""
    lines = [f"{outlet}: {diagnosis}" + (f" ({_first_line(error)})" if error else "") for outlet, diagnosis, error in outages]
    title = f"rasid: {len(outages)} outlet(s) went dark"
    text = "\n".join(lines)
    html = "<ul>" + "".join(f"<li>{escape(line)}</li>" for line in lines) + "</ul>"
    for name in names:
        try:
            if not channels.send(name, title, text, html):
                log.error("operator channel %s did not accept the outage notice", name)
        except PermanentError as exc:
            log.error("operator channel %s: %s", name, exc)
