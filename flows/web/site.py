"""What every page knows besides the archive: outlet names and zones, topic titles, the gazetteer,
the reader's clock. Read once when the page server starts (restart it after editing those files)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Mapping
from urllib.parse import unquote, urlsplit

from markupsafe import Markup

from extractors.entities import ALERT_KINDS
from extractors.errors import RasidError
from extractors.story_signature import StorySignature
from flows.alerts.messages import _marked_html
from flows.settings import Settings
from flows.web.clock import Clock

ENTITY_GROUPS = {"place": "places", "faction": "actors", "actor": "actors", "weapon": "weapons"}
SHOWN_PER_GROUP = 6


@dataclass(frozen=True)
class Site:
    settings: Settings
    clock: Clock
    outlets: Mapping[str, object]      # id -> extractors.outlets.Outlet
    topics: tuple                      # extractors.topics.Topic, as configured
    lists: Mapping[str, list]
    gazetteer: object = None           # extractors.entities.Gazetteer

    @classmethod
    def load(cls, settings: Settings) -> "Site":
        from flows.pipeline.watch import load_watch

        watch = load_watch(settings)
        return cls(settings, Clock.named(settings.web.timezone), {o.id: o for o in watch.outlets}, watch.topics,
                   watch.lists, watch.gazetteer)

    def outlet_name(self, outlet_id: str) -> str:
        outlet = self.outlets.get(outlet_id)
        return outlet.name if outlet else outlet_id

    def outlet_offset_hours(self, outlet_id: str) -> float | None:
        return getattr(self.outlets.get(outlet_id), "utc_offset_hours", None)

    def topic_title(self, topic_id: str) -> str:
        return next((t.title for t in self.topics if t.id == topic_id), topic_id)

    def entities(self, signatures: Iterable[str]) -> dict[str, list[str]]:
        """Places, actors (factions included) and weapons the stored signatures name, most specific first."""
        if self.gazetteer is None:
            return {}
        weight: dict[str, tuple[float, int]] = {}
        for stored in signatures:
            try:
                found = StorySignature.from_json(stored).entities
            except RasidError:
                continue    # an unreadable signature hides its names, not the story
            for entity_id, kind, value in found:
                if kind in ALERT_KINDS and entity_id in self.gazetteer.entities:
                    best = weight.get(entity_id, (0.0, len(weight)))
                    weight[entity_id] = (max(best[0], value), best[1])
        groups: dict[str, list[str]] = {}
        for entity_id in sorted(weight, key=lambda e: (-weight[e][0], weight[e][1])):
            entity = self.gazetteer.entities[entity_id]
            shown = groups.setdefault(ENTITY_GROUPS[entity.kind], [])
            if len(shown) < SHOWN_PER_GROUP and entity.name_ar not in shown:
                shown.append(entity.name_ar)
        return groups


def marked(snippet: str, highlights) -> Markup:
    """The snippet, escaped, with the hit terms in <mark> (as the HTML alerts show them)."""
    return _marked_html(snippet, tuple(tuple(h) for h in highlights))


def safe_href(url: str) -> str:
    """Only http(s) links leave the page: a stored URL is outlet input, and javascript: is a link too."""
    return url if urlsplit(url).scheme in ("http", "https") else "#"


def shown_url(url: str) -> str:
    """Percent-escaped Arabic slugs as letters, for reading (the link keeps the exact URL)."""
    return unquote(url)


def text_direction(lang: str | None) -> str:
    """dir for an article's block: English left to right inside the Arabic page; unknown: the browser decides."""
    if lang in ("ar", "fa", "ur", "he"):
        return "rtl"
    return "auto" if not lang else "ltr"
