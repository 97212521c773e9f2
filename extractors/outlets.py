"""The outlets a user watches, parsed from outlets.yaml text.

Parsing is pure (text in, frozen dataclasses out); reading the file is the caller's.
A wrong entry raises ConfigError with the file, the entry's line and the field.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

from extractors.errors import ConfigError


@dataclass(frozen=True)
class ExtractOverrides:
    """Per-outlet fixes where generic extraction is measurably wrong."""

    body_xpath: str | None = None
    drop_patterns: tuple[str, ...] = ()


@dataclass(frozen=True)
class Outlet:
    id: str
    name: str
    home: str
    feeds: tuple[str, ...] = ()
    sitemaps: tuple[str, ...] = ()
    sections: tuple[str, ...] = ()
    link_pattern: str | None = None
    lang: str = "ar"
    country: str | None = None
    utc_offset_hours: float | None = None
    poll_minutes: int = 15
    adaptive: bool = True
    poll_min_minutes: int = 5
    max_poll_minutes: int | None = None  # None: FEED_CEILING or SECTION_CEILING, see poll_ceiling
    enabled: bool = True
    extract: ExtractOverrides = field(default_factory=ExtractOverrides)
    kind: str = "web"  # web | telegram (a public channel's preview, docs/telegram.md)
    channel: str | None = None  # telegram: the channel's username

    @property
    def sources(self) -> tuple[str, ...]:
        if self.kind == "telegram":
            return (f"https://t.me/s/{self.channel}",)
        return self.feeds + self.sitemaps + self.sections

    @property
    def poll_ceiling(self) -> int:
        """The longest adaptive interval, in minutes. A quiet outlet's next item is still news: an outlet
        with a feed or sitemap is read at least every 15 minutes (a conditional GET answered 304 is
        nearly free); one with section pages only, whose every poll re-reads whole pages, hourly."""
        if self.max_poll_minutes is not None:
            return self.max_poll_minutes
        return FEED_CEILING if (self.feeds or self.sitemaps or self.kind == "telegram") else SECTION_CEILING


FEED_CEILING = 15
SECTION_CEILING = 60


_FIELDS = {"id", "name", "home", "feeds", "sitemaps", "sections", "link_pattern", "lang", "country",
           "utc_offset_hours", "poll_minutes", "adaptive", "poll_min_minutes", "max_poll_minutes",
           "poll_max_minutes", "enabled", "extract", "kind", "channel"}
KINDS = ("web", "telegram")
_WEB_ONLY = ("feeds", "sitemaps", "sections", "link_pattern", "extract")


class _LineLoader(yaml.SafeLoader):
    """SafeLoader that remembers the line of each mapping, for error messages."""


class _FastLineLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """The same on libyaml's parser, ~5x faster on the gazetteer; its error positions differ
    from the pure-Python parser's, so a file that fails is read again by _LineLoader."""


def _construct_mapping(loader: yaml.SafeLoader, node: yaml.MappingNode) -> dict[str, Any]:
    mapping = loader.construct_mapping(node, deep=True)
    mapping["__line__"] = node.start_mark.line + 1
    return mapping


for _loader in (_LineLoader, _FastLineLoader):
    _loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def load_yaml(text: str, source: str) -> Any:
    """yaml.safe_load with mapping lines kept under '__line__' and errors as ConfigError."""
    try:
        return yaml.load(text, Loader=_FastLineLoader)  # noqa: S506 - SafeLoader subclass
    except yaml.YAMLError:
        pass
    try:
        return yaml.load(text, Loader=_LineLoader)  # noqa: S506 - SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        raise ConfigError(f"invalid YAML: {problem}", source=source,
                          line=mark.line + 1 if mark else None,
                          column=mark.column + 1 if mark else None) from None


def parse_outlets(text: str, source: str = "outlets.yaml") -> tuple[Outlet, ...]:
    data = load_yaml(text, source)
    if not isinstance(data, dict) or not isinstance(data.get("outlets"), list):
        raise ConfigError("expected a mapping with an 'outlets:' list", source=source, line=1)
    outlets, seen = [], set()
    for entry in data["outlets"]:
        line = entry.get("__line__") if isinstance(entry, dict) else None
        outlet = _outlet(entry, source)
        if outlet.id in seen:
            raise ConfigError(f"duplicate outlet id {outlet.id!r}", source=source, line=line)
        seen.add(outlet.id)
        outlets.append(outlet)
    return tuple(outlets)


def _outlet(entry: Any, source: str) -> Outlet:
    if not isinstance(entry, dict):
        raise ConfigError("each outlet must be a mapping", source=source)
    line = entry.pop("__line__", None)
    unknown = set(entry) - _FIELDS
    if unknown:
        raise ConfigError(f"unknown field(s) {', '.join(sorted(unknown))}", source=source, line=line)
    _check_kind(entry, source, line)
    for required in ("id", "name", "home"):
        if not entry.get(required):
            raise ConfigError(f"outlet needs '{required}'", source=source, line=line)
    try:
        extract = dict(entry.pop("extract", None) or {})
        extract.pop("__line__", None)
        overrides = ExtractOverrides(body_xpath=extract.get("body_xpath"),
                                     drop_patterns=tuple(extract.get("drop_patterns") or ()))
        _check_overrides(overrides)
        lists = {k: tuple(entry.pop(k, None) or ()) for k in ("feeds", "sitemaps", "sections")}
        _old_ceiling_key(entry)
        outlet = Outlet(**entry, **lists, extract=overrides)
        bounds = (outlet.poll_min_minutes, outlet.poll_minutes, outlet.poll_ceiling)
        if not all(isinstance(b, int) and not isinstance(b, bool) and b >= 1 for b in bounds):
            raise ValueError("poll_minutes, poll_min_minutes and max_poll_minutes must be positive integers")
        if outlet.poll_min_minutes > outlet.poll_ceiling:
            raise ValueError(f"poll_min_minutes is above the ceiling max_poll_minutes ({outlet.poll_ceiling})")
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"outlet {entry.get('id')!r}: {exc}", source=source, line=line) from None
    except ConfigError as exc:
        raise ConfigError(f"outlet {entry.get('id')!r}: {exc.reason}", source=source, line=line) from None
    return outlet


def _old_ceiling_key(entry: dict[str, Any]) -> None:
    """`poll_max_minutes`, the ceiling's name before `max_poll_minutes`, is still read (the new name wins)."""
    old = entry.pop("poll_max_minutes", None)
    if old is not None and entry.get("max_poll_minutes") is None:
        entry["max_poll_minutes"] = old


def _check_kind(entry: dict, source: str, line: int | None) -> None:
    """A telegram outlet names its channel and nothing of a web site's; its home defaults to the channel's page."""
    from extractors.telegram import valid_channel

    kind, name = entry.get("kind", "web"), entry.get("id")
    if kind not in KINDS:
        raise ConfigError(f"outlet {name!r}: kind must be one of {', '.join(KINDS)}, not {kind!r}",
                          source=source, line=line)
    if kind == "web":
        if "channel" in entry:
            raise ConfigError(f"outlet {name!r}: 'channel' is for kind: telegram", source=source, line=line)
        return
    channel = entry.get("channel")
    if not isinstance(channel, str) or not valid_channel(channel):
        raise ConfigError(f"outlet {name!r}: kind telegram needs 'channel': the channel's username (5-32 letters, "
                          f"digits or _, starting with a letter, as in t.me/NAME), got {channel!r}",
                          source=source, line=line)
    wrong = [key for key in _WEB_ONLY if key in entry]
    if wrong:
        raise ConfigError(f"outlet {name!r}: {', '.join(wrong)} not used by kind telegram (its posts come from "
                          f"t.me/s/{channel})", source=source, line=line)
    entry.setdefault("home", f"https://t.me/{channel}")


def _check_overrides(overrides: ExtractOverrides) -> None:
    """A bad body_xpath or drop pattern fails when the file loads, not on every page."""
    from extractors.article_text import check_overrides

    check_overrides(overrides)
