"""Unattended polls: crashed runs found and their work picked up, one run per outlet, retries for transient errors only."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
from datetime import timedelta

import pytest
import yaml
from sqlalchemy.exc import OperationalError
from sqlmodel import Session, select

from extractors.errors import ConfigError, PermanentError, TransientError
from flows.ops.stuck_runs import death_reason
from flows.pipeline.outlet_slots import ensure_limits, limit_name, outlet_slot
from flows.replay.demo import REPLAY_DIR
from storage.db import init_db
from storage.models import Alert, Article, PollRun, utcnow

pytestmark = pytest.mark.usefixtures("prefect_harness")
_WAVE1 = yaml.safe_load((REPLAY_DIR / "expected.yaml").read_text(encoding="utf-8"))["waves"]["wave1"]
WAVE1 = _WAVE1["articles"] + _WAVE1["posts"]  # article pages and Telegram posts, each stored once


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_run_killed_mid_poll_is_marked_crashed_and_the_next_poll_finishes_its_work(demo_settings, sink):
    from flows.poll import poll_flow

    asyncio.run(poll_flow(demo_settings, ["erem"]))  # the killed run got this far: one outlet stored
    engine = init_db(demo_settings)
    with Session(engine) as session:
        stuck = PollRun(counts={"owner": {"host": socket.gethostname(), "pid": _dead_pid()}})
        session.add(stuck)
        session.commit()
        stuck_id = stuck.id
    alerts_before = len(sink.deliveries)

    summary = asyncio.run(poll_flow(demo_settings))

    with Session(engine) as session:
        row = session.get(PollRun, stuck_id)
        stored = session.exec(select(Article.url)).all()
        alert_rows = session.exec(select(Alert).where(Alert.kind != "digest")).all()  # digest rows wait for the digest
    assert row.status == "crashed" and "gone" in row.counts["crashed"] and row.finished
    assert sorted(stored) == sorted({a["url"] for a in WAVE1}), "every article stored, each once"
    assert summary.total("stored") == len(WAVE1) - sum(1 for a in WAVE1 if "eremnews" in a["url"])
    assert len(sink.deliveries) == len(alert_rows), "each alert delivered exactly once across both runs"
    assert len(sink.deliveries) > alerts_before


def test_which_running_rows_are_dead():
    now = utcnow()
    me = {"host": socket.gethostname(), "pid": os.getppid()}  # a live process
    alive = PollRun(started=now - timedelta(minutes=5), counts={"owner": me})
    assert death_reason(alive, None, now) is None
    gone = PollRun(started=now, counts={"owner": {**me, "pid": _dead_pid()}})
    assert "gone" in death_reason(gone, None, now)
    elsewhere = PollRun(started=now - timedelta(hours=3), counts={"owner": {"host": "other-machine", "pid": 1}})
    assert "more than" in death_reason(elsewhere, None, now)

    from prefect.states import Completed, Crashed, Running

    assert death_reason(PollRun(started=now), Crashed(), now).endswith("crashed")
    assert death_reason(PollRun(started=now), Completed(), now)
    assert death_reason(PollRun(started=now), Running(), now) is None


def test_only_transient_errors_are_retried():
    from prefect.states import exception_to_failed_state

    from flows.poll import poll_outlet_task, relay_task, transient_only

    def verdict(exc):
        return transient_only(None, None, asyncio.run(exception_to_failed_state(exc)))

    assert verdict(TransientError("feed timed out"))
    assert verdict(OperationalError("SELECT 1", {}, Exception("server closed the connection")))
    assert not verdict(PermanentError("gone"))
    assert not verdict(ConfigError("bad pattern", source="outlets.yaml"))
    assert not verdict(ValueError("a bug"))
    for task in (poll_outlet_task, relay_task):
        assert task.retries == 2 and task.retry_condition_fn is transient_only


def test_a_second_run_waits_for_the_outlet_then_fetches_no_article_twice(demo_settings, replay):
    from prefect.client.orchestration import get_client

    from flows.poll import poll_flow

    async def scenario():
        await ensure_limits(["erem"])
        await ensure_limits(["erem"])  # idempotent
        async with get_client() as client:
            limit = await client.read_global_concurrency_limit_by_name(limit_name("erem"))
        assert limit.limit == 1
        async with outlet_slot("erem"):  # another run is polling erem
            poll = asyncio.create_task(poll_flow(demo_settings, ["erem"], exclusive=True))
            await asyncio.sleep(3)
            assert not any("eremnews" in path for path in replay.requests), "erem polled while taken"
        first = await poll
        second = await poll_flow(demo_settings, ["erem"], exclusive=True)
        return first, second

    first, second = asyncio.run(scenario())
    assert first.total("stored") == sum(1 for a in WAVE1 if "eremnews" in a["url"])
    assert second.total("stored") == 0 and second.total("fetched") == 0, "known articles are not fetched again"
    article_requests = [p for p in replay.requests if "/news/" in p]
    assert len(article_requests) == len(set(article_requests))


def test_progress_reports_outlets_pages_and_matches(demo_settings):
    from flows.pipeline import progress
    from flows.poll import poll_flow

    seen = []
    with progress.listening(progress.Counting(on_outlet=lambda r: seen.append(r.outlet_id))) as listener:
        summary = asyncio.run(poll_flow(demo_settings))
    totals = listener.totals
    assert totals.outlets == totals.polled == len(summary.outlets) == len(seen)
    assert totals.fetched == summary.total("fetched") > 0
    assert totals.matched == summary.total("matched") > 0
    assert "outlets 6/6" in totals.line() or f"outlets {totals.polled}/{totals.outlets}" in totals.line()


def test_every_failure_line_names_its_outlet_and_url(demo_settings, tmp_path):
    import logging

    from flows.poll import poll_flow

    outlets = tmp_path / "outlets.yaml"
    outlets.write_text((REPLAY_DIR / "outlets.yaml").read_text(encoding="utf-8") +
                       "\n  - id: gone\n    name: Gone\n    home: https://gone.example/\n"
                       "    feeds: [https://gone.example/rss.xml]\n", encoding="utf-8")
    records: list[logging.LogRecord] = []
    handler = logging.Handler()
    handler.emit = records.append
    task_logger = logging.getLogger("prefect.task_runs")
    task_logger.addHandler(handler)
    try:
        asyncio.run(poll_flow(demo_settings.model_copy(update={"outlets_file": outlets})))
    finally:
        task_logger.removeHandler(handler)
    lines = [r.getMessage() for r in records]
    failures = [line for line in lines if "event=failed" in line]
    assert failures and all(line.startswith("outlet=") and " url=" in line for line in failures), lines
    assert any(line.startswith("outlet=gone url=https://gone.example/rss.xml") for line in failures)


def test_logfmt_and_json_lines():
    import json
    import logging

    from flows.ops.logging_setup import JsonFormatter, error_fields, logfmt

    line = logfmt("failed", outlet="erem", **error_fields("https://x.example/a?b=1: transient: timed out"))
    assert line == 'outlet=erem url="https://x.example/a?b=1" error="transient: timed out" event=failed'
    record = logging.LogRecord("rasid.x", logging.WARNING, __file__, 1, line, None, None)
    data = json.loads(JsonFormatter().format(record))
    assert data["outlet"] == "erem" and data["url"] == "https://x.example/a?b=1"
    assert data["error"] == "transient: timed out" and data["level"] == "WARNING"


def test_runs_lists_each_poll_with_its_counts_as_a_table_and_as_json(demo_settings, monkeypatch):
    import json

    from typer.testing import CliRunner

    from flows.cli import app
    from flows.poll import poll_flow

    summary = asyncio.run(poll_flow(demo_settings, ["erem", "alaraby"]))
    monkeypatch.setenv("RASID_STATE_DIR", str(demo_settings.state_dir))
    monkeypatch.delenv("RASID_DATABASE_URL", raising=False)
    runner = CliRunner()

    listed = runner.invoke(app, ["runs", "--json"])
    assert listed.exit_code == 0, listed.output
    [run] = json.loads(listed.stdout)
    assert run["status"] == "completed" and run["finished"] >= run["started"]
    assert run["flow_run_id"], "the Prefect flow run it was, to find it in the dashboard"
    assert {o: c["stored"] for o, c in run["outlets"].items()} == {
        r.outlet_id: r.stored for r in summary.outlets} and summary.total("stored") > 0
    assert run["alerts_sent"] == len(summary.relay.sent) and run["crashed"] is None

    shown = runner.invoke(app, ["runs"], env={"COLUMNS": "160"})
    assert shown.exit_code == 0, shown.output
    assert "erem" in shown.stdout and "alaraby" in shown.stdout
    assert shown.stdout.count("completed") == 1, "a run's own columns once, not on every outlet's row"
    assert runner.invoke(app, ["runs", "--limit", "0"]).exit_code == 2


def test_scheduled_relay_and_digest_runs_do_not_import_the_extraction_pipeline():
    """Every scheduled run is a new subprocess that imports its flow's module, and the relay runs
    every minute: its entrypoint (deploy/prefect.yaml and `rasid serve` alike) must stay light."""
    import json

    from flows.ops.serve import deployments
    from flows.settings import load_settings

    root = REPLAY_DIR.parents[1]
    from_file = yaml.safe_load((root / "deploy" / "prefect.yaml").read_text(encoding="utf-8"))["deployments"]
    served = deployments(load_settings(None), None)
    entrypoints = [d["entrypoint"] for d in from_file if d["name"] in ("relay", "digest")]
    entrypoints += [d.entrypoint for d in served if d.name.startswith(("relay", "digest"))]
    modules = {entrypoint.split(":")[0].removesuffix(".py").replace("/", ".") for entrypoint in entrypoints}
    assert len(entrypoints) == 4 and modules == {"flows.alert_flows"}, entrypoints
    heavy = ["trafilatura", "flows.pipeline.outlet", "flows.fetch.client", "flows.pipeline.prepare_pool", "lxml"]
    probe = (f"import importlib, json, sys; importlib.import_module({modules.pop()!r}); "
             f"print(json.dumps([m for m in {heavy!r} if m in sys.modules]))")
    loaded = subprocess.run([sys.executable, "-c", probe], cwd=root, capture_output=True, text=True, check=True)
    assert json.loads(loaded.stdout) == []
