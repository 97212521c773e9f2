"""Dates for pages whose metadata, byline and URL give none: a short date line near the headline
(any element), then the last-resort day (extractors/dates_fallback.py), only as a day, never a day
the page does not show near its headline, nor one after the fetch.

A wrong day is worse than none: an analyst reading "published 3 August" trusts it.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

from sqlmodel import Session, select
from typer.testing import CliRunner

from extractors.article import extract_article
from extractors.feeds import FeedItem
from extractors.outlets import Outlet
from flows.alerts.relay import format_local
from flows.fetch.result import FetchResult
from flows.pipeline.prepare import prepare
from storage import repo
from storage.db import init_db
from storage.export import ExportedArticle
from storage.models import Article

BODY = "<p>" + "نص الخبر الكامل كما نشره الموقع في صفحته دون أي تاريخ فيه. " * 8 + "</p>"
FETCHED = datetime(2023, 8, 10, 9, 0, tzinfo=timezone.utc)


def _page(before: str = "", after: str = "", head: str = "") -> str:
    """No date metadata, no date in the URL; `after` sits below the first body paragraph, where
    the byline reading (which stops at body text) does not look."""
    return (f"<html><head><title>عنوان الخبر</title>{head}</head><body>{before}<div class='story'>"
            f"<h1>عنوان الخبر</h1>{BODY}{after}</div><footer>جميع الحقوق محفوظة 2021</footer></body></html>")


VISIBLE = "<div class='info'><span class='date'>03/08/2023</span></div>"


def test_a_date_line_away_from_the_headline_is_found_as_a_day():
    article = extract_article(_page(after=VISIBLE), "https://news.example/a/1", utc_offset_hours=3, now=FETCHED)
    assert article.date_source == "date_line"
    assert article.published_precision == "day"
    assert article.published_local.date().isoformat() == "2023-08-03"
    assert article.published.isoformat() == "2023-08-03T12:00:00+03:00"  # noon of the outlet's day, not 00:00
    assert article.date_evidence == "03/08/2023"


def test_a_table_layout_date_with_its_time_keeps_the_time():
    cell = "<table><tr><td><span>الخميس , 3 آب , 2023 :: 10:15 ص</span></td></tr></table>"
    article = extract_article(_page(after=cell), "https://news.example/a/1", utc_offset_hours=3, now=FETCHED)
    assert article.date_source == "date_line" and article.published_precision == "time"
    assert article.published.isoformat() == "2023-08-03T10:15:00+03:00"


def test_dates_of_a_related_list_or_an_embedded_post_are_not_the_articles():
    related = "<ul><li>3 آب 2023</li><li>1 آب 2023</li></ul>"
    tweet = "<blockquote class='twitter-tweet'><a href='https://x.example/s/1'>August 1, 2023</a></blockquote>"
    for after in (related, tweet):
        assert extract_article(_page(after=after), "https://news.example/a/1", now=FETCHED).published is None


def test_htmldate_finds_a_day_written_inside_a_sentence():
    """A marked date element whose line is more than a date: htmldate's markup reading finds it,
    and the day is written near the headline, so it is taken, as a day."""
    article = extract_article(_page(after=MARKED), "https://news.example/a/1", utc_offset_hours=3, now=FETCHED)
    assert article.date_source == "fallback" and article.published_precision == "day"
    assert article.published.isoformat() == "2023-08-03T12:00:00+03:00"
    assert "03/08/2023" in article.date_evidence


def test_a_page_without_any_date_gets_none():
    article = extract_article(_page(), "https://news.example/a/1", now=FETCHED)
    assert article.published is None and article.published_precision is None and article.date_source is None


MARKED = "<div class='info'><span class='date'>نشر على موقعنا يوم 03/08/2023</span></div>"


def test_a_day_after_the_fetch_is_refused():
    early = datetime(2023, 7, 30, 9, 0, tzinfo=timezone.utc)
    for after in (VISIBLE, MARKED):
        assert extract_article(_page(after=after), "https://news.example/a/1", now=early).published is None


def test_a_header_clock_is_not_a_publication_day():
    clock = "<header class='top'><span class='date'>03/08/2023</span></header>"
    article = extract_article(_page(before=clock), "https://news.example/a/1", now=FETCHED)
    assert article.published is None


def test_a_day_the_url_contradicts_is_refused():
    for after in (VISIBLE, MARKED):
        assert extract_article(_page(after=after), "https://news.example/2022/05/story", now=FETCHED).published is None


def test_a_day_after_the_pages_update_stamp_is_refused():
    updated = "<div><span>آخر تحديث: 1 آب 2023</span></div>"
    for after in (VISIBLE, MARKED):
        article = extract_article(_page(after=updated + after), "https://news.example/a/1", now=FETCHED)
        assert article.published is None


def test_an_update_stamp_line_is_not_the_publication_day():
    marked = "<div><time class='entry-updated'>August 3, 2023</time></div>"
    after_word = "<div><span>Updated</span> <span>August 3, 2023</span></div>"
    for after in (marked, after_word):
        assert extract_article(_page(after=after), "https://news.example/a/1", now=FETCHED).date_source != "date_line"


def test_rasids_own_sources_come_first():
    head = '<meta property="article:published_time" content="2023-08-01T08:00:00+03:00">'
    article = extract_article(_page(after=VISIBLE, head=head), "https://news.example/a/1", now=FETCHED)
    assert article.date_source == "meta" and article.published_precision == "time"
    assert article.published.isoformat() == "2023-08-01T08:00:00+03:00"


def test_a_day_only_date_from_the_url_is_a_day_too():
    article = extract_article(_page(), "https://news.example/2023/08/03/story", utc_offset_hours=3)
    assert article.date_source == "url" and article.published_precision == "day"
    assert article.published.isoformat() == "2023-08-03T12:00:00+03:00"


def test_cli_json_prints_the_day_alone(tmp_path):
    from flows.cli import app

    page = tmp_path / "page.html"
    page.write_text(_page(after=VISIBLE), encoding="utf-8")
    result = CliRunner().invoke(app, ["extract", str(page), "--json", "--url", "https://news.example/a/1"])
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout)
    assert record["published"] == "2023-08-03"
    assert record["published_precision"] == "day" and record["date_source"] == "date_line"


def test_a_day_only_date_is_stored_and_shown_as_the_day(tmp_path):
    """Through prepare, SQLite, the alert line and the JSONL export: the day, no invented hour."""
    url = "https://news.example/a/1"
    page = FetchResult(url=url, final_url=url, status=200, body=b"", content_type="text/html", encoding="utf-8",
                       text=_page(after=VISIBLE), elapsed_s=0.0)
    from extractors.entities import parse_gazetteer
    from extractors.matcher import TopicMatcher

    seeds = Path(__file__).resolve().parents[1] / "seeds" / "gazetteer.yaml"
    gazetteer = parse_gazetteer(seeds.read_text(encoding="utf-8"), str(seeds))
    outlet = Outlet(id="o", name="o", home="https://news.example", utc_offset_hours=3)
    prepared = prepare(TopicMatcher.compile([], {}), outlet, FeedItem(url=url), page, gazetteer=gazetteer)
    engine = init_db(f"sqlite:///{tmp_path / 'day.db'}")
    with Session(engine) as session:
        repo.store_articles(session, [(prepared.article, prepared.matches, prepared.signature, prepared.derived)], {})
    with Session(engine) as session:
        stored = session.exec(select(Article)).one()
    assert stored.published_precision == "day"
    assert format_local(stored.published, stored.utc_offset_minutes, day_only=True) == "2023-08-03"
    exported = ExportedArticle(stored, ()).to_dict()
    assert exported["published"] == "2023-08-03" and exported["published_precision"] == "day"


def test_an_archive_hit_with_a_day_only_date_shows_the_day():
    from storage.search import SearchHit

    noon = datetime(2023, 8, 3, 9, 0)  # 12:00 at +03:00, as storage keeps it (UTC)
    hit = SearchHit(1, "https://news.example/a/1", "o", "t", noon, None, (), "", (), "",
                    published_precision="day")
    assert hit.to_dict()["published"] == "2023-08-03" and hit.to_dict()["published_precision"] == "day"
