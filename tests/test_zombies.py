"""Runs whose process died are marked Crashed by a Prefect automation: `rasid serve` creates it once,
and deploy/automations.yaml (for a team's server) is the same automation."""

import asyncio
from pathlib import Path

import pytest
import yaml

from flows.ops.zombies import NAME, ensure_zombie_automation, zombie_automation

ROOT = Path(__file__).resolve().parents[1]


def _essentials(automation) -> dict:
    trigger = automation.trigger
    return {"name": automation.name, "after": trigger.after, "expect": trigger.expect,
            "match": trigger.match, "for_each": trigger.for_each, "posture": trigger.posture,
            "within": trigger.within, "threshold": trigger.threshold,
            "actions": [(a.type, a.state, a.message) for a in automation.actions]}


def test_deploy_file_is_the_automation_serve_creates():
    from prefect.events.schemas.automations import AutomationCore

    from_file = AutomationCore.model_validate(yaml.safe_load((ROOT / "deploy/automations.yaml").read_text()))
    assert _essentials(from_file) == _essentials(zombie_automation())
    assert from_file.trigger.within.total_seconds() == 90 and from_file.actions[0].state.value == "CRASHED"


def test_deployments_send_heartbeats_often_enough_for_it():
    deployments = yaml.safe_load((ROOT / "deploy/prefect.yaml").read_text())["deployments"]
    for deployment in deployments:
        env = deployment["work_pool"]["job_variables"]["env"]
        assert int(env["PREFECT_FLOWS_HEARTBEAT_FREQUENCY"]) * 3 <= 90, deployment["name"]


@pytest.mark.usefixtures("prefect_harness")
def test_automation_is_created_once():
    from prefect.client.orchestration import get_client

    async def run():
        first, second = await ensure_zombie_automation(), await ensure_zombie_automation()
        async with get_client() as client:
            return first, second, await client.read_automations_by_name(name=NAME)

    first, second, found = asyncio.run(run())
    assert (first, second) == (True, False) and len(found) == 1
    assert _essentials(found[0]) == _essentials(zombie_automation())


@pytest.mark.usefixtures("prefect_harness")
def test_an_automation_made_before_runs_announced_their_end_is_brought_up_to_date():
    from prefect.client.orchestration import get_client

    from flows.ops.zombies import ENDED

    async def run():
        async with get_client() as client:
            for old in await client.read_automations_by_name(name=NAME):
                await client.delete_automation(old.id)
        old = zombie_automation()
        old.trigger.expect = old.trigger.expect - {ENDED}
        await old.acreate()
        created = await ensure_zombie_automation()
        async with get_client() as client:
            return created, await client.read_automations_by_name(name=NAME)

    created, found = asyncio.run(run())
    assert not created and len(found) == 1 and ENDED in found[0].trigger.expect


def test_runs_of_deployments_say_they_ended_and_the_automation_counts_it(monkeypatch):
    """A scheduled run's own final-state events can reach the trigger service 15 minutes late; without
    its end event the automation fired for runs that had completed (docs/operations.md)."""
    from types import SimpleNamespace
    from uuid import uuid4

    import prefect.events

    from flows.alert_flows import digest_scheduled, relay_scheduled
    from flows.ops.zombies import ENDED, announce_end
    from flows.poll import poll_flow, poll_scheduled

    for flow in (poll_scheduled, poll_flow, relay_scheduled, digest_scheduled):
        for hooks in (flow.on_completion_hooks, flow.on_failure_hooks, flow.on_cancellation_hooks):
            assert announce_end in hooks, flow.name
    sent = []
    monkeypatch.setattr(prefect.events, "emit_event", lambda **event: sent.append(event))
    run_id = uuid4()
    announce_end(poll_scheduled, SimpleNamespace(id=run_id), None)
    trigger = zombie_automation().trigger
    assert sent[0]["event"] == ENDED and ENDED in trigger.expect
    assert trigger.for_each == {"prefect.resource.id"}
    assert sent[0]["resource"] == {"prefect.resource.id": f"prefect.flow-run.{run_id}"}
