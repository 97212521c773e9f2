"""`rasid serve`: every schedule in one long-running process (Prefect `serve`).

Outlets are polled in groups that share a poll interval (each poll relays its new alerts
at its end); the relay deployment has no schedule here: flows/ops/relay_watch.py starts a
run when the outbox has a retry or a held alert due. The digest goes out hourly. On SIGTERM
or SIGINT the schedules are paused and the process exits, so a stop never leaves half a
schedule running.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta, timezone

from flows.pipeline.watch import load_outlets
from flows.settings import Settings

FIRST_RUN_AFTER_S = 10
RUNNER_POLL_S = 30  # how often the runner asks the server for runs due (it fetches 10 s more ahead)
RELAY = "relay-when-due"


def interval_groups(settings: Settings) -> dict[int, list[str]]:
    """Enabled outlet ids by poll interval in minutes."""
    groups: dict[int, list[str]] = defaultdict(list)
    for outlet in load_outlets(settings.outlets_file):
        if outlet.enabled:
            groups[outlet.poll_minutes].append(outlet.id)
    return dict(sorted(groups.items()))


def deployments(settings: Settings, config_file: str | None, interval_seconds: int | None = None):
    """One poll deployment per interval group, the relay (no schedule: started by relay_watch) and the
    digest (hourly).

    `interval_seconds` (a try-out) makes one poll deployment of every enabled outlet at that interval,
    polling each outlet at each tick (adaptive intervals are minutes long: at 20 s most ticks would
    poll nothing), one run at a time: a tick that comes while a poll still runs is dropped (on two
    cores a poll's subprocess may outlast a 20 s tick, and queued runs would pile up waiting for the
    outlets' slots). Schedules are anchored a few seconds after start, so the first poll runs right
    away instead of one whole interval later.
    """
    from prefect.client.schemas.objects import ConcurrencyLimitConfig, ConcurrencyLimitStrategy
    from prefect.schedules import Interval

    from flows.alert_flows import digest_scheduled, relay_scheduled
    from flows.poll import poll_scheduled

    params = {"config_file": config_file}
    first = datetime.now(timezone.utc) + timedelta(seconds=FIRST_RUN_AFTER_S)

    def every(interval: timedelta) -> list:
        return [Interval(interval, anchor_date=first)]

    if interval_seconds:
        ids = [outlet_id for group in interval_groups(settings).values() for outlet_id in group]
        built = [poll_scheduled.to_deployment(
            name=f"poll-every-{interval_seconds}s", schedules=every(timedelta(seconds=interval_seconds)),
            parameters={**params, "outlet_ids": ids, "only_due": False}, tags=["rasid", "poll"],
            concurrency_limit=ConcurrencyLimitConfig(limit=1, collision_strategy=ConcurrencyLimitStrategy.CANCEL_NEW))]
    else:
        built = [poll_scheduled.to_deployment(name=f"poll-every-{minutes}m",
                                              schedules=every(timedelta(minutes=minutes)),
                                              parameters={**params, "outlet_ids": ids}, tags=["rasid", "poll"])
                 for minutes, ids in interval_groups(settings).items()]
    built.append(relay_scheduled.to_deployment(name=RELAY, schedules=[], parameters=params, tags=["rasid", "relay"]))
    built.append(digest_scheduled.to_deployment(name="digest-every-1h", schedules=every(timedelta(hours=1)),
                                                parameters=params, tags=["rasid", "digest"]))
    return built


def serve_forever(settings: Settings, config_file: str | None, interval_seconds: int | None = None) -> None:
    """Serve until SIGTERM/SIGINT; on either, schedules are paused and in-flight runs cancelled.

    A cancelled poll is harmless: storing is idempotent and the next run repeats what it left.
    """
    import asyncio

    from prefect.runner import Runner

    from storage.db import init_db

    runner = Runner(pause_on_shutdown=True, query_seconds=_runner_poll_s(), prefetch_seconds=_runner_poll_s() + 10)
    ids = {deployment.name: runner.add_deployment(deployment)
           for deployment in deployments(settings, config_file, interval_seconds)}
    asyncio.run(_run_until_signal(runner, init_db(settings), ids[RELAY]))


def _runner_poll_s() -> float:
    """RUNNER_POLL_S, unless PREFECT_RUNNER_POLL_FREQUENCY says otherwise (the tests ask every 2 s).
    Prefect's default, 10 s, cost an API round trip and a database query of the server each time."""
    import os

    return float(os.environ.get("PREFECT_RUNNER_POLL_FREQUENCY") or RUNNER_POLL_S)


async def _run_until_signal(runner, engine, relay_id) -> None:
    """Stop the runner from inside its loop on a signal.

    Prefect's own SIGTERM handler exits from inside the event loop (tracebacks and a stop
    coroutine never awaited); stopping from the loop lets it pause the schedules and exit.
    """
    import asyncio
    import signal

    loop = asyncio.get_running_loop()
    requested: list[bool] = []
    stopping: list[asyncio.Task] = []

    def stop(*_args) -> None:
        if not requested:
            requested.append(True)
            loop.call_soon_threadsafe(lambda: stopping.append(loop.create_task(runner.astop())))

    from flows.ops.relay_watch import watch_outbox

    runner.handle_sigterm = stop  # Runner.start() installs this for SIGTERM
    loop.add_signal_handler(signal.SIGINT, stop)
    watch = loop.create_task(watch_outbox(engine, relay_id))
    try:
        await runner.start()
        if stopping:
            await stopping[0]
    finally:
        watch.cancel()
