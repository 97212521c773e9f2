"""One poll of an outlet at a time, across processes and machines: Prefect global concurrency.

Scheduled and deployed polls (`rasid serve`, workers) hold a global concurrency limit
`rasid-outlet-<id>` of 1 per outlet, created on first use (so no operator step, and no
"limit not found" warning). A run that finds the outlet taken waits for it: by then the
other run has stored what it found, so this one fetches only the feeds again (conditional
GETs) and no article twice. After two leases it gives up and skips the outlet (OutletBusy).
A slot whose holder died is freed when its lease runs out: 60 s (the least the server
allows), renewed while the holder lives; Prefect's default of 5 minutes made a re-run after
`kill -9` wait that long. One-off polls in local mode do not take slots: Prefect's temporary
server never reaps an expired lease, so a killed poll would block its outlets there.
"""

from __future__ import annotations

from contextlib import asynccontextmanager
from typing import AsyncIterator, Iterable

PREFIX = "rasid-outlet-"
LEASE_S = 60.0  # the server refuses leases under 60 s


def limit_name(outlet_id: str) -> str:
    return PREFIX + outlet_id


async def ensure_limits(outlet_ids: Iterable[str]) -> None:
    """Create the missing per-outlet limits (limit 1); a limit created meanwhile by another run is fine."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.actions import GlobalConcurrencyLimitCreate
    from prefect.exceptions import ObjectAlreadyExists

    wanted = {limit_name(i) for i in outlet_ids}
    async with get_client() as client:
        existing = await _existing_names(client)
        for name in sorted(wanted - existing):
            try:
                await client.create_global_concurrency_limit(GlobalConcurrencyLimitCreate(name=name, limit=1))
            except ObjectAlreadyExists:
                pass


async def _existing_names(client, page: int = 200) -> set[str]:
    """Every global concurrency limit name (the API serves at most 200 per request)."""
    names: set[str] = set()
    while True:
        batch = await client.read_global_concurrency_limits(limit=page, offset=len(names))
        names.update(limit.name for limit in batch)
        if len(batch) < page:
            return names


class OutletBusy(Exception):
    """Another run held the outlet's slot for longer than this run would wait."""


@asynccontextmanager
async def outlet_slot(outlet_id: str, enabled: bool = True) -> AsyncIterator[None]:
    """Hold the outlet's slot for the body, waiting (at most two leases) while another run holds it.

    Only schedules and deployments turn this on: it needs a Prefect server whose services
    reap expired leases; the temporary local server does not, and a slot left by a killed
    process would block the outlet there.
    """
    if not enabled:
        yield
        return
    from prefect.concurrency.asyncio import concurrency

    acquired = False
    try:
        async with concurrency(limit_name(outlet_id), occupy=1, strict=True, lease_duration=LEASE_S,
                               timeout_seconds=2 * LEASE_S):
            acquired = True
            yield
    except TimeoutError:
        if acquired:  # a timeout inside the poll itself, not while waiting for the slot
            raise
        raise OutletBusy(f"outlet {outlet_id} is being polled by another run; skipped") from None
