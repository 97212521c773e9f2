"""Discovery: every feed, sitemap and section page of an outlet to one list of candidate articles.

An unchanged source costs a conditional GET answered 304 (or, for servers without
validators, one download whose hash matches) and yields nothing. A broken source is
recorded in `errors` and the others go on: discovery never raises for a source.
"""

from __future__ import annotations

import asyncio
import hashlib
from dataclasses import asdict, dataclass, field, replace
from typing import Any, Mapping

from extractors.errors import RasidError
from extractors.feeds import FeedItem, merge_items, parse_feed
from extractors.links import section_links
from extractors.outlets import Outlet
from extractors.sitemaps import parse_sitemap
from extractors.urls import redact_url
from flows.fetch import FetchResult, Fetcher

_MAX_INDEX_DEPTH = 2


@dataclass(frozen=True)
class SourceState:
    """What the last poll of one source URL left behind, to make the next one conditional."""

    etag: str | None = None
    last_modified: str | None = None
    content_hash: str | None = None
    children: tuple[str, ...] = ()  # a sitemap index's child sitemaps, polled even when it is unchanged

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["children"] = list(self.children)
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "SourceState":
        return cls(etag=data.get("etag"), last_modified=data.get("last_modified"),
                   content_hash=data.get("content_hash"), children=tuple(data.get("children") or ()))


@dataclass(frozen=True)
class Discovery:
    items: tuple[FeedItem, ...]
    states: dict[str, SourceState]
    errors: tuple[str, ...]
    unchanged: tuple[str, ...] = ()  # source URLs that answered 304 or the same content


@dataclass
class _Poll:
    """Mutable bookkeeping of one outlet's discovery."""

    fetcher: Fetcher
    outlet: Outlet
    old: Mapping[str, SourceState]
    states: dict[str, SourceState] = field(default_factory=dict)
    items: list[FeedItem] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)

    async def source(self, url: str, kind: str, depth: int = 0) -> None:
        previous = self.old.get(url, SourceState())
        if url in self.old:
            self.states[url] = previous  # kept as it was if this poll fails
        try:
            state = await self._poll(url, kind, previous)
        except RasidError as exc:
            self._error(url, f"{exc.kind}: {getattr(exc, 'reason', None) or exc}")
            return
        except Exception as exc:  # noqa: BLE001 - a parser bug on hostile bytes must not end the poll
            self._error(url, f"internal error: {exc.__class__.__name__}: {exc}")
            return
        self.states[url] = state
        if kind == "sitemap" and depth < _MAX_INDEX_DEPTH and state.children:
            # even an unchanged index is followed: its children are where new articles appear
            await asyncio.gather(*(self.source(child, kind, depth + 1) for child in state.children))

    async def _poll(self, url: str, kind: str, previous: SourceState) -> SourceState:
        result = await self.fetcher.get(url, etag=previous.etag, last_modified=previous.last_modified)
        if result.not_modified:
            self.unchanged.append(url)
            return replace(previous, etag=result.etag or previous.etag,
                           last_modified=result.last_modified or previous.last_modified)
        state = SourceState(result.etag, result.last_modified, hashlib.sha256(result.body).hexdigest(),
                            previous.children)
        if state.content_hash == previous.content_hash:
            self.unchanged.append(url)
            return state
        items, children = self._parse(kind, result)
        self.items.extend(items)
        return replace(state, children=children)

    def _parse(self, kind: str, result: FetchResult) -> tuple[tuple[FeedItem, ...], tuple[str, ...]]:
        if kind == "feed":
            return parse_feed(result.body, result.final_url), ()
        if kind == "section":
            return section_links(result.text or "", result.final_url, self.outlet.link_pattern), ()
        parsed = parse_sitemap(result.body, result.final_url)
        return parsed.items, parsed.children[: self.fetcher.settings.max_sitemap_children]

    def _error(self, url: str, message: str) -> None:
        self.errors.append(f"outlet {self.outlet.id}: {redact_url(url)}: {message}")


async def discover_outlet(fetcher: Fetcher, outlet: Outlet, states: Mapping[str, SourceState]) -> Discovery:
    """All candidate articles of `outlet`'s sources that changed since `states`; never raises for a source."""
    poll = _Poll(fetcher, outlet, states)
    jobs = [poll.source(url, "feed") for url in outlet.feeds]
    jobs += [poll.source(url, "sitemap") for url in outlet.sitemaps]
    jobs += [poll.source(url, "section") for url in outlet.sections]
    await asyncio.gather(*jobs)
    return Discovery(items=merge_items(poll.items), states=poll.states, errors=tuple(poll.errors),
                     unchanged=tuple(poll.unchanged))


async def propose_outlet(fetcher: Fetcher, home: str, outlet_id: str | None = None, *,
                         check: bool = True) -> tuple[dict[str, Any], list[str]]:
    """An outlets.yaml entry for the site at `home` (feeds it advertises), and notes for the user.

    The home page must load (its errors propagate); candidate feeds that fail to load or
    parse are left out with a note. Without any feed, the home page is proposed as a section.
    """
    from urllib.parse import urlsplit

    from extractors.links import feed_links

    page = await fetcher.get(home)
    host = urlsplit(page.final_url).hostname or "outlet"
    title = _page_title(page.text or "") or host
    notes: list[str] = []
    feeds: list[str] = []
    for candidate in feed_links(page.text or "", page.final_url)[:10]:
        if not check:
            feeds.append(candidate)
            continue
        try:
            result = await fetcher.get(candidate)
            if parse_feed(result.body, result.final_url):
                feeds.append(candidate)
            else:
                notes.append(f"{redact_url(candidate)}: feed has no items, left out")
        except RasidError as exc:
            notes.append(f"{redact_url(candidate)}: {exc.kind}: {getattr(exc, 'reason', exc)}; left out")
    entry: dict[str, Any] = {"id": outlet_id or host.removeprefix("www.").split(".")[0], "name": title,
                             "home": page.final_url}
    if feeds:
        entry["feeds"] = feeds
    else:
        entry["sections"] = [page.final_url]
        notes.append("no working feed found: proposing the home page as a section; add a link_pattern")
    return entry, notes


def _page_title(html: str) -> str | None:
    import re

    from extractors.feeds import plain_text

    match = re.search(r"<title[^>]*>(.*?)</title>", html, re.IGNORECASE | re.DOTALL)
    return plain_text(match.group(1), 200) if match else None
