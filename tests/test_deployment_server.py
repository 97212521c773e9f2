"""A team's set-up, for real: `prefect server`, deploy/prefect.yaml applied, a process worker, PostgreSQL.

The server runs on 127.0.0.1 with a temporary PREFECT_HOME; the deployments are applied with
the same command the docs give; a worker of the process pool picks up a run of the poll
deployment, which polls the replica into PostgreSQL and alerts the sink. Server and worker are
stopped in `finally`. Slow (a server start, a worker, a flow subprocess), so it is one test.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from ops_support import free_port, wait_until
from sqlmodel import Session, select
from test_serve import WAVE1

from flows.ops.local_prefect import LocalServer, prefect_executable
from flows.replay.demo import REPLAY_DIR
from flows.settings import load_settings
from storage.db import init_db
from storage.models import Article, PollRun

ROOT = Path(__file__).resolve().parents[1]
POOL = "rasid"  # the work pool deploy/prefect.yaml names


def team_env(prefect_home: Path, api_url: str, pg_url: str, replay, sink, state_dir: Path) -> dict[str, str]:
    """What every worker machine has: the Prefect API, the shared database, channels, RASID_HOME."""
    env = {**os.environ, "PREFECT_HOME": str(prefect_home), "PREFECT_API_URL": api_url,
           "PREFECT_WORKER_QUERY_SECONDS": "2", "PREFECT_SERVER_ANALYTICS_ENABLED": "false", "DO_NOT_TRACK": "1",
           "RASID_HOME": str(ROOT), "RASID_DATABASE_URL": pg_url, "RASID_CHANNELS__DEFAULT": sink.url(),
           "RASID_STATE_DIR": str(state_dir), "RASID_OUTLETS_FILE": str(REPLAY_DIR / "outlets.yaml"),
           "RASID_FETCH__REPLAY_URL": replay.base_url, "RASID_FETCH__ALLOW_NETWORKS": "127.0.0.1/32",
           "RASID_FETCH__PER_HOST_DELAY_S": "0", "RASID_FETCH__RETRIES": "0"}
    return env


def prefect(env: dict[str, str], *args: str, timeout: float = 180) -> str:
    done = subprocess.run([prefect_executable(), *args], env=env, cwd=ROOT, capture_output=True, text=True,
                          timeout=timeout)
    assert done.returncode == 0, f"prefect {' '.join(args)}:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done.stdout


@asynccontextmanager
async def _client(api_url: str):
    from prefect.client.orchestration import get_client
    from prefect.settings import PREFECT_API_URL, temporary_settings

    with temporary_settings({PREFECT_API_URL: api_url}):
        async with get_client() as client:
            yield client


async def _trigger_poll(api_url: str):
    """A run of the poll deployment now (its schedule's next slot may be 15 minutes away)."""
    async with _client(api_url) as client:
        deployment = await client.read_deployment_by_name("poll-scheduled/poll-fast")
        others = [await client.read_deployment_by_name(name) for name in ("relay/relay", "digest/digest")]
        run = await client.create_flow_run_from_deployment(deployment.id)
        return deployment, others, run.id


async def _zombie_automations(api_url: str):
    from flows.ops.zombies import NAME

    async with _client(api_url) as client:
        return await client.read_automations_by_name(name=NAME)


async def _state_of(api_url: str, flow_run_id):
    async with _client(api_url) as client:
        return (await client.read_flow_run(flow_run_id)).state


async def _parent_run(api_url: str, flow_run_id: str):
    """The flow run that started this (sub)flow run."""
    async with _client(api_url) as client:
        run = await client.read_flow_run(flow_run_id)
        if run.parent_task_run_id is None:
            return run.id
        return (await client.read_task_run(run.parent_task_run_id)).flow_run_id


@pytest.mark.timeout(600)  # a bound for a loaded machine; the steps are measured in the report
def test_worker_runs_a_deployment_from_prefect_yaml_into_postgres(tmp_path, pg_url, replay, sink):
    server = LocalServer(free_port(), home=tmp_path / "prefect", log_file=tmp_path / "server.log")
    env = team_env(tmp_path / "prefect", server.api_url, pg_url, replay, sink, tmp_path / "state")
    worker = None
    try:
        server.start(timeout_s=240)
        prefect(env, "work-pool", "create", POOL, "--type", "process")
        prefect(env, "--no-prompt", "deploy", "--all", "--prefect-file", "deploy/prefect.yaml")
        prefect(env, "automation", "create", "--from-file", "deploy/automations.yaml")
        assert asyncio.run(_zombie_automations(server.api_url)), "the zombie automation is on the server"
        deployment, others, run_id = asyncio.run(_trigger_poll(server.api_url))
        assert deployment.work_pool_name == POOL and deployment.schedules, "poll-fast is scheduled on the pool"
        assert deployment.job_variables["env"]["PREFECT_FLOWS_HEARTBEAT_FREQUENCY"] == "30"
        assert all(d.schedules and d.work_pool_name == POOL for d in others), "relay and digest too"

        worker_log = open(tmp_path / "worker.log", "w")
        worker = subprocess.Popen([prefect_executable(), "worker", "start", "--pool", POOL], env=env, cwd=tmp_path,
                                  stdout=worker_log, stderr=subprocess.STDOUT, start_new_session=True)

        def finished():
            assert worker.poll() is None, (tmp_path / "worker.log").read_text()[-3000:]
            state = asyncio.run(_state_of(server.api_url, run_id))
            return state if state.is_final() else None

        state = wait_until(finished, timeout_s=400, step_s=1, failure="the worker never finished the run")
        assert state.is_completed(), f"{state}\n{(tmp_path / 'worker.log').read_text()[-4000:]}"
        with Session(init_db(load_settings(None, database_url=pg_url))) as session:
            polls = [r for r in session.exec(select(PollRun)).all() if r.status == "completed"]
        assert polls, "the poll recorded its run"
        parents = {asyncio.run(_parent_run(server.api_url, p.flow_run_id)) for p in polls}
        assert run_id in parents, "the recorded poll is the subflow of the run the worker picked up"
    finally:
        if worker is not None:
            worker.terminate()
            try:
                worker.wait(timeout=30)
            except subprocess.TimeoutExpired:
                worker.kill()
        server.stop()

    with Session(init_db(load_settings(None, database_url=pg_url))) as session:
        stored = set(session.exec(select(Article.url)).all())
    assert {a["url"] for a in WAVE1} <= stored, "the worker's run polled the replica into PostgreSQL"
    assert len(sink.deliveries) >= sum(1 for a in WAVE1 if a["alert"])
