"""Outlet health across polls: an outlet going dark is reported to operators once;
adaptive polling skips outlets that are not due."""

import asyncio

import pytest
import yaml
from sqlmodel import Session

from flows.demo import REPLAY_DIR
from storage.db import init_db
from storage.models import OutletState

pytestmark = pytest.mark.usefixtures("prefect_harness")


@pytest.fixture
def two_outlets(demo_settings, tmp_path):
    """Erem from the replica, and an outlet whose feed is gone (404)."""
    outlets = yaml.safe_load((REPLAY_DIR / "outlets.yaml").read_text(encoding="utf-8"))["outlets"]
    erem = next(o for o in outlets if o["id"] == "erem")
    gone = {"id": "gone", "name": "Gone Outlet", "home": "https://gone.example/",
            "feeds": ["https://gone.example/rss.xml"]}
    path = tmp_path / "outlets.yaml"
    path.write_text(yaml.safe_dump({"outlets": [erem, gone]}, allow_unicode=True), encoding="utf-8")
    return demo_settings.model_copy(update={"outlets_file": path})


def _poll(settings, **kw):
    from flows.poll import poll_flow

    return asyncio.run(poll_flow(settings, **kw))


def _notices(sink):
    return [d for d in sink.deliveries if "went dark" in d.payload["title"]]


def test_dark_outlet_is_reported_once(two_outlets, sink):
    for _ in range(3):
        summary = _poll(two_outlets)
        gone = next(r for r in summary.outlets if r.outlet_id == "gone")
        assert gone.diagnosis == "gone"
    notices = _notices(sink)
    assert len(notices) == 1, "once, on the poll where the outlet crossed into dark"
    assert "Gone Outlet" in notices[0].payload["message"] and "gone" in notices[0].payload["message"]
    with Session(init_db(two_outlets)) as s:
        assert s.get(OutletState, "gone").failures >= 1.5
        assert s.get(OutletState, "erem").failures == 0 and s.get(OutletState, "erem").diagnosis == "ok"


def test_scheduled_polls_skip_outlets_that_are_not_due(two_outlets, replay):
    _poll(two_outlets)
    with Session(init_db(two_outlets)) as s:
        state = s.get(OutletState, "erem")
        assert state.next_poll > state.last_polled
    requests = len(replay.requests)
    summary = _poll(two_outlets, only_due=True)
    assert summary.outlets == [] and len(replay.requests) == requests, "nothing was due"
    forced = _poll(two_outlets)
    assert {r.outlet_id for r in forced.outlets} == {"erem", "gone"}, "a manual poll polls everything"
