"""outlets.yaml parsing: bad files give one precise message with file and line."""

import pytest

from extractors.errors import ConfigError
from extractors.outlets import parse_outlets

GOOD = """
outlets:
  - id: a
    name: Outlet A
    home: https://a.example/
    feeds: [https://a.example/rss]
    utc_offset_hours: 3
  - id: b
    name: Outlet B
    home: https://b.example/
"""


def test_parses_outlets_with_defaults():
    a, b = parse_outlets(GOOD, "outlets.yaml")
    assert a.feeds == ("https://a.example/rss",) and a.utc_offset_hours == 3
    assert b.poll_minutes == 15 and b.sources == ()


@pytest.mark.parametrize("text, line, words", [
    ("outlets:\n  - id: a\n    name: [unclosed\n", 4, "invalid YAML"),
    ("outlets:\n  - id: a\n    name: A\n    home: h\n    colour: red\n", 2, "unknown field(s) colour"),
    ("outlets:\n  - id: a\n    home: h\n", 2, "needs 'name'"),
    ("outlets:\n  - {id: a, name: A, home: h}\n  - {id: a, name: B, home: h}\n", 3, "duplicate outlet id"),
    ("outlets:\n  - {id: a, name: A, home: h, poll_minutes: 0}\n", 2, "poll_minutes"),
])
def test_bad_outlets_file_names_file_and_line(text, line, words):
    with pytest.raises(ConfigError) as err:
        parse_outlets(text, "conf/outlets.yaml")
    assert err.value.source == "conf/outlets.yaml"
    assert err.value.line == line
    assert words in str(err.value) and str(err.value).startswith("conf/outlets.yaml:")


def test_seed_outlets_parse_and_cover_the_seed_outlets():
    from flows.settings import SEEDS_DIR

    outlets = parse_outlets((SEEDS_DIR / "outlets.yaml").read_text(encoding="utf-8"), "seeds/outlets.yaml")
    homes = " ".join(o.home for o in outlets)
    for domain in ("eremnews", "almasalah", "alaraby", "newkhalij", "baghdadtoday", "independentarabia"):
        assert domain in homes
    assert all(o.sources for o in outlets), "every outlet needs a feed, sitemap or section page"


def test_bad_extract_override_fails_at_load_with_file_and_line():
    text = ("outlets:\n  - id: a\n    name: A\n    home: https://a.example/\n"
            "    extract:\n      body_xpath: '//div[@class='\n")
    with pytest.raises(ConfigError) as err:
        parse_outlets(text, "outlets.yaml")
    assert err.value.line == 2 and "body_xpath" in str(err.value)


def test_feed_dates_written_with_arabic_months_are_read():
    from extractors.feeds import parse_feed

    rss = ("<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel><title>t</title>"
           "<item><title>خبر</title><link>https://a.example/1</link>"
           "<pubDate>الثلاثاء، 12 مارس 2024 10:00 +0300</pubDate></item></channel></rss>").encode()
    [item] = parse_feed(rss, "https://a.example/rss")
    assert item.published is not None and item.published.isoformat().startswith("2024-03-12T07:00")


def test_the_libyaml_reader_gives_what_the_pure_python_reader_gives_on_the_shipped_files():
    """Config files are read with libyaml when PyYAML has it; lines kept for error messages
    (`__line__`) and every value must be the pure-Python loader's."""
    from pathlib import Path

    import yaml

    from extractors.outlets import _LineLoader, load_yaml

    files = sorted(Path(__file__).resolve().parents[1].joinpath("seeds").rglob("*.yaml"))
    assert len(files) >= 3
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert load_yaml(text, str(path)) == yaml.load(text, Loader=_LineLoader), path  # noqa: S506
