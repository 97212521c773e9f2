"""Calendar arithmetic that the standard library lacks: Solar Hijri (Jalali) to Gregorian.

Iranian pages date articles in the Solar Hijri calendar («۲۱ اردیبهشت ۱۳۹۹»); reading
that as a Gregorian day gives a date years or months off, so it is converted exactly
(the 33-year arithmetic rule, exact for years 1178–1633 AP) or refused.
Lunar Hijri dates are only recognised: their day depends on moon sighting and the
page always carries a Gregorian date too on the outlets we watch.
"""

from __future__ import annotations

from datetime import date


def _jalali_is_leap(year: int) -> bool:
    # Leap when the day after 29 Esfand is 1 Farvardin of the next year; test by conversion.
    return _to_ordinal(year + 1, 1, 1) - _to_ordinal(year, 12, 29) == 2


def _to_ordinal(jy: int, jm: int, jd: int) -> int:
    """Days since an epoch, the arithmetic core of the classic jalaali algorithm."""
    jy += 1595
    days = -355668 + 365 * jy + (jy // 33) * 8 + ((jy % 33) + 3) // 4 + jd
    days += (jm - 1) * 31 if jm < 7 else (jm - 7) * 30 + 186
    return days


def jalali_to_gregorian(jy: int, jm: int, jd: int) -> date | None:
    """The Gregorian day of a Solar Hijri date, or None if that date does not exist."""
    if not (1178 <= jy <= 1633 and 1 <= jm <= 12 and 1 <= jd <= 31):
        return None
    if jd > (31 if jm <= 6 else 30):
        return None
    days = _to_ordinal(jy, jm, jd)
    gy = 400 * (days // 146097)
    days %= 146097
    if days > 36524:
        days -= 1
        gy += 100 * (days // 36524)
        days %= 36524
        if days >= 365:
            days += 1
    gy += 4 * (days // 1461)
    days %= 1461
    if days > 365:
        gy += (days - 1) // 365
        days = (days - 1) % 365
    leap = (gy % 4 == 0 and gy % 100 != 0) or gy % 400 == 0
    lengths = (31, 29 if leap else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
    gd, gm = days + 1, 0
    while gm < 12 and gd > lengths[gm]:
        gd -= lengths[gm]
        gm += 1
    if gm == 12:  # 30 Esfand in a common year rolls past December
        return None
    result = date(gy, gm + 1, gd)
    if jm == 12 and jd == 30 and not _jalali_is_leap(jy):
        return None
    return result
