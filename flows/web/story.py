"""A story's page: every article in time order, what each added to what came before, and the
alerts the story sent (channel names; their URLs are secrets and live in settings only)."""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup, escape
from sqlmodel import Session

from extractors.errors import RasidError
from extractors.grouping import added_content
from extractors.story_signature import StorySignature
from flows.web.clock import outlet_time
from flows.web.site import Site, marked, safe_href, shown_url, text_direction
from storage import findings

FACT_NAMES = {"killed": "قتلى", "wounded": "جرحى"}
KIND_NAMES = {"new": "تطور جديد", "update": "تحديث", "digest": "ملخص"}
STATUS_NAMES = {"sent": "أُرسل", "pending": "بانتظار الإرسال", "failed": "فشل"}
# who said what: a plain report says nothing of its own, so it shows no line
STANCE_NAMES = {"claim": "تبنٍّ أو ادعاء", "confirmation": "تأكيد", "denial": "نفي"}


@dataclass(frozen=True)
class AlertLine:
    when: str
    kind: str
    topic: str
    channel: str
    status: str
    article_id: int
    outlet: str = ""       # the outlet of the article that wrote it


@dataclass(frozen=True)
class ArticleEntry:
    id: int
    outlet: str
    outlet_time: str
    reader_time: str
    iso: str
    href: str
    url_text: str
    title: str
    lang: str
    direction: str
    snippet: Markup
    topics: tuple[str, ...]
    added: tuple[str, ...]
    alerts: tuple[AlertLine, ...]
    stance: str = ""       # "نفي · البنتاغون": what the article says of the event and who says it


def story_page(session: Session, site: Site, story_id: int) -> dict | None:
    """The page's content, or None for a story the archive does not hold."""
    head = findings.stories_by_id(session, [story_id]).get(story_id)
    if head is None:
        return None
    rows = findings.story_articles(session, story_id)
    matches = findings.article_matches(session, [row.id for row in rows])
    outlet_of = {row.id: site.outlet_name(row.outlet_id) for row in rows}
    alerts = [_alert_line(site, alert, outlet_of.get(alert.article_id, "")) for alert in
              findings.story_alerts(session, [story_id])]
    additions = _additions(site, rows)
    entries = [_entry(site, row, matches[row.id], added, [a for a in alerts if a.article_id == row.id])
               for row, added in zip(rows, additions)]
    outlets = sorted({entry.outlet for entry in entries})
    topics = sorted({topic for entry in entries for topic in entry.topics})
    return {"story": head, "first_seen": site.clock.reader(head.published), "articles": entries,
            "outlets": outlets, "topics": topics, "alerts": alerts,
            "entities": site.entities(row.signature for row in rows if row.signature)}


def _entry(site: Site, row: findings.ArticleRow, matches: list, added: tuple[str, ...],
           alerts: list[AlertLine]) -> ArticleEntry:
    when = row.published or row.fetched
    day_only = row.published is not None and row.published_precision == "day"
    if matches:
        snippet = marked(matches[0].snippet, matches[0].highlights)
    else:
        snippet = escape(row.lead[:300] + ("…" if len(row.lead) > 300 else ""))
    return ArticleEntry(
        row.id, site.outlet_name(row.outlet_id),
        outlet_time(when, row.utc_offset_minutes, site.outlet_offset_hours(row.outlet_id), day_only),
        site.clock.reader(when, day_only), when.isoformat(), safe_href(row.url), shown_url(row.url), row.title,
        row.lang or "", text_direction(row.lang), snippet, tuple(site.topic_title(m.topic_id) for m in matches),
        added, tuple(alerts), _stance(row))


def _stance(row: findings.ArticleRow) -> str:
    name = STANCE_NAMES.get(row.stance or "")
    if not name:
        return ""
    return f"{name} · {row.stance_by}" if row.stance_by else name


def _additions(site: Site, rows: list[findings.ArticleRow]) -> list[tuple[str, ...]]:
    """Per article, what it brought that the story's earlier articles (in time order) had not."""
    earlier: list[StorySignature] = []
    out = []
    for index, row in enumerate(rows):
        signature = _signature(row.signature)
        if index == 0:
            out.append(("أول تقرير عن القصة",))
        elif signature is None or not earlier:
            out.append(())
        else:
            out.append(_describe(site, added_content(signature, earlier)))
        if signature is not None:
            earlier.append(signature)
    return out


def _signature(stored: str | None) -> StorySignature | None:
    try:
        return StorySignature.from_json(stored) if stored else None
    except RasidError:
        return None


def _describe(site: Site, addition) -> tuple[str, ...]:
    names = (lambda ids: "، ".join(site.gazetteer.entities[i].name_ar if site.gazetteer and i in site.gazetteer.entities
                                   else i for i in ids))
    lines = []
    if addition.casualties:
        lines.append("أرقام أعلى: " + "، ".join(f"{FACT_NAMES.get(kind, kind)} {value}"
                                                 for kind, value in addition.casualties))
    if addition.places:
        lines.append("أماكن جديدة: " + names(addition.places))
    if addition.actors:
        lines.append("جهات جديدة: " + names(addition.actors))
    if not lines:
        lines.append("لا جديد جوهري (نسخة أو متابعة)")
    lines.append(f"مفردات لم ترد قبله: {round(addition.new_terms * 100)}٪")
    return tuple(lines)


def _alert_line(site: Site, alert: findings.AlertRow, outlet: str) -> AlertLine:
    return AlertLine(site.clock.reader(alert.sent_at or alert.created), KIND_NAMES.get(alert.kind, alert.kind),
                     site.topic_title(alert.topic_id), alert.channel, STATUS_NAMES.get(alert.status, alert.status),
                     alert.article_id, outlet)
