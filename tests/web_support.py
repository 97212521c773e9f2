"""Settings for the page tests: the archive tests' outlets and topic, as an analyst's config files."""

from __future__ import annotations

from pathlib import Path

import yaml
from archive_data import WITHDRAWAL

OUTLETS = {"alpha": ("وكالة ألفا", 3), "beta": ("صحيفة بيتا", 0), "gamma": ("Gamma News", -5)}
CANARY = "json://127.0.0.1:9/web-canary-7f3e"   # a channel URL: a secret no page may show


def web_settings(directory: Path, database_url: str, timezone: str = "Asia/Tokyo"):
    """Settings over `database_url` with outlets alpha/beta/gamma (their offsets) and the topic 'withdrawal'."""
    from flows.settings import load_settings

    directory.mkdir(parents=True, exist_ok=True)
    outlets = [{"id": oid, "name": name, "home": f"https://{oid}.example/", "feeds": [f"https://{oid}.example/rss"],
                "utc_offset_hours": offset} for oid, (name, offset) in OUTLETS.items()]
    (directory / "outlets.yaml").write_text(yaml.safe_dump({"outlets": outlets}, allow_unicode=True), "utf-8")
    topics = directory / "topics"
    topics.mkdir(exist_ok=True)
    (topics / "withdrawal.yaml").write_text(yaml.safe_dump(
        {"id": "withdrawal", "title": "انسحاب التحالف", "query": WITHDRAWAL}, allow_unicode=True), "utf-8")
    return load_settings(None, database_url=database_url, state_dir=directory, outlets_file=directory / "outlets.yaml",
                         topics_dir=topics, channels={"default": CANARY}, web={"timezone": timezone})
