"""`rasid serve` relays only when the outbox has something due: a failed delivery schedules its
retry, the watch starts one relay run when that retry is due, none while the outbox is idle,
and the relay deployment of serve has no schedule of its own."""

import asyncio
from datetime import timedelta

import pytest
from pydantic import SecretStr
from sqlmodel import Session, select
from test_relay import VIEW, _seed_alert

from flows.alerts.relay import Channels, relay
from flows.ops.relay_watch import check_once
from storage import outbox
from storage.db import init_db
from storage.models import Alert, utcnow


@pytest.fixture
def engine(tmp_path):
    return init_db(f"sqlite:///{tmp_path / 'r.db'}")


class Relays:
    """Records relay runs started by the watch; `running` says whether one is still in flight."""

    def __init__(self) -> None:
        self.started = 0
        self.running = False

    async def start(self) -> None:
        self.started += 1

    async def in_flight(self) -> bool:
        return self.running


def check(engine, relays: Relays) -> bool:
    return asyncio.run(check_once(engine, relays.start, relays.in_flight, waited_s=0))


def test_an_empty_or_delivered_outbox_starts_no_relay(engine, sink):
    relays = Relays()
    assert not check(engine, relays)
    _seed_alert(engine)
    with Session(engine) as session:
        relay(session, Channels({"default": SecretStr(sink.url())}), VIEW)  # the poll's own relay sends it
    assert not check(engine, relays) and relays.started == 0


def test_a_failed_delivery_schedules_its_retry_and_the_watch_relays_when_it_is_due(engine, sink):
    _seed_alert(engine)
    sink.fail_times = 1
    channels = Channels({"default": SecretStr(sink.url())})
    with Session(engine) as session:
        assert relay(session, channels, VIEW).retried == 1
    relays = Relays()
    assert not check(engine, relays), "the retry is not due yet: nothing to start"
    with Session(engine) as session:
        row = session.exec(select(Alert)).one()
        assert row.status == "pending" and row.next_attempt > utcnow()
        row.next_attempt = utcnow() - timedelta(seconds=1)  # its backoff has passed
        session.add(row)
        session.commit()
    relays.running = True
    assert not check(engine, relays), "one relay run at a time"
    relays.running = False
    assert check(engine, relays) and relays.started == 1
    with Session(engine) as session:  # what that run does: deliver it
        assert len(relay(session, channels, VIEW).sent) == 1
    assert not check(engine, relays) and relays.started == 1


def test_an_alert_just_written_is_left_to_the_poll_that_wrote_it(engine):
    _seed_alert(engine)
    with Session(engine) as session:
        assert outbox.has_due(session)
        assert not outbox.has_due(session, waited=timedelta(seconds=30)), "the poll relays it at its end"
        assert outbox.has_due(session, now=utcnow() + timedelta(seconds=31), waited=timedelta(seconds=30))


def test_serve_has_an_unscheduled_relay_and_polls_every_outlet_at_a_try_out_interval(tmp_path):
    from flows.ops.serve import RELAY, deployments
    from flows.replay.demo import REPLAY_DIR
    from flows.settings import load_settings

    settings = load_settings(outlets_file=REPLAY_DIR / "outlets.yaml", state_dir=tmp_path)
    built = {d.name: d for d in deployments(settings, None)}
    assert not built[RELAY].schedules, "the relay runs when something is due, not every minute"
    polls = [d for name, d in built.items() if name.startswith("poll-")]
    assert polls and all(d.schedules for d in polls) and all("only_due" not in d.parameters for d in polls)
    tried = [d for d in deployments(settings, None, 20) if d.name.startswith("poll-")]
    assert len(tried) == 1 and tried[0].parameters["only_due"] is False, "--interval-seconds polls every outlet"
    assert set(tried[0].parameters["outlet_ids"]) == {i for d in polls for i in d.parameters["outlet_ids"]}
    assert tried[0].concurrency_limit == 1, "one try-out poll at a time: a tick during a poll is dropped"
