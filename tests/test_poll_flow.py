"""The whole pipeline as a real Prefect flow over the replayed outlets, delivering through apprise.

These are the guarantees the demo shows: the seed developments are alerted, a second
poll of the same state stores and alerts nothing, and the second wave alerts only the
genuinely new development while the republished agency copy joins its story silently.
"""

import asyncio
import shutil

import pytest
import yaml
from sqlalchemy import func
from sqlmodel import Session, select

from flows.replay.demo import REPLAY_DIR
from storage.db import init_db
from storage.models import Alert, Article, KeyCount, Match, Story, StoryKey

pytestmark = pytest.mark.usefixtures("prefect_harness")
EXPECTED = yaml.safe_load((REPLAY_DIR / "expected.yaml").read_text(encoding="utf-8"))


def _articles(wave):
    return EXPECTED["waves"][wave]["articles"]


def _posts(wave):
    """The Telegram posts a wave adds (stored as articles too)."""
    return EXPECTED["waves"][wave]["posts"]


def _poll(settings):
    from flows.poll import poll_flow

    return asyncio.run(poll_flow(settings))


def _db(settings):
    return Session(init_db(settings))


def _alerted_urls(settings):
    """Instant alerts (new developments and updates) as (url, topic, status)."""
    with _db(settings) as s:
        rows = s.exec(select(Article.url, Alert.topics, Alert.status).where(
            Alert.article_id == Article.id, Alert.kind != "digest")).all()
    return rows


def test_waves_alert_each_development_once(demo_settings, replay, sink):
    first = _poll(demo_settings)
    wave1 = _articles("wave1") + _posts("wave1")
    assert first.total("stored") == len(wave1), [e for r in first.outlets for e in r.errors]
    rows = _alerted_urls(demo_settings)
    assert {status for *_, status in rows} == {"sent"}
    assert len(sink.deliveries) == len(rows), "every alert row arrived once at the endpoint"
    alerted = {url for url, *_ in rows}
    for article in wave1:
        if article["alert"]:
            assert article["url"] in alerted, article["title"]
            topics = [ts for u, ts, _ in rows if u == article["url"]]
            assert len(topics) == 1, f"one alert per development on the channel: {article['title']}"
            assert set(article["topics"]) <= set(topics[0]), article["title"]
        else:
            assert article["url"] not in alerted, f"hard negative alerted: {article['title']}"

    again = _poll(demo_settings)
    assert again.total("stored") == 0 and not again.relay.sent
    assert len(_alerted_urls(demo_settings)) == len(rows)

    replay.set_wave("wave2")
    delivered_before = len(sink.deliveries)
    second = _poll(demo_settings)
    wave2 = _articles("wave2") + _posts("wave2")
    assert second.total("stored") == len(wave2)
    assert second.total("updated") == len(EXPECTED["waves"]["wave2"]["edited"])
    new_rows = [r for r in _alerted_urls(demo_settings) if r not in rows]
    expected_new = {a["url"] for a in wave2 if a["alert"]}
    assert {url for url, *_ in new_rows} == expected_new
    assert len(sink.deliveries) - delivered_before == len(new_rows)

    copy = next(a for a in wave2 if a.get("republished_of"))
    with _db(demo_settings) as s:
        by_url = {a.url: a for a in s.exec(select(Article)).all()}
        story = s.get(Story, by_url[copy["url"]].story_id)
    assert by_url[copy["url"]].story_id == by_url[copy["republished_of"]].story_id, "copy joins the known story"
    assert story.members == 2 and len(story.outlets) == 2
    for post in _posts("wave1") + _posts("wave2"):  # who claimed and who denied, and the story they share
        stored = by_url[post["url"]]
        assert (stored.stance, stored.stance_by) == (post.get("stance", "report"), post.get("by")), post["url"]
        if post.get("story_of"):
            assert stored.story_id == by_url[post["story_of"]].story_id, post["url"]
    for edited in EXPECTED["waves"]["wave2"]["edited"]:
        assert by_url[edited["url"]].text == edited["text"] and by_url[edited["url"]].edited
    with _db(demo_settings) as s:  # grouping's document frequencies stay what counting the key index gives
        counted = dict(s.exec(select(StoryKey.key, func.count()).group_by(StoryKey.key)).all())
        assert dict(s.exec(select(KeyCount.key, KeyCount.stories)).all()) == counted


def test_matches_keep_their_reason(demo_settings):
    _poll(demo_settings)
    with _db(demo_settings) as s:
        matches = s.exec(select(Match)).all()
    assert matches
    for m in matches:
        assert m.terms and m.snippet
        for start, end in m.highlights:
            assert 0 <= start < end <= len(m.snippet)


def test_bad_topic_file_and_broken_outlet_do_not_stop_the_poll(demo_settings, tmp_path):
    topics = tmp_path / "topics"
    shutil.copytree(demo_settings.topics_dir, topics)
    (topics / "broken.yaml").write_text("id: broken\ntitle: x\nquery: (التحالف AND\n", encoding="utf-8")
    outlets = tmp_path / "outlets.yaml"
    text = (REPLAY_DIR / "outlets.yaml").read_text(encoding="utf-8")
    outlets.write_text(text + "\n  - id: gone\n    name: Gone Outlet\n    home: https://gone.example/\n"
                       "    feeds: [https://gone.example/rss.xml]\n", encoding="utf-8")
    settings = demo_settings.model_copy(update={"topics_dir": topics, "outlets_file": outlets})
    summary = _poll(settings)
    assert any("broken.yaml" in e for e in summary.config_errors)
    gone = next(r for r in summary.outlets if r.outlet_id == "gone")
    assert gone.errors and any("gone.example" in e for e in gone.errors)
    assert summary.total("stored") == len(_articles("wave1") + _posts("wave1")), "the other outlets were polled"
    assert summary.relay.sent, "the good topics still alert"


def test_copy_of_known_story_goes_to_the_digest_once(demo_settings, replay, sink):
    from flows.alerts.digest import deliver_digest

    _poll(demo_settings)
    first_digest = deliver_digest(demo_settings)
    replay.set_wave("wave2")
    _poll(demo_settings)
    before = len(sink.deliveries)
    report = deliver_digest(demo_settings)
    assert report.messages == 1 and len(sink.deliveries) == before + 1
    message = sink.deliveries[-1].payload["message"]
    copy = next(a for a in _articles("wave2") if a.get("republished_of"))
    outlets = yaml.safe_load((REPLAY_DIR / "outlets.yaml").read_text(encoding="utf-8"))["outlets"]
    names = {o["id"]: o["name"] for o in outlets}
    original = next(a for a in _articles("wave1") if a["url"] == copy["republished_of"])
    assert names[copy["outlet"]] in message and names[original["outlet"]] in message
    assert deliver_digest(demo_settings).messages == 0, "a digest row is sent once"
    assert first_digest.failed_channels == 0


def test_alert_kinds_follow_the_topic_policy():
    from storage.repo import TopicPolicy, alert_kinds

    assert alert_kinds(TopicPolicy("instant"), "new") == ("new",)
    assert alert_kinds(TopicPolicy("digest"), "new") == ("digest",)
    assert alert_kinds(TopicPolicy("both"), "update") == ("update", "digest")
    assert alert_kinds(TopicPolicy("instant"), None) == ("digest",), "copies only show in the digest"
