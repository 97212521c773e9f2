"""What a poll watches: outlets, topics and term lists, read from the configured files.

A broken topic file is reported by name and skipped so the other topics still run;
a broken outlets file stops the poll (there would be nothing to watch).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from extractors.errors import ConfigError
from extractors.outlets import Outlet, parse_outlets
from flows.settings import Settings


@dataclass(frozen=True)
class Watch:
    outlets: tuple[Outlet, ...]
    topics: tuple  # extractors.topics.Topic
    lists: dict
    errors: tuple[str, ...]
    gazetteer: object = None  # extractors.entities.Gazetteer

    def matcher(self):
        from extractors.matcher import TopicMatcher

        return TopicMatcher.compile(self.topics, self.lists)


def read_text(path: Path) -> str:
    try:
        return Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError("file not found", source=str(path)) from None
    except UnicodeDecodeError as exc:
        raise ConfigError(f"not UTF-8 text (byte {exc.start})", source=str(path)) from None


def load_outlets(path: Path) -> tuple[Outlet, ...]:
    return parse_outlets(read_text(path), str(path))


def load_lists(path: Path) -> dict:
    from extractors.topics import parse_lists

    return dict(parse_lists(read_text(path), str(path))) if Path(path).is_file() else {}


def load_gazetteer(path: Path, places: Path | None = None):
    """The entity gazetteer (places, factions, actors, weapons), or None when the file is absent;
    with `places`, the place table (seeds/places.tsv) added to it when that file is present."""
    from extractors.entities import parse_gazetteer
    from extractors.places import parse_places

    if not Path(path).is_file():
        return None
    gazetteer = parse_gazetteer(read_text(path), str(path))
    if places is not None and Path(places).is_file():
        gazetteer = gazetteer.with_places(parse_places(read_text(places), str(places)))
    return gazetteer


def load_watch(settings: Settings) -> Watch:
    outlets = load_outlets(settings.outlets_file)
    lists = load_lists(settings.lists_file)
    from flows.pipeline.topic_files import load_topics_dir

    topics, errors = load_topics_dir(settings.topics_dir, lists)
    return Watch(outlets=outlets, topics=topics, lists=lists, errors=errors,
                 gazetteer=load_gazetteer(settings.gazetteer_file, settings.places_file))
