"""Flow runs whose process died turn Crashed in Prefect instead of staying Running forever.

A run is only marked Crashed by whoever watches its process: a worker or `serve` does when
its child dies, but a run whose whole machine or supervisor died (or a script killed while
talking to a server) stays Running in the dashboard. Flow runs emit a heartbeat event every
30 s (flows/ops/prefect_env.py, deploy/prefect.yaml); this automation marks a run Crashed when a heartbeat is followed by neither
another heartbeat nor a final state within MISSING_AFTER_S (Prefect's documented recipe).
rasid's own `poll_runs` rows are reaped by the next poll (flows/ops/stuck_runs.py); this keeps
Prefect's view in step. Automations run on a Prefect server, not in local temporary mode.
"""

from __future__ import annotations

from datetime import timedelta

MISSING_AFTER_S = 90   # three heartbeats missed (flows/ops/prefect_env.py sets them every 30 s)
NAME = "rasid: crash zombie flow runs"
FINAL = ("prefect.flow-run.Completed", "prefect.flow-run.Failed", "prefect.flow-run.Cancelled",
         "prefect.flow-run.Crashed")


def zombie_automation():
    from prefect.automations import Automation
    from prefect.client.schemas.objects import StateType
    from prefect.events.actions import ChangeFlowRunState
    from prefect.events.schemas.automations import EventTrigger, Posture
    from prefect.events.schemas.events import ResourceSpecification

    return Automation(
        name=NAME, description="Marks a flow run Crashed when its heartbeats stop (process or machine died).",
        trigger=EventTrigger(
            after={"prefect.flow-run.heartbeat"}, expect={"prefect.flow-run.heartbeat", *FINAL},
            match=ResourceSpecification({"prefect.resource.id": ["prefect.flow-run.*"]}),
            for_each={"prefect.resource.id"}, posture=Posture.Proactive, threshold=1,
            within=timedelta(seconds=MISSING_AFTER_S)),
        actions=[ChangeFlowRunState(state=StateType.CRASHED,
                                    message=f"no heartbeat for {MISSING_AFTER_S} s: the process running it died")])


async def ensure_zombie_automation() -> bool:
    """Create the automation on the current Prefect API unless one of that name exists; True if created."""
    from prefect.client.orchestration import get_client

    async with get_client() as client:
        if await client.read_automations_by_name(name=NAME):
            return False
    await zombie_automation().acreate()
    return True
