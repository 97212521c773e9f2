"""Archive search on a real SQLite file and the real PostgreSQL: same code, same answers."""

from __future__ import annotations

import json
import os
from datetime import timedelta

import pytest
from archive_data import DOCS, NOW, archive, db_url, store_docs  # noqa: F401 - archive, db_url are fixtures
from sqlmodel import Session, select
from typer.testing import CliRunner

from extractors.matcher import TopicMatcher
from extractors.query import QuerySyntaxError
from extractors.topics import Topic
from flows.cli import app
from storage.db import init_db, open_db
from storage.models import Article, ArticleSearch
from storage.search import ArchiveFilter, index_article, index_terms, search, sync_index

runner = CliRunner()


def found(url: str, query: str, **where) -> list[int]:
    with open_db(url) as session:
        return [hit.article_id for hit in search(session, query, ArchiveFilter(**where), limit=100).hits]


def keys(ids: dict, *names: str) -> set[int]:
    return {ids[name] for name in names}


def test_bare_word_finds_its_clitic_forms(archive):
    url, ids = archive
    assert ids["clitic"] in found(url, "التحالف")          # the article only says بالتحالف
    assert ids["clitic"] in found(url, "بالتحالف")


def test_persian_letters_fold_both_ways(archive):
    url, ids = archive
    assert found(url, "أربيل") == [ids["persian"]]          # stored with Persian ی
    assert found(url, '"الولايات المتحدة"') == [ids["persian"]]
    assert set(found(url, "الأمریکية")) == keys(ids, "apart", "phrase")   # query with ی and ک, text with ي ك


def test_phrase_near_and_title_are_exact_not_just_the_words(archive):
    url, ids = archive
    assert set(found(url, "القوات AND الأمريكية")) == keys(ids, "apart", "phrase")
    assert found(url, '"القوات الأمريكية"') == [ids["phrase"]]
    assert set(found(url, "title:التحالف")) == keys(ids, "withdrawal", "old_matched")
    assert set(found(url, "التحالف NEAR/2 انسحاب*")) == keys(ids, "withdrawal", "old_matched")
    assert found(url, "التحالف NEAR/1 انتخابي") == [ids["old_unmatched"]]


def test_boolean_operators_and_prefixes(archive):
    url, ids = archive
    with_alliance = keys(ids, "withdrawal", "clitic", "old_unmatched", "old_matched")
    assert set(found(url, "التحالف")) == with_alliance
    assert set(found(url, "التحالف AND NOT انتخابي*")) == with_alliance - keys(ids, "old_unmatched")
    assert set(found(url, "أربيل OR فكتوريا")) == keys(ids, "persian", "phrase")
    assert found(url, "withdraw*") == [ids["english"]]
    assert found(url, "withdrawal") == []                   # no prefix: the word itself
    assert set(found(url, "(بغداد AND NOT الداخلية) AND (اجتماع* OR مطار)")) == keys(ids, "old_unmatched", "phrase")


def test_every_answer_equals_the_matcher_run_over_the_whole_archive(archive):
    """The index only narrows: for each query the hits are exactly what a full matcher scan finds."""
    url, _ = archive
    queries = ["التحالف", "قوات*", '"قاعدة فكتوريا"', "بغداد AND NOT (التحالف OR السفارة)", "title:(بغداد OR انسحاب)",
               "(مسؤول OR officials) NEAR/5 (قال OR said)", "الحدود", "العراق OR coalition", "بغداد NEAR/10 NOT_A_WORD"]
    with open_db(url) as session:
        articles = session.exec(select(Article)).all()
        for query in queries:
            matcher = TopicMatcher.compile([Topic(id="q", title="q", query=query)])
            expected = {a.id for a in articles if matcher.match(a.title, a.text or "")}
            got = {hit.article_id for hit in search(session, query, limit=1000).hits}
            assert got == expected, query


def test_filters_topic_since_outlet(archive):
    url, ids = archive
    assert set(found(url, "التحالف", topic="withdrawal")) == keys(ids, "withdrawal", "old_matched")
    assert set(found(url, "التحالف", since=NOW - timedelta(days=30))) == keys(ids, "withdrawal", "clitic")
    assert found(url, "التحالف", outlet="alpha", since=NOW - timedelta(days=30)) == [ids["clitic"]]
    assert found(url, "الحدود", since=NOW - timedelta(days=1)) == [ids["undated"]]   # undated: its fetch time
    assert found(url, "التحالف", topic="no-such-topic") == []


def test_newest_first_and_limit(archive):
    url, ids = archive
    with open_db(url) as session:
        result = search(session, "بغداد", limit=2)
    newest = sorted((d for d in DOCS if d.days_ago is not None and "بغداد" in d.title + d.text),
                    key=lambda d: d.days_ago)
    assert [hit.article_id for hit in result.hits] == [ids[d.key] for d in newest[:2]]
    assert result.candidates >= 3 and result.checked == 2
    assert "«" in result.hits[0].marked and result.hits[0].terms == ("بغداد",)


def test_articles_stored_before_the_index_are_caught_up_once(db_url):  # noqa: F811
    ids = store_docs(db_url, DOCS[:2])
    with open_db(db_url) as session:
        session.execute(ArticleSearch.__table__.delete())
    with open_db(db_url) as session:
        assert search(session, "أربيل").indexed == 2
        assert sync_index(session) == 0
        assert [h.article_id for h in search(session, "أربيل").hits] == [ids["persian"]]


def test_cli_reindex_rebuilds_every_row(db_url):  # noqa: F811
    ids = store_docs(db_url, DOCS[:3])
    with open_db(db_url) as session:
        sync_index(session)                                  # every article has its row (hook or catch-up)
        session.execute(ArticleSearch.__table__.update().values(terms="stale"))
    assert found(db_url, "أربيل") == []                       # a stale index hides the article
    result = runner.invoke(app, ["db", "reindex", "--database-url", db_url])
    assert result.exit_code == 0, result.output
    assert "indexed 3 article(s)" in result.stdout
    assert found(db_url, "أربيل") == [ids["persian"]]


def test_index_hook_writes_in_the_callers_transaction(db_url):  # noqa: F811
    ids = store_docs(db_url, DOCS[:1])
    engine = init_db(db_url)
    with Session(engine) as session:
        session.execute(ArticleSearch.__table__.delete())   # whether or not store_article indexed it already
        session.commit()
        index_article(session, ids["clitic"], index_terms("عنوان جديد", "نص عن الانتشار"))
        session.rollback()                                   # the caller's transaction failed
        assert session.get(ArticleSearch, ids["clitic"]) is None
        index_article(session, ids["clitic"], index_terms("عنوان جديد", "نص عن الانتشار"))
        session.commit()
        row = session.get(ArticleSearch, ids["clitic"])
    assert "انتشار" in row.terms.split() and "الانتشار" in row.terms.split()
    assert found(db_url, "الانتشار") == [ids["clitic"]]


def test_syntax_error_names_the_position(archive):
    url, _ = archive
    with open_db(url) as session, pytest.raises(QuerySyntaxError) as caught:
        search(session, "التحالف AND (انسحاب")
    assert caught.value.offset == len("التحالف AND (انسحاب") and "column 13" in str(caught.value)


def test_cli_search_json_and_errors(archive):
    url, ids = archive
    result = runner.invoke(app, ["search", "التحالف", "--topic", "withdrawal", "--json", "--database-url", url])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert [hit["id"] for hit in report["hits"]] == [ids["withdrawal"], ids["old_matched"]]
    assert report["hits"][0]["topics"] == ["withdrawal"] and report["hits"][0]["outlet"] == "beta"

    text = runner.invoke(app, ["search", "أربيل", "--since", "30d", "--database-url", url])
    assert text.exit_code == 0 and "https://beta.example/persian" in text.stdout

    side_by_side = runner.invoke(app, ["search", "القوات الأمريكية", "--json", "--database-url", url])
    assert side_by_side.exit_code == 0, side_by_side.output
    report = json.loads(side_by_side.stdout)
    assert report["read_as"] == "القوات AND الأمريكية"
    assert {hit["id"] for hit in report["hits"]} == keys(ids, "apart", "phrase")   # both words, apart or together
    bad = runner.invoke(app, ["search", "القوات (الأمريكية", "--database-url", url])
    assert bad.exit_code == 1 and "column 8" in bad.stderr and "search:1:18" in bad.stderr
    assert "Traceback" not in bad.output
    unknown = runner.invoke(app, ["search", "بغداد @nolist", "--database-url", url])
    assert unknown.exit_code == 1 and "search:1:7: unknown list @nolist" in unknown.stderr
    bad_date = runner.invoke(app, ["search", "بغداد", "--since", "yesterday", "--database-url", url])
    assert bad_date.exit_code == 2


_WORDS = ["التحالف", "بغداد", "القوات", "الأمريكية", "انسحاب", "قاعدة", "مسؤول", "coalition", "العراق", "أربيل",
          "الدوريات", "المرشحين", "انسح*", "قوا*", "withdraw*", "مسؤ*", '"القوات الأمريكية"', '"مطار بغداد"']


def _queries():
    from hypothesis import strategies as st

    leaf = st.sampled_from(_WORDS)

    def grow(inner):
        pair = st.tuples(inner, inner)
        return st.one_of(pair.map(lambda p: f"({p[0]} AND {p[1]})"), pair.map(lambda p: f"({p[0]} OR {p[1]})"),
                         pair.map(lambda p: f"({p[0]} AND NOT {p[1]})"), inner.map(lambda q: f"title:{q}"),
                         st.tuples(inner, inner, st.integers(1, 8)).map(lambda p: f"({p[0]} NEAR/{p[2]} {p[1]})"))

    return st.recursive(leaf, grow, max_leaves=5)


def test_random_queries_agree_with_a_full_matcher_scan(archive):
    """Whatever the operators nest into, the index never loses a match (NOT included)."""
    from hypothesis import HealthCheck, example, given, settings

    url, _ = archive
    with open_db(url) as session:
        articles = [(a.id, a.title, a.text or "") for a in session.exec(select(Article)).all()]

    @settings(max_examples=int(os.environ.get("RASID_SEARCH_EXAMPLES", "40")), deadline=None, database=None,
              derandomize=not os.environ.get("RASID_SEARCH_EXAMPLES"), suppress_health_check=[HealthCheck.too_slow])
    @given(_queries())
    @example('(بغداد AND NOT "القوات الأمريكية")')             # both words, not side by side: must stay
    @example("(بغداد AND NOT title:القوات)")
    @example("title:(التحالف AND NOT قاعدة)")                   # NOT in the headline only: body may have it
    @example("(التحالف AND NOT (انسحاب NEAR/1 قاعدة))")
    def check(query):
        matcher = TopicMatcher.compile([Topic(id="q", title="q", query=query)])
        expected = {aid for aid, title, body in articles if matcher.match(title, body)}
        with open_db(url) as session:
            assert {hit.article_id for hit in search(session, query, limit=1000).hits} == expected, query

    check()
