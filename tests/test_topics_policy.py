"""Topic alert policy: quiet hours hold instant alerts until the window ends."""

from datetime import datetime, timezone

import pytest

from extractors.errors import ConfigError
from extractors.topics import QuietHours, parse_topic

BASE = "id: t\ntitle: T\nquery: التحالف\n"


def test_quiet_hours_across_midnight_release_at_the_end_in_local_time():
    quiet = QuietHours.parse("22:00-07:00")  # Baghdad, UTC+3
    assert quiet.release(datetime(2026, 1, 1, 20, 30, tzinfo=timezone.utc)) == datetime(2026, 1, 2, 4, 0,
                                                                                          tzinfo=timezone.utc)
    assert quiet.release(datetime(2026, 1, 2, 1, 0, tzinfo=timezone.utc)) == datetime(2026, 1, 2, 4, 0,
                                                                                         tzinfo=timezone.utc)
    assert quiet.release(datetime(2026, 1, 1, 12, 0, tzinfo=timezone.utc)) is None


def test_quiet_hours_with_offset_and_same_day_window():
    quiet = QuietHours.parse("13:00-15:30 +00:00")
    assert quiet.release(datetime(2026, 1, 1, 14, 0, tzinfo=timezone.utc)) == datetime(2026, 1, 1, 15, 30,
                                                                                          tzinfo=timezone.utc)
    assert quiet.release(datetime(2026, 1, 1, 15, 30, tzinfo=timezone.utc)) is None


def test_topic_yaml_carries_quiet_hours_and_rejects_nonsense_with_position():
    topic = parse_topic(BASE + "quiet_hours: 23:00-06:00\n", "t.yaml")
    assert topic.quiet_hours == QuietHours.parse("23:00-06:00")
    with pytest.raises(ConfigError) as err:
        parse_topic(BASE + "quiet_hours: late\n", "t.yaml")
    assert err.value.line == 4 and "quiet_hours" in str(err.value)


def test_alerts_written_in_quiet_hours_wait(tmp_path):
    from sqlmodel import Session, select

    from storage.db import init_db
    from storage.models import Alert, Article, Story
    from storage.repo import TopicPolicy, plan_alert_rows, write_alerts

    engine = init_db(f"sqlite:///{tmp_path / 'q.db'}")
    always = QuietHours.parse("00:00-23:59 +00:00")
    with Session(engine) as s:
        story = Story(title="s", outlets=["x"])
        s.add(story)
        s.flush()
        art = Article(url="https://x.example/1", outlet_id="x", content_hash="h", story_id=story.id)
        s.add(art)
        s.flush()
        rows = plan_alert_rows(["t"], {"t": TopicPolicy("both", quiet_hours=always)}, lambda _: "new",
                               datetime.now(timezone.utc))
        write_alerts(s, art.id, story.id, rows)
        s.commit()
        rows = {a.kind: a for a in s.exec(select(Alert)).all()}
    assert rows["new"].next_attempt > rows["digest"].next_attempt, "the instant alert waits, the digest does not"
