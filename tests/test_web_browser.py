"""The page in a real browser: headless Chromium over a demo archive served by `rasid web` on 127.0.0.1.

Checks what a reader relies on (the stories are there, the page runs right to left, the search box
finds them, a story lists its outlets) and keeps a screenshot of each page under the test's tmp dir
(`shots/`), for a person to look at.
"""

from __future__ import annotations

import os
import subprocess

import httpx
import pytest
import yaml
from browser import Browser, find_chromium
from ops_support import free_port, rasid_command, wait_until
from sqlmodel import Session, select
from typer.testing import CliRunner

from extractors.matcher import TopicMatcher
from extractors.topics import Topic
from flows.cli import app
from flows.replay.demo import REPLAY_DIR
from storage.db import init_db
from storage.models import Article, Match, Story

NAMES = {o["id"]: o["name"] for o in yaml.safe_load((REPLAY_DIR / "outlets.yaml").read_text("utf-8"))["outlets"]}


@pytest.fixture(scope="module")
def chromium():
    found = find_chromium()
    if found is None:
        pytest.skip("no Chromium found (Debian: apt-get install -y chromium): the browser tests need a real browser")
    return found


@pytest.fixture(scope="module")
def demo_site(chromium, prefect_harness, tmp_path_factory):
    """(base URL, database URL, shots dir): `rasid web` over the archive `rasid demo` left."""
    state = tmp_path_factory.mktemp("demo")
    made = CliRunner().invoke(app, ["demo", "--state-dir", str(state)])
    assert made.exit_code == 0, made.output
    config = state / "web.yaml"
    config.write_text(yaml.safe_dump({"state_dir": str(state), "outlets_file": str(REPLAY_DIR / "outlets.yaml")}),
                      "utf-8")
    port = free_port()
    log = open(state / "web.log", "w+")
    server = subprocess.Popen([*rasid_command(), "web", "--config", str(config), "--port", str(port)],
                              stdout=log, stderr=subprocess.STDOUT, env={**os.environ, "COLUMNS": "200"})
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until(lambda: _answers(base) or server.poll() is not None, timeout_s=120, failure="rasid web did not start")
        assert server.poll() is None, log.seek(0) or log.read()
        shots = state / "shots"
        shots.mkdir()
        yield base, f"sqlite:///{state / 'rasid.db'}", shots
    finally:
        server.terminate()
        server.wait(timeout=30)


def _answers(base: str) -> bool:
    try:
        return httpx.get(base + "/", timeout=5, trust_env=False).status_code == 200
    except httpx.HTTPError:
        return False


@pytest.fixture(scope="module")
def browser(chromium, tmp_path_factory):
    tab = Browser(chromium, tmp_path_factory.mktemp("chromium-profile"))
    yield tab
    tab.close()


def text_of(browser: Browser) -> str:
    return browser.value("document.body.innerText")


def test_the_front_page_runs_right_to_left_and_shows_every_topics_stories(demo_site, browser):
    base, db, shots = demo_site
    browser.goto(base + "/")
    browser.screenshot(shots / "front.png")
    assert browser.value("[document.documentElement.lang, document.documentElement.dir]") == ["ar", "rtl"]
    assert browser.value("getComputedStyle(document.querySelector('main h2')).direction") == "rtl"
    with Session(init_db(db)) as session:
        matched = select(Article.story_id).join(Match, Match.article_id == Article.id)
        titles = session.exec(select(Story.title).where(Story.id.in_(matched))).all()
    shown = text_of(browser)
    assert titles and all(title in shown for title in titles)
    assert browser.value("document.querySelectorAll('svg.chart').length") == 2   # one chart per seed topic


def test_the_search_box_finds_the_stories(demo_site, browser):
    base, db, shots = demo_site
    browser.goto(base + "/")
    browser.type_and_enter("header input[name=q]", "عين الأسد")
    browser.screenshot(shots / "search.png")
    assert browser.value("location.pathname") == "/search"
    both = TopicMatcher.compile([Topic(id="q", title="q", query="عين AND الأسد")])
    with Session(init_db(db)) as session:
        expected = [a.title for a in session.exec(select(Article)).all() if both.match(a.title, a.text or "")]
    shown = text_of(browser)
    assert expected and all(title in shown for title in expected)
    assert browser.value("document.querySelectorAll('li.hit').length") == len(expected)
    assert browser.value("document.querySelectorAll('li.hit mark').length") >= len(expected)


def test_a_story_page_lists_its_outlets_in_time_order(demo_site, browser):
    base, db, shots = demo_site
    with Session(init_db(db)) as session:
        story = session.exec(select(Story).order_by(Story.members.desc(), Story.id)).first()
        members = session.exec(select(Article).where(Article.story_id == story.id)).all()
    assert story.members > 1, "the demo's second wave republishes a story"
    browser.goto(base + "/")
    browser.value(f"document.querySelector('article.story a[href=\"/story/{story.id}\"]').click()")
    browser.wait_event("Page.loadEventFired")
    browser.screenshot(shots / "story.png")
    assert browser.value("location.pathname") == f"/story/{story.id}"
    outlets = browser.value("[...document.querySelectorAll('li.article .outlet')].map(e => e.textContent)")
    by_time = sorted(members, key=lambda a: (a.published or a.fetched, a.id))
    assert outlets == [NAMES[a.outlet_id] for a in by_time]
    assert all(NAMES[outlet] in browser.value("document.querySelector('#outlets').innerText")
               for outlet in story.outlets)
    # who claimed or denied it, article by article; a plain report shows no stance line
    stances = browser.value("[...document.querySelectorAll('li.article')]"
                            ".map(li => li.querySelector('.stance')?.textContent || '')")
    said = [(a.stance, a.stance_by or "") for a in by_time]
    assert any(stance in ("claim", "denial") for stance, _ in said), "the demo's biggest story is claimed and denied"
    assert all((line != "") == (stance in ("claim", "confirmation", "denial")) and by in line
               for line, (stance, by) in zip(stances, said))


def test_a_malformed_query_shows_where_it_went_wrong(demo_site, browser):
    base, _, shots = demo_site
    browser.goto(base + "/search")
    browser.type_and_enter("form.search input[name=q]", "عين (الأسد")
    browser.screenshot(shots / "search-error.png")
    shown = text_of(browser)
    assert "العمود 11" in shown and 'expected ")" to close the "(" at column 5' in shown
    assert "Traceback" not in shown


def test_outlet_health_and_a_missing_story(demo_site, browser):
    base, _, shots = demo_site
    browser.goto(base + "/outlets")
    browser.screenshot(shots / "outlets.png")
    rows = browser.value("[...document.querySelectorAll('tr.outlet')].map(r => r.innerText)")
    assert len(rows) == len(NAMES) and all(any(name in row for row in rows) for name in NAMES.values())
    browser.goto(base + "/story/99999")
    browser.screenshot(shots / "not-found.png")
    assert "لا قصة برقم 99999" in text_of(browser)
