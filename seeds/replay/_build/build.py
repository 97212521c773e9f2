"""Regenerate the offline replica (seeds/replay/wave1, wave2, expected.yaml, outlets.yaml).

Run from the repository root: `uv run python seeds/replay/_build/build.py`.
Needs ../shared/seeds beside the repository (the seed texts are read by line number,
so no seed sentence is written into this code). The output is committed; the
demo and the tests read the output, never this script.
"""

from __future__ import annotations

import shutil
import sys
from datetime import datetime, timezone
from pathlib import Path

import jinja2
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bodies import body_blocks, load_title  # noqa: E402
from catalog import OUTLETS, robots_txt  # noqa: E402
from dates import EASTERN, display_date  # noqa: E402
from feeds import render_feed  # noqa: E402
from telegram import post_text, render_channel  # noqa: E402

BUILD = Path(__file__).resolve().parent
REPLAY = BUILD.parent
SEEDS = REPLAY.parents[2] / "shared" / "seeds"
WAVES = ("wave1", "wave2")


def load_articles() -> list[dict]:
    articles = yaml.safe_load((BUILD / "articles.yaml").read_text(encoding="utf-8"))
    for a in articles:
        a["published_dt"] = datetime.fromisoformat(a["published"])
        if "title" not in a:
            a["title"] = load_title(SEEDS / a["seed"], a["title_line"])
        if "caption_line" in a:
            # The seed glues the photo credit to the caption ("...المسلحةالمصدر: رويترز").
            a["caption"] = load_title(SEEDS / a["seed"], a["caption_line"]).replace("المصدر:", " - المصدر:")
        a["blocks"] = body_blocks(a, SEEDS, BUILD / "texts", articles)
        a["file"] = f"{OUTLETS[a['outlet']]['host']}/{a['key']}.html"
    return articles


def load_channels() -> list[dict]:
    return yaml.safe_load((BUILD / "channels.yaml").read_text(encoding="utf-8"))


def channel_entries(wave_dir: Path, wave: int, channels: list[dict]) -> list[dict]:
    """Each channel's preview page as the wave shows it (wave 2 replaces wave 1's), robots.txt once."""
    entries = []
    for channel in channels:
        if wave == 1 or any(p["wave"] == wave or p.get("edited_in") == wave for p in channel["posts"]):
            rel = f"t.me/s/{channel['channel']}.html"
            write(wave_dir, rel, render_channel(channel, wave))
            entries.append({"url": f"https://t.me/s/{channel['channel']}", "file": rel,
                            "content_type": "text/html; charset=utf-8"})
    if wave == 1:
        write(wave_dir, "t.me/robots.txt", b"User-agent: *\nAllow: /\n")
        entries.append({"url": "https://t.me/robots.txt", "file": "t.me/robots.txt",
                        "content_type": "text/plain; charset=utf-8"})
    return entries


def render_page(env: jinja2.Environment, a: dict, articles: list[dict]) -> bytes:
    outlet = OUTLETS[a["outlet"]]
    same = [o for o in articles if o["outlet"] == a["outlet"] and o["key"] != a["key"]
            and o["wave"] <= a["wave"]]
    html = env.get_template(f"{a['outlet']}.html").render(
        a=a, outlet=outlet, related=same, date=display_date(a["outlet"], a["published_dt"]),
        year=a["published_dt"].year)
    return html.encode(a.get("encoding", "utf-8"))


def feed_entry(outlet_id: str, wave: int, articles: list[dict]) -> tuple[dict, bytes]:
    outlet = OUTLETS[outlet_id]
    items = sorted((a for a in articles if a["outlet"] == outlet_id and a["wave"] <= wave),
                   key=lambda a: a["published_dt"], reverse=True)
    body, content_type, path = render_feed(outlet_id, outlet, items)
    entry = {"url": f"https://{outlet['host']}{path}", "file": f"{outlet['host']}{path_file(path)}",
             "content_type": content_type}
    last = max(a["published_dt"] for a in items).astimezone(timezone.utc)
    entry["headers"] = {"Last-Modified": last.strftime("%a, %d %b %Y %H:%M:%S GMT"),
                        "Cache-Control": "public, max-age=300"}
    return entry, body


def path_file(path: str) -> str:
    """Feed paths like /feed/ or /rss have no file name; give them one on disk."""
    if path.endswith("/"):
        return path + "index.xml"
    return path if "." in path.rsplit("/", 1)[-1] else path + ".xml"


def write(wave_dir: Path, rel: str, data: bytes) -> None:
    target = wave_dir / rel
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)


def build_wave(env: jinja2.Environment, wave: int, articles: list[dict]) -> list[dict]:
    wave_dir = REPLAY / f"wave{wave}"
    entries: list[dict] = []
    for a in (a for a in articles if a["wave"] == wave):
        write(wave_dir, a["file"], render_page(env, a, articles))
        ctype = "text/html" if a.get("encoding") == "windows-1256" else "text/html; charset=utf-8"
        entries.append({"url": a["url"], "file": a["file"], "content_type": ctype})
    for outlet_id in OUTLETS:
        if wave == 1 or any(a["outlet"] == outlet_id and a["wave"] == wave for a in articles):
            entry, body = feed_entry(outlet_id, wave, articles)
            write(wave_dir, entry["file"], body)
            entries.append(entry)
    if wave == 1:
        for outlet in OUTLETS.values():
            rel = f"{outlet['host']}/robots.txt"
            write(wave_dir, rel, robots_txt(outlet).encode())
            entries.append({"url": f"https://{outlet['host']}/robots.txt", "file": rel,
                            "content_type": "text/plain; charset=utf-8"})
    entries += channel_entries(wave_dir, wave, load_channels())
    manifest = {"resources": entries} if wave == 1 else {"extends": "wave1", "resources": entries}
    header = MANIFEST_HEADER.format(wave=wave)
    (wave_dir / "manifest.yaml").write_text(header + yaml.safe_dump(
        manifest, allow_unicode=True, sort_keys=False, width=200), encoding="utf-8")
    return entries


MANIFEST_HEADER = """\
# Generated by seeds/replay/_build/build.py - edit articles.yaml there, not this file.
# wave{wave}: every URL the replica answers. `file` is relative to this directory;
# status defaults to 200; a wave that `extends` another inherits its resources, and an
# entry with the same url replaces the inherited one.
"""


# Outlets whose pages carry no machine-readable date: only the visible byline.
BYLINE_ONLY = {"thenewkhalij", "baghdadtoday"}


def expected(articles: list[dict]) -> dict:
    by_key = {a["key"]: a for a in articles}
    waves = {}
    for wave in (1, 2):
        rows = []
        for a in (a for a in articles if a["wave"] == wave):
            row = {"url": a["url"], "outlet": a["outlet"], "published": a["published"],
                   "date_shown": display_date(a["outlet"], a["published_dt"])["text"],
                   "date_in_metadata": a["outlet"] not in BYLINE_ONLY,
                   "encoding": a.get("encoding", "utf-8"),
                   "title": a["title"], "topics": a.get("topics") or []}
            for key in ("may_match", "hard_negative_for"):
                if a.get(key):
                    row[key] = a[key]
            if a.get("republished_of"):
                row["republished_of"] = by_key[a["republished_of"]]["url"]
            if a.get("seed"):
                row["seed"] = a["seed"]
            row["alert"] = bool(row["topics"]) and not a.get("republished_of")
            row["why"] = a["why"]
            rows.append(row)
        waves[f"wave{wave}"] = {"articles": rows, **expected_posts(load_channels(), wave)}
    return {"topics": ["coalition-withdrawal", "militia-attacks"], "waves": waves}


def expected_posts(channels: list[dict], wave: int) -> dict:
    """The channels' posts a wave adds (`posts`) and the ones it edits (`edited`)."""
    rows, edited = [], []
    for channel in channels:
        for post in channel["posts"]:
            url = f"https://t.me/{channel['channel']}/{post['id']}"
            if post.get("edited_in") == wave:
                edited.append({"url": url, "outlet": channel["outlet"], "text": post_text(post, wave)[0]})
            if post["wave"] != wave:
                continue
            row = {"url": url, "outlet": channel["outlet"], "published": post["published"],
                   "text": post["text"], "topics": post.get("topics") or []}
            for key in ("stance", "by", "forwarded_from"):
                if post.get(key):
                    row[key] = post[key]
            if post.get("story_of"):
                row["story_of"] = f"https://t.me/{post['story_of']}"  # CHANNEL/ID
            row["alert"] = bool(post.get("alert"))
            row["why"] = post["why"]
            rows.append(row)
    return {"posts": rows, "edited": edited}


EXPECTED_HEADER = """\
# Generated by seeds/replay/_build/build.py. What rasid should make of each article
# page in the replica, per wave (wave2 lists only what wave2 adds).
#   published: the publication time in the outlet's local time; date_shown: the date
#   exactly as the page shows it; date_in_metadata: false when the page has no
#   machine-readable date (no JSON-LD, no article:published_time) - only the byline;
#   topics: must match;  may_match: matching is acceptable either way (background
#   mention);  hard_negative_for: looks like that topic but must NOT match it;
#   republished_of: the earlier article this one copies (same agency story);
#   alert: whether this page should produce a new alert when its wave is polled
#   (a republished copy of a known story must not).
# posts: the Telegram posts a wave adds (channels.yaml): text, topics, stance and by (who
#   claimed or denied), story_of (the post whose story it joins), alert (new development or
#   the story's first denial); edited: posts the wave edits (their article is updated, no alert).
"""


def replay_outlets() -> str:
    lines = ["# Generated by seeds/replay/_build/build.py: the replica's outlets - the same six",
             "# outlets as seeds/outlets.yaml, with the feed/sitemap URLs the replica serves,",
             "# and two Telegram channels written for the replica (channels.yaml).",
             "outlets:"]
    for outlet_id, o in OUTLETS.items():
        lines += [f"  - id: {outlet_id}", f"    name: {o['name']}", f"    home: https://{o['host']}/"]
        kind = "sitemaps" if o["feed_kind"] == "sitemap" else "feeds"
        lines += [f"    {kind}:", f"      - https://{o['host']}{o['feed_path']}"]
        lines += [f"    link_pattern: '{o['link_pattern']}'", "    lang: ar",
                  f"    country: {o['country']}", f"    utc_offset_hours: {o['utc_offset_hours']}",
                  f"    poll_minutes: {o['poll_minutes']}"]
        if o.get("drop_patterns"):
            lines += ["    extract:", "      # as in seeds/outlets.yaml: the agency credit line and disclaimer closing each piece",
                      "      drop_patterns:"] + [f"        - '{pattern}'" for pattern in o["drop_patterns"]]
    for channel in load_channels():
        lines += [f"  - id: {channel['outlet']}", f"    name: {channel['name']}", "    kind: telegram",
                  f"    channel: {channel['channel']}", "    lang: ar", "    country: IQ", "    utc_offset_hours: 3",
                  "    poll_minutes: 10"]
    return "\n".join(lines) + "\n"


def main() -> None:
    if not SEEDS.is_dir():
        sys.exit(f"seed texts not found at {SEEDS}")
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(BUILD / "templates"),
                             autoescape=jinja2.select_autoescape(["html"]),
                             trim_blocks=True, lstrip_blocks=True)
    env.filters["eastern"] = lambda value: str(value).translate(EASTERN)
    articles = load_articles()
    for wave in WAVES:
        shutil.rmtree(REPLAY / wave, ignore_errors=True)
    for wave in (1, 2):
        build_wave(env, wave, articles)
    (REPLAY / "expected.yaml").write_text(EXPECTED_HEADER + yaml.safe_dump(
        expected(articles), allow_unicode=True, sort_keys=False, width=200), encoding="utf-8")
    (REPLAY / "outlets.yaml").write_text(replay_outlets(), encoding="utf-8")
    print(f"built {len(articles)} articles into {REPLAY}")


if __name__ == "__main__":
    main()
