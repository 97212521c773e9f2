"""A last-resort publication day from htmldate, for pages where rasid's own sources found none.

rasid's sources (structured data, the byline, the URL, the feed) skip what they cannot read
for sure; htmldate searches wider (other markup, `<abbr>`, image names, text patterns) and
so finds a day on pages rasid leaves undated. It is also wrong more often: it turns a bare
year into January 1st and reads header clocks (docs/extraction.md). So its answer is used
only when nothing else gave a date, and only as a *day* (htmldate gives no time), in its
careful settings: the original (not the last-modified) date, no extensive free-text search
(measured in bench/date_fallback.py). A day after the fetch time is refused, and so is one
the page's own partial evidence contradicts: a year or year/month in the URL, a partial
date («آب 2023») or an update stamp near the headline that names a day before it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from urllib.parse import unquote, urlsplit

from lxml import html as lxml_html

from extractors.dates import find_dates

_FIRST_WEB_DAY = date(1995, 1, 1)
_URL_YEAR_MONTH = re.compile(r"/((?:19|20)\d\d)/(?:(\d{1,2})(?:/|$))?")
_MAX_ZONE_AHEAD = timedelta(hours=14)  # the furthest east UTC offset: a fetch day there may be one ahead


@dataclass(frozen=True)
class FallbackDay:
    day: date
    evidence: str


CAREFUL = {"original_date": True, "extensive_search": False}


def fallback_day(tree: lxml_html.HtmlElement, *, near_headline: str, url: str | None, now: datetime | None,
                 lang: str | None = None,
                 settings: dict[str, bool] = CAREFUL) -> FallbackDay | None:
    """htmldate's day for the page, or None when it finds none or its day cannot be right.

    `near_headline`: the page text around the headline (dates_page.near_headline_text), where
    the day must be written for it to be taken.
    The tree is copied by htmldate before it prunes it; `url` (or the canonical link it
    finds) is only parsed, never fetched. Without `now`, htmldate's own bound (today) applies.
    """
    from htmldate import find_date  # imported on first use: most pages never need it

    latest = _latest_day(now)
    try:
        found = find_date(tree, url=url, min_date=_FIRST_WEB_DAY.isoformat(),
                          max_date=latest.isoformat() if latest else None, **settings)
    except (ValueError, TypeError, OverflowError):  # a malformed page is "no date", never a crash
        return None
    if not found:
        return None
    try:
        day = date.fromisoformat(found)
    except ValueError:
        return None
    if (latest is not None and day > latest) or not fits_url(day, url):
        return None
    written = _written(near_headline, day, lang)
    if written is None:
        return None
    return FallbackDay(day, f"htmldate: {found}, written on the page as «{written}»")


def _written(near_headline: str, day: date, lang: str | None) -> str | None:
    """The evidence in the text around the headline naming `day` as a full date, or None.

    htmldate chooses which date is the publication's by markup, anywhere on the page; this
    checks the day is written where a reader looks for it, near the headline and outside
    the page chrome. What htmldate makes up (January 1st from a bare year), reads off a UTC
    stamp a day away, or takes from a header clock or a sidebar is not written there.
    """
    for match in find_dates(near_headline, lang=lang):
        if match.confident and match.local_date == day:
            return match.evidence
    return None


def _latest_day(now: datetime | None) -> date | None:
    """The latest calendar day anywhere on Earth at the fetch time: a later day is in its future."""
    if now is None:
        return None
    aware = now if now.tzinfo else now.replace(tzinfo=timezone.utc)
    return (aware.astimezone(timezone.utc) + _MAX_ZONE_AHEAD).date()


def fits_url(day: date, url: str | None) -> bool:
    """A year (and month) written in the URL path must be the day's: `/2023/08/slug` is August 2023."""
    if not url:
        return True
    m = _URL_YEAR_MONTH.search(unquote(urlsplit(url).path))
    if m is None:
        return True
    year, month = int(m[1]), int(m[2]) if m[2] else None
    return year == day.year and (month is None or not 1 <= month <= 12 or month == day.month)
