"""Outlet health: the `rasid outlets status` table, times in the reader's zone."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from flows.ops.outlet_status import status_rows
from flows.web.site import Site
from storage.repo import as_utc

HEALTH_NAMES = {"ok": "سليم", "stale": "متأخر", "failing": "يتعثر", "dark": "منقطع", "never polled": "لم يُستطلع بعد"}

POLL_REASONS = {"fixed": "فاصل ثابت", "quiet": "هادئ منذ 7 أيام", "ceiling": "ينشر ببطء",
                "floor": "ينشر كثيراً", "pace": "بحسب وتيرة النشر"}


def outlets_page(session: Session, site: Site, now: datetime) -> dict:
    rows = []
    for row in status_rows(site.settings, session, now):
        rows.append({**row, "name": site.outlet_name(row["id"]), "health_name": HEALTH_NAMES.get(row["health"], ""),
                     "poll_reason_name": POLL_REASONS.get(row["poll_reason"], ""),
                     "last_success_shown": site.clock.reader(as_utc(row["last_success"])),
                     "last_polled_shown": site.clock.reader(as_utc(row["last_polled"]))})
    return {"rows": rows}

