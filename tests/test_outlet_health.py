"""Outlet health across polls: an outlet going dark is reported to operators once;
adaptive polling skips outlets that are not due."""

import asyncio

import pytest
import yaml
from sqlmodel import Session

from flows.replay.demo import REPLAY_DIR
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


def test_pages_that_yield_no_text_diagnose_a_layout_change(tmp_path, sink):
    from flows.replay.demo import demo_settings as make
    from flows.replay.servers import ReplayServer

    wave = tmp_path / "replay" / "w"
    wave.mkdir(parents=True)
    (wave / "rss.xml").write_text(
        "<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel><title>t</title>"
        "<item><title>خبر</title><link>https://empty.example/a/1</link>"
        "<pubDate>Tue, 12 Mar 2024 10:00:00 +0300</pubDate></item></channel></rss>", encoding="utf-8")
    # the outlet moved to a script-rendered template: the HTML holds no article any more
    (wave / "page.html").write_text("<html><head><title>موقع الأخبار</title></head><body><div id='app'></div>"
                                    "<script>window.app = 1</script></body></html>", encoding="utf-8")
    (wave / "manifest.yaml").write_text(yaml.safe_dump({"resources": [
        {"url": "https://empty.example/rss.xml", "file": "rss.xml", "content_type": "application/rss+xml"},
        {"url": "https://empty.example/a/1", "file": "page.html", "content_type": "text/html; charset=utf-8"}]}))
    outlets = tmp_path / "outlets.yaml"
    outlets.write_text(yaml.safe_dump({"outlets": [{"id": "empty", "name": "Empty", "home": "https://empty.example/",
                                                    "feeds": ["https://empty.example/rss.xml"]}]}))
    server = ReplayServer(tmp_path / "replay", "w")
    try:
        settings = make(tmp_path / "state", server, sink).model_copy(update={"outlets_file": outlets})
        summary = _poll(settings)
    finally:
        server.close()
    assert summary.outlets[0].fetched == 1 and summary.outlets[0].diagnosis == "layout-changed"
    with Session(init_db(settings)) as s:
        assert s.get(OutletState, "empty").diagnosis == "layout-changed"
