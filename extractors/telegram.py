"""Posts of a Telegram channel's public web preview (`https://t.me/s/NAME`), parsed without the network.

Factions announce on Telegram hours before news sites follow, and the preview page is the one
way in that needs no login and no API key: server-rendered HTML with about 20 posts, oldest
first, older ones behind `?before=ID`. The markup facts below were gathered from projects that
read the same page (RSSHub, snscrape, tchan, minet, RSS-Bridge):

- a post is `div.tgme_widget_message[data-post="NAME/ID"]`; `service_message` posts (photo
  changed, pinned) are not posts;
- its text is the bubble's own `.tgme_widget_message_text` (a reply quote reuses the class
  inside `a.tgme_widget_message_reply`, and is not the post's text);
- its time is `a.tgme_widget_message_date > time[datetime]` (UTC); its views read "7,402",
  "436.6K" or "3.1M"; "edited" is written in its meta line; a forward names its source in
  `.tgme_widget_message_forwarded_from_name`;
- "media not supported" / "Please open Telegram" labels are not text; link hrefs have carried
  `&amp;` written twice since 2024.

A page whose markup no longer holds these gives zero posts and a warning ("layout changed"),
never an exception: the poll goes on with the other outlets and the outlet's health says why.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from decimal import Decimal, InvalidOperation

import lxml.html
from lxml import etree

PREVIEW_HOSTS = ("t.me", "telegram.me")  # the second is the fallback when the first does not resolve
_CHANNEL_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]{3,31}$")
_VIEWS = re.compile(r"^([0-9][0-9,]*(?:\.[0-9]+)?)\s*([KMB]?)$", re.IGNORECASE)
_SCALE = {"": 1, "K": 1_000, "M": 1_000_000, "B": 1_000_000_000}
_NOT_TEXT = ("message_media_not_supported_wrap", "message_media_not_supported", "message_media_view_in_telegram",
             "tgme_widget_message_reply")
_SPACES = re.compile(r"[ \t\u00a0]+")

LAYOUT_CHANGED = "layout changed"
NO_POSTS = "no posts found"  # what a throttled preview answers, with status 200
PREVIEW_DISABLED = "preview disabled"


@dataclass(frozen=True)
class Post:
    """One channel post as an analyst reads it."""

    channel: str
    id: int
    published: datetime  # aware, UTC
    text: str
    views: int | None = None
    edited: bool = False
    forwarded_from: str | None = None
    links: tuple[str, ...] = ()

    @property
    def url(self) -> str:
        return post_url(self.channel, self.id)

    def to_dict(self) -> dict:
        return {"id": self.id, "url": self.url,
                "published": self.published.isoformat() if self.published else None, "text": self.text,
                "views": self.views, "edited": self.edited, "forwarded_from": self.forwarded_from,
                "links": list(self.links)}


@dataclass(frozen=True)
class PreviewPage:
    """What one preview page holds. `before` is the `?before=` value of the next older page (the
    lowest post id seen, service messages included); `state` is ok, or one of the warnings'
    kinds so the poll can tell the outlet's health."""

    channel: str | None
    posts: tuple[Post, ...] = ()
    before: int | None = None
    state: str = "ok"
    warnings: tuple[str, ...] = field(default_factory=tuple)

    def to_dict(self) -> dict:
        return {"channel": self.channel, "before": self.before, "posts": [p.to_dict() for p in self.posts]}


def post_url(channel: str, post_id: int) -> str:
    return f"https://t.me/{channel}/{post_id}"


def preview_url(channel: str, before: int | None = None, host: str = "t.me") -> str:
    return f"https://{host}/s/{channel}" + (f"?before={before}" if before else "")


def valid_channel(name: str) -> bool:
    """Telegram's public usernames: a letter, then letters, digits and _, 5–32 characters."""
    return bool(_CHANNEL_NAME.match(name or "")) and len(name) >= 5


def parse_views(value: str | None) -> int | None:
    """'7,402' → 7402, '436.6K' → 436600, '3.1M' → 3100000; anything else → None."""
    match = _VIEWS.match((value or "").strip())
    if not match:
        return None
    try:
        return int(Decimal(match.group(1).replace(",", "")) * _SCALE[match.group(2).upper()])
    except InvalidOperation:
        return None


def parse_preview(html: str, channel: str | None = None) -> PreviewPage:
    """The posts of one saved or fetched preview page, oldest first, one per id."""
    if not (html or "").strip():
        return PreviewPage(channel, state=LAYOUT_CHANGED, warnings=(f"{LAYOUT_CHANGED}: empty page",))
    try:
        root = lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError):
        return PreviewPage(channel, state=LAYOUT_CHANGED, warnings=(f"{LAYOUT_CHANGED}: not HTML",))
    nodes = _xpath(root, "//div[{}][@data-post]".format(_has_class("tgme_widget_message")))
    ids = [_post_id(node) for node in nodes]
    channel = channel or next((name for name, _ in filter(None, ids)), None) or _page_channel(root)
    before = min((number for _, number in filter(None, ids)), default=None)
    if not nodes:
        return _without_posts(root, channel)
    posts, seen = [], set()
    for node, key in zip(nodes, ids):
        post = _post(node, key) if key and key[1] not in seen else None
        if post is not None:
            seen.add(post.id)
            posts.append(post)
    if not posts and not any(_has_time(node) for node in nodes):
        return PreviewPage(channel, before=before, state=LAYOUT_CHANGED,
                           warnings=(f"{LAYOUT_CHANGED}: {len(nodes)} posts without a date",))
    return PreviewPage(channel, tuple(sorted(posts, key=lambda p: p.id)), before)


def _without_posts(root, channel: str | None) -> PreviewPage:
    """A page with no post: throttled ('No posts found' with 200), disabled (the channel's landing
    page instead of its preview), or a layout this parser does not know."""
    if _xpath(root, "//*[{}]".format(_has_class("tme_no_messages_found"))):
        return PreviewPage(channel, state=NO_POSTS, warnings=(f"{NO_POSTS} (throttled, or an empty channel)",))
    history = _first(root, "//section[{}]".format(_has_class("tgme_channel_history")))
    if history is None:
        if _xpath(root, "//*[{}]".format(_has_class("tgme_page"))):
            return PreviewPage(channel, state=PREVIEW_DISABLED,
                               warnings=(f"{PREVIEW_DISABLED}: the channel's page has no post list",))
        return PreviewPage(channel, state=LAYOUT_CHANGED, warnings=(f"{LAYOUT_CHANGED}: no post list",))
    if len(history):
        return PreviewPage(channel, state=LAYOUT_CHANGED, warnings=(f"{LAYOUT_CHANGED}: no post in the post list",))
    return PreviewPage(channel)  # an empty history: a new channel


def _post(node, key: tuple[str, int]) -> Post | None:
    """None for service messages, posts with no text of their own (a sticker, a bare photo) and posts
    without a time (a layout this parser does not know)."""
    if "service_message" in (node.get("class") or "").split():
        return None
    bubble = _first(node, "./div[{}]".format(_has_class("tgme_widget_message_bubble")))
    if bubble is None:
        return None
    body = _first(bubble, "./div[{}]".format(_has_class("tgme_widget_message_text")))
    text = _text(body) if body is not None else ""
    published = _time(bubble)
    if not text or published is None:
        return None
    meta = _first(bubble, ".//*[{}]".format(_has_class("tgme_widget_message_meta")))
    forwarded = _first(bubble, ".//*[{}]".format(_has_class("tgme_widget_message_forwarded_from_name")))
    views = _first(bubble, ".//*[{}]".format(_has_class("tgme_widget_message_views")))
    return Post(channel=key[0], id=key[1], published=published, text=text,
                views=parse_views(views.text_content()) if views is not None else None,
                edited=meta is not None and "edited" in meta.text_content().lower(),
                forwarded_from=_clean(forwarded.text_content()) or None if forwarded is not None else None,
                links=_links(bubble, body))


def _text(body) -> str:
    """The text as written: <br> as line breaks, emoji images as their characters, labels dropped."""
    body = lxml.html.fromstring(lxml.html.tostring(body, encoding="unicode"))  # a copy to edit
    for name in _NOT_TEXT:
        for node in _xpath(body, ".//*[{}]".format(_has_class(name))):
            node.drop_tree()
    for br in body.iter("br"):
        br.tail = "\n" + (br.tail or "")
    lines = (_clean(line) for line in body.text_content().split("\n"))
    return "\n".join(line for line in lines if line)


def _links(bubble, body) -> tuple[str, ...]:
    """Absolute links of the text and of its link preview, once each; `&amp;` written twice is undone."""
    anchors = list(body.iter("a")) if body is not None else []
    anchors += _xpath(bubble, "./a[{}]".format(_has_class("tgme_widget_message_link_preview")))
    links: dict[str, None] = {}
    for anchor in anchors:
        href = (anchor.get("href") or "").strip()
        while "&amp;" in href:
            href = href.replace("&amp;", "&")
        if href.startswith(("http://", "https://")):
            links.setdefault(href)
    return tuple(links)


def _time(bubble) -> datetime | None:
    stamp = _first(bubble, ".//a[{}]/time[@datetime]".format(_has_class("tgme_widget_message_date")))
    if stamp is None:
        return None
    try:
        moment = datetime.fromisoformat(stamp.get("datetime").strip())
    except ValueError:
        return None
    return moment.astimezone(timezone.utc) if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def _has_time(node) -> bool:
    return bool(_xpath(node, ".//a[{}]/time[@datetime]".format(_has_class("tgme_widget_message_date"))))


def _post_id(node) -> tuple[str, int] | None:
    name, _, number = (node.get("data-post") or "").partition("/")
    return (name, int(number)) if name and number.isdigit() else None


def _page_channel(root) -> str | None:
    main = _first(root, "//main[@data-url]")
    name = (main.get("data-url") or "").strip("/") if main is not None else ""
    return name or None


def _clean(text: str) -> str:
    return _SPACES.sub(" ", text).strip()


def _has_class(name: str) -> str:
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"


def _xpath(node, path: str) -> list:
    return node.xpath(path)


def _first(node, path: str):
    found = node.xpath(path)
    return found[0] if found else None


TITLE_CHARS = 120  # a post has no headline: its first line, cut, stands for one


def post_title(text: str) -> str:
    """The first line, cut at a word before TITLE_CHARS."""
    line = text.strip().split("\n", 1)[0].strip()
    if len(line) <= TITLE_CHARS:
        return line
    return line[:TITLE_CHARS].rsplit(" ", 1)[0].rstrip(" ،,.:؛") + "…"
