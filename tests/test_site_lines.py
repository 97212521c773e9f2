"""Lines an outlet repeats on its own pages are learned per outlet and dropped from its later texts."""

from __future__ import annotations

import asyncio

import pytest
from sqlmodel import Session, func, select

from extractors.article import extract_article
from extractors.site_lines import LONG_LINE_PAGES, SITE_PAGES, drop_site_lines, learn, line_keys, site_keys
from storage import repo
from storage.db import init_db
from storage.models import Article, OutletState

SLOGAN = "الغد المستقلة: صحيفة يومية تصدر منذ عام ١٩٩٠"


def _page(n: int) -> str:
    sentences = "".join(f"<p>هذه الجملة رقم {i} من الخبر رقم {n} وهي تروي ما جرى في المدينة اليوم بالتفصيل.</p>"
                        for i in range(6))
    return (f"<html><head><title>خبر رقم {n}</title></head><body><article><h1>خبر رقم {n}</h1>{sentences}"
            f"<p>{SLOGAN}</p></article></body></html>")


def test_a_line_on_enough_pages_of_one_outlet_is_dropped_and_the_story_stays():
    first = [extract_article(_page(n)) for n in range(SITE_PAGES)]
    assert all(SLOGAN in a.text for a in first), "nothing is dropped before it was learned"
    keys = site_keys(learn(None, [a.line_keys for a in first]))
    later = extract_article(_page(99), site_lines=keys)
    assert SLOGAN not in later.text
    assert "الجملة رقم 5 من الخبر رقم 99" in later.text
    assert later.line_keys == extract_article(_page(99)).line_keys, "learning still sees the whole text"


def test_fewer_pages_teach_nothing_and_long_lines_need_more_pages():
    text = f"{SLOGAN}\n" + "فقرة خلفية طويلة تتكرر في متابعات القصة نفسها " * 4
    assert not site_keys(learn(None, [line_keys(text)] * (SITE_PAGES - 1)))
    learned = site_keys(learn(None, [line_keys(text)] * SITE_PAGES))
    assert drop_site_lines(text, learned).startswith("فقرة خلفية")  # the long line needs more pages
    assert drop_site_lines(text, site_keys(learn(None, [line_keys(text)] * LONG_LINE_PAGES))) == ""


def test_the_state_holds_no_outlet_text_and_survives_json():
    import json

    state = learn(None, [line_keys(SLOGAN)] * SITE_PAGES)
    assert SLOGAN not in json.dumps(state, ensure_ascii=False)
    assert site_keys(json.loads(json.dumps(state))) == site_keys(state)


def test_the_learned_state_is_kept_per_outlet_in_the_archive(tmp_path):
    engine = init_db(f"sqlite:///{tmp_path / 'a.db'}")
    state = learn(None, [line_keys(SLOGAN)] * SITE_PAGES)
    with Session(engine) as session:
        assert repo.outlet_site_lines(session, "o") is None
        repo.record_outlet_poll(session, "o", "O", repo.OutletPoll({}, 0, 1, None, "ok", None, site_lines=state))
        repo.record_outlet_poll(session, "o", "O", repo.OutletPoll({}, 0, 1, None, "ok", None))  # learned nothing
    with Session(engine) as session:
        assert site_keys(repo.outlet_site_lines(session, "o")) == site_keys(state)


@pytest.mark.usefixtures("prefect_harness")
def test_a_poll_learns_each_outlets_lines_from_the_pages_it_prepared(demo_settings):
    from flows.poll import poll_flow

    asyncio.run(poll_flow(demo_settings))
    with Session(init_db(demo_settings)) as session:
        stored = dict(session.exec(select(Article.outlet_id, func.count())  # Telegram posts have no page template
                                   .where(Article.date_source != "telegram").group_by(Article.outlet_id)).all())
        learned = {row.id: row.site_lines for row in session.exec(select(OutletState)).all()}
    assert stored
    for outlet_id, count in stored.items():
        assert learned[outlet_id]["pages"] == count, outlet_id
