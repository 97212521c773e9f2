"""Sitemaps (ordinary, Google News, nested indexes, gzip, plain-text) to items and child sitemaps.

The XML parser resolves no entities and opens nothing (no network, no DTD), and a gzip
body is decompressed incrementally to a fixed ceiling, so a sitemap bomb costs little.
Children of an index come newest first (by `lastmod`), so a caller that reads only the
first few reads the ones that can hold new articles.
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass
from datetime import datetime, timezone

from extractors.errors import PermanentError
from extractors.feeds import FeedItem, aware_utc, merge_items, plain_text
from extractors.urls import UrlError, canonicalize_url

MAX_SITEMAP_BYTES = 50_000_000  # the sitemaps.org limit for one uncompressed file
_W3C_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?")


class SitemapError(PermanentError):
    """The bytes are not a sitemap, or a compressed sitemap is broken or too large."""


@dataclass(frozen=True)
class Sitemap:
    items: tuple[FeedItem, ...] = ()
    children: tuple[str, ...] = ()


def parse_sitemap(data: bytes, base_url: str, max_bytes: int = MAX_SITEMAP_BYTES) -> Sitemap:
    """Items (urlset) or child sitemap URLs (sitemapindex); SitemapError when neither can be read."""
    if data[:2] == b"\x1f\x8b":
        data = gunzip_bounded(data, max_bytes)
    stripped = data.lstrip()
    if not stripped.startswith(b"<"):
        return Sitemap(items=_text_sitemap(stripped))
    root = _parse_xml(stripped)
    kind = _local(root.tag)
    if kind == "sitemapindex":
        return Sitemap(children=_children(root, base_url))
    if kind == "urlset":
        return Sitemap(items=merge_items(item for node in root if _local(node.tag) == "url"
                                         if (item := _url_item(node, base_url)) is not None))
    raise SitemapError(f"not a sitemap: root element is <{kind}>")


def gunzip_bounded(data: bytes, max_bytes: int) -> bytes:
    """Decompressed gzip data, refusing to grow beyond `max_bytes` (a bomb stops early)."""
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        out = inflater.decompress(data, max_bytes + 1)
    except zlib.error as exc:
        raise SitemapError(f"broken gzip sitemap: {exc}") from None
    if len(out) > max_bytes:
        raise SitemapError(f"gzip sitemap expands beyond {max_bytes} bytes")
    if not inflater.eof:
        raise SitemapError("truncated gzip sitemap")
    return out


def _parse_xml(data: bytes):  # -> lxml.etree._Element
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
                             recover=True, remove_comments=True, remove_pis=True)
    try:
        root = etree.fromstring(data, parser=parser)
    except etree.XMLSyntaxError as exc:
        raise SitemapError(f"not a sitemap: invalid XML ({exc})") from None
    if root is None:
        raise SitemapError("not a sitemap: no XML element found")
    return root


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1].lower() if isinstance(tag, str) else ""


def _field(node, *path: str) -> str | None:
    """Text of the first descendant along `path` of local names, namespace-blind."""
    current = node
    for name in path:
        current = next((child for child in current if _local(child.tag) == name), None)
        if current is None:
            return None
    text = (current.text or "").strip()
    return text or None


def _url_item(node, base_url: str) -> FeedItem | None:
    try:
        url = canonicalize_url(_field(node, "loc") or "", base_url)
    except UrlError:
        return None
    published = (parse_w3c_datetime(_field(node, "news", "publication_date"))
                 or parse_w3c_datetime(_field(node, "lastmod")))
    return FeedItem(url=url, title=plain_text(_field(node, "news", "title"), 500), published=published)


def _children(root, base_url: str) -> tuple[str, ...]:
    found: list[tuple[datetime, int, str]] = []
    oldest = datetime.min.replace(tzinfo=timezone.utc)
    for position, node in enumerate(child for child in root if _local(child.tag) == "sitemap"):
        try:
            url = canonicalize_url(_field(node, "loc") or "", base_url)
        except UrlError:
            continue
        found.append((parse_w3c_datetime(_field(node, "lastmod")) or oldest, -position, url))
    found.sort(reverse=True)
    return tuple(dict.fromkeys(url for _, _, url in found))


def _text_sitemap(data: bytes) -> tuple[FeedItem, ...]:
    lines = data.decode("utf-8", "replace").splitlines()
    items = []
    for line in lines:
        try:
            items.append(FeedItem(url=canonicalize_url(line.strip())))  # absolute URLs only, per sitemaps.org
        except UrlError:
            continue
    if not items and any(line.strip() for line in lines):
        raise SitemapError("not a sitemap: neither XML nor a list of URLs")
    return merge_items(items)


def parse_w3c_datetime(value: str | None) -> datetime | None:
    """A sitemap date (W3C datetime: 2024-05-20, 2024-05-20T10:00+03:00, ...) in UTC, or None."""
    if not value or not _W3C_DATE.match(value):
        return None
    text = value.strip().replace("Z", "+00:00").replace("z", "+00:00")
    if re.fullmatch(r"\d{4}", text):
        text += "-01-01"
    elif re.fullmatch(r"\d{4}-\d{2}", text):
        text += "-01"
    try:
        return aware_utc(datetime.fromisoformat(text))
    except ValueError:
        return None
