"""The relay and digest flows and their tasks, apart from the poll's module.

Under `rasid serve` and on Prefect workers every scheduled run is a new subprocess that
imports its flow's module (the relay: under serve when a retry is due, on workers every 5 minutes). Kept here, a relay or digest run
imports Prefect and the outbox but not the extraction pipeline (trafilatura, the fetcher,
the worker pool): a relay run costs ~2.0 s of CPU instead of ~2.2 s (docs/operations.md).
"""

from __future__ import annotations

import asyncio

from prefect import flow, task
from prefect.cache_policies import NO_CACHE

from extractors.errors import TransientError
from flows.alerts.digest import deliver_digest
from flows.alerts.relay import RelayReport, deliver_due
from flows.ops.zombies import END_HOOKS
from flows.pipeline.watch import Watch, load_watch
from flows.settings import Settings


def transient_only(task, task_run, state) -> bool:
    """Retry what may pass by itself (network, a database restarting); never a PermanentError or a bug."""
    from sqlalchemy.exc import OperationalError

    error = state.result(raise_on_failure=False, _sync=True)  # sync: Prefect calls this from its event loop
    return isinstance(error, (TransientError, OperationalError))


@task(name="relay-alerts", cache_policy=NO_CACHE, retries=2, retry_delay_seconds=[10, 60],
      retry_condition_fn=transient_only)
async def relay_task(settings: Settings, watch: Watch) -> RelayReport:
    return await asyncio.to_thread(deliver_due, settings, watch)


def settings_for(config_file: str | None) -> Settings:
    from pathlib import Path

    from flows.settings import load_settings

    return load_settings(Path(config_file) if config_file else None)


@flow(name="relay", **END_HOOKS)
async def relay_scheduled(config_file: str | None = None) -> dict:
    """Deliver due alerts (retries whose backoff has passed) on its own schedule."""
    settings = settings_for(config_file)
    report = await relay_task(settings, load_watch(settings))
    return {"sent": len(report.sent), "retried": report.retried, "failed": report.failed}


@flow(name="digest", **END_HOOKS)
async def digest_scheduled(config_file: str | None = None) -> dict:
    """Send the digest of follow-ups and digest-policy topics, one message per channel."""
    return (await digest_task(settings_for(config_file))).__dict__


@task(name="send-digest", cache_policy=NO_CACHE)
async def digest_task(settings: Settings):
    return await asyncio.to_thread(deliver_digest, settings)
