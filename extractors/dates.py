"""Reading dates the way Arabic, Persian and English news pages write them.

htmldate turns «22 شباط 2025» into 2025-01-01 and dateparser returns nothing for it;
a wrong date breaks "new development" logic, so this parser reads a date only when
day, month and year are all written, and says so when it cannot (a bare year, a
lunar Hijri date, a weekday that contradicts the day). Every result keeps the
verbatim evidence it was read from.

Public: `DateMatch`, `find_dates(text)`, `parse_date(text)`, `parse_structured(value)`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta, timezone
from email.utils import parsedate_to_datetime

from extractors.dates_calendars import jalali_to_gregorian
from extractors.dates_names import (ENGLISH, GREGORIAN_AR, HIJRI, JALALI, WEEKDAYS, ZONES,
                                    fold)

GREGORIAN, HIJRI_CAL, JALALI_CAL = "gregorian", "hijri", "jalali"
_MIN_YEAR, _MAX_YEAR = 1900, 2100


@dataclass(frozen=True)
class DateMatch:
    """One date found in a text; `value` is None when it cannot be known for sure."""

    value: datetime | None          # aware, UTC
    calendar: str                   # "gregorian" | "jalali" | "hijri"
    evidence: str                   # the verbatim string it was read from
    start: int
    end: int
    has_time: bool = False
    utc_offset_minutes: int | None = None  # offset of the wall clock written (None: unknown, read as UTC)
    offset_explicit: bool = False   # the offset was written in the string itself
    weekday_ok: bool | None = None  # None when no weekday was written
    relative: bool = False          # «منذ 3 ساعات»: computed from `now`

    @property
    def confident(self) -> bool:
        return self.value is not None and self.weekday_ok is not False

    @property
    def local(self) -> datetime | None:
        """The wall-clock time as the page wrote it."""
        if self.value is None:
            return None
        return self.value.astimezone(timezone(timedelta(minutes=self.utc_offset_minutes or 0)))

    @property
    def local_date(self) -> date | None:
        return self.local.date() if self.local else None


def _alt(names) -> str:
    ordered = sorted(set(names), key=len, reverse=True)
    return "|".join(re.escape(n).replace(r"\ ", r"\s+") for n in ordered)


_MONTH = _alt([*GREGORIAN_AR, *ENGLISH, *HIJRI, *JALALI])
_WD = _alt(WEEKDAYS)
_ZONE_NAMES = _alt(ZONES)
_ERA = r"م|ه\s?\.?\s?ش|ه|ش|ق|AD|AH"
_WD_PREFIX = rf"(?:(?<![\w])(?P<wd>{_WD})\s*[,،\-]?\s*)?"
_ERA_SUFFIX = rf"(?:\s*(?P<era>{_ERA})(?![\w]))?"
_COMBINED = rf"(?P<m1>{_MONTH})(?:\s*[/\-–(]\s*(?P<m2>{_MONTH})\s*\)?)?(?![\w])"
_ORD = r"(?:st|nd|rd|th)?"

_DMY = re.compile(
    rf"{_WD_PREFIX}(?<![0-9])(?P<d>[0-9]{{1,2}}){_ORD}\s*[,،.\-/]?\s*(?:من\s+)?(?:شهر\s+)?"
    rf"{_COMBINED}\s*[,،.\-/]?\s*(?P<y>[0-9]{{4}})(?![0-9]){_ERA_SUFFIX}", re.I)
_MDY = re.compile(
    rf"{_WD_PREFIX}(?<![\w]){_COMBINED}\.?\s*(?P<d>[0-9]{{1,2}}){_ORD}(?![0-9])\s*[,،]?\s*"
    rf"(?P<y>[0-9]{{4}})(?![0-9]){_ERA_SUFFIX}", re.I)
_NUMERIC = re.compile(
    rf"{_WD_PREFIX}(?<![0-9/.\-])(?P<a>[0-9]{{1,4}})\s*(?P<sep>[/.\-])\s*(?P<b>[0-9]{{1,2}})\s*(?P=sep)\s*"
    rf"(?P<c>[0-9]{{1,4}})(?![0-9]|[/.\-][0-9]){_ERA_SUFFIX}", re.I)

_AMPM = r"صباحا|صباحاً|صباحًا|مساء|مساءً|مساءا|ص|م|am|pm|a\.m\.|p\.m\.|ق\s?\.\s?ظ|ب\s?\.\s?ظ"
_TIME = (r"(?P<H>[0-9]{1,2})\s?:\s?(?P<M>[0-9]{2})(?:\s?:\s?(?P<S>[0-9]{2}))?"
         rf"(?:\s*(?P<ap>{_AMPM})(?![\w]))?")
_ZONE = (rf"\(?\s*(?:بتوقيت\s+)?(?P<z>{_ZONE_NAMES})"
         r"(?:\s*(?P<zs>[+\-−])\s*(?P<zh>[0-9]{1,2})(?::?(?P<zm>[0-9]{2}))?)?(?![\w])\s*\)?")
_NUMERIC_ZONE = r"(?P<ns>[+\-−])(?P<nh>[0-9]{2}):?(?P<nm>[0-9]{2})(?![0-9])"  # "+0300" after a time
_TIME_AFTER = re.compile(
    rf"\s*(?:[,،\-–|]|::?)?\s*\(?\s*(?:(?:الساعه|ساعت|at)\s*)?{_TIME}(?:\s*(?:{_ZONE}|{_NUMERIC_ZONE}))?", re.I)
_ZONE_AFTER = re.compile(rf"\s*{_ZONE}", re.I)
_TIME_BEFORE = re.compile(
    rf"(?:(?P<z0>{_ZONE_NAMES})\s*)?{_TIME}(?:\s*{_ZONE})?\s*[,،\-–|]?\s*$", re.I)
_PM = {"م", "مساء", "مساءً", "مساءا", "pm", "p.m."}

_RELATIVE_UNITS = {  # folded word -> (seconds, count when no number is written)
    "ثانيه": (1, 1), "ثواني": (1, None), "ثوان": (1, None), "دقيقه": (60, 1), "دقيقتين": (60, 2),
    "دقائق": (60, None), "ساعه": (3600, 1), "ساعتين": (3600, 2), "ساعات": (3600, None),
    "يوم": (86400, 1), "يوما": (86400, None), "يومين": (86400, 2), "ايام": (86400, None),
    "اسبوع": (604800, 1), "اسبوعين": (604800, 2), "اسابيع": (604800, None),
    "second": (1, None), "minute": (60, None), "min": (60, None), "hour": (3600, None),
    "hr": (3600, None), "day": (86400, None), "week": (604800, None),
    "ساعت": (3600, None), "روز": (86400, None), "هفته": (604800, None),
}
_NUMBER_WORDS = {"ثلاث": 3, "ثلاثه": 3, "اربع": 4, "اربعه": 4, "خمس": 5, "خمسه": 5, "ست": 6, "سته": 6,
                 "سبع": 7, "سبعه": 7, "ثماني": 8, "ثمان": 8, "ثمانيه": 8, "تسع": 9, "تسعه": 9, "عشر": 10,
                 "عشره": 10}
_DAY_WORDS = {"اليوم": 0, "today": 0, "امروز": 0, "امس": 1, "البارحه": 1, "yesterday": 1, "ديروز": 1}
_DAY_WORD = re.compile(rf"(?<![\w])(?P<day>{_alt(_DAY_WORDS)})\s*[,،\-]?\s*(?:(?:الساعه|at)\s*)?{_TIME}", re.I)
_ARABIC_UNITS = _alt(k for k in _RELATIVE_UNITS if not k.isascii())
_RELATIVE = re.compile(
    rf"(?:(?<![\w])(?:منذ|قبل)\s+(?:(?P<n>[0-9]+|(?:{_alt(_NUMBER_WORDS)})(?=\s))\s*)?"
    rf"(?P<unit>{_ARABIC_UNITS})(?![\w]))"
    r"|(?:(?<![\w])(?P<en>[0-9]+|an?|one)\s+(?P<enunit>second|minute|min|hour|hr|day|week)s?\s+ago)"
    r"|(?:(?<![0-9])(?P<fan>[0-9]+)\s*(?P<faunit>ثانيه|دقيقه|ساعت|روز|هفته)\s*(?:پيش|قبل)(?![\w]))", re.I)


def find_dates(text: str, *, now: datetime | None = None, utc_offset_minutes: int | None = None,
               lang: str | None = None) -> list[DateMatch]:
    """Every date written in `text`, in order. Relative forms need `now`.

    `utc_offset_minutes` is the outlet's offset, used when the string names no zone.
    `lang="fa"` reads numeric years 1300–1500 as Solar Hijri; otherwise they are
    recognised as (lunar) Hijri and given no Gregorian value.
    """
    folded = fold(text)
    found: list[DateMatch] = []
    for kind, regex in (("dmy", _DMY), ("mdy", _MDY), ("numeric", _NUMERIC)):
        for m in regex.finditer(folded):
            if any(m.start() < f.end and f.start < m.end() for f in found):
                continue
            match = _build(m, kind, text, folded, utc_offset_minutes, lang)
            if match is not None:
                found.append(match)
    if now is not None:
        for relative in (*_relatives(text, folded, now), *_day_words(text, folded, now, utc_offset_minutes)):
            if not any(relative.start < f.end and f.start < relative.end for f in found):
                found.append(relative)
    return sorted(found, key=lambda f: f.start)


def parse_date(text: str, **kwargs) -> DateMatch | None:
    """The first confident date in `text` (see find_dates for the arguments)."""
    return next((m for m in find_dates(text, **kwargs) if m.confident), None)


_ISO = re.compile(r"^\s*(?P<y>[0-9]{4})-(?P<mo>[0-9]{1,2})-(?P<d>[0-9]{1,2})"
                  r"(?:[T\s]+(?P<H>[0-9]{1,2}):(?P<M>[0-9]{2})(?::(?P<S>[0-9]{2})(?:[.,][0-9]+)?)?)?"
                  r"\s*(?P<tz>Z|UTC|GMT|[+\-][0-9]{2}(?::?[0-9]{2})?)?\s*$", re.I)


def parse_structured(value: str, *, utc_offset_minutes: int | None = None,
                     lang: str | None = None) -> DateMatch | None:
    """A date from metadata (ISO 8601, RFC 2822, or a written date); None for a bare year."""
    folded = fold(value).strip()
    m = _ISO.match(folded)
    if m:
        return _from_iso(m, value.strip(), utc_offset_minutes)
    try:
        parsed = parsedate_to_datetime(folded)
    except (TypeError, ValueError, IndexError):
        parsed = None
    if parsed is not None and parsed.tzinfo is not None and _MIN_YEAR <= parsed.year <= _MAX_YEAR:
        offset = int(parsed.utcoffset().total_seconds() // 60)
        return DateMatch(parsed.astimezone(timezone.utc), GREGORIAN, value.strip(), 0, len(value),
                         has_time=True, utc_offset_minutes=offset, offset_explicit=True)
    return parse_date(value, utc_offset_minutes=utc_offset_minutes, lang=lang)


def _from_iso(m: re.Match, evidence: str, default_offset: int | None) -> DateMatch | None:
    try:
        local = datetime(int(m["y"]), int(m["mo"]), int(m["d"]), int(m["H"] or 0), int(m["M"] or 0),
                         int(m["S"] or 0))
    except ValueError:
        return None
    if not _MIN_YEAR <= local.year <= _MAX_YEAR:
        return None
    offset, explicit = _iso_offset(m["tz"]), m["tz"] is not None
    if offset is None:
        offset = default_offset
    return _dated(local, GREGORIAN, evidence, 0, len(evidence), has_time=m["H"] is not None,
                  offset=offset, explicit=explicit)


def _iso_offset(tz: str | None) -> int | None:
    if tz is None:
        return None
    if tz.upper() in ("Z", "UTC", "GMT"):
        return 0
    digits = tz[1:].replace(":", "")
    minutes = int(digits[:2]) * 60 + int(digits[2:4] or 0)
    return -minutes if tz[0] == "-" else minutes


def _dated(local: datetime, calendar: str, evidence: str, start: int, end: int, *, has_time: bool,
           offset: int | None, explicit: bool, weekday: int | None = None) -> DateMatch:
    value = (local - timedelta(minutes=offset or 0)).replace(tzinfo=timezone.utc)
    return DateMatch(value, calendar, evidence, start, end, has_time=has_time, utc_offset_minutes=offset,
                     offset_explicit=explicit,
                     weekday_ok=None if weekday is None else local.weekday() == weekday)


def _month(name: str | None) -> tuple[str, int] | None:
    if name is None:
        return None
    key = re.sub(r"\s+", " ", name)
    for calendar, table in ((GREGORIAN, GREGORIAN_AR), (GREGORIAN, ENGLISH), (HIJRI_CAL, HIJRI),
                            (JALALI_CAL, JALALI)):
        number = table.get(key) or table.get(key.lower())
        if number:
            return calendar, number
    return None


def _ymd(m: re.Match, kind: str, lang: str | None) -> tuple[str, int, int, int] | None:
    """(calendar, year, month, day) of a core match, or None when it is not a date."""
    era = re.sub(r"[\s.]", "", m["era"] or "")
    if kind == "numeric":
        a, b, c = m["a"], int(m["b"]), m["c"]
        if len(a) == 4 and len(c) <= 2:
            year, month, day = int(a), b, int(c)
        elif len(c) == 4 and len(a) <= 2:
            year, month, day = int(c), b, int(a)
            if month > 12 >= day:  # month-first (US) order
                month, day = day, month
        else:
            return None
        calendar = _numeric_calendar(year, era, lang)
    else:
        first, second = _month(m["m1"]), _month(m["m2"])
        if first is None or (second is not None and second != first):
            return None
        calendar, month = first
        year, day = int(m["y"]), int(m["d"])
    if calendar is None or not _year_fits(calendar, year, era):
        return None
    return calendar, year, month, day


def _numeric_calendar(year: int, era: str, lang: str | None) -> str | None:
    if _MIN_YEAR <= year <= _MAX_YEAR:
        return GREGORIAN
    if era in ("هش", "ش") or (lang == "fa" and era not in ("ه", "ق", "AH")):
        return JALALI_CAL
    return HIJRI_CAL


def _year_fits(calendar: str, year: int, era: str) -> bool:
    if calendar == GREGORIAN:
        return _MIN_YEAR <= year <= _MAX_YEAR and era not in ("ه", "هش", "ش", "ق", "AH")
    return 1300 <= year <= 1500


def _build(m: re.Match, kind: str, text: str, folded: str, default_offset: int | None,
           lang: str | None) -> DateMatch | None:
    ymd = _ymd(m, kind, lang)
    if ymd is None:
        return None
    calendar, year, month, day = ymd
    start, end = m.start(), m.end()
    if calendar == HIJRI_CAL:
        return DateMatch(None, HIJRI_CAL, text[start:end], start, end)
    try:
        day_value = (jalali_to_gregorian(year, month, day) if calendar == JALALI_CAL
                     else date(year, month, day))
    except ValueError:
        day_value = None
    if day_value is None:
        return None
    clock, zone, start, end = _clock(folded, start, end)
    offset = zone if zone is not None else default_offset
    local = datetime.combine(day_value, datetime.min.time()).replace(**(clock or {}))
    weekday = WEEKDAYS.get(m["wd"].lower() if m["wd"] else "")
    return _dated(local, calendar, text[start:end], start, end, has_time=clock is not None,
                  offset=offset, explicit=zone is not None, weekday=weekday)


def _clock(folded: str, start: int, end: int) -> tuple[dict | None, int | None, int, int]:
    """The time (and zone) written right after or right before a date, widening the span."""
    after = _TIME_AFTER.match(folded, end)
    if after and (clock := _hms(after)) is not None:
        return clock, _zone(after), start, after.end()
    window_start = max(0, start - 40)
    before = _TIME_BEFORE.search(folded[window_start:start])
    if before and (clock := _hms(before)) is not None:
        zone = _zone(before) if before["z"] else _zone_name(before["z0"])
        return clock, zone, window_start + before.start(), end
    zone_only = _ZONE_AFTER.match(folded, end)
    if zone_only:
        return None, _zone(zone_only), start, zone_only.end()
    return None, None, start, end


def _hms(m: re.Match) -> dict | None:
    hour, minute, second = int(m["H"]), int(m["M"]), int(m["S"] or 0)
    marker = re.sub(r"\s", "", (m["ap"] or "").lower())
    if marker:
        if hour > 12 or hour == 0:
            return None
        pm = marker in _PM or marker.startswith("مساء") or marker == "ب.ظ"
        hour = hour % 12 + (12 if pm else 0)
    if hour > 23 or minute > 59 or second > 59:
        return None
    return {"hour": hour, "minute": minute, "second": second}


def _zone_name(name: str | None) -> int | None:
    if name is None:
        return None
    key = re.sub(r"\s+", " ", name)
    return ZONES.get(key, ZONES.get(key.upper()))


def _zone(m: re.Match) -> int | None:
    if "ns" in m.re.groupindex and m["ns"]:
        return _shift(0, m["ns"], m["nh"], m["nm"])
    base = _zone_name(m["z"])
    if base is None or not m["zs"]:
        return base
    return _shift(base, m["zs"], m["zh"], m["zm"])


def _shift(base: int, sign: str, hours: str, minutes: str | None) -> int | None:
    h, mi = int(hours), int(minutes or 0)
    if h > 14 or mi > 59:
        return None
    return base + (h * 60 + mi) * (1 if sign == "+" else -1)


def _day_words(text: str, folded: str, now: datetime, offset: int | None) -> list[DateMatch]:
    """«اليوم 10:30», «أمس الساعة 22:15», "Yesterday 9:05": the outlet's day of `now`, minus 0 or 1."""
    if now.tzinfo is None:
        now = now.replace(tzinfo=timezone.utc)
    local_today = now.astimezone(timezone(timedelta(minutes=offset or 0))).date()
    found = []
    for m in _DAY_WORD.finditer(folded):
        clock = _hms(m)
        if clock is None:
            continue
        day = local_today - timedelta(days=_DAY_WORDS[m["day"].lower()])
        local = datetime.combine(day, datetime.min.time()).replace(**clock)
        match = _dated(local, GREGORIAN, text[m.start():m.end()], m.start(), m.end(), has_time=True,
                       offset=offset, explicit=False)
        if match.value <= now + timedelta(minutes=5):  # "today" at a later hour is not a publication time
            found.append(replace(match, relative=True))
    return found


def _relatives(text: str, folded: str, now: datetime) -> list[DateMatch]:
    if now.tzinfo is None:
        now = now.replace(tzinfo=timezone.utc)
    found = []
    for m in _RELATIVE.finditer(folded):
        number = m["n"] or m["en"] or m["fan"]
        unit = (m["unit"] or m["enunit"] or m["faunit"]).lower()
        seconds, implied = _RELATIVE_UNITS.get(re.sub(r"\s+", " ", unit), (None, None))
        if seconds is None:
            continue
        if number is None:
            count = implied  # «منذ ساعة», «منذ ساعتين»
        elif number.isdigit():
            count = int(number)
        else:
            count = _NUMBER_WORDS.get(number, 1)  # «منذ ثلاث ساعات»; "an hour ago"
        if count is None:
            continue
        value = now.astimezone(timezone.utc) - timedelta(seconds=seconds * count)
        found.append(DateMatch(value, GREGORIAN, text[m.start():m.end()], m.start(), m.end(),
                               has_time=seconds < 86400, utc_offset_minutes=0, relative=True))
    return found
