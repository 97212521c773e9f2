"""Telegram channel previews: a real saved page, the markup's pitfalls, the CLI (issue 19)."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

from typer.testing import CliRunner

from extractors.telegram import LAYOUT_CHANGED, NO_POSTS, PREVIEW_DISABLED, parse_preview, parse_views
from flows.cli import app

DATA = Path(__file__).parent / "data" / "telegram"
REAL = DATA / "tchantest.html"


def _page(posts: str, channel: str = "qanat_test") -> str:
    return (f'<html><body><main class="tgme_main" data-url="/{channel}"><section class="tgme_channel_history '
            f'js-message_history">{posts}</section></main></body></html>')


def _post(number: int, inner: str, meta: str = "", classes: str = "", channel: str = "qanat_test",
          when: str = "2026-03-01T02:41:00+00:00", views: str = "7,402") -> str:
    return (f'<div class="tgme_widget_message_wrap js-widget_message_wrap"><div class="tgme_widget_message '
            f'js-widget_message {classes}" data-post="{channel}/{number}"><div class="tgme_widget_message_bubble">'
            f'{inner}<div class="tgme_widget_message_footer"><div class="tgme_widget_message_info">'
            f'<span class="tgme_widget_message_views">{views}</span><span class="tgme_widget_message_meta">{meta}'
            f'<a class="tgme_widget_message_date" href="https://t.me/{channel}/{number}"><time datetime="{when}" '
            f'class="time">02:41</time></a></span></div></div></div></div></div>')


def _text(body: str) -> str:
    return f'<div class="tgme_widget_message_text js-message_text" dir="auto">{body}</div>'


def test_real_page_gives_the_text_posts_oldest_first_without_service_messages():
    page = parse_preview(REAL.read_text(encoding="utf-8"))
    assert page.channel == "tchantest" and page.state == "ok" and page.warnings == ()
    ids = [post.id for post in page.posts]
    assert ids == sorted(ids) and len(ids) == len(set(ids))
    assert not {1, 2, 3, 92} & set(ids)  # channel created, renamed, photo updated, pinned: service messages
    assert not {9, 10, 11, 13, 17, 19} & set(ids)  # sticker, locations, poll, audio, round video: no text
    assert page.before == 1  # the lowest id on the page, service messages included


def test_real_page_post_fields():
    posts = {post.id: post for post in parse_preview(REAL.read_text(encoding="utf-8")).posts}
    multiline = posts[62]
    assert multiline.url == "https://t.me/tchantest/62"
    assert multiline.published == datetime(2023, 2, 24, 8, 1, 26, tzinfo=timezone.utc)
    assert multiline.text == "Bigger\ntext\nmessage\nnumber\n34" and multiline.views == 2
    assert posts[5].edited and posts[5].text == "Hello! Signed and edited message"
    assert posts[24].edited and posts[24].links == ("https://brasil.io/",)
    assert not posts[79].edited  # signed by an author, not edited
    assert posts[89].forwarded_from == "Some user" and posts[89].text == ";)"
    assert posts[84].views == 436_600 and posts[82].views == 3_100_000
    assert posts[84].text == "Multiple videos and pictures"  # not "This media is not supported"
    assert posts[7].text == "👍"  # an emoji image reads as its character


def test_real_reply_keeps_only_the_posts_own_text():
    post = {p.id: p for p in parse_preview(REAL.read_text(encoding="utf-8")).posts}[20]
    assert post.text == "Reply to a video (not recorded in telegram)"


def test_reply_quote_reusing_the_text_class_is_not_the_post():
    reply = ('<a class="tgme_widget_message_reply" href="https://t.me/qanat_test/3"><div class="tgme_widget_message_'
             'author">x</div>' + _text("النص المقتبس") + "</a>")
    page = parse_preview(_page(_post(4, reply + _text("الرد نفسه"))))
    assert [p.text for p in page.posts] == ["الرد نفسه"]


def test_views_forms():
    assert parse_views("7,402") == 7402
    assert parse_views("436.6K") == 436_600
    assert parse_views("3.1M") == 3_100_000
    assert parse_views("12") == 12
    assert parse_views("") is None and parse_views("many") is None


def test_links_with_doubled_amp_are_fixed_and_hashtags_dropped():
    body = ('بيان <a href="https://example.org/a?x=1&amp;amp;y=2">الرابط</a> '
            '<a href="?q=%23%D8%A8%D9%8A%D8%A7%D9%86">#بيان</a>')
    post = parse_preview(_page(_post(7, _text(body)))).posts[0]
    assert post.links == ("https://example.org/a?x=1&y=2",)


def test_media_not_supported_label_is_not_text():
    label = ('<div class="message_media_not_supported_wrap"><div class="message_media_not_supported">'
             '<div class="message_media_not_supported_label">Please open Telegram to view this post</div>'
             '<a class="message_media_view_in_telegram">VIEW IN TELEGRAM</a></div></div>')
    page = parse_preview(_page(_post(8, label) + _post(9, label + _text("صورة مع تعليق"))))
    assert [(p.id, p.text) for p in page.posts] == [(9, "صورة مع تعليق")]
    assert page.before == 8


def test_times_are_utc_and_a_post_repeated_is_kept_once():
    posts = _post(10, _text("أولاً"), when="2026-03-01T05:41:00+03:00") + _post(10, _text("أولاً"))
    page = parse_preview(_page(posts))
    assert len(page.posts) == 1
    assert page.posts[0].published == datetime(2026, 3, 1, 2, 41, tzinfo=timezone.utc)


def test_throttled_page_says_no_posts_found():
    html = _page('<div class="tgme_widget_message_wrap"><div class="tgme_widget_message_centered">'
                 '<div class="tme_no_messages_found">No posts found</div></div></div>')
    page = parse_preview(html)
    assert page.posts == () and page.state == NO_POSTS and "no posts found" in page.warnings[0]


def test_channel_landing_page_means_the_preview_is_disabled():
    html = ('<html><body><div class="tgme_page"><div class="tgme_page_title">قناة</div>'
            '<a class="tgme_action_button_new" href="tg://resolve?domain=qanat_test">View in Telegram</a>'
            '</div></body></html>')
    page = parse_preview(html)
    assert page.posts == () and page.state == PREVIEW_DISABLED


def test_changed_layout_gives_zero_posts_and_a_warning():
    renamed = _page('<div class="tg_post" data-id="qanat_test/3"><p>نص</p></div>')
    assert parse_preview(renamed).state == LAYOUT_CHANGED
    dateless = _page(_post(3, _text("نص")).replace("tgme_widget_message_date", "tg_date"))
    page = parse_preview(dateless)
    assert page.posts == () and page.state == LAYOUT_CHANGED and page.warnings
    assert parse_preview("").state == LAYOUT_CHANGED and parse_preview("not html at all").posts == ()


def test_cli_parse_json_prints_the_posts():
    result = CliRunner().invoke(app, ["telegram", "parse", str(REAL), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["channel"] == "tchantest" and data["before"] == 1
    first = data["posts"][0]
    assert set(first) == {"id", "url", "published", "text", "views", "edited", "forwarded_from", "links"}
    assert first == {"id": 5, "url": "https://t.me/tchantest/5", "published": "2023-02-24T07:29:57+00:00",
                     "text": "Hello! Signed and edited message", "views": 2, "edited": True,
                     "forwarded_from": None, "links": []}
    texts = " ".join(p["text"] for p in data["posts"])
    assert "not supported" not in texts and "Channel created" not in texts


def test_cli_parse_table_and_layout_warning(tmp_path):
    result = CliRunner().invoke(app, ["telegram", "parse", str(REAL)])
    assert result.exit_code == 0 and "tchantest" in result.output and "Some user" in result.output
    odd = tmp_path / "odd.html"
    odd.write_text("<html><body><p>maintenance</p></body></html>", encoding="utf-8")
    result = CliRunner().invoke(app, ["telegram", "parse", str(odd), "--json"])
    assert result.exit_code == 0 and json.loads(result.stdout)["posts"] == []
    assert "layout changed" in result.stderr


# --- outlets.yaml: kind telegram -------------------------------------------------------------

def test_outlets_yaml_takes_a_telegram_channel():
    from extractors.outlets import parse_outlets

    (outlet,) = parse_outlets("outlets:\n  - id: qanat\n    name: قناة\n    kind: telegram\n    channel: qanat_test\n"
                              "    poll_minutes: 10\n    lang: ar\n")
    assert outlet.kind == "telegram" and outlet.channel == "qanat_test" and outlet.poll_minutes == 10
    assert outlet.home == "https://t.me/qanat_test" and outlet.sources == ("https://t.me/s/qanat_test",)


def test_outlets_yaml_telegram_mistakes_name_the_line_and_the_field():
    import pytest

    from extractors.errors import ConfigError
    from extractors.outlets import parse_outlets

    head = "outlets:\n  - id: ok\n    name: ok\n    home: https://ok.example/\n"
    cases = {"    kind: telegram\n": "needs 'channel'",
             "    kind: telegram\n    channel: t.me/x\n": "needs 'channel'",
             "    kind: telegram\n    channel: qanat_test\n    feeds: [https://x.example/rss]\n": "feeds not used",
             "    channel: qanat_test\n": "'channel' is for kind: telegram",
             "    kind: tiktok\n": "kind must be one of web, telegram"}
    for extra, message in cases.items():
        with pytest.raises(ConfigError) as failure:
            parse_outlets(head + "  - id: bad\n    name: bad\n" + extra, "outlets.yaml")
        assert message in str(failure.value) and failure.value.line == 5 and "'bad'" in str(failure.value), extra


# --- the poll: a local replica of t.me ----------------------------------------------------------

CLAIM = ("المقاومة الإسلامية في العراق تعلن استهداف قاعدة عين الأسد بطائرة مسيرة<br/>"
         "استهدف مجاهدو المقاومة الإسلامية في العراق صباح اليوم قاعدة عين الأسد في الأنبار بطائرة مسيرة.")
FORWARD = '<div class="tgme_widget_message_forwarded_from accent_color">Forwarded from&nbsp;<a class="tgme_widget_' \
          'message_forwarded_from_name" href="https://t.me/other_chan"><span dir="auto">قناة أخرى</span></a></div>'


def _channel_page(channel: str, posts: list[tuple[int, str, str]]) -> str:
    """posts: (id, inner HTML, meta)."""
    return _page("".join(_post(n, inner, meta, channel=channel, when=f"2026-03-01T0{n % 10}:41:00+00:00")
                         for n, inner, meta in posts), channel)


def _wave(root: Path, name: str, pages: dict[str, str | tuple[int, dict]]) -> None:
    """URL -> page text, or (status, headers) for an answer with no body."""
    import yaml

    folder = root / name
    folder.mkdir(parents=True)
    resources = []
    for number, (url, page) in enumerate(pages.items()):
        entry = {"url": url, "file": f"{number}.html", "content_type": "text/html; charset=utf-8"}
        if isinstance(page, tuple):
            entry["status"], entry["headers"] = page
            page = ""
        (folder / f"{number}.html").write_text(page, encoding="utf-8")
        resources.append(entry)
    (folder / "manifest.yaml").write_text(yaml.safe_dump({"resources": resources}, allow_unicode=True),
                                          encoding="utf-8")


def _outlets_file(tmp_path: Path, channels: list[str]) -> Path:
    import yaml

    path = tmp_path / "outlets.yaml"
    entries = [{"id": name, "name": f"قناة {name}", "kind": "telegram", "channel": name, "lang": "ar",
                "adaptive": False} for name in channels]
    path.write_text(yaml.safe_dump({"outlets": entries}, allow_unicode=True), encoding="utf-8")
    return path


def _poll(settings):
    import asyncio

    from flows.poll import poll_flow

    return asyncio.run(poll_flow(settings))


def _settings(tmp_path, server, sink, channels):
    from flows.replay.demo import demo_settings

    return demo_settings(tmp_path / "state", server, sink).model_copy(
        update={"outlets_file": _outlets_file(tmp_path, channels)})


def _rows(settings):
    from sqlmodel import Session, select

    from storage.db import init_db
    from storage.models import Alert, Article

    with Session(init_db(settings)) as session:
        return (session.exec(select(Article).order_by(Article.url)).all(),
                session.exec(select(Alert).where(Alert.kind != "digest")).all())


def test_poll_stores_posts_as_articles_and_alerts_once(tmp_path, sink, prefect_harness):
    from flows.replay.servers import ReplayServer

    chan = "qanat_test"
    _wave(tmp_path / "replay", "a", {f"https://t.me/s/{chan}": _channel_page(chan, [
        (1, _text("نشرة الطقس: أجواء معتدلة في بغداد"), ""),
        (2, _text(CLAIM), ""),
        (3, FORWARD + _text("تقرير مصور عن الأسواق في الموصل"), "")])})
    server = ReplayServer(tmp_path / "replay", "a")
    try:
        settings = _settings(tmp_path, server, sink, [chan])
        first = _poll(settings)
        again = _poll(settings)
    finally:
        server.close()
    report = first.outlets[0]
    assert (report.discovered, report.stored, report.diagnosis) == (3, 3, "ok"), report.errors
    assert report.alerts == 1 and again.outlets[0].stored == 0 and again.outlets[0].alerts == 0
    articles, alerts = _rows(settings)
    claim = next(a for a in articles if a.url == f"https://t.me/{chan}/2")
    assert claim.title.startswith("المقاومة الإسلامية في العراق تعلن استهداف")
    assert claim.views == 7402 and claim.edited is False and claim.date_source == "telegram"
    assert claim.published.replace(tzinfo=None) == datetime(2026, 3, 1, 2, 41)
    assert claim.stance == "claim"
    forwarded = next(a for a in articles if a.url.endswith("/3"))
    assert forwarded.forwarded_from == "قناة أخرى"
    assert [a.article_id for a in alerts] == [claim.id] and len(sink.deliveries) == 1


def test_edited_post_updates_its_article_without_a_second_alert(tmp_path, sink, prefect_harness):
    from flows.replay.servers import ReplayServer

    chan = "qanat_test"
    url = f"https://t.me/s/{chan}"
    _wave(tmp_path / "replay", "a", {url: _channel_page(chan, [(2, _text(CLAIM), "")])})
    edited = CLAIM.replace("بطائرة مسيرة.", "بطائرتين مسيرتين وأصابت أهدافها.")
    _wave(tmp_path / "replay", "b", {url: _channel_page(chan, [(2, _text(edited), "edited ")])})
    server = ReplayServer(tmp_path / "replay", "a")
    try:
        settings = _settings(tmp_path, server, sink, [chan])
        _poll(settings)
        server.set_wave("b")
        second = _poll(settings)
    finally:
        server.close()
    assert second.outlets[0].stored == 0 and second.outlets[0].updated == 1
    articles, alerts = _rows(settings)
    assert len(articles) == 1 and articles[0].edited is True and "بطائرتين مسيرتين" in articles[0].text
    assert len(alerts) == 1 and len(sink.deliveries) == 1


def test_disabled_throttled_and_changed_previews_are_outlet_health_not_failures(tmp_path, sink, prefect_harness):
    from sqlmodel import Session

    from flows.replay.servers import ReplayServer
    from storage.db import init_db
    from storage.models import OutletState

    landing = ('<html><body><div class="tgme_page"><div class="tgme_page_title">قناة مغلقة</div></div>'
               '</body></html>')
    throttled = _page('<div class="tgme_widget_message_wrap"><div class="tgme_widget_message_centered">'
                      '<div class="tme_no_messages_found">No posts found</div></div></div>', "busy_chan")
    _wave(tmp_path / "replay", "a", {
        "https://t.me/s/good_chan": _channel_page("good_chan", [(1, _text("خبر عادي من القناة"), "")]),
        "https://t.me/s/closed_chan": (302, {"Location": "https://t.me/closed_chan"}),
        "https://t.me/closed_chan": landing,
        "https://t.me/s/busy_chan": throttled,
        "https://t.me/s/odd_chan": _page('<article class="post">نص</article>', "odd_chan")})
    server = ReplayServer(tmp_path / "replay", "a")
    try:
        settings = _settings(tmp_path, server, sink, ["good_chan", "closed_chan", "busy_chan", "odd_chan"])
        summary = _poll(settings)
    finally:
        server.close()
    reports = {r.outlet_id: r for r in summary.outlets}
    assert reports["good_chan"].stored == 1 and reports["good_chan"].diagnosis == "ok"
    assert {name: reports[name].diagnosis for name in ("closed_chan", "busy_chan", "odd_chan")} == {
        "closed_chan": "preview-disabled", "busy_chan": "throttled", "odd_chan": "layout-changed"}
    assert all(reports[name].failed == 0 for name in reports)
    with Session(init_db(settings)) as session:
        closed = session.get(OutletState, "closed_chan")
        assert closed.diagnosis == "preview-disabled" and "turned its web preview off" in closed.last_error
        assert "no posts found" in session.get(OutletState, "busy_chan").last_error
        assert session.get(OutletState, "odd_chan").diagnosis == "layout-changed"


def test_poll_steps_back_from_the_lowest_id_to_fill_a_gap(tmp_path, sink, prefect_harness):
    from flows.replay.servers import ReplayServer

    chan = "qanat_test"
    url = f"https://t.me/s/{chan}"

    def posts(numbers):
        return [(n, _text(f"الخبر رقم {n} من القناة"), "") for n in numbers]

    _wave(tmp_path / "replay", "a", {url: _channel_page(chan, posts([1, 2, 3]))})
    # later: more posts than one page; the older page overlaps what is stored (post 3) and repeats 9
    _wave(tmp_path / "replay", "b", {url: _channel_page(chan, posts([9, 10, 11])),
                                     f"{url}?before=9": _channel_page(chan, posts([3, 5, 7, 9]))})
    server = ReplayServer(tmp_path / "replay", "a")
    try:
        settings = _settings(tmp_path, server, sink, [chan])
        first = _poll(settings)
        server.set_wave("b")
        second = _poll(settings)
    finally:
        server.close()
    assert first.outlets[0].stored == 3 and f"/t.me/s/{chan}?before=" not in " ".join(server.requests[:3])
    assert second.outlets[0].stored == 5, second.outlets[0].errors
    assert any(request.endswith(f"/t.me/s/{chan}?before=9") for request in server.requests)
    articles, _ = _rows(settings)
    assert sorted(int(a.url.rsplit("/", 1)[1]) for a in articles) == [1, 2, 3, 5, 7, 9, 10, 11]


def test_telegram_me_serves_the_preview_when_t_me_cannot_be_reached(tmp_path, sink, prefect_harness):
    """A local stand-in for both hosts: every connection for t.me is dropped unanswered (as when the
    name does not resolve or the address is blocked), telegram.me answers the same preview."""
    import socket
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    page = _channel_page("qanat_test", [(2, _text(CLAIM), "")]).encode("utf-8")
    asked: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - stdlib name
            asked.append(self.path)
            if self.path.startswith("/t.me/"):
                self.connection.shutdown(socket.SHUT_RDWR)  # no answer at all
                return
            if self.path != "/telegram.me/s/qanat_test":
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(page)))
            self.end_headers()
            self.wfile.write(page)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        from flows.replay.demo import demo_settings

        class _Base:  # demo_settings reads the replay server's base URL only
            base_url = f"http://127.0.0.1:{server.server_address[1]}"

        settings = demo_settings(tmp_path / "state", _Base(), sink).model_copy(
            update={"outlets_file": _outlets_file(tmp_path, ["qanat_test"])})
        summary = _poll(settings)
    finally:
        server.shutdown()
        server.server_close()
    report = summary.outlets[0]
    assert report.stored == 1 and report.diagnosis == "ok", report.errors
    assert asked[0].startswith("/t.me/") and asked[-1] == "/telegram.me/s/qanat_test", asked
    articles, _ = _rows(settings)
    assert [a.url for a in articles] == ["https://t.me/qanat_test/2"]  # the post's address stays t.me's
