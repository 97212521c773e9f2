"""The `poll` flow: every configured outlet polled concurrently, then the alert relay.

Tasks are coarse (one per outlet, one for the relay): Prefect costs ~5 ms per task
call, as much as extracting a page, so per-article work stays in plain functions.
The flow is async because sync flows pay ~1 s at exit here (PREFECT_NOTES.md).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact, create_table_artifact
from prefect.cache_policies import NO_CACHE
from sqlmodel import Session

from extractors.errors import PermanentError

# digest_scheduled and relay_scheduled: deployments made before they moved still name them here
from flows.alert_flows import digest_scheduled, relay_scheduled, relay_task, settings_for, transient_only  # noqa: F401
from flows.alerts.relay import RelayReport
from flows.fetch.client import Fetcher
from flows.ops.logging_setup import error_fields, logfmt
from flows.ops.zombies import END_HOOKS
from flows.ops.stuck_runs import owner, reap_stuck_runs
from flows.pipeline import progress
from flows.pipeline.outlet import OutletReport, PollContext, poll_outlet
from flows.pipeline.outlet_slots import OutletBusy, ensure_limits, outlet_slot
from flows.pipeline.prepare_pool import Preparer
from flows.pipeline.watch import Watch, load_watch
from flows.settings import Settings
from storage import repo
from storage.db import init_db
from storage.models import PollRun, utcnow


@dataclass
class PollSummary:
    outlets: list[OutletReport] = field(default_factory=list)
    relay: RelayReport = field(default_factory=RelayReport)
    config_errors: list[str] = field(default_factory=list)

    def total(self, name: str) -> int:
        return sum(getattr(r, name) for r in self.outlets)


@task(name="poll-outlet", task_run_name="poll-{outlet.id}", cache_policy=NO_CACHE,
      retries=2, retry_delay_seconds=[10, 60], retry_condition_fn=transient_only)
async def poll_outlet_task(ctx: PollContext, outlet) -> OutletReport:
    """One run per outlet at a time (flows/pipeline/outlet_slots.py); transient errors raise so Prefect retries
    them, permanent ones fail only this outlet."""
    logger = get_run_logger()
    try:
        async with outlet_slot(outlet.id, ctx.exclusive):
            report = await poll_outlet(ctx, outlet)
    except OutletBusy as busy:  # another run is polling this outlet: nothing to do twice
        logger.info("%s", logfmt("outlet busy", outlet=outlet.id, error=str(busy)))
        return OutletReport(outlet.id, errors=[str(busy)])
    except PermanentError as exc:  # the outlet fails, the poll goes on
        logger.error("%s", logfmt("outlet failed", outlet=outlet.id, kind=exc.kind, error=str(exc)))
        return OutletReport(outlet.id, failed=1, errors=[f"outlet {outlet.id}: {exc}"])
    for error in report.errors:  # one line per page or source, with its URL
        logger.warning("%s", logfmt("failed", outlet=outlet.id, **error_fields(error)))
    counts = {k: v for k, v in report.counts().items() if k not in ("outlet_id", "errors")}
    logger.info("%s", logfmt("outlet polled", outlet=outlet.id, **counts))
    return report


def policies_of(watch: Watch, settings: Settings) -> dict[str, repo.TopicPolicy]:
    return {t.id: repo.TopicPolicy(alert=t.alert, channels=tuple(t.channels) or tuple(settings.default_channels),
                                   quiet_hours=t.quiet_hours) for t in watch.topics}


@flow(name="poll", validate_parameters=False, log_prints=False, **END_HOOKS)
async def poll_flow(settings: Settings, outlet_ids: list[str] | None = None, only_due: bool = False,
                    exclusive: bool = False) -> PollSummary:
    """Poll the configured outlets once, store what is new and deliver due alerts.

    With `only_due` (schedules), outlets whose adaptive interval has not passed are skipped.
    With `exclusive` (schedules on a Prefect server), one run per outlet at a time.
    """
    logger = get_run_logger()
    watch = load_watch(settings)
    for error in watch.errors:
        logger.error("topic skipped: %s", error)
    outlets = [o for o in watch.outlets if o.enabled and (not outlet_ids or o.id in outlet_ids)]
    engine = init_db(settings)
    if only_due:
        outlets = await asyncio.to_thread(_due, engine, outlets)
    run_id = await asyncio.to_thread(_start_run, engine)
    for stuck_id, reason in await reap_stuck_runs(engine, run_id):
        logger.warning("poll run %s marked crashed (%s); this poll picks up what it left", stuck_id, reason)
    if exclusive:
        await ensure_limits(o.id for o in outlets)
    summary = PollSummary(config_errors=list(watch.errors))
    preparer = Preparer(watch, watch.matcher(), settings.prepare_processes)
    preparer.warm_up()
    try:
        async with Fetcher(settings.fetch) as fetcher:
            ctx = PollContext(settings, engine, fetcher, preparer, policies_of(watch, settings), exclusive)
            progress.poll_started(len(outlets))
            summary.outlets = list(await asyncio.gather(*(_polled(ctx, o) for o in outlets)))
    finally:
        preparer.close()
    summary.relay = await relay_task(settings, watch)
    await asyncio.to_thread(_warn_operators, settings, watch, summary)
    await asyncio.to_thread(_finish_run, engine, run_id, summary)
    await _publish(summary)
    return summary


def _due(engine, outlets: list) -> list:
    with Session(engine) as session:
        due = repo.due_outlets(session, [o.id for o in outlets])
    return [o for o in outlets if o.id in due]


def _warn_operators(settings: Settings, watch: Watch, summary: PollSummary) -> None:
    """An outlet that went dark in this poll is reported to the operators once (not every poll)."""
    from flows.alerts.relay import Channels, notify_operators

    names = {o.id: o.name for o in watch.outlets}
    dark = [r for r in summary.outlets if r.turned_dark]
    if dark:
        notify_operators(Channels(settings.channels), settings.operator_channels or settings.default_channels,
                         [(names.get(r.outlet_id, r.outlet_id), r.diagnosis, r.errors[-1] if r.errors else "")
                          for r in dark])


async def _polled(ctx: PollContext, outlet) -> OutletReport:
    report = await _report_of(await poll_outlet_task(ctx, outlet, return_state=True), outlet.id)
    progress.outlet_done(report)  # rasid poll's progress line, when it listens
    return report


async def _report_of(state, outlet_id: str) -> OutletReport:
    """A task that failed after its retries is one failed outlet, not a failed poll."""
    result = await state.aresult(raise_on_failure=False)
    if isinstance(result, BaseException):
        return OutletReport(outlet_id, failed=1, errors=[f"outlet {outlet_id}: {result.__class__.__name__}: "
                                                         f"{str(result).splitlines()[0] if str(result) else ''}"])
    return result


def _start_run(engine) -> int:
    from prefect.runtime import flow_run

    with Session(engine) as session:
        run = PollRun(flow_run_id=str(flow_run.id) if flow_run.id else None, counts={"owner": owner()})
        session.add(run)
        session.commit()
        return run.id


def _finish_run(engine, run_id: int, summary: PollSummary) -> None:
    with Session(engine) as session:
        run = session.get(PollRun, run_id)
        run.finished, run.status = utcnow(), "completed"
        run.counts = {"outlets": {r.outlet_id: r.counts() for r in summary.outlets},
                      "sent": len(summary.relay.sent), "retried": summary.relay.retried,
                      "failed_alerts": summary.relay.failed, "config_errors": summary.config_errors}
        session.add(run)
        session.commit()


async def _publish(summary: PollSummary) -> None:
    """The Prefect UI is the dashboard: a table of new matches and a markdown summary per poll."""
    rows = [m for r in summary.outlets for m in r.matches]
    if rows:
        await create_table_artifact(key="poll-matches", table=rows, description="New matches in this poll")
    lines = ["| outlet | discovered | new | stored | matched | alerts | failed |", "|---|---|---|---|---|---|---|"]
    lines += [f"| {r.outlet_id} | {r.discovered} | {r.new} | {r.stored} | {r.matched} | {r.alerts} | {r.failed} |"
              for r in summary.outlets]
    lines.append(f"\nAlerts delivered: {len(summary.relay.sent)}, to retry: {summary.relay.retried}, "
                 f"failed: {summary.relay.failed}")
    await create_markdown_artifact(key="poll-summary", markdown="\n".join(lines), description="Poll summary")


@flow(name="poll-scheduled", **END_HOOKS)
async def poll_scheduled(config_file: str | None = None, outlet_ids: list[str] | None = None,
                         only_due: bool = True) -> dict:
    """Entry point for schedules and deployments: settings come from the file and the environment;
    by default only outlets whose adaptive interval has passed are polled."""
    summary = await poll_flow(settings_for(config_file), outlet_ids, only_due, exclusive=True)
    return {r.outlet_id: r.counts() for r in summary.outlets}
