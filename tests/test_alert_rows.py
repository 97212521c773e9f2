"""One alert per development per channel: an article that matches several topics routed to one
channel is one message naming all of them; topics routed to different channels reach each."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from sqlmodel import Session, select

from extractors.topics import QuietHours
from storage.alert_rows import TopicPolicy, plan_alert_rows
from storage.models import Alert

NOW = datetime(2026, 1, 1, 12, 0, tzinfo=timezone.utc)


def _plan(policies, kind="new", topics=("a", "b")):
    return {(r.channel, r.kind): r for r in plan_alert_rows(list(topics), policies, lambda _: kind, NOW)}


def test_two_topics_on_one_channel_make_one_row_naming_both():
    rows = _plan({"a": TopicPolicy(), "b": TopicPolicy()})
    assert list(rows) == [("default", "new")]
    assert rows[("default", "new")].topics == ("a", "b")


def test_each_channel_gets_only_the_topics_routed_to_it():
    rows = _plan({"a": TopicPolicy(channels=("desk", "ops")), "b": TopicPolicy(channels=("desk",))})
    assert rows[("desk", "new")].topics == ("a", "b")
    assert rows[("ops", "new")].topics == ("a",)


def test_instant_and_digest_topics_on_one_channel_split_by_kind():
    rows = _plan({"a": TopicPolicy("instant"), "b": TopicPolicy("digest")})
    assert rows[("default", "new")].topics == ("a",) and rows[("default", "digest")].topics == ("b",)
    copies = _plan({"a": TopicPolicy("instant"), "b": TopicPolicy("digest")}, kind=None)
    assert list(copies) == [("default", "digest")] and copies[("default", "digest")].topics == ("a", "b")


def test_quiet_hours_hold_the_row_only_when_every_topic_is_quiet():
    quiet = QuietHours.parse("11:00-15:00 +00:00")
    later = QuietHours.parse("10:00-16:00 +00:00")
    one_quiet = _plan({"a": TopicPolicy(quiet_hours=quiet), "b": TopicPolicy()})
    assert one_quiet[("default", "new")].next_attempt == NOW, "b wants the channel told now"
    both_quiet = _plan({"a": TopicPolicy(quiet_hours=quiet), "b": TopicPolicy(quiet_hours=later)})
    assert both_quiet[("default", "new")].next_attempt == NOW.replace(hour=15), "the earlier end releases it"


def test_a_poll_sends_one_message_naming_both_topics(tmp_path, sink):
    """Through the real store path and relay: one row, one delivery, both topic titles in it."""
    from archive_data import prepared_docs

    from extractors.matcher import TopicMatcher
    from extractors.topics import Topic
    from flows.alerts.relay import Channels, relay, view_builder
    from storage.db import init_db
    from storage.repo import store_articles

    topics = [Topic(id="withdrawal", title="انسحاب التحالف", query="انسحاب*"),
              Topic(id="baghdad", title="بغداد", query="بغداد")]
    article, _, signature, _ = prepared_docs()[2]  # the withdrawal from Baghdad
    matches = TopicMatcher.compile(topics).match(article.title, article.text)
    assert {m.topic_id for m in matches} == {"withdrawal", "baghdad"}
    article = article.__class__(**{**article.__dict__, "published": datetime.now(timezone.utc) - timedelta(hours=1)})
    engine = init_db(f"sqlite:///{tmp_path / 'a.db'}")
    with Session(engine, expire_on_commit=False) as session:
        store_articles(session, [(article, matches, signature, None)], {"withdrawal": TopicPolicy(),
                                                                         "baghdad": TopicPolicy()})
        rows = session.exec(select(Alert).where(Alert.kind != "digest")).all()
        assert [(r.channel, r.topics) for r in rows] == [("default", [m.topic_id for m in matches])]
        report = relay(session, Channels({"default": _secret(sink.url())}),
                       view_builder({}, {t.id: t.title for t in topics}))
    assert len(report.sent) == 1 and len(sink.deliveries) == 1
    assert sorted(report.sent[0].to_dict()["topics"]) == ["baghdad", "withdrawal"]
    body = str(sink.deliveries[0].payload)
    assert "انسحاب التحالف" in body and "بغداد" in body


def _secret(url: str):
    from pydantic import SecretStr

    return SecretStr(url)


def test_alerts_written_before_the_change_name_their_topic(tmp_path):
    """An archive from before the topics column: its rows are read as naming their one topic."""
    from alembic import command
    from sqlalchemy import text

    from storage import migrate
    from storage.db import get_engine

    engine = get_engine(f"sqlite:///{tmp_path / 'old.db'}")
    stamp = "2025-01-01 00:00:00.000000"
    with engine.begin() as conn:
        command.upgrade(migrate._config(conn), "5f1c2a9d7e40")
        conn.execute(text("INSERT INTO stories (id, title, created, members, outlets) VALUES (1, 't', :w, 1, '[]')"),
                     {"w": stamp})
        conn.execute(text("INSERT INTO articles (id, url, outlet_id, title, content_hash, fetched, story_id) "
                          "VALUES (1, 'https://x.example/1', 'x', 't', 'h', :w, 1)"), {"w": stamp})
        conn.execute(text("INSERT INTO alerts (article_id, story_id, topic_id, channel, kind, status, attempts, "
                          "next_attempt, created) VALUES (1, 1, 'militia', 'default', 'new', 'sent', 1, :w, :w)"),
                     {"w": stamp})
    migrate.upgrade(engine)
    with Session(engine) as session:
        assert session.exec(select(Alert)).one().topics == ["militia"]
