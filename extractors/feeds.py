"""RSS and Atom feeds to items, with the feed's own title, date and summary kept as a fallback.

feedparser only ever gets a file object over the bytes: given a str it fetches URLs, and
given bytes it first tries to open them as a file name (a server answering
`/etc/passwd` would have it read that file). Broken feeds are the rule, so a feed that yields entries is used even
when feedparser flags it `bozo`; only bytes with no feed in them at all are an error.
"""

from __future__ import annotations

import calendar
import codecs
import re
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Iterable

from extractors.charset import decode_html
from extractors.errors import PermanentError
from extractors.urls import UrlError, canonicalize_url

_XML_ENCODING = re.compile(r"""^(\s*<\?xml[^>]*?encoding\s*=\s*["'])[^"']*(["'])""")
_TAG = re.compile(r"<[^>]*>")
_SPACE = re.compile(r"\s+")
_MAX_TEXT = 2000


class FeedError(PermanentError):
    """The bytes hold no RSS/Atom feed."""


@dataclass(frozen=True)
class FeedItem:
    """A link to a probable article, with what the listing said about it."""

    url: str
    title: str | None = None
    published: datetime | None = None  # aware, UTC
    summary: str | None = None


def parse_feed(data: bytes, base_url: str) -> tuple[FeedItem, ...]:
    """Items of an RSS/Atom/JSON feed in document order, one per canonical URL; FeedError if not a feed."""
    import io

    import feedparser

    if not isinstance(data, (bytes, bytearray)):
        raise TypeError("parse_feed takes the feed's bytes")
    if bytes(data[:64]).lstrip().startswith(b"{"):
        return _json_feed(bytes(data), base_url)  # JSON Feed, which feedparser 6 does not read
    parsed = feedparser.parse(io.BytesIO(_as_utf8(bytes(data))), sanitize_html=True, resolve_relative_uris=True,
                              response_headers={"content-location": base_url,
                                                "content-type": "application/xml; charset=utf-8"})
    items = merge_items(item for entry in parsed.entries if (item := _item(entry, base_url)) is not None)
    if items or (parsed.get("version") and not parsed.get("bozo")):
        return items  # broken but readable feeds are the rule; an empty well-formed one is fine
    reason = parsed.get("bozo_exception")
    what = "broken feed with no readable entries" if parsed.get("version") else "not an RSS/Atom feed"
    detail = f"{reason.__class__.__name__}: {_clip(str(reason), 120)}" if reason else "no feed element"
    raise FeedError(f"{what} ({detail})")


def _json_feed(data: bytes, base_url: str) -> tuple[FeedItem, ...]:
    """Items of a JSON Feed (jsonfeed.org, versions 1 and 1.1)."""
    import json

    try:
        feed = json.loads(data)
    except (ValueError, RecursionError) as exc:
        raise FeedError(f"not a JSON Feed (invalid JSON: {_clip(str(exc), 120)})") from None
    if not isinstance(feed, dict) or not str(feed.get("version", "")).startswith("https://jsonfeed.org/"):
        raise FeedError("not a JSON Feed (no jsonfeed.org version)")
    items = []
    for entry in feed.get("items") if isinstance(feed.get("items"), list) else []:
        if not isinstance(entry, dict):
            continue
        links = [entry.get(key) for key in ("url", "external_url") if isinstance(entry.get(key), str)]
        if isinstance(entry.get("id"), str) and entry["id"].startswith(("http://", "https://")):
            links.append(entry["id"])  # an id is only a link when it is an absolute URL
        for link in links:
            try:
                url = canonicalize_url(link, base_url)
            except UrlError:
                continue
            summary = entry.get("summary") or entry.get("content_text") or entry.get("content_html")
            items.append(FeedItem(url, plain_text(_text(entry.get("title")), 500),
                                  _iso_datetime(entry.get("date_published") or entry.get("date_modified")),
                                  plain_text(_text(summary))))
            break
    return merge_items(items)


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _iso_datetime(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return aware_utc(datetime.fromisoformat(value.strip().replace("Z", "+00:00")))
    except ValueError:
        return None


def _as_utf8(data: bytes) -> bytes:
    """The feed re-encoded as UTF-8 when its bytes are something else.

    feedparser believes a declared encoding, and reads undeclared non-UTF-8 bytes as
    windows-1252: an Arabic feed in windows-1256, or one mislabelled utf-8, would come out
    as mojibake. decode_html's rules (declaration when it fits, Arabic code pages detected)
    decide instead, and the declaration is rewritten to match.
    """
    text, encoding = decode_html(data, None)
    if encoding == "utf-8" and not data.startswith(codecs.BOM_UTF8):
        return data
    return _XML_ENCODING.sub(r"\1utf-8\2", text, count=1).encode("utf-8")


def merge_items(items: Iterable[FeedItem]) -> tuple[FeedItem, ...]:
    """One item per URL, in first-seen order; a later copy fills fields the first one lacked."""
    merged: dict[str, FeedItem] = {}
    for item in items:
        first = merged.get(item.url)
        merged[item.url] = item if first is None else FeedItem(
            url=first.url, title=first.title or item.title, published=first.published or item.published,
            summary=first.summary or item.summary)
    return tuple(merged.values())


def aware_utc(value: datetime | None) -> datetime | None:
    """`value` in UTC; a naive datetime is taken to be UTC already (what feeds mean by it)."""
    if value is None:
        return None
    if value.tzinfo is None:
        return value.replace(tzinfo=timezone.utc)
    return value.astimezone(timezone.utc)


def plain_text(html: str | None, limit: int = _MAX_TEXT) -> str | None:
    """Markup-free, whitespace-collapsed text of a title or summary; None when empty."""
    if not html:
        return None
    import html as html_lib

    text = _SPACE.sub(" ", html_lib.unescape(_TAG.sub(" ", html))).strip()
    return _clip(text, limit) or None


def _item(entry: Any, base_url: str) -> FeedItem | None:
    for candidate in _links(entry):
        try:
            url = canonicalize_url(candidate, base_url)
        except UrlError:
            continue
        return FeedItem(url=url, title=plain_text(entry.get("title"), 500),
                        published=_published(entry), summary=plain_text(entry.get("summary")))
    return None


def _links(entry: Any) -> list[str]:
    links = [link.get("href") for link in entry.get("links") or ()
             if link.get("rel", "alternate") == "alternate" and link.get("href")]
    if entry.get("link"):
        links.insert(0, entry["link"])
    guid = entry.get("id")
    if isinstance(guid, str) and guid.startswith(("http://", "https://")):
        links.append(guid)
    return links


def _published(entry: Any) -> datetime | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        value = dict.get(entry, key)  # FeedParserDict.get would alias keys, with a deprecation warning
        if isinstance(value, time.struct_time):
            try:
                return datetime.fromtimestamp(calendar.timegm(value), tz=timezone.utc)
            except (OverflowError, ValueError, OSError):
                continue
    return _written_date(entry)


def _written_date(entry: Any) -> datetime | None:
    """feedparser cannot read Arabic month names («12 مارس 2024»); the Arabic date parser can."""
    from extractors.dates import parse_structured

    for key in ("published", "updated"):
        raw = dict.get(entry, key)
        if isinstance(raw, str) and raw.strip():
            found = parse_structured(raw)
            if found is not None and found.value is not None:
                return found.value
    return None


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
