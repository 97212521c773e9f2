"""Real processes against one database: two pollers at once, and a poll killed with SIGKILL.

Every article must be stored once and every development alerted once, on SQLite and
on PostgreSQL. The children share the test session's Prefect API.
"""

import os
import signal
import time
from collections import Counter

import pytest
import yaml
from sqlmodel import Session, select

from flows.pipeline.workers import count_duplicates, start_polls, wait_all
from flows.replay.demo import REPLAY_DIR
from flows.replay.demo import demo_settings as make_settings
from flows.replay.servers import ReplayServer
from flows.settings import write_settings_file
from storage.db import init_db
from storage.models import Alert, Article

pytestmark = pytest.mark.usefixtures("prefect_harness")
_WAVE1 = yaml.safe_load((REPLAY_DIR / "expected.yaml").read_text(encoding="utf-8"))["waves"]["wave1"]
WAVE1 = _WAVE1["articles"] + _WAVE1["posts"]  # article pages and Telegram posts, each stored once


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'shared.db'}"
    return request.getfixturevalue("pg_url")


def _api_url():
    from prefect.settings import PREFECT_API_URL

    return PREFECT_API_URL.value()


def _stored(url):
    with Session(init_db(url)) as s:
        return s.exec(select(Article.url)).all()


def _assert_once(url, sink):
    urls = _stored(url)
    assert sorted(urls) == sorted(a["url"] for a in WAVE1)
    assert count_duplicates(url).total == 0
    with Session(init_db(url)) as s:
        alerts = s.exec(select(Alert).where(Alert.kind != "digest")).all()  # a follow-up post waits for the digest
    assert alerts and {a.status for a in alerts} == {"sent"}
    titles = Counter(d.payload["title"] for d in sink.deliveries)
    assert len(sink.deliveries) == len(alerts), "one delivery per alert row"
    assert max(titles.values()) == 1, f"delivered twice: {titles.most_common(1)}"
    with Session(init_db(url)) as s:
        alerted = set(s.exec(select(Article.url).where(Article.id.in_([a.article_id for a in alerts]))).all())
    assert alerted == {a["url"] for a in WAVE1 if a["alert"]}


def test_two_pollers_at_once_store_and_alert_once(tmp_path, replay, sink, database_url):
    settings = make_settings(tmp_path / "state", replay, sink, database_url)
    config = write_settings_file(settings, tmp_path / "settings.yaml")
    results = wait_all(start_polls(config, 2, _api_url()))
    stored = sum(c["stored"] for r in results for c in r["outlets"].values())
    assert stored == len(WAVE1), "between them the two pollers stored each article once"
    _assert_once(database_url, sink)


def test_poll_killed_mid_run_loses_nothing_and_alerts_once(tmp_path, sink, database_url):
    slow = ReplayServer(REPLAY_DIR, "wave1", page_delay_s=0.4)
    try:
        settings = make_settings(tmp_path / "state", slow, sink, database_url)
        settings.fetch.per_host_concurrency = 1
        config = write_settings_file(settings, tmp_path / "settings.yaml")
        [victim] = start_polls(config, 1, _api_url())
        deadline = time.monotonic() + 180
        while len(_stored(database_url)) < 2:
            assert victim.poll() is None, "the poll ended before it could be killed"
            assert time.monotonic() < deadline, "the poll stored nothing"
            time.sleep(0.2)
        os.kill(victim.pid, signal.SIGKILL)
        victim.wait()
        partial = len(_stored(database_url))
        assert 0 < partial < len(WAVE1), "killed mid-run"
        wait_all(start_polls(config, 1, _api_url()))
        _assert_once(database_url, sink)
    finally:
        slow.close()
