"""Alert messages: what an analyst reads, rendered right-to-left in every channel.

Plain text isolates Latin runs and numbers with directional marks so a mixed
Arabic/English line does not scramble; HTML sets dir=rtl and escapes every string
the outlet provided (autoescape), because titles and snippets are untrusted input.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup, escape

RLM, LRI, PDI = "\u200f", "\u2066", "\u2069"
_LTR_RUN = re.compile(r"[A-Za-z0-9][A-Za-z0-9 .,:/%+\-']*[A-Za-z0-9%]|[A-Za-z0-9]")


@dataclass(frozen=True)
class Stated:
    """One claim, confirmation or denial of the alert's story, as a message shows it."""

    stance: str   # claim | confirmation | denial
    by: str       # the speaker (the gazetteer's Arabic name when it names a known one)
    outlet: str   # the outlet's name
    at: str       # ISO 8601 in the outlet's own offset
    local_time: str  # "02:41" (or "27/01 02:41" when the story spans days), the outlet's local time

    def to_dict(self) -> dict:
        return {"stance": self.stance, "by": self.by, "outlet": self.outlet, "at": self.at}


# "claimed by X (outlet, 02:41)": the verb with its object pronoun (the development), then the speaker.
STANCE_VERBS = {"claim": "تبنّاه", "confirmation": "أكّده", "denial": "نفاه"}


def provenance_line(voices: tuple[Stated, ...]) -> str:
    """«تبنّاه X (قناة، 02:41) · نفاه البنتاغون (رويترز، 11:47)»."""
    return " · ".join(f"{STANCE_VERBS[v.stance]} {v.by} ({v.outlet}، {v.local_time})" for v in voices)


@dataclass(frozen=True)
class AlertView:
    """Everything a message shows about one alert: one development, every topic it matched on
    the channel (in the order matched)."""

    topic_ids: tuple[str, ...]
    topic_titles: tuple[str, ...]
    title: str
    outlet: str
    published: str
    url: str
    snippet: str = ""
    highlights: tuple[tuple[int, int], ...] = ()
    terms: tuple[str, ...] = ()
    entities: tuple[str, ...] = ()
    also: tuple[str, ...] = ()
    kind: str = "new"
    provenance: tuple[Stated, ...] = ()

    @property
    def topic_id(self) -> str:
        return self.topic_ids[0]

    @property
    def topic_title(self) -> str:
        """Every topic's title, as the message heads them."""
        return " · ".join(self.topic_titles)

    def to_dict(self) -> dict:
        return {"topic": self.topic_id, "topics": list(self.topic_ids), "title": self.title, "url": self.url, "outlet": self.outlet,
                "published": self.published, "snippet": self.snippet, "terms": list(self.terms),
                "kind": self.kind, "also_reported_by": list(self.also), "entities": list(self.entities),
                "provenance": [v.to_dict() for v in self.provenance]}


def bidi(text: str) -> str:
    """Wrap Latin/number runs in LRI…PDI and start with RLM, for plain-text channels."""
    return RLM + _LTR_RUN.sub(lambda m: f"{LRI}{m.group(0)}{PDI}", str(text))


def _marked_html(snippet: str, highlights: tuple[tuple[int, int], ...]) -> Markup:
    out, last = [], 0
    for start, end in sorted(highlights):
        if start < last:
            continue
        out += [escape(snippet[last:start]), Markup("<mark>"), escape(snippet[start:end]), Markup("</mark>")]
        last = end
    out.append(escape(snippet[last:]))
    return Markup("").join(out)


@dataclass
class Renderer:
    """Renders AlertView into (title, text body, html body); templates live in flows/alerts/templates."""

    template_dir: Path = field(default_factory=lambda: Path(__file__).parent / "templates")

    def __post_init__(self) -> None:
        self.env = Environment(loader=FileSystemLoader(str(self.template_dir)),
                               autoescape=select_autoescape(["html.j2"]), keep_trailing_newline=False)
        self.env.filters["bidi"] = bidi

    def render(self, view: AlertView) -> tuple[str, str, str]:
        labels = {"kind_label": "تحديث: " if view.kind == "update" else "تطور جديد: ",
                  "terms_label": "الكلمات: ", "also_label": "نشرته أيضاً: ", "provenance_label": "المواقف: "}
        context = {**view.__dict__, **labels, "topic_title": view.topic_title,
                   "provenance_line": provenance_line(view.provenance), "stance_verbs": STANCE_VERBS,
                   "snippet_html": _marked_html(view.snippet, view.highlights)}
        title = f"{labels['kind_label']}{view.topic_title} — {view.title}"
        text = self.env.get_template("alert.txt.j2").render(context)
        html = self.env.get_template("alert.html.j2").render(context)
        return title, text, html


@dataclass(frozen=True)
class DigestEntry:
    """One story in a digest: what it is, who reported it, how many articles."""

    topic_title: str
    title: str
    url: str
    outlets: tuple[str, ...]
    count: int


def render_digest(renderer: Renderer, entries: list[DigestEntry]) -> tuple[str, str, str]:
    heading = f"ملخص راصد: {len(entries)} قصة"
    context = {"heading": heading, "entries": entries}
    text = renderer.env.get_template("digest.txt.j2").render(context)
    html = renderer.env.get_template("digest.html.j2").render(context)
    return heading, text, html
