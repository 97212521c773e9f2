"""The analyst's page over a real archive (SQLite file and PostgreSQL), served by the real server on
127.0.0.1 and read over HTTP: what each page shows, its errors, and that nothing on it writes."""

from __future__ import annotations

import html
import re
from datetime import timedelta, timezone
from zoneinfo import ZoneInfo

import httpx
import pytest
from archive_data import NOW, archive  # noqa: F401 - archive is a fixture
from ops_support import free_port
from sqlalchemy import func, text
from sqlmodel import Session, select
from typer.testing import CliRunner
from web_support import CANARY, OUTLETS, web_settings

from flows.cli import app
from flows.web.server import BackgroundWeb
from storage.db import init_db, read_only_engine
from storage.models import Alert, Article, Match, Story

runner = CliRunner()


@pytest.fixture(scope="module")
def web(archive, tmp_path_factory):
    """(base URL, archive URL, key -> article id): the page server over the module's archive."""
    url, ids = archive
    settings = web_settings(tmp_path_factory.mktemp("web"), url)
    server = BackgroundWeb.start(settings, "127.0.0.1", free_port())
    yield f"http://127.0.0.1:{server.server.config.port}", url, ids
    server.stop()


def get(base: str, path: str, **params) -> httpx.Response:
    return httpx.get(base + path, params=params, timeout=30, trust_env=False)


def visible(page: str) -> str:
    """The page's text without tags, entities decoded (what a reader sees, roughly)."""
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


def topic_stories(url: str) -> list[Story]:
    with Session(init_db(url)) as session:
        matched = select(Article.story_id).join(Match, Match.article_id == Article.id)
        return list(session.exec(select(Story).where(Story.id.in_(matched))
                                 .order_by(Story.published.desc(), Story.id.desc())))


def test_front_page_shows_each_topics_stories_newest_first_and_a_30_day_chart(web):
    base, url, _ = web
    page = get(base, "/")
    assert page.status_code == 200 and '<html lang="ar" dir="rtl">' in page.text
    section = page.text.split('id="topic-withdrawal"')[1]
    expected = [story.title for story in topic_stories(url)]
    assert expected, "the archive has matched stories"
    positions = [section.index(html.escape(title)) for title in expected]
    assert positions == sorted(positions), "newest story first"
    chart = re.search(r"<svg class=\"chart\".*?</svg>", section, re.S).group(0)
    assert len(re.findall(r"<rect ", chart)) == 30
    assert "وكالة ألفا" in page.text or "صحيفة بيتا" in page.text   # outlets by name, with counts
    assert re.search(r"× \d", page.text)


def test_story_page_lists_articles_in_time_order_in_both_zones_with_alert_channels(web):
    base, url, ids = web
    with Session(init_db(url)) as session:
        article = session.get(Article, ids["withdrawal"])
        members = session.exec(select(Article).where(Article.story_id == article.story_id)).all()
        channels = set(session.exec(select(Alert.channel).where(Alert.story_id == article.story_id)))
    page = get(base, f"/story/{article.story_id}")
    assert page.status_code == 200
    shown = visible(page.text)
    published = article.published.replace(tzinfo=timezone.utc)
    outlet_zone = published.astimezone(timezone(timedelta(hours=OUTLETS["beta"][1])))
    assert f"{outlet_zone:%Y-%m-%d %H:%M} UTC" in shown                        # beta is UTC+0
    assert f"{published.astimezone(ZoneInfo('Asia/Tokyo')):%Y-%m-%d %H:%M}" in shown   # the reader's zone
    assert all(OUTLETS[m.outlet_id][0] in shown for m in members)
    assert page.text.count('class="card article"') == len(members)
    assert "<mark>" in page.text, "hit terms marked in the snippet"
    assert channels == {"default"} and "القناة: default" in shown
    assert CANARY not in page.text and "web-canary" not in page.text


def test_an_english_article_reads_left_to_right_inside_the_arabic_page(web):
    base, url, ids = web
    with Session(init_db(url)) as session:
        story_id = session.get(Article, ids["english"]).story_id
    page = get(base, f"/story/{story_id}").text
    assert '<div dir="ltr" lang="en">' in page and "Coalition forces withdraw" in page


def test_search_reads_words_side_by_side_as_and_and_groups_hits_by_story(web):
    base, url, ids = web
    page = get(base, "/search", q="القوات الأمريكية")
    assert page.status_code == 200
    shown = visible(page.text)
    assert "القوات AND الأمريكية" in shown
    assert "دوريات قرب السفارة" in shown and "مغادرة قوات من قاعدة فكتوريا" in shown   # apart and together
    assert page.text.count('class="card group"') == 2
    only_gamma = visible(get(base, "/search", q="القوات الأمريكية", outlet="gamma").text)
    assert "مغادرة قوات من قاعدة فكتوريا" in only_gamma and "دوريات قرب السفارة" not in only_gamma
    recent = visible(get(base, "/search", q="التحالف", days="30").text)
    assert "انسحاب التحالف من بغداد" in recent and "اجتماع انتخابي في بغداد" not in recent   # 400 days old
    in_topic = visible(get(base, "/search", q="التحالف", topic="withdrawal").text)
    assert "التحالف يعلن جدول الانسحاب" in in_topic and "اجتماع انتخابي في بغداد" not in in_topic


@pytest.mark.parametrize("query, column, message", [
    ("القوات (الأمريكية", 18, 'expected ")" to close the "(" at column 8'),
    ("NOT بغداد", 1, "must require at least one term"),
    ("بغداد @nolist", 7, "unknown list @nolist"),
])
def test_a_malformed_query_shows_the_parsers_message_and_column(web, query, column, message):
    base, _, _ = web
    page = get(base, "/search", q=query)
    assert page.status_code == 400
    shown = visible(page.text)
    assert message in shown and f"العمود {column}" in shown and "Traceback" not in shown


def test_unknown_story_or_page_and_bad_days_are_pages_not_tracebacks(web):
    base, _, _ = web
    missing = get(base, "/story/987654")
    assert missing.status_code == 404 and "لا قصة برقم 987654" in missing.text and 'dir="rtl"' in missing.text
    assert get(base, "/story/abc").status_code == 404
    assert get(base, "/nowhere").status_code == 404
    bad_days = get(base, "/search", q="بغداد", days="week")
    assert bad_days.status_code == 400 and "days must be a whole number" in visible(bad_days.text)


def test_outlets_page_has_the_status_table(web):
    base, _, _ = web
    page = get(base, "/outlets").text
    assert page.count('<tr class="outlet">') == len(OUTLETS)
    assert all(name in page for name, _ in OUTLETS.values()) and "never polled" in page
    assert page.count('<td class="poll-why">') == len(OUTLETS)   # why each outlet is polled as often as it is


def test_nothing_on_the_page_writes_to_the_archive(web):
    base, url, _ = web
    counts = "SELECT (SELECT count(*) FROM articles), (SELECT count(*) FROM alerts), (SELECT count(*) FROM stories)"
    with init_db(url).connect() as conn:
        before = conn.execute(text(counts)).one()
    for path in ("/", "/search", "/outlets", "/story/1"):
        for method in ("POST", "PUT", "DELETE", "PATCH"):
            assert httpx.request(method, base + path, trust_env=False).status_code == 405, (method, path)
    get(base, "/search", q="التحالف")
    with init_db(url).connect() as conn:
        assert conn.execute(text(counts)).one() == before
    with read_only_engine(url).connect() as conn, pytest.raises(Exception, match="(?i)read.?only"):
        conn.execute(text("DELETE FROM alerts"))


def test_outlet_strings_are_escaped_and_only_web_links_are_links(tmp_path):
    from extractors.grouping import story_signature
    from flows.pipeline.watch import load_gazetteer
    from flows.settings import SEEDS_DIR
    from storage.repo import NewArticle, store_article

    url = f"sqlite:///{tmp_path / 'hostile.db'}"
    with Session(init_db(url)) as session:
        article = NewArticle(url="javascript:alert(1)", outlet_id="alpha", title="<script>alert(1)</script> بغداد",
                             text="نص عن بغداد", content_hash="h", published=NOW, lang="ar")
        story_id = store_article(session, article, [], story_signature(
            article.title, article.text, gazetteer=load_gazetteer(SEEDS_DIR / "gazetteer.yaml")), {}).story_id
    server = BackgroundWeb.start(web_settings(tmp_path / "web", url), "127.0.0.1", free_port())
    try:
        page = get(f"http://127.0.0.1:{server.server.config.port}", f"/story/{story_id}").text
    finally:
        server.stop()
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert 'href="javascript:' not in page


def test_rasid_web_refuses_a_missing_archive_and_a_busy_port(tmp_path, archive):
    missing = runner.invoke(app, ["web", "--database-url", f"sqlite:///{tmp_path / 'none.db'}"])
    assert missing.exit_code == 1 and "no archive at" in missing.stderr and "Traceback" not in missing.output
    assert not (tmp_path / "none.db").exists(), "looking at an archive does not create one"
    url, _ = archive
    busy = BackgroundWeb.start(web_settings(tmp_path / "web", url), "127.0.0.1", free_port())
    try:
        taken = runner.invoke(app, ["web", "--database-url", url, "--port", str(busy.server.config.port)])
    finally:
        busy.stop()
    assert taken.exit_code == 1 and "is in use" in taken.stderr


def test_chart_counts_stories_per_topic_per_day(web):
    base, url, _ = web
    with Session(init_db(url)) as session:
        newest = session.exec(select(func.max(Story.published))).one()
    page = get(base, "/").text
    section = page.split('id="topic-withdrawal"')[1].split("</section>")[0]
    bars = {day: int(count) for day, count in re.findall(r"<title>(\d{4}-\d\d-\d\d): (\d+)</title>", section)}
    stories = topic_stories(url)
    last_day = newest.replace(tzinfo=timezone.utc).astimezone(ZoneInfo("Asia/Tokyo")).date()
    expected = {}
    for story in stories:
        day = story.published.replace(tzinfo=timezone.utc).astimezone(ZoneInfo("Asia/Tokyo")).date()
        if timedelta(0) <= last_day - day < timedelta(days=30):
            expected[day.isoformat()] = expected.get(day.isoformat(), 0) + 1
    assert {day: n for day, n in bars.items() if n} == expected


def test_latest_stories_are_the_same_by_either_plan(archive, monkeypatch):
    """A sparse topic's stories are collected, a dense one's looked for newest first: same answer."""
    from storage import findings

    url, _ = archive
    with Session(read_only_engine(url)) as session:
        collected = findings.latest_stories(session, "withdrawal", 3)
        monkeypatch.setattr(findings, "SPARSE_TOPIC", 0)
        walked = findings.latest_stories(session, "withdrawal", 3)
    assert collected == walked and [s.title for s in collected] == [s.title for s in topic_stories(url)[:3]]
