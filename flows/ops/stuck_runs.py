"""Poll runs left 'running' by a process that died are found, and marked crashed, by the next poll.

Nothing else has to be recovered. What a dead run did not store, the next poll finds
again: an outlet's feed states are saved only after its articles are stored, and storing
is idempotent by canonical URL, so re-polling is the whole recovery. Alerts it wrote sit
in the outbox, whose claims expire and are retried by the relay.

A run counts as dead when its process is gone (same host), when its Prefect flow run
reached a final state without the run finishing, or when it has been running longer
than any poll may (a script killed against a server stays Running in Prefect forever).
"""

from __future__ import annotations

import asyncio
import os
import socket
from datetime import datetime, timedelta

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from storage.models import PollRun, utcnow

MAX_RUN_AGE = timedelta(hours=2)


def owner() -> dict:
    """Who runs this poll, recorded on its row so a later run can tell whether it is still alive."""
    return {"host": socket.gethostname(), "pid": os.getpid()}


def _process_gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:  # alive, another user's
        return False
    return False


def death_reason(run: PollRun, prefect_state, now: datetime, max_age: timedelta = MAX_RUN_AGE) -> str | None:
    """Why `run` cannot be running any more, or None if it may be."""
    who = (run.counts or {}).get("owner") or {}
    if who.get("host") == socket.gethostname() and who.get("pid") and who["pid"] != os.getpid() \
            and _process_gone(int(who["pid"])):
        return f"its process {who['pid']} is gone"
    if prefect_state is not None and prefect_state.is_final():
        return f"its Prefect flow run ended {prefect_state.type.value.lower()}"
    started = run.started if run.started.tzinfo else run.started.replace(tzinfo=now.tzinfo)
    if now - started > max_age:
        return f"running for more than {max_age}"
    return None


def running_runs(engine: Engine, exclude_id: int) -> list[PollRun]:
    with Session(engine) as session:
        return list(session.exec(select(PollRun).where(PollRun.status == "running", PollRun.id != exclude_id)))


def mark_crashed(engine: Engine, run_id: int, reason: str) -> None:
    with Session(engine) as session:
        run = session.get(PollRun, run_id)
        if run is None or run.status != "running":
            return
        run.status, run.finished = "crashed", utcnow()
        run.counts = {**(run.counts or {}), "crashed": reason}
        session.add(run)
        session.commit()


async def _prefect_state(flow_run_id: str | None):
    """The flow run's state, or None if unknown here (another server, or no API)."""
    if not flow_run_id:
        return None
    from prefect.client.orchestration import get_client
    from prefect.exceptions import ObjectNotFound

    try:
        async with get_client() as client:
            return (await client.read_flow_run(flow_run_id)).state
    except ObjectNotFound:
        return None


async def reap_stuck_runs(engine: Engine, current_id: int) -> list[tuple[int, str]]:
    """Mark every dead 'running' row crashed; returns (run id, reason) for the log."""
    runs = await asyncio.to_thread(running_runs, engine, current_id)
    now, reaped = utcnow(), []
    for run in runs:
        reason = death_reason(run, await _prefect_state(run.flow_run_id), now)
        if reason:
            await asyncio.to_thread(mark_crashed, engine, run.id, reason)
            reaped.append((run.id, reason))
    return reaped
