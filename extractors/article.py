"""One article page in, its main text and metadata out (trafilatura + Arabic-aware dates).

trafilatura finds the main text; the headline, dates, language and agency are read
here because its own choices are wrong on Arabic pages (site-name suffixes and logo
`<h1>`s in titles, htmldate's January 1st defaults, Solar Hijri stamps read as
Gregorian). The settings used were measured on real pages: see docs/extraction.md.

Size and time: scripts, styles and comments are removed first (they are most of a
modern page and trafilatura never needs them); a page still above `max_chars` is
trimmed to that size, and one above `_REFUSE_FACTOR` times it is refused with a
PermanentError. Extraction is single-threaded pure code and cannot be interrupted
from inside; the budget `time_limit_s` switches trafilatura to its fast mode for big
pages and skips fallbacks once spent. A hard stop belongs to the caller (the flow's
task timeout), see docs/extraction.md for the measured worst case.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from functools import lru_cache

from lxml import etree
from lxml import html as lxml_html

from extractors.agency import detect_agency
from extractors.article_meta import (author_name, clean, first_attr, headline_element, meta_content,
                                     metadata_titles, strip_site_name)
from extractors.dates_page import jsonld_objects, resolve_published
from extractors.errors import ConfigError, PermanentError
from extractors.language import detect_language
from extractors.outlets import ExtractOverrides

_REFUSE_FACTOR = 4
_FAST_ABOVE_CHARS = 1_000_000
_SHORT_TEXT_CHARS = 250
_NOISE = re.compile(
    r"<script(?![^>]*ld\+json)[^>]*>.*?</script\s*>|<style[^>]*>.*?</style\s*>|<noscript[^>]*>.*?</noscript\s*>"
    r"|<svg[^>]*>.*?</svg\s*>|<!--.*?-->|<template[^>]*>.*?</template\s*>", re.I | re.S)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
_BLOCKS = ".//p|.//h2|.//h3|.//h4|.//li|.//blockquote"
# Settings chosen by bench/extraction_eval.py (docs/extraction.md has the figures).
TRAFILATURA_SETTINGS = {"include_comments": False, "include_tables": True, "favor_precision": False,
                        "favor_recall": False, "deduplicate": False}


@dataclass(frozen=True)
class ExtractedArticle:
    title: str | None
    text: str
    published: datetime | None      # timezone-aware, UTC
    date_source: str | None         # "jsonld" | "meta" | "time" | "byline" | "url" | "feed" | None
    utc_offset_minutes: int | None  # the outlet's/page's offset when known (Baghdad = 180)
    author: str | None
    site_name: str | None
    lang: str | None                # "ar" | "fa" | "en" | ...
    canonical_url: str | None
    image: str | None
    agency: str | None              # "Reuters" | "AP" | "AFP" | "DPA" | "Anadolu" | None
    date_evidence: str | None       # the string the date was read from

    @property
    def published_local(self) -> datetime | None:
        """Publication time on the outlet's clock (UTC when the offset is unknown)."""
        if self.published is None:
            return None
        return self.published.astimezone(timezone(timedelta(minutes=self.utc_offset_minutes or 0)))


def extract_article(html: str, url: str | None = None, *, feed_date: datetime | None = None,
                    overrides: ExtractOverrides | None = None, utc_offset_hours: float | None = None,
                    max_chars: int = 3_000_000, time_limit_s: float = 10.0) -> ExtractedArticle:
    """Main text, headline, publication date and metadata of one page; empty text is a result."""
    deadline = time.monotonic() + time_limit_s
    offset = None if utc_offset_hours is None else round(utc_offset_hours * 60)
    page = prepare_html(html, max_chars)
    tree = _parse(page)
    if tree is None:
        return _empty(url, feed_date, offset)
    jsonld = jsonld_objects(tree)
    site_name = meta_content(tree, "og:site_name", "application-name") or _jsonld_publisher(jsonld)
    titles = metadata_titles(tree, jsonld)
    h1 = headline_element(tree, titles)
    title = clean(h1.text_content()) if h1 is not None else None
    text, trafi = main_text(page, tree, url, overrides or ExtractOverrides(), deadline)
    if not title:
        title = strip_site_name(titles[0], site_name) if titles else clean(getattr(trafi, "title", None)) or None
    lang = detect_language(f"{title or ''}\n{text}", hint=tree.get("lang") or meta_content(tree, "dc.language"))
    published = resolve_published(tree, url=url, title_element=h1, feed_date=feed_date,
                                  utc_offset_minutes=offset, lang=lang)
    return ExtractedArticle(
        title=title or None, text=text, published=published.value, date_source=published.source,
        utc_offset_minutes=published.utc_offset_minutes, author=author_name(tree, jsonld, getattr(trafi, "author", None), site_name),
        site_name=site_name or getattr(trafi, "sitename", None), lang=lang,
        canonical_url=first_attr(tree, "//link[@rel='canonical']", "href") or meta_content(tree, "og:url") or url,
        image=meta_content(tree, "og:image", "twitter:image", "twitter:image:src") or getattr(trafi, "image", None),
        agency=detect_agency(text), date_evidence=published.evidence)


def prepare_html(html: str, max_chars: int) -> str:
    """The page without scripts (JSON-LD kept), styles and comments, within the size cap."""
    if len(html) > max_chars * _REFUSE_FACTOR:
        raise PermanentError(f"page is {len(html):,} characters, more than {_REFUSE_FACTOR}× the "
                             f"{max_chars:,} cap: refused (raise max_chars if this outlet's pages are that big)")
    page = _XML_DECLARATION.sub("", _NOISE.sub(" ", html))
    if len(page) > max_chars:
        cut = page.rfind(">", 0, max_chars)
        page = page[: cut + 1 if cut > 0 else max_chars]
    return page


def _parse(page: str) -> lxml_html.HtmlElement | None:
    if not page.strip():
        return None
    try:
        return lxml_html.document_fromstring(page)
    except (etree.ParserError, ValueError):
        return None


def main_text(page: str, tree: lxml_html.HtmlElement, url: str | None, overrides: ExtractOverrides,
              deadline: float):
    """(text, trafilatura document or None): the outlet's XPath first, else trafilatura with fallbacks."""
    from trafilatura import bare_extraction

    text, document = "", None
    if overrides.body_xpath:
        text = _xpath_text(tree, overrides.body_xpath)
    if not text:
        fast = len(page) > _FAST_ABOVE_CHARS
        document = bare_extraction(page, url=url, with_metadata=True, fast=fast, **TRAFILATURA_SETTINGS)
        text = document.text if document is not None and document.text else ""
        if len(text) < _SHORT_TEXT_CHARS and not fast and time.monotonic() < deadline:
            recall = bare_extraction(page, url=url, favor_recall=True, include_comments=False)
            if recall is not None and recall.text and len(recall.text) > len(text):
                text = recall.text
    return drop_lines(text, overrides.drop_patterns), document


def _xpath_text(tree: lxml_html.HtmlElement, xpath: str) -> str:
    try:
        nodes = tree.xpath(xpath)
    except etree.XPathError as exc:
        raise ConfigError(f"extract.body_xpath {xpath!r} is not a valid XPath: {exc}") from None
    lines: list[str] = []
    for node in nodes:
        if not isinstance(node, etree._Element):
            continue
        blocks = node.xpath(_BLOCKS) or [node]
        lines += [clean(b.text_content()) for b in blocks if b.getparent() is not None or b is node]
    return "\n".join(line for line in lines if line)


def drop_lines(text: str, patterns: tuple[str, ...]) -> str:
    """The text without the lines an outlet's `drop_patterns` name as boilerplate."""
    if not patterns or not text:
        return text
    compiled = _compiled(patterns)
    return "\n".join(line for line in text.split("\n") if not any(p.search(line.strip()) for p in compiled))


@lru_cache(maxsize=256)
def _compiled(patterns: tuple[str, ...]) -> tuple[re.Pattern, ...]:
    try:
        return tuple(re.compile(p) for p in patterns)
    except re.error as exc:
        raise ConfigError(f"extract.drop_patterns: {exc.pattern!r} is not a valid regular expression: {exc}") from None


def _jsonld_publisher(jsonld: list[dict]) -> str | None:
    for obj in jsonld:
        publisher = obj.get("publisher")
        if isinstance(publisher, dict) and isinstance(publisher.get("name"), str):
            return clean(publisher["name"]) or None
    return None


def _empty(url: str | None, feed_date: datetime | None, offset: int | None) -> ExtractedArticle:
    published = None if feed_date is None else (feed_date if feed_date.tzinfo else
                                                feed_date.replace(tzinfo=timezone.utc)).astimezone(timezone.utc)
    return ExtractedArticle(None, "", published, "feed" if published else None, offset, None, None, None,
                            url, None, None, feed_date.isoformat() if feed_date else None)
