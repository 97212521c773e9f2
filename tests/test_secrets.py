"""Channel URLs are secrets: a canary planted in one must not appear anywhere rasid writes.

A poll runs with a failing channel at DEBUG logging; then the test greps captured
logs and output, the database, and what the Prefect API holds (flow run parameters,
logs, artifacts).
"""

import asyncio
import logging

import pytest
from sqlalchemy import text

from storage.db import init_db

pytestmark = pytest.mark.usefixtures("prefect_harness")
CANARY = "CANARY7b1e9c"


def _prefect_records(flow_run_id):
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterFlowRunId, LogFilter, LogFilterFlowRunId

    async def collect():
        async with get_client() as client:
            run = await client.read_flow_run(flow_run_id)
            logs = await client.read_logs(log_filter=LogFilter(flow_run_id=LogFilterFlowRunId(any_=[flow_run_id])))
            artifacts = await client.read_artifacts(
                artifact_filter=ArtifactFilter(flow_run_id=ArtifactFilterFlowRunId(any_=[flow_run_id])))
            return [repr(run.parameters), *(log.message for log in logs), *(repr(a.data) for a in artifacts)]

    return asyncio.run(collect())


def test_canary_in_channel_url_never_leaks(demo_settings, sink, caplog, capfd):
    from flows.poll import poll_flow

    sink.fail_times = 10_000  # the channel refuses every delivery
    host, port = sink.server_address[:2]
    secret_url = f"json://user:{CANARY}@{host}:{port}/hook/{CANARY}?token={CANARY}"
    settings = type(demo_settings).model_validate(demo_settings.model_dump() | {"channels": {"default": secret_url}})
    with caplog.at_level(logging.DEBUG):
        state = asyncio.run(poll_flow(settings, return_state=True))
    summary = state.result()
    assert summary.relay.retried > 0 and not summary.relay.sent, "the channel really failed"
    out, err = capfd.readouterr()
    assert CANARY not in caplog.text and CANARY not in out and CANARY not in err
    with init_db(settings).connect() as conn:
        for table in ("alerts", "poll_runs", "outlets", "articles", "matches", "stories"):
            dump = repr(conn.execute(text(f"SELECT * FROM {table}")).all())
            assert CANARY not in dump, table
    for record in _prefect_records(state.state_details.flow_run_id):
        assert CANARY not in record
    assert sink.deliveries == [] and sink.fail_times < 10_000, "deliveries were attempted"
