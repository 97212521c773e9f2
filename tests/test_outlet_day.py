"""The outlet's own day survives from the page to `rasid extract --json`, the archive and the alert line.

A page stamped `2021-03-05T01:30+03:00` was published on 5 March for its readers; read as
UTC it is 4 March 22:30, and an analyst shown that sees the previous day.
"""

from __future__ import annotations

import json
from pathlib import Path
from datetime import datetime, timezone

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

INSTANT = datetime(2021, 3, 4, 22, 30, tzinfo=timezone.utc)
BODY = "<p>" + "نص الخبر الكامل كما نشره الموقع في صفحته. " * 12 + "</p>"


def _page(stamp_html: str, byline: str = "") -> str:
    return (f"<html><head><title>عنوان الخبر</title>{stamp_html}</head><body><article><h1>عنوان الخبر</h1>"
            f"<div class='byline'>{byline}</div>{BODY}</article></body></html>")


JSONLD = '<script type="application/ld+json">{"@type": "NewsArticle", "datePublished": "%s"}</script>'


def test_published_keeps_the_offset_the_page_gave():
    article = extract_article(_page(JSONLD % "2021-03-05T01:30+03:00"))
    assert article.published.isoformat() == "2021-03-05T01:30:00+03:00"
    assert article.published == INSTANT  # the same instant: comparisons are in UTC
    assert article.utc_offset_minutes == 180


def test_the_pages_offset_wins_over_the_configured_one():
    article = extract_article(_page(JSONLD % "2021-03-05T01:30+03:00"), utc_offset_hours=2)
    assert article.published.isoformat() == "2021-03-05T01:30:00+03:00"


def test_a_page_without_offset_is_on_the_outlets_configured_clock():
    article = extract_article(_page("", byline="5 آذار 2021 01:30"), utc_offset_hours=3)
    assert article.published.isoformat() == "2021-03-05T01:30:00+03:00"
    assert extract_article(_page("", byline="5 آذار 2021 01:30")).published.isoformat() == "2021-03-05T01:30:00+00:00"


def test_a_utc_stamp_is_shown_on_the_outlets_clock():
    """"Z" is how a CMS serializes an instant, not the outlet's clock."""
    configured = extract_article(_page(JSONLD % "2021-03-04T22:30:00Z"), utc_offset_hours=3)
    assert configured.published.isoformat() == "2021-03-05T01:30:00+03:00"
    from_byline = extract_article(_page(JSONLD % "2021-03-04T22:30:00Z", byline="الجمعة 5 آذار 2021 - 01:30"))
    assert from_byline.published.isoformat() == "2021-03-05T01:30:00+03:00"
    assert from_byline.published == INSTANT


def test_cli_json_prints_the_pages_offset(tmp_path):
    from flows.cli import app

    page = tmp_path / "page.html"
    page.write_text(_page(JSONLD % "2021-03-05T01:30+03:00"), encoding="utf-8")
    result = CliRunner().invoke(app, ["extract", str(page), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["published"] == "2021-03-05T01:30:00+03:00"


def test_archive_and_alert_line_show_the_outlets_day(tmp_path):
    """Through the pipeline's prepare, SQLite, the JSONL export and the alert line's time."""
    url = "https://news.example/a/1"
    page = FetchResult(url=url, final_url=url, status=200, body=b"", content_type="text/html", encoding="utf-8",
                       text=_page(JSONLD % "2021-03-05T01:30+03:00"), elapsed_s=0.0)
    from extractors.entities import parse_gazetteer
    from extractors.matcher import TopicMatcher

    seeds = Path(__file__).resolve().parents[1] / "seeds" / "gazetteer.yaml"
    gazetteer = parse_gazetteer(seeds.read_text(encoding="utf-8"), str(seeds))
    prepared = prepare(TopicMatcher.compile([], {}), Outlet(id="o", name="o", home="https://news.example"),
                       FeedItem(url=url), page, gazetteer=gazetteer)
    engine = init_db(f"sqlite:///{tmp_path / 'day.db'}")
    with Session(engine) as session:
        repo.store_articles(session, [(prepared.article, prepared.matches, prepared.signature, prepared.derived)], {})
    with Session(engine) as session:
        stored = session.exec(select(Article)).one()
    assert format_local(stored.published, stored.utc_offset_minutes) == "2021-03-05 01:30 (UTC+3)"
    assert ExportedArticle(stored, ()).to_dict()["published"] == "2021-03-05T01:30:00+03:00"


TIME = '<time pubdate="pubdate" datetime="%s">%s</time>'


def test_a_utc_stamp_takes_the_clock_of_the_pages_own_stamp_of_the_same_instant():
    """VOA's pages: JSON-LD "…20:53:09Z", `<time>` "…01:23:09+04:30": the readers' day is the later one."""
    stamp = JSONLD % "2021-03-04T22:30:00Z" + TIME % ("2021-03-05T01:30:00+03:00", "")
    article = extract_article(_page(stamp))
    assert article.published.isoformat() == "2021-03-05T01:30:00+03:00"
    assert article.published == INSTANT
    assert "same instant" in article.date_evidence
    assert extract_article(_page(stamp), utc_offset_hours=2).published.isoformat() == "2021-03-05T01:30:00+03:00"


def test_a_stamp_of_another_instant_does_not_lend_its_clock():
    """An updated or unrelated stamp with an offset says nothing about the clock of the publication instant."""
    stamp = JSONLD % "2021-03-04T22:30:00Z" + TIME % ("2021-03-05T09:00:00+03:00", "")
    assert extract_article(_page(stamp)).published.isoformat() == "2021-03-04T22:30:00+00:00"


def test_a_real_voa_dari_page_keeps_kabuls_day():
    page = Path(__file__).parent / "data" / "new_outlets" / "pages" / "007.html"
    article = extract_article(page.read_text(encoding="utf-8"), "https://www.darivoa.com/a/x/7163944.html")
    assert article.published.isoformat() == "2025-01-20T01:23:09+04:30"
