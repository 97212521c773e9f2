"""Sitemaps and section pages to items: news sitemaps, indexes, gzip, bombs, listings with noise."""

import gzip
import zlib
from datetime import datetime, timezone

import pytest

from extractors.errors import ConfigError, PermanentError
from extractors.links import feed_links, section_links
from extractors.sitemaps import SitemapError, parse_sitemap

BASE = "https://www.example.com/sitemap.xml"
NEWS = (b'<?xml version="1.0" encoding="UTF-8"?>'
        b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        b'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">'
        b"<url><loc>https://www.example.com/news/1</loc><news:news><news:publication_date>2024-05-20T10:00:00+03:00"
        b"</news:publication_date><news:title>\xd8\xae\xd8\xa8\xd8\xb1</news:title></news:news></url>"
        b"<url><loc>https://www.example.com/news/2?utm_campaign=x</loc><lastmod>2024-05-19</lastmod></url>"
        b"<url><loc>javascript:alert(1)</loc></url><url><loc>/news/3</loc></url></urlset>")


def test_news_sitemap_items_with_dates_and_titles():
    sitemap = parse_sitemap(NEWS, BASE)
    assert [i.url for i in sitemap.items] == ["https://www.example.com/news/1", "https://www.example.com/news/2",
                                              "https://www.example.com/news/3"]
    assert sitemap.items[0].title == "خبر"
    assert sitemap.items[0].published == datetime(2024, 5, 20, 7, 0, tzinfo=timezone.utc)
    assert sitemap.items[1].published == datetime(2024, 5, 19, tzinfo=timezone.utc)
    assert sitemap.children == ()


def test_index_lists_children_newest_first_and_gzip_is_read():
    index = (b'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
             b"<sitemap><loc>/s/2023.xml</loc><lastmod>2023-01-01</lastmod></sitemap>"
             b"<sitemap><loc>/s/2024.xml.gz</loc><lastmod>2024-05-01T00:00:00Z</lastmod></sitemap>"
             b"<sitemap><loc>/s/undated.xml</loc></sitemap></sitemapindex>")
    assert parse_sitemap(gzip.compress(index), BASE).children == (
        "https://www.example.com/s/2024.xml.gz", "https://www.example.com/s/2023.xml",
        "https://www.example.com/s/undated.xml")


def test_plain_text_sitemap():
    assert [i.url for i in parse_sitemap(b"https://www.example.com/a\n\nhttps://www.example.com/b\n", BASE).items] == [
        "https://www.example.com/a", "https://www.example.com/b"]


def test_sitemap_gzip_bomb_stops_at_the_ceiling():
    packer = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    bomb = b"".join(packer.compress(bytes(1_000_000)) for _ in range(200)) + packer.flush()
    with pytest.raises(SitemapError, match="expands beyond"):
        parse_sitemap(bomb, BASE, max_bytes=5_000_000)


@pytest.mark.parametrize("data", [gzip.compress(NEWS)[:60], b"<html><body>no</body></html>", b"\x00\x01binary",
                                  b"<?xml version='1.0'?>"])
def test_broken_sitemaps_raise_sitemap_error(data):
    with pytest.raises(SitemapError):
        parse_sitemap(data, BASE)


def test_entities_in_sitemaps_are_not_expanded(tmp_path):
    secret = tmp_path / "secret"
    secret.write_text("TOPSECRET")
    data = (f'<?xml version="1.0"?><!DOCTYPE u [<!ENTITY x SYSTEM "file://{secret}">]>'
            f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>https://www.example.com/&x;</loc>'
            f"</url></urlset>").encode()
    assert all("TOPSECRET" not in i.url for i in parse_sitemap(data, BASE).items)


SECTION = """<html><head><base href="/ar/"></head><body>
<nav><a href="/ar/about">من نحن</a><a href="https://twitter.com/example">x</a>
<a href="/ar/news/2024/05/01/menu-feature-link-x">قائمة</a></nav>
<a href="news/2024/05/20/coalition-leaves-bases-x"><img src="t.jpg"></a>
<a href="news/2024/05/20/coalition-leaves-bases-x">انسحاب التحالف</a>
<a href="https://m.example.com/ar/story/123456?utm_source=home">قصة</a>
<a href="https://other.example.org/story/999999">خارجي</a>
<a href="javascript:void(0)">js</a></body></html>"""


def test_section_links_with_a_pattern_keep_same_site_articles_only():
    items = section_links(SECTION, "https://www.example.com/ar/", r"/story/\d+$")
    assert [(i.url, i.title) for i in items] == [("https://www.example.com/ar/story/123456", "قصة")]


def test_section_links_without_pattern_guess_article_shapes():
    urls = [i.url for i in section_links(SECTION, "https://www.example.com/ar/", None)]
    assert urls == ["https://www.example.com/ar/news/2024/05/20/coalition-leaves-bases-x",
                    "https://www.example.com/ar/story/123456"]
    assert section_links(SECTION, "https://www.example.com/ar/", None)[0].title == "انسحاب التحالف"


def test_bad_link_pattern_is_a_config_error_and_empty_html_is_no_items():
    with pytest.raises(ConfigError):
        section_links(SECTION, "https://www.example.com/", "([unclosed")
    assert section_links("", "https://www.example.com/", None) == ()


def test_feed_autodiscovery():
    html = ('<html><head><link rel="alternate" type="application/rss+xml" href="/rss.xml">'
            '<link rel="alternate" type="text/html" href="/en/"><link rel="stylesheet" href="/s.css"></head>'
            '<body><a href="/feed/">RSS</a><a href="/news/1">n</a><a href="javascript:x">j</a></body></html>')
    assert feed_links(html, "https://www.example.com/") == ("https://www.example.com/rss.xml",
                                                            "https://www.example.com/feed/")


def test_sitemap_error_is_permanent():
    assert issubclass(SitemapError, PermanentError)
