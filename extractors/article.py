"""One article page in, its main text and metadata out (trafilatura + Arabic-aware dates).

trafilatura finds the main text; the headline, dates, language and agency are read
here because its own choices are wrong on Arabic pages (site-name suffixes and logo
`<h1>`s in titles, htmldate's January 1st defaults, Solar Hijri stamps read as
Gregorian). The settings used were measured on real pages: see docs/extraction.md.

Size and time: scripts, styles and comments are removed first (they are most of a
modern page and nothing here needs them, JSON-LD excepted); a page still above
`max_chars` is trimmed to that size, and one above `_REFUSE_FACTOR` times it is
refused with a PermanentError. trafilatura is superlinear on big flat pages (measured
here, CPU time: 0.8 MB 1.3 s, 1.7 MB 4.2 s, 3.4 MB 27 s), so it only sees the first
`_TRAFILATURA_CHARS_PER_S × time_limit_s` characters (600 k for 10 s); the headline,
dates and metadata still come from the whole page (lxml, linear). Pure code cannot be
interrupted from inside: a hard stop belongs to the caller (the flow's task timeout),
see docs/extraction.md.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timezone

from lxml import etree
from lxml import html as lxml_html

from extractors.agency import detect_agency
from extractors.article_meta import (author_name, clean, first_attr, headline_element, host_names, is_site_name,
                                     meta_content, metadata_titles, strip_site_name)
from extractors.article_text import main_text
from extractors.dates_page import in_offset, jsonld_objects, resolve_published
from extractors.errors import PermanentError
from extractors.language import detect_language
from extractors.outlets import ExtractOverrides
from extractors.site_lines import drop_site_lines, line_keys

_REFUSE_FACTOR = 4
_TRAFILATURA_CHARS_PER_S = 60_000
_NOISE = re.compile(
    r"<script(?![^>]*ld\+json)[^>]*>.*?</script\s*>|<style[^>]*>.*?</style\s*>|<noscript[^>]*>.*?</noscript\s*>"
    r"|<svg[^>]*>.*?</svg\s*>|<!--.*?-->|<template[^>]*>.*?</template\s*>", re.I | re.S)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)


@dataclass(frozen=True)
class ExtractedArticle:
    title: str | None
    text: str
    published: datetime | None      # aware, with the page's own UTC offset (the outlet's when it gives none)
    date_source: str | None         # "jsonld" | "meta" | "time" | "byline" | "url" | "feed" | "fallback" | None
    utc_offset_minutes: int | None  # published's offset: the page's, else the outlet's (Baghdad = 180)
    author: str | None
    site_name: str | None
    lang: str | None                # "ar" | "fa" | "en" | ...
    canonical_url: str | None
    image: str | None
    agency: str | None              # "Reuters" | "AP" | "AFP" | "DPA" | "Anadolu" | None
    date_evidence: str | None       # the string the date was read from
    line_keys: tuple[str, ...] = ()  # the text's lines as extractors.site_lines keys, before site lines were dropped
    published_precision: str | None = None  # "time"; "day" when only the day is known (published is its noon)

    @property
    def published_local(self) -> datetime | None:
        """Publication time on the outlet's clock (UTC when the offset is unknown): `published` itself."""
        return in_offset(self.published, self.utc_offset_minutes)


def extract_article(html: str, url: str | None = None, *, feed_date: datetime | None = None,
                    overrides: ExtractOverrides | None = None, utc_offset_hours: float | None = None,
                    max_chars: int = 3_000_000, time_limit_s: float = 10.0,
                    now: datetime | None = None, site_lines: frozenset[str] = frozenset()) -> ExtractedArticle:
    """Main text, headline, publication date and metadata of one page; empty text is a result.

    `now` (the fetch time) lets a relative byline («منذ ساعتين») date a page that has no
    other date and no feed date. `site_lines`: keys of the lines this outlet repeats on its
    pages (extractors/site_lines.py, learned by the caller from earlier pages), dropped from
    the text; `line_keys` of the result are what the caller learns from.
    """
    offset = None if utc_offset_hours is None else round(utc_offset_hours * 60)
    page = prepare_html(html, max_chars)
    tree = _parse(page)
    if tree is None:
        return _empty(url, feed_date, offset)
    jsonld = jsonld_objects(tree)
    site_name = meta_content(tree, "og:site_name", "application-name") or _jsonld_publisher(jsonld)
    host = host_names(url)
    titles = [t for t in metadata_titles(tree, jsonld) if not is_site_name(t, site_name, host)]
    h1 = headline_element(tree, titles + _without_site_names(titles, site_name, host))
    title = clean(h1.text_content()) if h1 is not None else None
    budget = min(max_chars, int(_TRAFILATURA_CHARS_PER_S * time_limit_s))
    body_page = trim(page, budget)
    full_text = main_text(body_page, tree, url, overrides or ExtractOverrides(), headline=h1,
                          tree_is_page=len(body_page) == len(page))
    text = drop_site_lines(full_text, site_lines)
    if not title:
        title = strip_site_name(titles[0], site_name, host) if titles else None
    lang = detect_language(f"{title or ''}\n{text}", hint=tree.get("lang") or meta_content(tree, "dc.language"))
    canonical = first_attr(tree, "//link[@rel='canonical']", "href") or meta_content(tree, "og:url")
    published = resolve_published(tree, url=url, title_element=h1, feed_date=feed_date,
                                  utc_offset_minutes=offset, lang=lang, now=now, canonical_url=canonical)
    author = author_name(tree, jsonld, site_name)
    return ExtractedArticle(
        title=title or None, text=text, published=published.value, date_source=published.source,
        utc_offset_minutes=published.utc_offset_minutes, author=author,
        site_name=site_name, lang=lang,
        canonical_url=canonical or url,
        image=meta_content(tree, "og:image", "twitter:image", "twitter:image:src"),
        agency=detect_agency(full_text, author=author), date_evidence=published.evidence,
        line_keys=line_keys(full_text), published_precision=published.precision)


def _without_site_names(titles: list[str], site_name: str | None, host: frozenset[str]) -> list[str]:
    """The titles with a site-name part dropped, where one was: a table-layout page shows only
    the headline part, and must still be matched against the metadata."""
    stripped = (strip_site_name(t, site_name, host) for t in titles)
    return [s for s, t in zip(stripped, titles) if s != t]


def prepare_html(html: str, max_chars: int) -> str:
    """The page without scripts (JSON-LD kept), styles and comments, within the size cap."""
    if len(html) > max_chars * _REFUSE_FACTOR:
        raise PermanentError(f"page is {len(html):,} characters, more than {_REFUSE_FACTOR}× the "
                             f"{max_chars:,} cap: refused (raise max_chars if this outlet's pages are that big)")
    return trim(_XML_DECLARATION.sub("", _NOISE.sub(" ", html)).replace("\x00", ""), max_chars)


def trim(page: str, limit: int) -> str:
    """At most `limit` characters, cut after a tag so no tag is left half-open."""
    if len(page) <= limit:
        return page
    cut = page.rfind(">", 0, limit)
    return page[: cut + 1 if cut > 0 else limit]


def _parse(page: str) -> lxml_html.HtmlElement | None:
    if not page.strip():
        return None
    try:
        return lxml_html.document_fromstring(page)
    except (etree.ParserError, ValueError):
        return None


def _jsonld_publisher(jsonld: list[dict]) -> str | None:
    for obj in jsonld:
        publisher = obj.get("publisher")
        if isinstance(publisher, dict) and isinstance(publisher.get("name"), str):
            return clean(publisher["name"]) or None
    return None


def _empty(url: str | None, feed_date: datetime | None, offset: int | None) -> ExtractedArticle:
    if feed_date is not None:
        feed_date = feed_date if feed_date.tzinfo else feed_date.replace(tzinfo=timezone.utc)
        offset = offset if offset is not None else int(feed_date.utcoffset().total_seconds() // 60)
    return ExtractedArticle(None, "", in_offset(feed_date, offset), "feed" if feed_date else None, offset, None,
                            None, None, url, None, None, feed_date.isoformat() if feed_date else None)
