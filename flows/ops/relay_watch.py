"""`rasid serve`'s relay: a relay run only when the outbox has something due.

The relay deployment used to run every minute: a subprocess starting Python and Prefect's
engine to find, nearly always, nothing to send (~2 s of CPU a minute, half of an idle serve).
New alerts do not need it: every poll relays at its end. What is left for the relay are
deliveries that failed (each failure schedules its retry, storage/outbox.py) and alerts held
by a topic's quiet hours. So serve keeps the relay deployment unscheduled and this watch asks
the outbox every CHECK_S seconds (one indexed query); when an alert has been due for WAITED_S,
it starts one run of the deployment, visible in the dashboard like any other, and starts no
other while that one is in flight. An alert due now is therefore sent within about
CHECK_S + WAITED_S + the runner's poll, where the one-minute schedule took up to a minute.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta
from typing import Awaitable, Callable
from uuid import UUID

from sqlalchemy.engine import Engine
from sqlmodel import Session

from storage import outbox

CHECK_S = 30.0
WAITED_S = 30.0  # a poll in progress relays its own new alerts at its end: let it

log = logging.getLogger("rasid.relay_watch")


def relay_due(engine: Engine, waited_s: float = WAITED_S) -> bool:
    with Session(engine) as session:
        return outbox.has_due(session, waited=timedelta(seconds=waited_s))


async def check_once(engine: Engine, start_relay: Callable[[], Awaitable[object]],
                     relay_in_flight: Callable[[], Awaitable[bool]], waited_s: float = WAITED_S) -> bool:
    """Start one relay run if an alert is due and no relay run is in flight; True if one was started."""
    if not await asyncio.to_thread(relay_due, engine, waited_s):
        return False
    if await relay_in_flight():
        return False
    await start_relay()
    return True


async def watch_outbox(engine: Engine, relay_deployment_id: UUID, check_s: float = CHECK_S) -> None:
    """Forever (until cancelled): check_once every `check_s`, starting runs of the relay deployment."""
    from prefect.client.orchestration import get_client

    started: list[UUID] = []
    async with get_client() as client:
        async def start_relay() -> None:
            run = await client.create_flow_run_from_deployment(relay_deployment_id, tags=["rasid", "relay"])
            started.append(run.id)

        async def in_flight() -> bool:
            if not started:
                return False
            state = (await client.read_flow_run(started[-1])).state
            return state is not None and not state.is_final()

        while True:
            await asyncio.sleep(check_s)
            try:
                await check_once(engine, start_relay, in_flight)
            except Exception as exc:  # noqa: BLE001 - a database or API hiccup must not end serve's schedules
                log.warning("relay watch: %s: %s", exc.__class__.__name__, str(exc).splitlines()[0] if str(exc) else "")
