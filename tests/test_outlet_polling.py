"""Adaptive polling keeps a ceiling per outlet, says why an outlet is polled as often as it is,
and a scheduled poll does not skip an outlet whose next poll falls just after its tick."""

import json
from datetime import datetime, timedelta, timezone

import pytest
from sqlmodel import Session
from typer.testing import CliRunner

from extractors.errors import ConfigError
from extractors.outlets import parse_outlets
from flows.cli import app
from flows.pipeline.discover import outlet_poll_policy
from flows.settings import load_settings
from storage import repo
from storage.db import init_db
from storage.models import Article, OutletState

NOW = datetime(2026, 12, 5, 12, 0, tzinfo=timezone.utc)
OUTLETS = """
outlets:
  - {id: feed, name: F, home: 'https://f.example/', feeds: ['https://f.example/rss']}
  - {id: pages, name: P, home: 'https://p.example/', sections: ['https://p.example/news']}
  - {id: old, name: O, home: 'https://o.example/', feeds: ['https://o.example/rss'], poll_max_minutes: 120}
  - {id: both, name: B, home: 'https://b.example/', sitemaps: ['https://b.example/s.xml'], poll_max_minutes: 120,
     max_poll_minutes: 30}
  - {id: fixed, name: X, home: 'https://x.example/', feeds: ['https://x.example/rss'], adaptive: false,
     poll_minutes: 45}
"""


def outlets():
    return {o.id: o for o in parse_outlets(OUTLETS, "outlets.yaml")}


def every(minutes: float, days: float = 7) -> list[datetime]:
    count = int(days * 1440 / minutes)
    return [NOW - timedelta(minutes=minutes * n + 1) for n in range(count)]


def test_the_ceiling_is_15_minutes_with_a_feed_an_hour_with_pages_only_and_can_be_set():
    o = outlets()
    assert (o["feed"].poll_ceiling, o["pages"].poll_ceiling) == (15, 60)
    assert o["old"].poll_ceiling == 120, "the old key poll_max_minutes is still read"
    assert o["both"].poll_ceiling == 30, "max_poll_minutes wins over the old key"


def test_a_floor_above_the_ceiling_is_refused_with_the_line():
    text = "outlets:\n  - {id: a, name: A, home: h, feeds: [f], poll_min_minutes: 20}\n"
    with pytest.raises(ConfigError) as err:
        parse_outlets(text, "outlets.yaml")
    assert err.value.line == 2 and "max_poll_minutes" in str(err.value)


@pytest.mark.parametrize("outlet,published,minutes,reason", [
    ("feed", [], 15, "quiet"),                       # nothing in a week: still every 15 min, not hours
    ("pages", every(300), 60, "ceiling"),            # publishes every 5 h: held at the ceiling
    ("pages", every(30), 30, "pace"),                # every 30 min: polled as often as it publishes
    ("feed", every(2), 5, "floor"),                  # very busy: the floor
    ("fixed", every(1, days=1), 45, "fixed"),
])
def test_poll_policy_gives_the_interval_and_the_bound_that_set_it(outlet, published, minutes, reason):
    policy = outlet_poll_policy(outlets()[outlet], published, NOW)
    assert policy.minutes == pytest.approx(minutes, rel=0.01) and policy.reason == reason
    assert policy.explain()


def test_an_outlet_due_just_after_the_tick_is_polled_at_that_tick(tmp_path):
    engine = init_db(load_settings(state_dir=tmp_path))
    with Session(engine) as session:
        session.add(OutletState(id="soon", next_poll=NOW + timedelta(seconds=40)))
        session.add(OutletState(id="later", next_poll=NOW + timedelta(minutes=10)))
        session.commit()
        assert repo.due_outlets(session, ["soon", "later", "new"], now=NOW) == {"soon", "new"}


def test_outlets_status_says_why_and_shows_the_ceiling(tmp_path):
    (tmp_path / "outlets.yaml").write_text(OUTLETS, encoding="utf-8")
    env = {"RASID_STATE_DIR": str(tmp_path / "state"), "RASID_OUTLETS_FILE": str(tmp_path / "outlets.yaml")}
    now = datetime.now(timezone.utc)
    with Session(init_db(load_settings(state_dir=tmp_path / "state"))) as session:
        for n in range(7 * 8):  # one article every three hours for a week
            session.add(Article(url=f"https://f.example/{n}", outlet_id="feed", content_hash=str(n),
                                published=now - timedelta(hours=3 * n, minutes=5)))
        session.commit()
    out = CliRunner().invoke(app, ["outlets", "status", "--json"], env=env)
    assert out.exit_code == 0, out.output
    rows = {row["id"]: row for row in json.loads(out.stdout)}
    assert (rows["feed"]["poll_minutes"], rows["feed"]["poll_reason"], rows["feed"]["poll_ceiling"]) == \
        (15, "ceiling", 15)
    assert "3 h" in rows["feed"]["poll_why"] and "ceiling" in rows["feed"]["poll_why"]
    assert (rows["pages"]["poll_reason"], rows["fixed"]["poll_minutes"]) == ("quiet", 45)
    table = CliRunner().invoke(app, ["outlets", "status"], env={**env, "COLUMNS": "80"})
    assert table.exit_code == 0 and "ceiling" in table.stdout.split() and "quiet" in table.stdout.split()
    assert max(len(line) for line in table.stdout.splitlines()) <= 80
    assert "quiet = nothing in 7 days" in " ".join(table.stdout.split())
