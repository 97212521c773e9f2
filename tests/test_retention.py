"""Retention: old unmatched bodies go, matched bodies and every row stay (SQLite and PostgreSQL)."""

from __future__ import annotations

import json
from datetime import timedelta

from archive_data import DOCS, NOW, db_url, store_docs  # noqa: F401 - db_url is a fixture
from sqlmodel import select
from typer.testing import CliRunner

from flows.cli import app
from storage.db import open_db
from storage.models import Article, ArticleSearch
from storage.repo import known_urls
from storage.retention import prune_bodies
from storage.search import search

runner = CliRunner()
BY_KEY = {doc.key: doc for doc in DOCS}


def texts(url: str) -> dict[int, str | None]:
    with open_db(url) as session:
        return {a.id: a.text for a in session.exec(select(Article)).all()}


def test_prune_keeps_matched_bodies_and_drops_old_unmatched_ones(db_url):  # noqa: F811
    ids = store_docs(db_url)
    before = texts(db_url)
    dry = runner.invoke(app, ["db", "prune", "--older-than", "180d", "--dry-run", "--json", "--database-url", db_url])
    assert dry.exit_code == 0, dry.output
    assert json.loads(dry.stdout) | {"cutoff": None} == {"cutoff": None, "bodies_dropped": 1, "matched_kept": 1,
                                                         "already_pruned": 0, "dry_run": True}
    assert texts(db_url) == before                                   # a dry run changes nothing

    done = runner.invoke(app, ["db", "prune", "--older-than", "180d", "--database-url", db_url])
    assert done.exit_code == 0, done.output
    assert "dropped 1 unmatched bodies; kept 1 matched" in " ".join(done.stdout.split())
    after = texts(db_url)
    assert after[ids["old_unmatched"]] is None
    assert after[ids["old_matched"]] == BY_KEY["old_matched"].text   # matched: kept whatever its age
    assert {k: v for k, v in after.items() if k != ids["old_unmatched"]} == \
           {k: v for k, v in before.items() if k != ids["old_unmatched"]}

    again = runner.invoke(app, ["db", "prune", "--older-than", "180d", "--json", "--database-url", db_url])
    assert json.loads(again.stdout)["bodies_dropped"] == 0 and json.loads(again.stdout)["already_pruned"] == 1


def test_pruned_article_is_still_known_and_its_headline_still_searchable(db_url):  # noqa: F811
    ids = store_docs(db_url)
    with open_db(db_url) as session:
        prune_bodies(session, NOW - timedelta(days=180))
    with open_db(db_url) as session:
        row = session.get(ArticleSearch, ids["old_unmatched"])
        assert "مرشحين" not in row.terms.split() and "انتخابي" in row.terms.split()   # body words left the index
        assert [h.article_id for h in search(session, "المرشحين").hits] == []
        assert [h.article_id for h in search(session, "اجتماع").hits] == [ids["old_unmatched"]]
        old_url = "https://alpha.example/old_unmatched"
        assert known_urls(session, [old_url]) == {old_url}            # never fetched again


def test_cutoff_uses_fetch_time_for_undated_articles(db_url):  # noqa: F811
    ids = store_docs(db_url, [d for d in DOCS if d.key == "undated"])
    with open_db(db_url) as session:
        report = prune_bodies(session, NOW - timedelta(days=1))
    assert report.bodies_dropped == 0 and texts(db_url)[ids["undated"]]


def test_bad_age_is_a_usage_error(tmp_path):
    for age in ("180", "six months", "0d"):
        result = runner.invoke(app, ["db", "prune", "--older-than", age,
                                     "--database-url", f"sqlite:///{tmp_path / 'never.db'}"])
        assert result.exit_code == 2, (age, result.output)
    assert not (tmp_path / "never.db").exists()                  # refused before touching a database
