"""`rasid serve`: every schedule in one long-running process (Prefect `serve`).

Outlets are polled in groups that share a poll interval; the relay retries due
alerts every minute. Prefect's serve() pauses the schedules and exits on SIGTERM or
SIGINT, so a stop never leaves half a schedule running.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta

from flows.settings import Settings
from flows.watch import load_outlets


def interval_groups(settings: Settings) -> dict[int, list[str]]:
    """Enabled outlet ids by poll interval in minutes."""
    groups: dict[int, list[str]] = defaultdict(list)
    for outlet in load_outlets(settings.outlets_file):
        if outlet.enabled:
            groups[outlet.poll_minutes].append(outlet.id)
    return dict(sorted(groups.items()))


def deployments(settings: Settings, config_file: str | None):
    from flows.poll import poll_scheduled, relay_scheduled

    params = {"config_file": config_file}
    built = [poll_scheduled.to_deployment(name=f"poll-every-{minutes}m", interval=timedelta(minutes=minutes),
                                          parameters={**params, "outlet_ids": ids}, tags=["rasid", "poll"])
             for minutes, ids in interval_groups(settings).items()]
    built.append(relay_scheduled.to_deployment(name="relay-every-1m", interval=timedelta(minutes=1),
                                               parameters=params, tags=["rasid", "relay"]))
    return built


def serve_forever(settings: Settings, config_file: str | None) -> None:
    from prefect import serve

    serve(*deployments(settings, config_file))
