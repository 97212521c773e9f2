"""parse_feed on the feeds real outlets serve: broken, mislabelled, hostile. Discovery must go on."""

import subprocess
from datetime import datetime, timezone
from pathlib import Path

import pytest

from extractors.errors import PermanentError
from extractors.feeds import FeedError, FeedItem, parse_feed

BASE = "https://www.example.com/rss"


def rss(items: str, head: str = '<?xml version="1.0" encoding="utf-8"?>') -> bytes:
    return f'{head}<rss version="2.0"><channel><title>feed</title>{items}</channel></rss>'.encode()


def test_items_keep_title_date_and_summary_as_fallbacks():
    data = rss("<item><title>انسحاب &amp; <b>عودة</b></title><link>/news/1?utm_source=rss</link>"
               "<pubDate>Mon, 20 May 2024 10:00:00 +0300</pubDate>"
               "<description>&lt;p&gt;ملخص &lt;script&gt;alert(1)&lt;/script&gt;الخبر&lt;/p&gt;</description></item>")
    assert parse_feed(data, BASE) == (FeedItem(
        url="https://www.example.com/news/1", title="انسحاب & عودة",
        published=datetime(2024, 5, 20, 7, 0, tzinfo=timezone.utc), summary="ملخص الخبر"),)


def test_javascript_data_and_mail_links_are_dropped_and_duplicates_merged():
    data = rss("<item><title>js</title><link>javascript:alert(1)</link></item>"
               "<item><title>data</title><link>data:text/html,x</link></item>"
               "<item><title>mail</title><link>mailto:a@b.c</link></item>"
               "<item><title>ok</title><link>https://www.example.com/a#top</link></item>"
               "<item><title>same</title><link>https://m.example.com/a?fbclid=1</link>"
               "<description>later copy</description></item>")
    assert parse_feed(data, BASE) == (FeedItem("https://www.example.com/a", "ok", None, "later copy"),)


def test_atom_with_relative_links_and_guid_only_rss():
    atom = (b'<feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://www.example.com/ar/">'
            b'<entry><title>a</title><link rel="alternate" href="story/7"/><updated>2024-05-20T10:00:00Z</updated>'
            b"</entry></feed>")
    assert [i.url for i in parse_feed(atom, BASE)] == ["https://www.example.com/ar/story/7"]
    guid = rss('<item><title>g</title><guid isPermaLink="true">https://www.example.com/g/1</guid></item>')
    assert [i.url for i in parse_feed(guid, BASE)] == ["https://www.example.com/g/1"]


@pytest.mark.parametrize("codec,declared", [("cp1256", "windows-1256"), ("cp1256", "utf-8"), ("cp1256", None),
                                            ("iso8859-6", "iso-8859-6"), ("iso8859-6", None)])
def test_arabic_feeds_in_legacy_code_pages_even_mislabelled(codec, declared):
    head = f'<?xml version="1.0" encoding="{declared}"?>' if declared else ""
    data = (f'{head}<rss version="2.0"><channel><item><title>انسحاب التحالف من العراق</title>'
            f"<link>https://www.example.com/1</link></item></channel></rss>").encode(codec)
    assert parse_feed(data, BASE)[0].title == "انسحاب التحالف من العراق"


def test_real_world_breakage_still_yields_items():
    undeclared_entities = rss("<item><title>خبر&nbsp;عاجل&hellip;</title><link>https://www.example.com/1</link></item>")
    assert parse_feed(undeclared_entities, BASE)[0].title == "خبر عاجل…"
    raw_ampersand = rss("<item><title>a & b</title><link>https://www.example.com/s?id=1&p=2</link></item>")
    assert [i.url for i in parse_feed(raw_ampersand, BASE)] == ["https://www.example.com/s?id=1&p=2"]
    truncated = rss("<item><title>1</title><link>https://www.example.com/1</link></item>"
                    "<item><title>2</title><link>https://www.example.com/2</link></item>")[:-40]
    assert [i.url for i in parse_feed(truncated, BASE)][:1] == ["https://www.example.com/1"]
    bad_date = rss("<item><title>d</title><link>https://www.example.com/d</link>"
                   "<pubDate>الاثنين 20 مايو</pubDate></item>")
    assert parse_feed(bad_date, BASE)[0].published is None
    leading_junk = b"\n\n  \xef\xbb\xbf" + rss("<item><link>https://www.example.com/j</link></item>")
    assert [i.url for i in parse_feed(leading_junk, BASE)] == ["https://www.example.com/j"]


def test_empty_well_formed_feed_is_no_items_not_an_error():
    assert parse_feed(rss(""), BASE) == ()


@pytest.mark.parametrize("data", [b"", b"\x00\x01\x02binary", b"<html><body><p>not a feed</p></body></html>",
                                  b"<rss><channel><item><title>\x00\xff</tit", b"{\"json\": true}"])
def test_hopeless_bytes_raise_feed_error(data):
    with pytest.raises(FeedError):
        parse_feed(data, BASE)


def test_bytes_that_name_a_file_are_never_opened(tmp_path):
    local = tmp_path / "local-feed.xml"
    local.write_bytes(rss("<item><title>local</title><link>https://www.example.com/local</link></item>"))
    with pytest.raises(FeedError):
        parse_feed(str(local).encode(), BASE)


def test_external_entities_are_not_resolved(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET")
    data = (f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY x SYSTEM "file://{secret}">]>'
            f'<rss version="2.0"><channel><item><title>a &x; b</title><link>https://www.example.com/x</link>'
            f"</item></channel></rss>").encode()
    items = parse_feed(data, BASE)
    assert items and "TOPSECRET" not in (items[0].title or "")


FEEDPARSER_MIRROR = Path("/work/.mirror/kurtmckee+feedparser/repo")


@pytest.mark.skipif(not FEEDPARSER_MIRROR.is_dir(), reason="feedparser's test corpus is not mirrored on this machine")
def test_feedparser_corpus_never_raises_anything_but_permanent_error(tmp_path):
    """~2,100 well-formed, ill-formed and mis-encoded feeds from feedparser's own tests (not committed here)."""
    subprocess.run(f"git -C {FEEDPARSER_MIRROR} archive HEAD tests | tar -x -C {tmp_path}", shell=True, check=True)
    files = [p for p in (tmp_path / "tests").rglob("*") if p.suffix in (".xml", ".rss", ".rdf", ".atom")]
    assert len(files) > 1000
    with_items = 0
    for path in files:
        try:
            items = parse_feed(path.read_bytes(), BASE)
        except PermanentError:
            continue
        with_items += bool(items)
        assert all(item.url.startswith(("http://", "https://")) for item in items), path
    assert with_items > 50


def test_json_feed():
    import json

    feed = {"version": "https://jsonfeed.org/version/1.1", "title": "t", "items": [
        {"id": "1", "url": "/news/1?utm_source=json", "title": "انسحاب", "date_published": "2024-05-20T10:00:00+03:00",
         "content_html": "<p>نص <b>الخبر</b></p>"},
        {"id": "https://www.example.com/news/2", "title": 5},
        {"id": "x", "url": "javascript:alert(1)"}, "not an item"]}
    items = parse_feed(json.dumps(feed, ensure_ascii=False).encode(), BASE)
    assert items == (FeedItem("https://www.example.com/news/1", "انسحاب",
                              datetime(2024, 5, 20, 7, 0, tzinfo=timezone.utc), "نص الخبر"),
                     FeedItem("https://www.example.com/news/2"))
    for bad in (b'{"items": []}', b"{not json", b'{"version": "https://jsonfeed.org/version/1", "items": 3}'):
        if bad.startswith(b'{"version"'):
            assert parse_feed(bad, BASE) == ()
        else:
            with pytest.raises(FeedError):
                parse_feed(bad, BASE)
