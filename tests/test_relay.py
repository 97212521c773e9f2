"""The outbox relay: real apprise deliveries to a loopback endpoint, retries, secrets kept out."""

import logging

import pytest
from pydantic import SecretStr
from sqlmodel import Session, select

from flows.alerts.relay import Channels, relay, view_builder
from storage import outbox
from storage.db import init_db
from storage.models import Alert, Article, Match, Story


def _seed_alert(engine, channel="default"):
    with Session(engine) as s:
        story = Story(title="t", outlets=["baghdadtoday", "erem"])
        s.add(story)
        s.flush()
        art = Article(url="https://baghdadtoday.news/1", outlet_id="baghdadtoday", title="هجوم بطائرة مسيرة على عين الأسد",
                      text="نص", content_hash="h", story_id=story.id)
        s.add(art)
        s.flush()
        s.add(Match(article_id=art.id, topic_id="militia-attacks", terms=["مسيرة"], snippet="هجوم بطائرة مسيرة",
                    highlights=[[10, 15]]))
        s.add(Alert(article_id=art.id, story_id=story.id, topic_id="militia-attacks", channel=channel))
        s.commit()


@pytest.fixture
def engine(tmp_path):
    return init_db(f"sqlite:///{tmp_path / 'r.db'}")


VIEW = view_builder({"baghdadtoday": "بغداد اليوم", "erem": "إرم نيوز"}, {"militia-attacks": "هجمات الفصائل"})


def test_alert_is_delivered_once_and_marked_sent(engine, sink):
    _seed_alert(engine)
    with Session(engine) as session:
        report = relay(session, Channels({"default": SecretStr(sink.url())}), VIEW)
        again = relay(session, Channels({"default": SecretStr(sink.url())}), VIEW)
        status = session.exec(select(Alert.status)).one()
    assert len(report.sent) == 1 and not again.sent
    assert status == "sent"
    assert len(sink.deliveries) == 1
    payload = sink.deliveries[0].payload
    assert "عين الأسد" in payload["title"] and "بغداد اليوم" in payload["message"]
    assert "إرم نيوز" in payload["message"], "other outlets of the story are listed"


def test_refused_delivery_is_retried_later_and_then_sent(engine, sink):
    _seed_alert(engine)
    sink.fail_times = 1
    channels = Channels({"default": SecretStr(sink.url())})
    with Session(engine) as session:
        first = relay(session, channels, VIEW)
        row = session.exec(select(Alert)).one()
        assert first.retried == 1 and row.status == "pending" and row.next_attempt > row.created
        row.next_attempt = row.created  # the backoff has passed
        session.add(row)
        session.commit()
        second = relay(session, channels, VIEW)
    assert len(second.sent) == 1 and len(sink.deliveries) == 1


def test_after_max_attempts_alert_is_failed_and_listed(engine):
    _seed_alert(engine, channel="nowhere")
    with Session(engine) as session:
        for _ in range(outbox.MAX_ATTEMPTS):
            relay(session, Channels({}), VIEW)
            row = session.exec(select(Alert)).one()
            row.next_attempt = row.created
            session.add(row)
            session.commit()
        failed = outbox.recent_alerts(session, status="failed")
    assert len(failed) == 1 and "not configured" in failed[0][0].last_error


def test_alerts_list_json_gives_each_alerts_state_and_article(tmp_path, monkeypatch):
    import json

    from typer.testing import CliRunner

    from flows.cli import app

    monkeypatch.setenv("RASID_STATE_DIR", str(tmp_path))
    monkeypatch.delenv("RASID_DATABASE_URL", raising=False)
    engine = init_db(f"sqlite:///{tmp_path / 'rasid.db'}")
    _seed_alert(engine, channel="nowhere")
    with Session(engine) as session:
        relay(session, Channels({}), VIEW)  # an unconfigured channel: the delivery fails and is retried later
    listed = CliRunner().invoke(app, ["alerts", "list", "--json"])
    assert listed.exit_code == 0, listed.output
    [alert] = json.loads(listed.stdout)
    assert alert["status"] == "pending" and alert["attempts"] == 1 and "not configured" in alert["last_error"]
    assert alert["next_attempt"] > alert["created"], "the retry waits for its backoff"
    assert alert["article"]["url"] == "https://baghdadtoday.news/1" and alert["topic"] == "militia-attacks"
    failed_only = CliRunner().invoke(app, ["alerts", "list", "--failed", "--json"])
    assert failed_only.exit_code == 0 and json.loads(failed_only.stdout) == []


def test_channel_secret_never_reaches_logs_or_errors(engine, caplog):
    canary = "CANARYTOKEN93817"
    _seed_alert(engine)
    # a closed port on loopback: the delivery fails
    url = f"json://user:{canary}@127.0.0.1:9/hook?token={canary}"
    with caplog.at_level(logging.DEBUG), Session(engine) as session:
        report = relay(session, Channels({"default": SecretStr(url)}), VIEW)
        row = session.exec(select(Alert)).one()
    assert report.retried == 1
    assert canary not in caplog.text
    assert canary not in (row.last_error or "")
    assert canary not in repr(Channels({"default": SecretStr(url)}).__dict__)


def test_email_delivery_is_html_right_to_left(engine, smtp_sink):
    _seed_alert(engine)
    with Session(engine) as session:
        report = relay(session, Channels({"default": SecretStr(smtp_sink.url)}), VIEW)
    assert len(report.sent) == 1 and len(smtp_sink.messages) == 1
    message = smtp_sink.messages[0]
    from email.header import decode_header, make_header

    assert "عين الأسد" in str(make_header(decode_header(message["Subject"])))
    parts = {part.get_content_type(): part.get_payload(decode=True).decode("utf-8") for part in message.walk()
             if not part.is_multipart()}
    assert 'dir="rtl"' in parts["text/html"] and "<mark>" in parts["text/html"]
    assert "بغداد اليوم" in parts["text/plain"]


def test_alert_names_places_actors_and_weapons(engine, sink):
    from flows.alerts.relay import view_builder
    from flows.pipeline.watch import load_gazetteer
    from flows.settings import SEEDS_DIR

    _seed_alert(engine)
    view = view_builder({}, {}, load_gazetteer(SEEDS_DIR / "gazetteer.yaml"))
    with Session(engine) as session:
        report = relay(session, Channels({"default": SecretStr(sink.url())}), view)
    entities = report.sent[0].entities
    assert any("الأسد" in e for e in entities), entities
    assert any("مسير" in e for e in entities), "the weapon (a drone) is named"
    assert "الأسد" in sink.deliveries[0].payload["message"]


def test_alerts_test_command_sends_a_sample_and_reports_failure(sink, monkeypatch):
    from typer.testing import CliRunner

    from flows.cli import app

    monkeypatch.setenv("RASID_CHANNELS__OPS", sink.url())
    ok = CliRunner().invoke(app, ["alerts", "test", "ops"])
    assert ok.exit_code == 0, ok.output
    assert len(sink.deliveries) == 1 and "راصد" in sink.deliveries[0].payload["title"]
    sink.fail_times = 1
    refused = CliRunner().invoke(app, ["alerts", "test", "ops"])
    assert refused.exit_code == 1 and "did not accept" in refused.output
    missing = CliRunner().invoke(app, ["alerts", "test", "nosuch"])
    assert missing.exit_code == 1 and "not configured" in missing.output
    assert "127.0.0.1" not in ok.output + refused.output + missing.output
