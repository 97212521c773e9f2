"""A relay killed mid-delivery, then restarted: every alert arrives, at most the in-flight one twice."""

import os
import signal
import subprocess
import sys
import time
from collections import Counter

from sqlmodel import Session, select

from flows.replay.servers import AlertSink
from flows.settings import load_settings, write_settings_file
from storage.db import init_db
from storage.models import Alert, Article, Match, Story

ALERTS = 6


def _seed(url):
    with Session(init_db(url)) as s:
        for n in range(ALERTS):
            story = Story(title=f"s{n}", outlets=["baghdadtoday"])
            s.add(story)
            s.flush()
            art = Article(url=f"https://baghdadtoday.news/{n}", outlet_id="baghdadtoday", content_hash=str(n),
                          title=f"هجوم رقم {n} على قاعدة عين الأسد", text="نص", story_id=story.id)
            s.add(art)
            s.flush()
            s.add(Match(article_id=art.id, topic_id="militia-attacks", terms=["هجوم"], snippet="هجوم"))
            s.add(Alert(article_id=art.id, story_id=story.id, topic_id="militia-attacks", channel="default"))
        s.commit()


def _relay(config):
    return subprocess.Popen([sys.executable, "-m", "flows.cli.main", "relay", "--config", str(config)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _sent(url):
    with Session(init_db(url)) as s:
        return len(s.exec(select(Alert).where(Alert.status == "sent")).all())


def test_relay_killed_mid_delivery_delivers_everything_once_more_at_most(tmp_path):
    url = f"sqlite:///{tmp_path / 'outbox.db'}"
    _seed(url)
    sink = AlertSink(delay_s=0.5)
    try:
        settings = load_settings(None, database_url=url, state_dir=tmp_path, channels={"default": sink.url()},
                                 alert_lease_s=1.0)
        config = write_settings_file(settings, tmp_path / "settings.yaml")
        victim = _relay(config)
        deadline = time.monotonic() + 120
        while len(sink.deliveries) < 2:
            assert victim.poll() is None, victim.communicate()
            assert time.monotonic() < deadline, "the relay delivered nothing"
            time.sleep(0.05)
        os.kill(victim.pid, signal.SIGKILL)
        victim.wait()
        assert _sent(url) < ALERTS, "killed before the end"
        time.sleep(1.5)  # the killed relay's lease runs out
        out, err = _relay(config).communicate(timeout=120)
        assert _sent(url) == ALERTS, err
    finally:
        sink.close()
    titles = Counter(d.payload["title"] for d in sink.deliveries)
    assert len(titles) == ALERTS, "every alert arrived"
    assert sum(titles.values()) <= ALERTS + 1, f"more than the in-flight alert was doubled: {titles}"
