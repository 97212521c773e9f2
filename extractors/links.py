"""Links out of HTML: article links on a section page, and feeds a home page advertises.

A section page links to everything (menus, tags, authors, other sites); the outlet's
`link_pattern` (a regular expression searched in the canonical URL) says which of its
same-site links are articles (a pattern naming a scheme, `https://...`, may match other
hosts too). Without a pattern, a same-site link whose path looks like an article (a long
slug, a date or a numeric id) is kept, unless it sits in the page's nav, header, footer or aside.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from extractors.errors import ConfigError
from extractors.feeds import FeedItem, merge_items, plain_text
from extractors.urls import UrlError, canonicalize_url

_ARTICLE_PATH = re.compile(r"/\d{4,}(?:[/.-]|$)|/\d{4}/\d{1,2}/|[^/]*-[^/]*-[^/]*-[^/]*|/(?:news|story|article)s?/.+",
                           re.IGNORECASE)
_CHROME = frozenset({"nav", "header", "footer", "aside"})
_FEED_TYPES = {"application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/feed+json",
               "application/xml", "text/xml"}
_FEED_HREF = re.compile(r"(?:/feed/?$|/rss|\.rss$|\.xml$|atom|/feeds?/)", re.IGNORECASE)


def section_links(html: str, base_url: str, pattern: str | None) -> tuple[FeedItem, ...]:
    """Article links on a listing page, one per canonical URL, titled by their anchor text."""
    wanted = link_pattern(pattern)
    doc = _document(html)
    if doc is None:
        return ()
    base = _base_href(doc, base_url)
    home_host = _site(urlsplit(base_url).hostname or "")
    items = []
    for anchor in doc.iter("a"):
        try:
            url = canonicalize_url(anchor.get("href") or "", base)
        except UrlError:
            continue
        parts = urlsplit(url)
        if _site(parts.hostname or "") != home_host and not (pattern and "://" in pattern):
            continue
        if wanted is not None:
            if not wanted.search(url):
                continue
        elif not _ARTICLE_PATH.search(parts.path) or _in_chrome(anchor):
            continue
        items.append(FeedItem(url=url, title=plain_text(anchor.text_content(), 500)))
    return merge_items(items)


def link_pattern(pattern: str | None) -> re.Pattern[str] | None:
    """The outlet's link_pattern compiled; ConfigError when it is not a valid regular expression."""
    if not pattern:
        return None
    try:
        return re.compile(pattern)
    except re.error as exc:
        raise ConfigError(f"link_pattern is not a valid regular expression: {exc}", source="outlets.yaml") from None


def articles_only(items: tuple[FeedItem, ...], pattern: str | None) -> tuple[FeedItem, ...]:
    """Items whose canonical URL matches the outlet's link_pattern (all of them without a pattern).

    Ordinary sitemaps list section, tag and author pages beside the articles.
    """
    wanted = link_pattern(pattern)
    return items if wanted is None else tuple(item for item in items if wanted.search(item.url))


def feed_links(html: str, base_url: str) -> tuple[str, ...]:
    """Feeds a page advertises (`<link rel=alternate type=rss/atom>`), then feed-like `<a>` links."""
    doc = _document(html)
    if doc is None:
        return ()
    base = _base_href(doc, base_url)
    found: list[str] = []
    for link in doc.iter("link"):
        rel = (link.get("rel") or "").lower().split()
        if "alternate" in rel and (link.get("type") or "").split(";")[0].strip().lower() in _FEED_TYPES:
            found.extend(_canonical_or_none(link.get("href"), base))
    for anchor in doc.iter("a"):
        href = anchor.get("href") or ""
        if _FEED_HREF.search(urlsplit(href).path or ""):
            found.extend(_canonical_or_none(href, base))
    return tuple(dict.fromkeys(found))


def _in_chrome(anchor) -> bool:
    """Inside the page's navigation, header, footer or sidebar (menus link to sections, not articles)."""
    return any(isinstance(node.tag, str) and node.tag.lower() in _CHROME for node in anchor.iterancestors())


def _canonical_or_none(href: str | None, base: str) -> list[str]:
    try:
        return [canonicalize_url(href or "", base)]
    except UrlError:
        return []


def _document(html: str):  # -> lxml.html.HtmlElement | None
    import lxml.html
    from lxml import etree

    if not html or not html.strip():
        return None
    try:
        return lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError):
        return None


def _base_href(doc, base_url: str) -> str:
    """The page's `<base href>` if it is a usable http(s) URL, else the page URL."""
    for base in doc.iter("base"):
        href = base.get("href")
        if href:
            try:
                return canonicalize_url(href, base_url)
            except UrlError:
                break
    return base_url


def _site(host: str) -> str:
    """Host without a leading www./m. so links across the outlet's own variants count as same-site."""
    return re.sub(r"^(?:www\d?|m|mobile|amp)\.", "", host.lower())
