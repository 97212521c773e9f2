"""Which publication date a page states, in a fixed order, with the evidence kept.

Order: structured data (JSON-LD, then article meta tags, then `<time>`), the visible
byline right under the headline, the URL, the feed's date, a relative byline; then, for a
page none of these dates, a short date line near the headline in any element, and last
htmldate's day checked against the page (extractors/dates_fallback.py). A source that
yields no full day (a bare year, a Hijri-only stamp, a weekday that contradicts the
day, an "updated" stamp) is skipped rather than guessed, so the next source wins. A day
without a time has precision "day" and is held as noon of that day (`day_value`).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from itertools import islice
from typing import Any, Iterable, Iterator
from urllib.parse import unquote, urlsplit

from lxml import etree
from lxml import html as lxml_html

from extractors.dates import DateMatch, find_dates, parse_structured
from extractors.dates_fallback import fallback_day, fits_url
from extractors.dates_names import UPDATE_MARKERS, fold

_META_NAMES = (  # (attribute, value) in order of trust
    ("property", "article:published_time"), ("property", "og:article:published_time"),
    ("itemprop", "datepublished"), ("name", "article:published_time"), ("name", "pubdate"),
    ("name", "publishdate"), ("name", "publish-date"), ("name", "publish_date"),
    ("name", "datepublished"), ("name", "dc.date.issued"), ("name", "dcterms.created"),
    ("name", "dc.date"), ("name", "sailthru.date"), ("name", "parsely-pub-date"),
    ("name", "article.published"), ("property", "dc:date"), ("property", "dc:created"),
    ("property", "dcterms:created"), ("itemprop", "datecreated"), ("name", "datecreated"),
    ("name", "date"),
)
_WITH_CONTENT = etree.XPath(".//*[@content]")  # libxml2 walks the tree in C; iterfind walked it in Python
_META_ATTRIBUTES = tuple(dict.fromkeys(attr for attr, _name in _META_NAMES))
_PUBLISH_CLASS = re.compile(r"publish|posted|created", re.I)
_BYLINE_CHARS, _BODY_NODE_CHARS = 400, 200
_FIRST_WEB_YEAR = 1995
_MIN_OFFSET, _MAX_OFFSET = -12 * 60, 14 * 60  # the UTC offsets in use
_MAX_DATE_CHARS = 120
_MAX_ZONE_AHEAD = timedelta(hours=14)  # the furthest east UTC offset: a day "now" there may be tomorrow in UTC
_UPDATE_MARK = re.compile(r"updat|modif", re.I)
_EMBED_TAGS = {"blockquote", "figure", "figcaption", "a", "iframe", "aside"}
_DATE_LINE_CHARS, _DATE_LINE_SHARE = 80, 0.5  # a date line: short, and the date is at least half of it
_FOLLOWING_TEXTS, _PRECEDING_TEXTS = 200, 12  # text nodes read below and above the headline
_NO_TEXT = {"script", "style"}  # what they hold is code, not page text
_CHROME_TAGS = {"header", "nav", "footer", "aside", "menu"}
_CHROME_CLASS = re.compile(r"header|nav|menu|ticker|breaking|top-?bar|topnav|clock|today|weather|masthead", re.I)
_URL_DATE = re.compile(r"/((?:19|20)\d\d)/(?:[a-z_\-]+/)?(\d{1,2})/(\d{1,2})(?:/|$)|"
                       r"/((?:19|20)\d\d)-(\d{2})-(\d{2})(?:/|$|[^\d])|[/_\-]((?:19|20)\d\d)(\d\d)(\d\d)(?:/|$|[_\-.])")


@dataclass(frozen=True)
class PublishedDate:
    value: datetime | None          # aware, on the clock of utc_offset_minutes (UTC when unknown)
    source: str | None              # "jsonld" | "meta" | "time" | "byline" | "url" | "feed" | "fallback" | None
    evidence: str | None
    utc_offset_minutes: int | None
    precision: str | None = None    # "time", or "day" when only the day is known (value: its noon, see day_value)


def resolve_published(tree: lxml_html.HtmlElement, *, url: str | None, title_element: Any | None,
                      feed_date: datetime | None = None, utc_offset_minutes: int | None = None,
                      lang: str | None = None, now: datetime | None = None,
                      canonical_url: str | None = None) -> PublishedDate:
    """The page's publication date and where it was read (see the module docstring).

    A relative byline («منذ 3 ساعات») is used only with `now` (the fetch time) and only
    when nothing else, not even the feed, gives a date: it is as old as the page copy.
    """
    byline = byline_date(title_element, utc_offset_minutes=utc_offset_minutes, lang=lang)
    for source, raw in structured_dates(tree):
        if len(raw) > _MAX_DATE_CHARS:  # a date is short; a long value is junk (or hostile)
            continue
        match = parse_structured(raw, utc_offset_minutes=utc_offset_minutes, lang=lang)
        if match is not None and match.confident and _plausible(match):
            own = _same_instant_clock(tree, match, lang)
            if own is not None:
                evidence = f"{raw} (the page's «{own.evidence}» is the same instant on its own clock)"
                return _result(own, source, _with_disagreement(evidence, own, byline), utc_offset_minutes)
            match, evidence = _local_clock_fix(match, raw, byline, utc_offset_minutes)
            return _result(match, source, _with_disagreement(evidence, match, byline), utc_offset_minutes, byline)
    if byline is not None:
        return _result(byline, "byline", byline.evidence, utc_offset_minutes)
    from_url = (url_date(url, utc_offset_minutes=utc_offset_minutes)
                or url_date(canonical_url, utc_offset_minutes=utc_offset_minutes))
    if from_url is not None:
        return _result(from_url, "url", from_url.evidence, utc_offset_minutes)
    if feed_date is not None:
        value = feed_date if feed_date.tzinfo else feed_date.replace(tzinfo=timezone.utc)
        offset = utc_offset_minutes if utc_offset_minutes is not None else _own_offset(value)
        return PublishedDate(in_offset(value, offset), "feed", feed_date.isoformat(), offset, "time")
    relative = byline_date(title_element, now=now) if now is not None else None
    if relative is not None:
        return _result(relative, "byline", relative.evidence, utc_offset_minutes)
    return (_undated_page(tree, title_element, url=url or canonical_url, now=now, lang=lang,
                          outlet_offset=utc_offset_minutes)
            or PublishedDate(None, None, None, utc_offset_minutes))


def _undated_page(tree: lxml_html.HtmlElement, title_element: Any | None, *, url: str | None,
                  now: datetime | None, lang: str | None, outlet_offset: int | None) -> PublishedDate | None:
    """A date line near the headline, else htmldate's day, for a page nothing above dated.

    Either must agree with the page's other evidence: not after the fetch, within a year or
    year/month the URL writes, and not after an update stamp near the headline (a page is
    not published after it was updated).
    """
    near = near_headline_text(title_element)
    updated = _earliest_update(near, outlet_offset, lang)

    def fits(day: date) -> bool:
        return fits_url(day, url) and (updated is None or day <= updated)

    line = date_line(title_element, utc_offset_minutes=outlet_offset, lang=lang)
    if line is not None and (now is None or line.value <= now + _MAX_ZONE_AHEAD) and fits(line.local_date):
        return _result(line, "date_line", line.evidence, outlet_offset)
    found = fallback_day(tree, near_headline=near, url=url, now=now, lang=lang)
    if found is not None and fits(found.day):
        return PublishedDate(day_value(found.day, outlet_offset), "fallback", found.evidence, outlet_offset, "day")
    return None


def _earliest_update(text: str, utc_offset_minutes: int | None, lang: str | None) -> date | None:
    """The earliest day an update stamp in `text` names («آخر تحديث: 5 آب 2023»), if any."""
    matches = find_dates(text, utc_offset_minutes=utc_offset_minutes, lang=lang)
    folded = fold(text).lower()
    days = [m.local_date for i, m in enumerate(matches)
            if m.confident and _is_update_stamp(folded, m, matches[i + 1].start if i + 1 < len(matches) else None)]
    return min(days, default=None)


def _plausible(match: DateMatch) -> bool:
    """Not before news sites existed: CMS placeholders say 1970-01-01 or 0001-01-01."""
    return match.value is not None and match.value.year >= _FIRST_WEB_YEAR


def _result(match: DateMatch, source: str, evidence: str, outlet_offset: int | None,
            byline: DateMatch | None = None) -> PublishedDate:
    offset = page_offset(match, outlet_offset, byline)
    if not match.has_time:
        return PublishedDate(day_value(match.local_date, offset), source, evidence, offset, "day")
    return PublishedDate(in_offset(match.value, offset), source, evidence, offset, "time")


def day_value(day: date, offset_minutes: int | None) -> datetime:
    """A day known without its time, as noon of that day on the outlet's clock (UTC when unknown).

    Not midnight: 00:00 at +03:00 is the previous day in UTC and in any zone west of the
    outlet, while noon stays on the same calendar day for every reader within 12 hours of
    the outlet, and is at most 12 hours from the real instant in time windows. Shown as
    the day alone wherever `precision` is "day".
    """
    return datetime(day.year, day.month, day.day, 12, tzinfo=timezone(timedelta(minutes=offset_minutes or 0)))


def page_offset(match: DateMatch, outlet_offset: int | None, byline: DateMatch | None = None) -> int | None:
    """The UTC offset the outlet's day is read in: the one the page wrote, else the outlet's.

    A non-zero offset written with the time («+03:00», «GMT+4», «بتوقيت بغداد») is the page's
    own clock and wins. A "Z"/UTC stamp is how CMSs serialize an instant, not the outlet's
    clock: the outlet's configured offset is used then, or, when none is configured, the
    offset the visible byline shows (byline 01:30, metadata 22:30Z: +03:00).
    """
    if match.offset_explicit and match.utc_offset_minutes:
        return match.utc_offset_minutes
    if outlet_offset is not None:
        return outlet_offset
    if match.offset_explicit:
        return _byline_offset(match, byline)
    return match.utc_offset_minutes


def _byline_offset(match: DateMatch, byline: DateMatch | None) -> int:
    """The offset between a UTC stamp and the wall clock of a byline without a zone (0 when none fits)."""
    if byline is None or not (byline.has_time and match.has_time) or byline.offset_explicit:
        return 0
    wall = byline.local.replace(tzinfo=timezone.utc)  # the clock as written, read as UTC
    minutes = round((wall - match.value).total_seconds() / 60)
    if minutes % 15 or not _MIN_OFFSET <= minutes <= _MAX_OFFSET:
        return 0
    return minutes


def in_offset(value: datetime | None, offset_minutes: int | None) -> datetime | None:
    """The same instant on the clock of `offset_minutes` (UTC when unknown)."""
    if value is None:
        return None
    return value.astimezone(timezone(timedelta(minutes=offset_minutes or 0)))


def _own_offset(value: datetime) -> int:
    return int(value.utcoffset().total_seconds() // 60)


def _with_disagreement(evidence: str, match: DateMatch, byline: DateMatch | None) -> str:
    """Keep the metadata's answer, but say so when the visible byline names another day."""
    if byline is None or abs((match.value - byline.value).total_seconds()) < 36 * 3600:
        return evidence
    return f"{evidence} (the byline under the headline says «{byline.evidence}»)"


def _same_instant_clock(tree: lxml_html.HtmlElement, match: DateMatch, lang: str | None) -> DateMatch | None:
    """Another stamp of the page naming the same instant with its own non-zero offset, for a 'Z' stamp.

    A CMS often serializes the instant in UTC in JSON-LD and writes the outlet's clock in
    `<time datetime>` or a meta tag (VOA: "2025-01-19 20:53:09Z" and "2025-01-20T01:23:09+04:30"):
    the second is the day the outlet's readers saw, whatever offset was configured.
    """
    if not (match.offset_explicit and match.utc_offset_minutes == 0 and match.has_time):
        return None
    for _source, raw in structured_dates(tree):
        if len(raw) > _MAX_DATE_CHARS:
            continue
        other = parse_structured(raw, lang=lang)
        if (other is not None and other.value is not None and other.offset_explicit and other.has_time
                and other.utc_offset_minutes and abs((other.value - match.value).total_seconds()) < 60):
            return other
    return None


def _local_clock_fix(match: DateMatch, raw: str, byline: DateMatch | None,
                     outlet_offset: int | None) -> tuple[DateMatch, str]:
    """Read a metadata 'Z' as local time when the byline shows the very same clock.

    Many Arab CMSs stamp local time with a 'Z' (Youm7: meta 09:23:13Z, byline 09:23 ص);
    with the outlet's offset known, that would otherwise be off by the offset.
    """
    if (outlet_offset and byline is not None and byline.has_time and not byline.offset_explicit
            and match.has_time and match.offset_explicit and match.utc_offset_minutes == 0
            and match.value.replace(second=0) == byline.local.replace(tzinfo=timezone.utc, second=0)):
        fixed = DateMatch(byline.value, match.calendar, raw, match.start, match.end, has_time=True,
                          utc_offset_minutes=outlet_offset)
        return fixed, f"{raw} (the byline «{byline.evidence}» shows the same clock: read as local time)"
    return match, raw


def structured_dates(tree: lxml_html.HtmlElement) -> Iterator[tuple[str, str]]:
    """(source, raw string) candidates from JSON-LD, meta tags and `<time>`, most trusted first."""
    for obj in jsonld_objects(tree):
        for key in ("datePublished", "dateCreated"):
            if isinstance(obj.get(key), str):
                yield "jsonld", obj[key]
    tagged = _content_index(tree)
    for key in _META_NAMES:
        for el in tagged.get(key, ()):
            yield "meta", el.get("content")
    for el in tree.iter("time"):
        if el.get("datetime") and (el.get("itemprop", "").lower() in ("datepublished", "datecreated")
                                   or el.get("pubdate") is not None
                                   or _PUBLISH_CLASS.search(el.get("class", ""))):
            yield "time", el.get("datetime")


def _content_index(tree: lxml_html.HtmlElement) -> dict[tuple[str, str], list[Any]]:
    """(attribute, lowercased value) -> the elements with a `content` that carry it, `<time>` aside,
    in document order: one pass over them, not one per name in _META_NAMES."""
    index: dict[tuple[str, str], list[Any]] = {}
    for el in _WITH_CONTENT(tree):
        if el.tag != "time":
            for attr in _META_ATTRIBUTES:
                index.setdefault((attr, (el.get(attr) or "").lower()), []).append(el)
    return index


def jsonld_objects(tree: lxml_html.HtmlElement) -> list[dict]:
    """JSON-LD objects of the page, article types first; malformed blocks are skipped."""
    objects: list[dict] = []
    for script in tree.iterfind(".//script[@type]"):
        if "ld+json" not in script.get("type", "").lower() or not script.text:
            continue
        try:
            data = json.loads(script.text, strict=False)
        except ValueError:
            continue
        objects.extend(_walk(data))
    return sorted(objects, key=lambda o: not _is_article(o))


def _walk(data: Any) -> Iterator[dict]:
    if isinstance(data, list):
        for item in data:
            yield from _walk(item)
    elif isinstance(data, dict):
        yield data
        yield from _walk(data.get("@graph"))


def _is_article(obj: dict) -> bool:
    kind = obj.get("@type")
    kinds = kind if isinstance(kind, list) else [kind]
    return any(isinstance(k, str) and ("Article" in k or "Posting" in k or "Report" in k) for k in kinds)


def byline_window(title_element: Any | None) -> str:
    """The short text lines right under the headline, up to the first body paragraph."""
    if title_element is None:
        return ""
    return " \n ".join(_line_list(text for text, _ in islice(_texts_after(title_element), _FOLLOWING_TEXTS)))


def above_headline_window(title_element: Any | None) -> str:
    """The short lines right above the headline (a «category | date» line), page chrome excluded.

    A header clock or a breaking-news ticker sits in an element that does not hold the
    headline (`<header>`, `<nav>`, class "top-bar", "ticker" …): those lines are skipped.
    """
    if title_element is None:
        return ""
    holders = set(title_element.iterancestors())
    nearest_first = [text for text, holder in islice(_texts_before(title_element), _PRECEDING_TEXTS)
                     if not _in_chrome(holder, holders)]
    return " \n ".join(reversed(_line_list(nearest_first)))


def near_headline_text(title_element: Any | None) -> str:
    """The page text around the headline in any element, body lines included, page chrome above it
    excluded: where a visible publication date sits when no byline pattern holds it."""
    return " \n ".join(text for text, _ in near_headline_lines(title_element))


def near_headline_lines(title_element: Any | None, *, after_chars: int = 3000,
                        before_chars: int = 600) -> list[tuple[str, Any]]:
    """(text, element holding it) of near_headline_text, whitespace-normalised, in page order."""
    if title_element is None:
        return []
    holders = set(title_element.iterancestors())
    before = [(text, holder) for text, holder in _texts_before(title_element) if not _in_chrome(holder, holders)]
    return [*reversed(_budget(before, before_chars)), (" ".join(title_element.text_content().split()), title_element),
            *_budget(_texts_after(title_element), after_chars)]


def date_line(title_element: Any | None, *, utc_offset_minutes: int | None = None,
              lang: str | None = None) -> DateMatch | None:
    """A short line near the headline, in any element, that is a date and little else («03 آب 2023»,
    «نشر في: 3/8/2023 10:15»), when every such line there names the same day.

    Table-layout CMSs put the date in a cell or span away from the headline, past the body's
    first paragraph, where the byline reading stops. A sentence of the body that mentions a
    date is not such a line, and a list of related stories (lines naming several days) is refused.
    An update stamp is not the publication: a line after one that ends with «آخر تحديث» /
    "Updated", or in an element whose class, id or itemprop says updated/modified, is skipped.
    """
    found = []
    previous = ""
    for line, holder in near_headline_lines(title_element):
        if not (len(line) > _DATE_LINE_CHARS or _embedded(holder) or _marked_update(previous, holder)):
            found += [m for m in _publication_dates(line, utc_offset_minutes, lang, None)
                      if len(m.evidence) >= _DATE_LINE_SHARE * len(line)]
        previous = line
    return found[0] if len({m.local_date for m in found}) == 1 else None


def _marked_update(previous_line: str, holder: Any | None) -> bool:
    """The line before ends with an update word, or the element (or its parent) is marked as an
    update/modification and not as the publication."""
    before = fold(previous_line).lower().rstrip(" :：-–|")
    if any(before.endswith(marker) for marker in UPDATE_MARKERS):
        return True
    marks = [" ".join(el.get(a) or "" for a in ("class", "id", "itemprop"))
             for el in (holder, holder.getparent() if holder is not None else None) if el is not None]
    # WordPress marks an unmodified post's date "entry-date published updated": published wins
    return any(_UPDATE_MARK.search(mark) and not _PUBLISH_CLASS.search(mark) for mark in marks)


def _embedded(holder: Any | None) -> bool:
    """Inside a quoted embed (a tweet's blockquote, a figure) or a link: such a date is the embed's or
    the linked page's, not this article's."""
    return holder is not None and any(el.tag in _EMBED_TAGS for el in (holder, *holder.iterancestors()))


def _budget(texts: Iterable[tuple[str, Any]], limit: int) -> list[tuple[str, Any]]:
    """Whitespace-normalised non-empty (text, holder) pairs, in order, until `limit` characters are taken."""
    taken, total = [], 0
    for text, holder in texts:
        line = " ".join(text.split())
        if line:
            taken.append((line, holder))
            total += len(line)
            if total >= limit:
                break
    return taken


# The text nodes around the headline are walked in Python, one at a time, rather than taken
# from XPath (following::text(), preceding::text()): the lines needed sit within a few nodes,
# and the XPath evaluated every text node of the rest of the page first (5x slower).
# Checked node for node against the XPath on the replay and corpus pages.

def _texts_after(el: Any) -> Iterator[tuple[str, Any]]:
    """(text, element holding it) of the text nodes after `el` and outside it, in document order,
    script and style content excluded."""
    node = el
    while node is not None:
        parent = node.getparent()
        hidden = _hidden(parent)
        if node.tail is not None and not hidden:
            yield node.tail, parent
        for sibling in node.itersiblings():
            yield from _subtree_texts(sibling, hidden)
        node = parent


def _texts_before(el: Any) -> Iterator[tuple[str, Any]]:
    """The same for the text nodes before `el` (its ancestors' own text included), nearest first."""
    node = el
    while node is not None:
        parent = node.getparent()
        hidden = _hidden(parent)
        for sibling in node.itersiblings(preceding=True):
            yield from _subtree_texts(sibling, hidden, reverse=True)
        if parent is not None and parent.text is not None and not hidden:
            yield parent.text, parent
        node = parent


def _subtree_texts(el: Any, hidden: bool, reverse: bool = False) -> Iterator[tuple[str, Any]]:
    """The text nodes of `el`, its descendants and its tail; `hidden`: `el` sits in script or style.
    (Recursion is as deep as the tree: libxml2's HTML parser caps that at 256.)"""
    inside = hidden or el.tag in _NO_TEXT
    own = [(el.text, el)] if isinstance(el.tag, str) and el.text is not None and not inside else []
    tail = [(el.tail, el.getparent())] if el.tail is not None and not hidden else []
    yield from tail if reverse else own
    for child in (reversed(el) if reverse else el):
        yield from _subtree_texts(child, inside, reverse)
    yield from own if reverse else tail


def _hidden(el: Any | None) -> bool:
    """`el` is, or sits in, a script or style element."""
    return el is not None and (el.tag in _NO_TEXT or any(a.tag in _NO_TEXT for a in el.iterancestors()))


def _line_list(nodes: Iterable[str]) -> list[str]:
    """Non-empty lines in the given order, stopping at a body-length line or the size budget."""
    lines: list[str] = []
    total = 0
    for node in nodes:
        line = " ".join(node.split())
        if not line:
            continue
        if len(line) > _BODY_NODE_CHARS or total > _BYLINE_CHARS:
            break
        lines.append(line)
        total += len(line)
    return lines


def _in_chrome(holder: Any | None, headline_ancestors: set) -> bool:
    """The element holding a text node, or one of its ancestors, is page chrome (not the article's header)."""
    if holder is None:
        return False
    for ancestor in (holder, *holder.iterancestors()):
        if ancestor in headline_ancestors:
            return False  # reached the container the headline shares: the article's own header
        marker = f"{ancestor.get('class') or ''} {ancestor.get('id') or ''}"
        if ancestor.tag in _CHROME_TAGS or _CHROME_CLASS.search(marker):
            return True
    return False


def byline_date(title_element: Any | None, *, utc_offset_minutes: int | None = None,
                lang: str | None = None, now: datetime | None = None) -> DateMatch | None:
    """The first confident date under the headline, else the nearest above it; never an update stamp.

    Without `now`, only written dates; with it, only relative ones («منذ ساعتين»).
    """
    below = _publication_dates(byline_window(title_element), utc_offset_minutes, lang, now)
    if below:
        return below[0]
    above = _publication_dates(above_headline_window(title_element), utc_offset_minutes, lang, now)
    return above[-1] if above else None


def _publication_dates(window: str, utc_offset_minutes: int | None, lang: str | None,
                       now: datetime | None) -> list[DateMatch]:
    matches = [m for m in find_dates(window, utc_offset_minutes=utc_offset_minutes, lang=lang, now=now)
               if m.relative == (now is not None)]
    folded = fold(window).lower()
    kept = []
    for i, match in enumerate(matches):
        following = matches[i + 1].start if i + 1 < len(matches) else None
        if match.confident and _plausible(match) and not _is_update_stamp(folded, match, following):
            kept.append(match)
    return kept


def _is_update_stamp(folded: str, match: DateMatch, next_date_start: int | None) -> bool:
    """An 'updated' word right before the date, or right after it with no other date following."""
    before = folded[max(0, match.start - 30):match.start]
    if any(marker in before for marker in UPDATE_MARKERS):
        return True
    after = folded[match.end:match.end + 30].lstrip(" ,،-–|()")
    followed_by_date = next_date_start is not None and next_date_start - match.end <= 40
    return not followed_by_date and any(after.startswith(marker) for marker in UPDATE_MARKERS)


def url_date(url: str | None, *, utc_offset_minutes: int | None = None) -> DateMatch | None:
    """A full y/m/d written in the URL path (never a year alone)."""
    if not url:
        return None
    path = unquote(urlsplit(url).path)
    for m in _URL_DATE.finditer(path):
        y, mo, d = (int(g) for g in m.groups() if g is not None)
        try:
            day = date(y, mo, d)
        except ValueError:
            continue
        if y < _FIRST_WEB_YEAR:
            continue
        offset = utc_offset_minutes or 0
        value = datetime(day.year, day.month, day.day, tzinfo=timezone.utc) - timedelta(minutes=offset)
        return DateMatch(value, "gregorian", m.group(0).strip("/_-."), m.start(), m.end(),
                         utc_offset_minutes=utc_offset_minutes)
    return None
