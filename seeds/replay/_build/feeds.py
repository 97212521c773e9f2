"""Feeds in each outlet's flavour: Atom (Erem), WordPress RSS (Al-Masalah), plain RSS 2.0
(Al-Araby, Baghdad Today, Independent Arabia) and a Google news sitemap (Al-Khaleej Al-Jadeed)."""

from __future__ import annotations

from datetime import timezone
from email.utils import format_datetime
from xml.sax.saxutils import escape


def _rfc822(dt, utc: bool = False) -> str:
    return format_datetime(dt.astimezone(timezone.utc) if utc else dt)


def _atom(outlet: dict, items: list[dict]) -> bytes:
    host = outlet["host"]
    updated = items[0]["published_dt"].astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    out = ['<?xml version="1.0" encoding="utf-8"?>',
           '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="ar">',
           f"  <title>{escape(outlet['name'])}</title>",
           "  <subtitle>آخر الأخبار العاجلة والتقارير من إرم نيوز</subtitle>",
           f'  <link rel="alternate" type="text/html" href="https://{host}/"/>',
           f'  <link rel="self" type="application/atom+xml" href="https://{host}{outlet["feed_path"]}"/>',
           f"  <id>https://{host}/</id>", f"  <updated>{updated}</updated>",
           f"  <rights>© {items[0]['published_dt'].year} Erem Media FZ LLC</rights>"]
    for a in items:
        stamp = a["published_dt"].astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        out += ["  <entry>", f"    <title>{escape(a['title'])}</title>",
                f'    <link rel="alternate" type="text/html" href="{escape(a["url"])}"/>',
                f"    <id>tag:{host},{a['published_dt']:%Y-%m-%d}:{a['url'].rsplit('/', 1)[-1]}</id>",
                f"    <published>{stamp}</published>", f"    <updated>{stamp}</updated>",
                f"    <author><name>{escape(a['author'])}</name></author>",
                f'    <category term="{escape(a["section"])}"/>',
                f'    <summary type="text">{escape(a["summary"])}</summary>', "  </entry>"]
    out.append("</feed>")
    return ("\n".join(out) + "\n").encode("utf-8")


def _rss_item(outlet_id: str, a: dict) -> list[str]:
    wordpress = outlet_id == "almasalah"
    lines = ["    <item>", f"      <title>{escape(a['title'])}</title>", f"      <link>{escape(a['url'])}</link>"]
    if wordpress:
        post_id = a["url"].rstrip("/").rsplit("/", 1)[-1]
        lines += [f"      <dc:creator><![CDATA[{a['author']}]]></dc:creator>",
                  f"      <pubDate>{_rfc822(a['published_dt'], utc=True)}</pubDate>",
                  f"      <category><![CDATA[{a['section']}]]></category>",
                  f'      <guid isPermaLink="false">https://almasalah.com/?p={post_id}</guid>',
                  f"      <description><![CDATA[{a['summary']} [&#8230;]]]></description>"]
    else:
        # Al-Araby and Independent Arabia stamp in GMT; Baghdad Today in its local +0300.
        stamp = (format_datetime(a["published_dt"].astimezone(timezone.utc), usegmt=True)
                 if outlet_id in ("alaraby", "independentarabia") else _rfc822(a["published_dt"]))
        lines += [f"      <pubDate>{stamp}</pubDate>",
                  f'      <guid isPermaLink="true">{escape(a["url"])}</guid>',
                  f"      <category>{escape(a['section'])}</category>",
                  f"      <description>{escape(a['summary'])}</description>"]
        if outlet_id == "independentarabia":
            lines.insert(-1, f"      <dc:creator>{escape(a['author'])}</dc:creator>")
    return lines + ["    </item>"]


def _rss(outlet_id: str, outlet: dict, items: list[dict]) -> bytes:
    host, newest = outlet["host"], items[0]["published_dt"]
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           '<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" '
           'xmlns:atom="http://www.w3.org/2005/Atom"'
           + (' xmlns:content="http://purl.org/rss/1.0/modules/content/" '
              'xmlns:sy="http://purl.org/rss/1.0/modules/syndication/"' if outlet_id == "almasalah" else "")
           + ">", "  <channel>", f"    <title>{escape(outlet['name'])}</title>",
           f'    <atom:link href="https://{host}{outlet["feed_path"]}" rel="self" type="application/rss+xml"/>',
           f"    <link>https://{host}/</link>", f"    <description>{escape(outlet['name'])} - آخر الأخبار</description>",
           f"    <lastBuildDate>{_rfc822(newest, utc=True)}</lastBuildDate>", "    <language>ar</language>"]
    if outlet_id == "almasalah":
        out += ["    <sy:updatePeriod>hourly</sy:updatePeriod>", "    <sy:updateFrequency>1</sy:updateFrequency>",
                "    <generator>https://wordpress.org/?v=6.4.3</generator>"]
    for a in items:
        out += _rss_item(outlet_id, a)
    out += ["  </channel>", "</rss>"]
    return ("\n".join(out) + "\n").encode("utf-8")


def _news_sitemap(outlet: dict, items: list[dict]) -> bytes:
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
           'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">']
    for a in items:
        out += ["  <url>", f"    <loc>{escape(a['url'])}</loc>", "    <news:news>",
                "      <news:publication>", f"        <news:name>{escape(outlet['name'])}</news:name>",
                "        <news:language>ar</news:language>", "      </news:publication>",
                f"      <news:publication_date>{a['published_dt'].isoformat()}</news:publication_date>",
                f"      <news:title>{escape(a['title'])}</news:title>", "    </news:news>",
                f"    <lastmod>{a['published_dt'].isoformat()}</lastmod>", "  </url>"]
    out.append("</urlset>")
    return ("\n".join(out) + "\n").encode("utf-8")


def render_feed(outlet_id: str, outlet: dict, items: list[dict]) -> tuple[bytes, str, str]:
    """(body, content type, path on the outlet's host)."""
    kind = outlet["feed_kind"]
    if kind == "atom":
        return _atom(outlet, items), "application/atom+xml; charset=utf-8", outlet["feed_path"]
    if kind == "sitemap":
        return _news_sitemap(outlet, items), "application/xml; charset=utf-8", outlet["feed_path"]
    return _rss(outlet_id, outlet, items), "application/rss+xml; charset=UTF-8", outlet["feed_path"]
