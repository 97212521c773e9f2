"""Proposing an outlets.yaml entry from a home page: `rasid outlets discover URL`.

Candidates: the feeds the page advertises (`<link rel=alternate>`, feed-looking links),
else the usual feed paths of common CMSs; sitemaps listed in the site's robots.txt, news
sitemaps first. With `check`, each candidate is fetched and kept only if it parses with at
least one item, so the proposal works as written.
"""

from __future__ import annotations

import re
from typing import Any, Callable
from urllib.parse import urljoin, urlsplit

from extractors.errors import RasidError
from extractors.feeds import parse_feed, plain_text
from extractors.links import feed_links
from extractors.sitemaps import parse_sitemap
from extractors.urls import redact_url
from flows.fetch.client import Fetcher

_COMMON_FEEDS = ("/feed/", "/rss", "/rss.xml", "/feed.xml", "/atom.xml")
_ROBOTS_SITEMAP = re.compile(r"^\s*sitemap\s*:\s*(\S+)", re.IGNORECASE | re.MULTILINE)
_TITLE = re.compile(r"<title[^>]*>(.*?)</title>", re.IGNORECASE | re.DOTALL)
_MAX_CANDIDATES = 8
_MAX_SITEMAPS = 3


async def propose_outlet(fetcher: Fetcher, home: str, outlet_id: str | None = None, *,
                         check: bool = True) -> tuple[dict[str, Any], list[str]]:
    """An outlets.yaml entry for the site at `home`, and notes for the user.

    The home page must load (its errors propagate); candidates that fail to load or parse
    are left out with a note. With neither feed nor sitemap, the home page is proposed as a
    section page.
    """
    page = await fetcher.get(home)
    host = urlsplit(page.final_url).hostname or "outlet"
    notes: list[str] = []
    advertised = feed_links(page.text or "", page.final_url)
    candidates = advertised or tuple(urljoin(page.final_url, path) for path in _COMMON_FEEDS)
    feeds = await _working(fetcher, candidates[:_MAX_CANDIDATES], _is_feed, check, notes, quiet=not advertised)
    sitemaps = await _working(fetcher, await _robots_sitemaps(fetcher, page.final_url), _is_sitemap, check, notes)
    entry: dict[str, Any] = {"id": outlet_id or host.removeprefix("www.").split(".")[0],
                             "name": _page_title(page.text or "") or host, "home": page.final_url}
    if feeds:
        entry["feeds"] = feeds
    if sitemaps:
        entry["sitemaps"] = sitemaps[:_MAX_SITEMAPS]
    if not feeds and not sitemaps:
        entry["sections"] = [page.final_url]
        notes.append("no working feed or sitemap found: proposing the home page as a section; add a link_pattern")
    return entry, notes


async def _working(fetcher: Fetcher, candidates: tuple[str, ...] | list[str],
                   usable: Callable[[bytes, str], bool], check: bool, notes: list[str],
                   quiet: bool = False) -> list[str]:
    if not check:
        return list(candidates)
    kept = []
    for url in candidates:
        try:
            result = await fetcher.get(url)
            if usable(result.body, result.final_url):
                kept.append(url)
            elif not quiet:
                notes.append(f"{redact_url(url)}: no items, left out")
        except RasidError as exc:
            if not quiet:
                notes.append(f"{redact_url(url)}: {exc.kind}: {getattr(exc, 'reason', exc)}; left out")
    return kept


async def _robots_sitemaps(fetcher: Fetcher, page_url: str) -> list[str]:
    """Sitemap URLs named in the site's robots.txt, news sitemaps first."""
    try:
        robots = await fetcher.get(urljoin(page_url, "/robots.txt"))
    except RasidError:
        return []
    found = list(dict.fromkeys(_ROBOTS_SITEMAP.findall(robots.text or "")))
    return sorted(found, key=lambda url: "news" not in url.lower())[:_MAX_CANDIDATES]


def _is_feed(body: bytes, url: str) -> bool:
    return bool(parse_feed(body, url))


def _is_sitemap(body: bytes, url: str) -> bool:
    parsed = parse_sitemap(body, url)
    return bool(parsed.items or parsed.children)


def _page_title(html: str) -> str | None:
    match = _TITLE.search(html)
    return plain_text(match.group(1), 200) if match else None
