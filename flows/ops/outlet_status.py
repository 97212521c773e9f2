"""Outlet health as `rasid outlets status` and the web page's outlets table show it: one row per
configured outlet, computed from its stored state and the publication times of its articles."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

from sqlmodel import Session

from flows.pipeline.discover import outlet_health, outlet_poll_policy
from flows.pipeline.watch import load_outlets
from storage.findings import outlet_activity


def status_rows(settings: Any, session: Session, now: datetime | None = None) -> list[dict[str, Any]]:
    """One dict per configured outlet (read-only): health, last success, failures, items a day, poll interval
    and why (`poll_reason`: fixed, quiet, ceiling, floor or pace; `poll_why`: the phrase the table shows)."""
    now = now or datetime.now(timezone.utc)
    outlets = load_outlets(settings.outlets_file)
    activity = outlet_activity(session, [outlet.id for outlet in outlets], now)
    rows = []
    for outlet in outlets:
        state, week, month = activity.states.get(outlet.id), activity.week.get(outlet.id, []), \
            activity.month.get(outlet.id, 0)
        usual_gap = timedelta(days=30) / month if month else None
        policy = outlet_poll_policy(outlet, week, now)
        rows.append({
            "id": outlet.id, "name": outlet.name, "enabled": outlet.enabled,
            "health": outlet_health(state.failures if state else 0.0, state.last_success if state else None,
                                    activity.newest.get(outlet.id), now, usual_gap),
            "diagnosis": state.diagnosis if state else None,
            "last_polled": state.last_polled if state else None, "last_success": state.last_success if state else None,
            "failures": state.failures if state else 0.0, "last_error": state.last_error if state else None,
            "items_per_day_7d": len(week) / 7, "items_per_day_30d": month / 30,
            "poll_minutes": policy.minutes, "poll_reason": policy.reason, "poll_why": policy.explain(),
            "poll_ceiling": policy.ceiling})
    return rows
