"""The offline replica in seeds/replay is coherent: what the demo and the pipeline tests rely on.

Every URL a feed or sitemap announces is served, every served file exists, wave 2
extends wave 1 the way the manifest format says, the outlets files parse, and
expected.yaml only talks about pages the replica serves.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

import feedparser
import pytest
import yaml
from protego import Protego

from extractors.outlets import parse_outlets

ROOT = Path(__file__).resolve().parents[1]
REPLAY = ROOT / "seeds" / "replay"
SHARED_SEEDS = ROOT.parent / "shared" / "seeds"
TOPICS = {"coalition-withdrawal", "militia-attacks"}
SITEMAP_NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}


@cache
def manifest(wave: str) -> dict:
    return yaml.safe_load((REPLAY / wave / "manifest.yaml").read_text(encoding="utf-8"))


@cache
def resolved(wave: str) -> dict[str, dict]:
    """url -> entry (with an absolute 'path'), following `extends` as the server must."""
    data = manifest(wave)
    table = dict(resolved(data["extends"])) if data.get("extends") else {}
    for entry in data["resources"]:
        table[entry["url"]] = {**entry, "path": REPLAY / wave / entry["file"]}
    return table


@cache
def expected() -> dict:
    return yaml.safe_load((REPLAY / "expected.yaml").read_text(encoding="utf-8"))


def expected_rows(wave: str) -> list[dict]:
    return expected()["waves"][wave]["articles"]


def feed_entries(wave: str) -> list[dict]:
    return [e for e in resolved(wave).values() if "xml" in e["content_type"]]


def feed_links(entry: dict) -> list[str]:
    """Article links a feed or news sitemap announces, newest first as served."""
    body = entry["path"].read_bytes()
    if b"<urlset" in body[:400]:
        return [loc.text for loc in ET.fromstring(body).findall("sm:url/sm:loc", SITEMAP_NS)]
    return [item.link for item in feedparser.parse(body).entries]


WAVES = ["wave1", "wave2"]


@pytest.mark.parametrize("wave", WAVES)
def test_every_manifest_entry_points_at_an_existing_file(wave: str) -> None:
    entries = manifest(wave)["resources"]
    assert entries, f"{wave} serves nothing"
    urls = [e["url"] for e in entries]
    assert len(urls) == len(set(urls)), "a URL listed twice in one manifest"
    for e in entries:
        assert set(e) <= {"url", "file", "content_type", "status", "headers"}, e
        assert urlsplit(e["url"]).scheme == "https" and urlsplit(e["url"]).hostname, e["url"]
        assert (REPLAY / wave / e["file"]).is_file(), e["file"]
        assert e["content_type"], e["url"]
        assert isinstance(e.get("status", 200), int)


def test_wave2_extends_wave1_and_only_adds_or_replaces() -> None:
    assert "extends" not in manifest("wave1")
    assert manifest("wave2")["extends"] == "wave1"
    one, two = resolved("wave1"), resolved("wave2")
    assert set(one) < set(two), "wave 2 must keep every wave-1 URL and add new ones"
    replaced = {u for u in one if two[u]["path"] != one[u]["path"]}
    assert replaced, "wave 2 should update some feeds"
    assert all("xml" in two[u]["content_type"] or u.startswith("https://t.me/s/") for u in replaced), \
        "only feeds and channel previews change between waves"


@pytest.mark.parametrize("wave", WAVES)
def test_feeds_parse_and_every_link_is_served(wave: str) -> None:
    served = resolved(wave)
    for entry in feed_entries(wave):
        links = feed_links(entry)
        assert links, f"{entry['url']} announces no article"
        for link in links:
            assert link in served, f"{entry['url']} links {link}, which the replica does not serve"
            assert served[link]["content_type"].startswith("text/html")


def test_feeds_are_real_rss_atom_and_a_news_sitemap() -> None:
    kinds = set()
    for entry in feed_entries("wave1"):
        body = entry["path"].read_bytes()
        if b"<urlset" in body[:400]:
            kinds.add("sitemap")
            for url in ET.fromstring(body).findall("sm:url", SITEMAP_NS):
                assert url.find("{http://www.google.com/schemas/sitemap-news/0.9}news") is not None
            continue
        parsed = feedparser.parse(body)
        assert not parsed.bozo, f"{entry['url']}: {parsed.get('bozo_exception')}"
        kinds.add(parsed.version[:3])  # 'rss' or 'ato'
        for item in parsed.entries:
            assert item.title and item.get("summary") and item.get("published_parsed"), item.link
    assert kinds == {"rss", "ato", "sitemap"}


def test_wave2_feeds_put_new_items_on_top_and_keep_older_ones() -> None:
    for url, entry in resolved("wave2").items():
        if "xml" not in entry["content_type"] or entry == resolved("wave1")[url]:
            continue
        old, new = feed_links(resolved("wave1")[url]), feed_links(entry)
        assert new[len(new) - len(old):] == old, f"{url}: wave-1 items must stay, in order, below the new ones"
        assert len(new) > len(old)


def test_each_host_serves_a_robots_txt_that_allows_its_articles() -> None:
    served = resolved("wave2")
    for row in expected_rows("wave1") + expected_rows("wave2"):
        host = urlsplit(row["url"]).hostname
        robots = served.get(f"https://{host}/robots.txt")
        assert robots, f"no robots.txt for {host}"
        rules = Protego.parse(robots["path"].read_text(encoding="utf-8"))
        assert rules.can_fetch(row["url"], "rasid"), row["url"]


@pytest.mark.parametrize("path", ["seeds/outlets.yaml", "seeds/replay/outlets.yaml"])
def test_outlets_files_parse(path: str) -> None:
    outlets = parse_outlets((ROOT / path).read_text(encoding="utf-8"), path)
    channels = {o.id for o in outlets if o.kind == "telegram"}
    assert {o.id for o in outlets} - channels == {"erem", "almasalah", "alaraby", "thenewkhalij", "baghdadtoday",
                                                  "independentarabia"}
    assert channels == ({"sawt-alfasail", "alhadath-iraqi"} if "replay" in path else set())
    for o in outlets:
        if o.kind == "telegram":
            assert o.sources == (f"https://t.me/s/{o.channel}",) and o.lang == "ar"
            continue
        assert o.sources, f"{o.id} has no feed or sitemap"
        assert all(urlsplit(s).hostname == urlsplit(o.home).hostname for s in o.sources), o.id
        assert o.lang == "ar" and o.utc_offset_hours is not None


def test_replay_outlets_point_at_served_feeds_and_their_patterns_fit_the_articles() -> None:
    outlets = parse_outlets((REPLAY / "outlets.yaml").read_text(encoding="utf-8"), "replay/outlets.yaml")
    served = resolved("wave1")
    for o in outlets:
        assert all(s in served for s in o.sources), f"{o.id}: a source the replica does not serve"
        own = [r["url"] for w in WAVES for r in expected_rows(w) + expected()["waves"][w]["posts"]
               if r["outlet"] == o.id]
        assert own, f"{o.id} has no article in the replica"
        pattern = o.link_pattern or rf"^https://t\.me/{o.channel}/\d+$"
        assert all(re.match(pattern, url) for url in own), o.id


def test_expected_is_consistent_with_the_manifests() -> None:
    assert set(expected()["topics"]) == TOPICS
    wave1_urls = {r["url"] for r in expected_rows("wave1")}
    for wave in WAVES:
        served = resolved(wave)
        for row in expected_rows(wave):
            assert row["url"] in served and served[row["url"]]["content_type"].startswith("text/html")
            assert set(row["topics"]) | set(row.get("may_match", [])) <= TOPICS
            assert not set(row["topics"]) & set(row.get("hard_negative_for", [])), row["url"]
            assert row["alert"] == (bool(row["topics"]) and "republished_of" not in row)
    copies = [r for r in expected_rows("wave2") if "republished_of" in r]
    assert len(copies) == 1 and copies[0]["republished_of"] in wave1_urls
    new_alerts = [r for r in expected_rows("wave2") if r["alert"]]
    assert len(new_alerts) == 1, "wave 2 holds exactly one genuinely new development"
    newest_wave1 = max(r["published"] for r in expected_rows("wave1"))
    assert new_alerts[0]["published"] > newest_wave1


def test_every_seed_is_wrapped_on_its_outlet_and_negatives_exist() -> None:
    rows = expected_rows("wave1")
    seeds = {r["seed"] for r in rows if "seed" in r}
    assert len(seeds) == 5
    negatives = [r for r in rows if not r["topics"]]
    assert 5 <= len(negatives) <= 7 and all(r.get("why") for r in negatives)
    outlets = {r["outlet"] for r in rows}
    assert {"independentarabia", "baghdadtoday"} <= outlets


def _page_text(entry: dict) -> str:
    body = entry["path"].read_bytes()
    charset = re.search(rb'charset=["\']?([\w-]+)', body[:1024]).group(1).decode()
    return body.decode(charset)


def test_pages_are_utf8_except_the_one_windows_1256_page() -> None:
    pages = [e for e in resolved("wave2").values() if e["content_type"].startswith("text/html")]
    legacy = [e for e in pages if b"charset=windows-1256" in e["path"].read_bytes()[:1024]]
    assert len(legacy) == 1
    page = legacy[0]
    assert page["content_type"] == "text/html", "the HTTP header must not name the charset"
    with pytest.raises(UnicodeDecodeError):
        page["path"].read_bytes().decode("utf-8")
    assert "الكهرباء" in page["path"].read_bytes().decode("windows-1256")
    for e in pages:
        if e is not page:
            e["path"].read_bytes().decode("utf-8")
            assert "charset=utf-8" in e["content_type"]


@pytest.mark.parametrize("wave", WAVES)
def test_article_pages_carry_title_canonical_and_their_outlets_visible_date(wave: str) -> None:
    served = resolved(wave)
    visible = {  # the outlet's own date format on the seed pages (the seeds' real dates)
        "000_38df2cf3e3fb0ca4.txt": "16 أغسطس 2024، 3:20 م",
        "001_1307333e084fff0c.txt": "12 مارس، 2024",
        "002_132dcbf3b4cce48d.txt": "04 أكتوبر 2024",
        "003_9e618a6b482b6fdd.txt": "١٥ يناير ٢٠٢٤",
    }
    for row in expected_rows(wave):
        text = _page_text(served[row["url"]])
        assert re.search(r'<link rel="canonical" href="[^"]+"', text), row["url"]
        assert '<meta property="og:title"' in text and "<title>" in text
        if row.get("seed") in visible and "republished_of" not in row:
            assert visible[row["seed"]] in text, row["url"]
        assert row["date_shown"] in text, row["url"]
        machine_date = "article:published_time" in text or "datePublished" in text
        assert machine_date == row["date_in_metadata"], row["url"]


@pytest.mark.skipif(not SHARED_SEEDS.is_dir(), reason=f"seed texts not found at {SHARED_SEEDS}")
def test_seed_pages_keep_the_seed_article_text() -> None:
    served = resolved("wave2")
    for row in expected_rows("wave1") + expected_rows("wave2"):
        if "seed" not in row:
            continue
        page = " ".join(_page_text(served[row["url"]]).replace("&#34;", '"').replace("&#39;", "'").split())
        # Seeds end with scraped neighbours (an aggregator's next story), so only the
        # opening paragraphs are sure to belong to the article itself.
        opening = [" ".join(line.split()).lstrip("- ") for line in
                   (SHARED_SEEDS / row["seed"]).read_text(encoding="utf-8").splitlines() if len(line) > 150][:3]
        missing = [p[:60] for p in opening if p not in page]
        assert not missing, f"{row['url']} lost the seed's text: {missing}"


def _paragraph_shingles(entry: dict, size: int = 5) -> set[str]:
    paragraphs = re.findall(r"<p[^>]*>(.*?)</p>", _page_text(entry), flags=re.S)
    words = " ".join(re.sub(r"<[^>]+>", " ", p) for p in paragraphs).split()
    return {" ".join(words[i:i + size]) for i in range(len(words) - size + 1)}


def test_the_republished_copy_is_near_but_not_identical_to_its_original() -> None:
    """Grouping must see one story; an exact copy would not test near-duplicate detection."""
    served = resolved("wave2")
    copy = next(r for r in expected_rows("wave2") if "republished_of" in r)
    original = next(r for r in expected_rows("wave1") if r["url"] == copy["republished_of"])
    assert copy["title"] != original["title"] and copy["outlet"] != original["outlet"]
    a, b = _paragraph_shingles(served[original["url"]]), _paragraph_shingles(served[copy["url"]])
    jaccard = len(a & b) / len(a | b)
    assert 0.6 <= jaccard < 0.95, jaccard


def test_channel_previews_hold_each_waves_posts() -> None:
    """The replica's channels: the preview pages parse to the posts expected.yaml lists, a claim and
    a forward in wave 1, a denial and an edit in wave 2."""
    from extractors.telegram import parse_preview

    seen: dict[str, str] = {}
    for wave in WAVES:
        served = resolved(wave)
        pages = {u: e for u, e in served.items() if u.startswith("https://t.me/s/")}
        assert len(pages) == 2
        for entry in pages.values():
            for post in parse_preview(entry["path"].read_text(encoding="utf-8")).posts:
                seen[post.url] = post.text
        rows = expected()["waves"][wave]["posts"]
        assert rows and all(seen.get(r["url"]) == r["text"] for r in rows)
        for edited in expected()["waves"][wave]["edited"]:
            assert seen[edited["url"]] == edited["text"]
    wave1, wave2 = (expected()["waves"][w]["posts"] for w in WAVES)
    assert any(r.get("stance") == "claim" for r in wave1) and any(r.get("forwarded_from") for r in wave1)
    assert any(r.get("stance") == "denial" for r in wave2) and expected()["waves"]["wave2"]["edited"]
