"""Headline and page metadata read from the HTML tree (no main-text extraction here).

The headline is the `<h1>` that agrees with the page's own metadata title: pages carry
logo and footer `<h1>`s («اليوم السابع», «CNN»), and metadata titles carry the site
name («… - اليوم السابع», «خبرگزاری آریا - …») or are cut at 100 characters.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher
from itertools import islice
from typing import Any
from urllib.parse import urlsplit

from lxml import html as lxml_html

_SPACES = re.compile(r"\s+")
_TITLE_SEPARATORS = re.compile(r"\s+[-–—|:]{1,2}\s+|\s+::\s+")
_MIN_AGREEMENT = 0.35
_MIN_H2_AGREEMENT = 0.7
_COMPARED_CHARS = 400
_MIN_SHOWN_TITLE = 12
_NOT_A_HEADLINE = {"a", "title", "option", "script", "style", "textarea", "button", "label"}
_MAX_HEADINGS = 40  # per tag; a page with more headings is a listing, not an article
_HEADLINE_LABEL = re.compile(r"headline|title", re.I)
_MAX_LABELLED_HEADLINE = 300
_CHROME_TAGS = {"header", "nav", "footer", "aside", "menu"}
_NOT_A_NAME_LABEL = {"www", "com", "net", "org", "gov", "edu"}


def clean(text: str | None) -> str:
    return _SPACES.sub(" ", (text or "").replace("\u00a0", " ")).strip()


def meta_content(tree: lxml_html.HtmlElement, *keys: str) -> str | None:
    """The first non-empty `content` of a meta tag whose property/name/itemprop is one of `keys`."""
    wanted = [k.lower() for k in keys]
    found: dict[str, str] = {}
    for el in tree.iterfind(".//meta[@content]"):
        for attr in ("property", "name", "itemprop"):
            key = (el.get(attr) or "").lower()
            if key in wanted and key not in found and clean(el.get("content")):
                found[key] = clean(el.get("content"))
    return next((found[k] for k in wanted if k in found), None)


def metadata_titles(tree: lxml_html.HtmlElement, jsonld: list[dict]) -> list[str]:
    titles = [meta_content(tree, "og:title"), meta_content(tree, "twitter:title")]
    titles += [clean(o.get("headline") or o.get("headLine")) for o in jsonld if isinstance(o.get("headline")
                                                                                            or o.get("headLine"), str)]
    titles += [clean(el.text_content()) for el in tree.iterfind(".//title")][:1]
    return [t for t in titles if t]


def headline_element(tree: lxml_html.HtmlElement, meta_titles: list[str]) -> Any | None:
    """The `<h1>` that best agrees with the metadata titles (the only one when there is no metadata).

    Some templates put the headline in an `<h2>`: one that agrees closely is taken
    when no `<h1>` does.
    """
    h1s = _headings(tree, "h1")
    if not meta_titles:
        if h1s:
            return h1s[0][0] if len(h1s) == 1 else None
        return _labelled_headline(tree)
    h1 = _best_agreeing(h1s, meta_titles, _MIN_AGREEMENT)
    if h1 is not None:  # not `or`: an lxml element without children is falsy
        return h1
    h2 = _best_agreeing(_headings(tree, "h2"), meta_titles, _MIN_H2_AGREEMENT)
    return h2 if h2 is not None else _displayed_title(tree, meta_titles)


def _displayed_title(tree: lxml_html.HtmlElement, meta_titles: list[str]) -> Any | None:
    """The first element of the body whose own text is the metadata title (or most of it).

    Table-layout CMSs (old ASP.NET news sites) show the headline in a `<span>`, `<td>` or
    `<font>` with no heading tag; finding it lets the byline next to it be read. Only
    containment is tested (no fuzzy match), so this stays linear in the page.
    """
    body = tree.find("body")
    if body is None:
        return None
    wanted = [t[:_COMPARED_CHARS] for t in meta_titles if len(t) >= _MIN_SHOWN_TITLE]
    for el in body.iter():
        own = el.text if isinstance(el.tag, str) and el.tag not in _NOT_A_HEADLINE else None
        if own is None or len(own.strip()) < _MIN_SHOWN_TITLE // 2:
            continue
        text = clean(el.text_content())
        if _MIN_SHOWN_TITLE <= len(text) <= _COMPARED_CHARS and any(
                (text in title or title in text) and _agreement(text, title) >= _MIN_H2_AGREEMENT for title in wanted):
            return el
    return None


def _labelled_headline(tree: lxml_html.HtmlElement) -> Any | None:
    """The first element whose id or class names it a title, when the page has no other clue.

    Old ASP.NET templates title the page with the site's name only and show the headline in
    a `<span id="…lblTitle">`. Teaser titles in lists are links (or hold one), so an
    element inside or around a link, or in the page's header/nav/footer, is not taken.
    """
    body = tree.find("body")
    if body is None:
        return None
    for el in body.iter():
        if not isinstance(el.tag, str) or el.tag in _NOT_A_HEADLINE:
            continue
        if not _HEADLINE_LABEL.search(f"{el.get('id') or ''} {el.get('class') or ''}"):
            continue
        text = clean(el.text_content())
        if not _MIN_SHOWN_TITLE <= len(text) <= _MAX_LABELLED_HEADLINE or next(el.iter("a"), None) is not None:
            continue
        if not any(a.tag == "a" or a.tag in _CHROME_TAGS for a in el.iterancestors()):
            return el
    return None


def _headings(tree: lxml_html.HtmlElement, tag: str) -> list[tuple[Any, str]]:
    found = [(el, clean(el.text_content())) for el in islice(tree.iter(tag), _MAX_HEADINGS)]
    return [(el, text) for el, text in found if len(text) >= 3]


def _best_agreeing(headings: list[tuple[Any, str]], meta_titles: list[str], floor: float) -> Any | None:
    best, best_score = None, 0.0
    for el, text in headings:
        score = max(_agreement(text, title) for title in meta_titles)
        if score > best_score:
            best, best_score = el, score
    return best if best_score >= floor else None


def _agreement(a: str, b: str) -> float:
    """Longest common run, relative to the longer string (so a logo h1 inside a long title scores low).

    Both sides are cut to `_COMPARED_CHARS` first: the comparison is quadratic, and no
    headline is longer (a hostile page could hold a 100 kB `<h1>`).
    """
    a, b = a[:_COMPARED_CHARS], b[:_COMPARED_CHARS]
    shorter, longer = sorted((a, b), key=len)
    if shorter in longer:  # the usual case (the very headline, a logo inside "headline - site"): no search
        return len(shorter) / len(longer)
    match = SequenceMatcher(None, a, b, autojunk=False).find_longest_match(0, len(a), 0, len(b))
    return match.size / max(len(a), len(b))


def host_names(url: str | None) -> frozenset[str]:
    """The labels of the page's host as a site name folds to («daily-news.com» → «dailynews»).

    A page without og:site_name still names itself in its title («daily news : …», or
    only «Daily News»): a title part that folds to a host label is the site's name.
    """
    host = urlsplit(url or "").hostname or ""
    labels = host.split(".")[:-1]  # the last label is the top-level domain
    return frozenset(_fold_name(label) for label in labels if len(label) >= 3 and label not in _NOT_A_NAME_LABEL)


def _fold_name(text: str) -> str:
    return re.sub(r"[\W_]+", "", text).lower()


def is_site_name(title: str, site_name: str | None, host: frozenset[str] = frozenset()) -> bool:
    """The whole title is the site's name (a template that titles every page with it)."""
    folded = _fold_name(title)
    return bool(folded) and (folded in host or (site_name is not None and folded == _fold_name(site_name)))


def strip_site_name(title: str, site_name: str | None, host: frozenset[str] = frozenset()) -> str:
    """Drop a leading or trailing site-name part from a metadata title («… - اليوم السابع»).

    `host`: the page's host labels (`host_names`); a part folding to one of them is a site name too.
    """
    parts = _TITLE_SEPARATORS.split(title)
    if len(parts) < 2:
        return title
    names = {clean(site_name).lower()} if site_name else set()
    for index in (-1, 0):
        part = parts[index].strip().lower()
        if part and (any(part == n or (len(part) >= 4 and (part in n or n in part)) for n in names)
                     or _fold_name(part) in host):
            rest = parts[:-1] if index == -1 else parts[1:]
            return _rejoin(title, rest)
    return title


def _rejoin(title: str, parts: list[str]) -> str:
    start = title.find(parts[0])
    end = title.rfind(parts[-1]) + len(parts[-1])
    return title[start:end].strip()


def first_attr(tree: lxml_html.HtmlElement, xpath: str, attr: str) -> str | None:
    for el in tree.xpath(xpath):
        value = clean(el.get(attr))
        if value:
            return value
    return None


_NOT_A_NAME = re.compile(r"(?i)https?:|www\.|[|;©]|&copy|\(c\)")


def author_name(tree: lxml_html.HtmlElement, jsonld: list[dict], site_name: str | None) -> str | None:
    """A byline name, never a profile URL, a copyright line or the site's own name.

    WordPress puts a Facebook link in article:author; Iranian sites put the site name there.
    """
    candidates = [_jsonld_author(o.get("author")) for o in jsonld]
    candidates.append(meta_content(tree, "author", "article:author", "dc.creator"))
    for candidate in candidates:
        name = clean(candidate)
        if name and len(name) <= 80 and not _NOT_A_NAME.search(name) and name != clean(site_name):
            return name
    return None


def _jsonld_author(value: Any) -> str | None:
    if isinstance(value, list) and value:
        value = value[0]
    if isinstance(value, dict):
        value = value.get("name")
    return value if isinstance(value, str) else None
