"""Flow runs whose process died turn Crashed in Prefect instead of staying Running forever.

A run is only marked Crashed by whoever watches its process: a worker or `serve` does when
its child dies, but a run whose whole machine or supervisor died (or a script killed while
talking to a server) stays Running in the dashboard. Flow runs emit a heartbeat event every
30 s (flows/ops/prefect_env.py, deploy/prefect.yaml); this automation marks a run Crashed when a heartbeat is followed by neither
another heartbeat nor a final state within MISSING_AFTER_S (Prefect's documented recipe).
rasid's own `poll_runs` rows are reaped by the next poll (flows/ops/stuck_runs.py); this keeps
Prefect's view in step. Automations run on a Prefect server, not in local temporary mode.

rasid's flows also say when they end (`ENDED`, sent by `announce_end`), and the
automation counts that as a sign of life. Prefect's own final-state events cannot be relied on
here: a run the scheduler made less than five minutes before it starts (serve's first runs; later
ones are made an hour or more ahead) has state events that "follow" its Scheduled state, which the
scheduler never announces, so the server's trigger service holds them back for 15 minutes. The
automation then fired for every such run 90 s after its last heartbeat, tried to crash a run
already Completed (refused: "already in terminal state"), and each firing cost the server
~0.5 s of CPU (bench/serve_costs.py, docs/operations.md).
"""

from __future__ import annotations

from datetime import timedelta

MISSING_AFTER_S = 90   # three heartbeats missed (flows/ops/prefect_env.py sets them every 30 s)
NAME = "rasid: crash zombie flow runs"
FINAL = ("prefect.flow-run.Completed", "prefect.flow-run.Failed", "prefect.flow-run.Cancelled",
         "prefect.flow-run.Crashed")
ENDED = "rasid.flow-run.ended"  # sent by the run itself once its final state is set, never held back


def announce_end(flow, flow_run, state) -> None:
    """State hook of rasid's flows (completed, failed or cancelled), the deployments' and the poll they
    run as a subflow: tell the automation the run ended, with an event that follows nothing (see the
    module docstring)."""
    from prefect.events import emit_event

    emit_event(event=ENDED, resource={"prefect.resource.id": f"prefect.flow-run.{flow_run.id}"},
               payload={"state": state.type.value if state else None})


END_HOOKS = {"on_completion": [announce_end], "on_failure": [announce_end], "on_cancellation": [announce_end]}


def zombie_automation():
    from prefect.automations import Automation
    from prefect.client.schemas.objects import StateType
    from prefect.events.actions import ChangeFlowRunState
    from prefect.events.schemas.automations import EventTrigger, Posture
    from prefect.events.schemas.events import ResourceSpecification

    return Automation(
        name=NAME, description="Marks a flow run Crashed when its heartbeats stop (process or machine died).",
        trigger=EventTrigger(
            after={"prefect.flow-run.heartbeat"}, expect={"prefect.flow-run.heartbeat", *FINAL, ENDED},
            match=ResourceSpecification({"prefect.resource.id": ["prefect.flow-run.*"]}),
            for_each={"prefect.resource.id"}, posture=Posture.Proactive, threshold=1,
            within=timedelta(seconds=MISSING_AFTER_S)),
        actions=[ChangeFlowRunState(state=StateType.CRASHED,
                                    message=f"no heartbeat for {MISSING_AFTER_S} s: the process running it died")])


async def ensure_zombie_automation() -> bool:
    """Create the automation on the current Prefect API unless one of that name exists; True if created.

    One made before runs announced their end (its `expect` lacks ENDED) is brought up to date, or an
    upgraded serve on its old PREFECT_HOME would keep firing after every run it starts."""
    from prefect.client.orchestration import get_client

    async with get_client() as client:
        found = await client.read_automations_by_name(name=NAME)
        if found and ENDED not in found[0].trigger.expect:
            await client.update_automation(found[0].id, zombie_automation())
        if found:
            return False
    await zombie_automation().acreate()
    return True
