"""Who claimed and who denied, where the analyst looks: a claim then a denial of the same attack,
stored through the real store path (SQLite file), delivered by the real relay through apprise to a
loopback endpoint. The denial is the story's first: it is an update, and it names both."""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta, timezone

import pytest
from pydantic import SecretStr
from sqlmodel import Session, select

from extractors.grouping import story_signature
from extractors.matcher import TopicMatcher
from extractors.topics import Topic
from flows.alerts.relay import Channels, relay, view_builder
from flows.pipeline.prepare import stance_fields
from flows.pipeline.watch import load_gazetteer
from flows.settings import SEEDS_DIR
from storage.db import init_db
from storage.models import Alert, Article
from storage.repo import NewArticle, store_article

GAZETTEER = load_gazetteer(SEEDS_DIR / "gazetteer.yaml")
MATCHER = TopicMatcher.compile([Topic(id="attacks", title="هجمات على القواعد", query="حرير OR Harir")])
CLAIMED = datetime(2026, 3, 2, 23, 41, tzinfo=timezone.utc)  # 02:41 in Baghdad (+03:00)
OUTLETS = {"resistance-channel": "قناة المقاومة", "wire": "وكالة الخبر", "daily": "صحيفة يومية"}

# Written for this test: the faction's claim, then a ministry's denial of the same strike.
CLAIM = ("المقاومة الإسلامية في العراق تعلن استهداف قاعدة حرير بطائرة مسيّرة",
         "أعلنت المقاومة الإسلامية في العراق في بيان أنها استهدفت قاعدة حرير الأمريكية في أربيل بطائرة مسيّرة "
         "فجر اليوم، وقالت إن الطائرة أصابت هدفها بدقة.")
DENIAL = ("البنتاغون ينفي تعرض قاعدة حرير في أربيل لهجوم بطائرة مسيّرة",
          "نفى البنتاغون تعرض قاعدة حرير في أربيل لأي هجوم بطائرة مسيّرة فجر اليوم، وقال متحدث إن ما أعلنته "
          "المقاومة الإسلامية في العراق عن استهداف القاعدة غير صحيح.")
SECOND_DENIAL = ("مسؤول أمريكي ينفي استهداف قاعدة حرير بطائرة مسيّرة في أربيل",
                 "نفى مسؤول أمريكي أن تكون قاعدة حرير في أربيل قد تعرضت لهجوم بطائرة مسيّرة فجر اليوم كما أعلنت "
                 "المقاومة الإسلامية في العراق.")


def _store(session, outlet: str, key: str, title: str, text: str, published: datetime, offset_minutes: int):
    """One article through the store path, as prepare() hands it over (matches, signature, stance)."""
    matches = MATCHER.match(title, text)
    article = NewArticle(url=f"https://{outlet}.example/{key}", outlet_id=outlet, title=title, text=text,
                         content_hash=hashlib.sha256(f"{title}\n{text}".encode()).hexdigest(), published=published,
                         utc_offset_minutes=offset_minutes, lang="ar", **stance_fields(title, text, GAZETTEER))
    signature = story_signature(title, text, published=published, topics=[m.topic_id for m in matches], lang="ar",
                                gazetteer=GAZETTEER)
    return store_article(session, article, matches, signature, {})


@pytest.fixture
def engine(tmp_path):
    return init_db(f"sqlite:///{tmp_path / 'provenance.db'}")


def test_a_claim_then_a_denial_reach_the_analyst_as_one_story(engine, sink):
    channels = Channels({"default": SecretStr(sink.url())})
    view = view_builder(OUTLETS, {"attacks": "هجمات على القواعد"}, GAZETTEER)
    with Session(engine, expire_on_commit=False) as session:
        claim = _store(session, "resistance-channel", "claim", *CLAIM, CLAIMED, 180)
        first = relay(session, channels, view)
        denial = _store(session, "wire", "denial", *DENIAL, CLAIMED + timedelta(hours=9, minutes=6), 180)
        second = relay(session, channels, view)
        stances = dict(session.exec(select(Article.url, Article.stance)).all())
        kinds = [a.kind for a in session.exec(select(Alert).order_by(Alert.id)).all()]

    assert claim.new_story and denial.story_id == claim.story_id and not denial.new_story
    assert stances == {"https://resistance-channel.example/claim": "claim", "https://wire.example/denial": "denial"}
    assert kinds == ["new", "update"], "the first denial of an alerted story is an update"
    assert [v.kind for v in first.sent + second.sent] == ["new", "update"]

    told = second.sent[0].to_dict()["provenance"]
    assert [(v["stance"], v["by"], v["outlet"]) for v in told] == [
        ("claim", "المقاومة الإسلامية في العراق", "قناة المقاومة"), ("denial", "البنتاغون", "وكالة الخبر")]
    assert told[0]["at"] == "2026-03-03T02:41+03:00" and told[1]["at"] == "2026-03-03T11:47+03:00"

    update_message = sink.deliveries[-1].payload["message"]
    assert "تبنّاه" in update_message and "المقاومة الإسلامية في العراق" in update_message
    assert "نفاه" in update_message and "البنتاغون" in update_message
    assert "02:41" in update_message and "11:47" in update_message
    assert update_message.index("تبنّاه") < update_message.index("نفاه"), "oldest first"
    assert "قناة المقاومة" in update_message and "وكالة الخبر" in update_message


def test_a_second_denial_is_no_news(engine, sink):
    """Only a story's FIRST denial (or confirmation) is an update; the one after is a copy, and the
    existing rule for copies (digest only, no instant alert) still holds."""
    with Session(engine, expire_on_commit=False) as session:
        _store(session, "resistance-channel", "claim", *CLAIM, CLAIMED, 180)
        _store(session, "wire", "denial", *DENIAL, CLAIMED + timedelta(hours=9), 180)
        again = _store(session, "daily", "denial-2", *SECOND_DENIAL, CLAIMED + timedelta(hours=10), 180)
        kinds = [a.kind for a in session.exec(select(Alert).where(Alert.article_id == again.article_id)).all()]
    assert again.story_id is not None and not again.new_story
    assert again.alerts == 0 and "update" not in kinds and "new" not in kinds


def test_a_story_with_no_stance_taken_shows_none(engine, sink):
    view = view_builder(OUTLETS, {"attacks": "هجمات على القواعد"}, GAZETTEER)
    with Session(engine, expire_on_commit=False) as session:
        _store(session, "daily", "plain", "انفجار قرب قاعدة حرير في أربيل",
               "سمع سكان دوي انفجار قرب قاعدة حرير في أربيل مساء اليوم.", CLAIMED, 180)
        sent = relay(session, Channels({"default": SecretStr(sink.url())}), view).sent
    assert sent[0].to_dict()["provenance"] == []
    assert "المواقف" not in sink.deliveries[0].payload["message"]
