"""Times as the page shows them: in the reader's zone (settings web.timezone) and, for an article,
in its outlet's own zone, so "published 09:30" means what the outlet printed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo


@dataclass(frozen=True)
class Clock:
    zone: tzinfo
    zone_name: str

    @classmethod
    def named(cls, name: str) -> "Clock":
        return cls(ZoneInfo(name), name)

    def reader(self, moment: datetime | None, day_only: bool = False) -> str:
        """'2025-02-19 17:10' in the reader's zone, '' when unknown; '2025-02-19' for a day-only date
        (stored as the day's noon on the outlet's clock, it is the same day for any reader within 12 h)."""
        if moment is None:
            return ""
        return f"{moment.astimezone(self.zone):{'%Y-%m-%d' if day_only else '%Y-%m-%d %H:%M'}}"

    def day(self, moment: datetime) -> date:
        return moment.astimezone(self.zone).date()

    def start_of(self, day: date) -> datetime:
        """The first instant of a day in the reader's zone, in UTC (for queries)."""
        return datetime(day.year, day.month, day.day, tzinfo=self.zone).astimezone(timezone.utc)


def outlet_time(moment: datetime | None, offset_minutes: int | None, outlet_offset_hours: float | None,
                day_only: bool = False) -> str:
    """The time in the outlet's zone: the offset the page's own date gave, else the outlet's configured
    offset, else UTC; with the offset written out ('2025-02-07 09:30 UTC+3'); the day alone
    ('2025-02-07') when the page gave no time."""
    if moment is None:
        return ""
    minutes = offset_minutes if offset_minutes is not None else (
        round(outlet_offset_hours * 60) if outlet_offset_hours is not None else 0)
    local = moment.astimezone(timezone(timedelta(minutes=minutes)))
    if day_only:
        return f"{local:%Y-%m-%d}"
    hours, rest = divmod(abs(minutes), 60)
    sign = "+" if minutes >= 0 else "-"
    offset = "" if not minutes else f"{sign}{hours}" + (f":{rest:02d}" if rest else "")
    return f"{local:%Y-%m-%d %H:%M} UTC{offset}"
