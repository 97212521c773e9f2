"""A poll stores its articles in batches, one transaction each (repo.store_articles): the same
stories, matches and alerts as one at a time, one failing article rolled back alone, and a
failing database leaving nothing half-stored."""

from __future__ import annotations

from archive_data import DOCS, db_url, prepared_docs, store_docs  # noqa: F401 - db_url is a fixture
from sqlalchemy import text
from sqlmodel import Session

from extractors.errors import PermanentError, TransientError
from storage.db import init_db
from storage.repo import store_articles

STORY_OF = ("SELECT a.url, (SELECT min(b.url) FROM articles b WHERE b.story_id = a.story_id) "
            "FROM articles a ORDER BY a.url")
ALERTS = ("SELECT a.url, al.topic_id, al.channel, al.kind FROM alerts al JOIN articles a ON a.id = al.article_id "
          "ORDER BY a.url, al.kind")


def _doc(key: str):
    return next(d for d in DOCS if d.key == key)


def _stored(url: str) -> tuple[list, list]:
    """Each article with its story (named by the story's first URL), and the alerts written."""
    with init_db(url).connect() as conn:
        return [tuple(r) for r in conn.execute(text(STORY_OF))], [tuple(r) for r in conn.execute(text(ALERTS))]


def test_a_batch_stores_what_storing_one_by_one_stores(db_url, tmp_path):
    one_by_one = f"sqlite:///{tmp_path / 'one_by_one.db'}"
    store_docs(one_by_one)
    with Session(init_db(db_url), expire_on_commit=False) as session:
        outcomes = store_articles(session, prepared_docs(), {})
    assert all(o.created for o in outcomes) and len(outcomes) == len(DOCS)
    assert _stored(db_url) == _stored(one_by_one)
    assert any(kind == "new" for *_, kind in _stored(db_url)[1])  # the batch did alert


def test_an_article_that_fails_is_rolled_back_alone(db_url):
    """A copy whose story's stored signature is unreadable fails; the rest of its batch is stored."""
    withdrawal = _doc("withdrawal")
    store_docs(db_url, [withdrawal])
    with init_db(db_url).begin() as conn:
        conn.execute(text("UPDATE articles SET signature = 'not a signature'"))
    copy = prepared_docs([withdrawal])[0]
    copy = (copy[0].__class__(**{**copy[0].__dict__, "url": "https://delta.example/copy"}), *copy[1:])
    others = prepared_docs([_doc("apart"), _doc("english")])
    with Session(init_db(db_url), expire_on_commit=False) as session:
        outcomes = store_articles(session, [others[0], copy, others[1]], {})
    assert isinstance(outcomes[1], PermanentError)
    assert outcomes[0].created and outcomes[2].created
    urls = [url for url, _story in _stored(db_url)[0]]
    assert "https://delta.example/copy" not in urls and len(urls) == 3


def test_when_the_database_fails_mid_batch_nothing_of_it_is_stored(tmp_path):
    """The second article's alert cannot be written (its table is gone): the first, already
    written in the same transaction, is rolled back with it, and each gets a TransientError
    naming its URL, so the next poll fetches both again."""
    url = f"sqlite:///{tmp_path / 'broken.db'}"
    quiet, matching = prepared_docs([_doc("apart"), _doc("withdrawal")])
    assert not quiet[1] and matching[1]  # no topic match, then a match (which writes an alert)
    with init_db(url).begin() as conn:
        conn.execute(text("DROP TABLE alerts"))
    with Session(init_db(url), expire_on_commit=False) as session:
        outcomes = store_articles(session, [quiet, matching], {})
    assert [type(o) for o in outcomes] == [TransientError, TransientError]
    assert [quiet[0].url in str(outcomes[0]), matching[0].url in str(outcomes[1])] == [True, True]
    with init_db(url).connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM articles")).scalar() == 0


def test_an_undated_page_keeps_its_fetch_time_as_time_evidence(db_url):
    """In a poll an undated page is grouped and stored at the time it was fetched (issue 17):
    its stored signature carries that time, so a copy fetched days later is not compared as
    if time said nothing."""
    from datetime import datetime, timezone

    from extractors.story_signature import StorySignature

    before = datetime.now(timezone.utc)
    store_docs(db_url, [_doc("undated")])
    with init_db(db_url).connect() as conn:
        stored = StorySignature.from_json(conn.execute(text("SELECT signature FROM articles")).scalar_one())
    assert stored.published_at is not None and before <= stored.published_at <= datetime.now(timezone.utc)
