"""Topic files and named term lists, parsed from YAML text the caller has read.

Every mistake is a ConfigError naming the file, line and column, including mistakes
inside a query written as a folded block (`query: >`), so an analyst can fix a topic
without reading a traceback.
"""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta, timezone
from dataclasses import dataclass
from typing import Any, Mapping, Sequence

import yaml

from extractors.errors import ConfigError
from extractors.query import Node, QuerySyntaxError, list_refs, parse_query, term_from_text

ALERT_MODES = ("instant", "digest", "both")
_ID_RE = re.compile(r"[a-z0-9][a-z0-9_-]*")
_REQUIRED = ("id", "title", "query")
_OPTIONAL = ("alert", "enabled", "channels", "description", "quiet_hours")


@dataclass(frozen=True)
class QuietHours:
    """A daily window ("22:00-07:00", local time of the analyst) when instant alerts wait.

    Alerts written during the window are released at its end; the digest is not held.
    """

    start: time
    end: time
    utc_offset_hours: float = 3.0  # Baghdad; "22:00-07:00 +04:00" sets another offset

    @classmethod
    def parse(cls, text: str) -> "QuietHours":
        match = re.fullmatch(r"\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*(?:([+-]\d{1,2})(?::?(\d{2}))?)?\s*", text)
        if not match:
            raise ValueError(f"expected HH:MM-HH:MM with an optional UTC offset such as +03:00, found {text!r}")
        h1, m1, h2, m2 = (int(g) for g in match.groups()[:4])
        if h1 > 23 or h2 > 23 or m1 > 59 or m2 > 59:
            raise ValueError(f"not a time of day in {text!r}")
        offset = 3.0
        if match.group(5):
            hours = int(match.group(5))
            offset = hours + (1 if hours >= 0 else -1) * int(match.group(6) or 0) / 60
        return cls(time(h1, m1), time(h2, m2), offset)

    def release(self, moment: datetime) -> datetime | None:
        """When an alert written at `moment` (aware) may go out: None if not inside the window."""
        zone = timezone(timedelta(hours=self.utc_offset_hours))
        local = moment.astimezone(zone)
        now, start, end = local.time(), self.start, self.end
        inside = (start <= now < end) if start <= end else (now >= start or now < end)
        if not inside:
            return None
        release = local.replace(hour=end.hour, minute=end.minute, second=0, microsecond=0)
        if release <= local:
            release += timedelta(days=1)
        return release.astimezone(timezone.utc)


@dataclass(frozen=True)
class Topic:
    id: str
    title: str
    query: str
    alert: str = "instant"
    enabled: bool = True
    channels: tuple[str, ...] = ()
    source: str = ""
    description: str = ""
    quiet_hours: QuietHours | None = None


def _compose(text: str, source: str) -> yaml.Node | None:
    try:
        return yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise ConfigError(f"invalid YAML: {exc.problem or exc.context}", source=source,
                          line=mark.line + 1 if mark else None,
                          column=mark.column + 1 if mark else None) from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"invalid YAML: {exc}", source=source) from None


def _fail(message: str, source: str, node: yaml.Node) -> ConfigError:
    return ConfigError(message, source=source, line=node.start_mark.line + 1, column=node.start_mark.column + 1)


def _mapping(root: yaml.Node | None, source: str, what: str) -> dict[str, tuple[yaml.Node, yaml.Node]]:
    """key -> (key node, value node) of a top-level YAML mapping."""
    if root is None:
        raise ConfigError(f"the file is empty: expected {what}", source=source, line=1, column=1)
    if not isinstance(root, yaml.MappingNode):
        raise _fail(f"expected {what}", source, root)
    out: dict[str, tuple[yaml.Node, yaml.Node]] = {}
    for key, value in root.value:
        if not isinstance(key, yaml.ScalarNode):
            raise _fail("expected a plain key", source, key)
        if key.value in out:
            raise _fail(f"key {key.value!r} appears twice", source, key)
        out[key.value] = (key, value)
    return out


def _scalar(node: yaml.Node, key: str, source: str) -> Any:
    if not isinstance(node, yaml.ScalarNode):
        raise _fail(f"{key}: expected a single value, not a list or mapping", source, node)
    return _construct(node)


def _construct(node: yaml.Node) -> Any:
    loader = yaml.SafeLoader("")
    try:
        return loader.construct_object(node, deep=True)
    finally:
        loader.dispose()


def _string(node: yaml.Node, key: str, source: str) -> str:
    value = _scalar(node, key, source)
    if not isinstance(value, str) or not value.strip():
        raise _fail(f"{key}: expected non-empty text", source, node)
    return value.strip()


def parse_topic(text: str, source: str, lists: Mapping[str, Sequence[str]] | None = None) -> Topic:
    """One topic from its YAML text; the query is parsed to prove it is valid.

    Given `lists`, an @name the lists do not define is an error at its place in the file.
    """
    fields = _mapping(_compose(text, source), source, "a mapping with id, title and query")
    for key, (key_node, _) in fields.items():
        if key not in _REQUIRED + _OPTIONAL:
            raise _fail(f"unknown key {key!r}; expected one of {', '.join(_REQUIRED + _OPTIONAL)}", source, key_node)
    for key in _REQUIRED:
        if key not in fields:
            raise ConfigError(f"missing key {key!r}", source=source, line=1, column=1)
    topic_id = _string(fields["id"][1], "id", source)
    if not _ID_RE.fullmatch(topic_id):
        raise _fail("id: expected lower-case letters, digits, - or _ (e.g. coalition-withdrawal)", source, fields["id"][1])
    query_node = fields["query"][1]
    query = _string(query_node, "query", source)
    tree = parse_query_at(query, query_node, text, source)
    if lists is not None:
        _check_list_refs(tree, lists, query, query_node, text, source)
    return Topic(
        id=topic_id,
        title=_string(fields["title"][1], "title", source),
        query=query,
        alert=_alert(fields, source),
        enabled=_bool(fields, "enabled", source, default=True),
        channels=_channels(fields, source),
        source=source,
        description=_string(fields["description"][1], "description", source) if "description" in fields else "",
        quiet_hours=_quiet(fields, source),
    )


def _check_list_refs(tree: Node, lists: Mapping[str, Sequence[str]], query: str, node: yaml.Node,
                     text: str, source: str) -> None:
    for ref in list_refs(tree):
        if ref.name not in lists:
            known = ", ".join("@" + name for name in sorted(lists)) or "none"
            line, column = _locate(text, node, query, ref.offset)
            raise ConfigError(f"unknown list @{ref.name} (lists defined: {known})", source=source,
                              line=line, column=column)


def _alert(fields: dict[str, tuple[yaml.Node, yaml.Node]], source: str) -> str:
    if "alert" not in fields:
        return "instant"
    value = _scalar(fields["alert"][1], "alert", source)
    if value not in ALERT_MODES:
        raise _fail(f"alert: expected one of {', '.join(ALERT_MODES)}, found {value!r}", source, fields["alert"][1])
    return value


def _quiet(fields: dict[str, tuple[yaml.Node, yaml.Node]], source: str) -> QuietHours | None:
    if "quiet_hours" not in fields:
        return None
    node = fields["quiet_hours"][1]
    try:
        return QuietHours.parse(_string(node, "quiet_hours", source))
    except ValueError as exc:
        raise _fail(f"quiet_hours: {exc}", source, node) from None


def _bool(fields: dict[str, tuple[yaml.Node, yaml.Node]], key: str, source: str, *, default: bool) -> bool:
    if key not in fields:
        return default
    value = _scalar(fields[key][1], key, source)
    if not isinstance(value, bool):
        raise _fail(f"{key}: expected true or false, found {value!r}", source, fields[key][1])
    return value


def _channels(fields: dict[str, tuple[yaml.Node, yaml.Node]], source: str) -> tuple[str, ...]:
    if "channels" not in fields:
        return ()
    node = fields["channels"][1]
    if isinstance(node, yaml.ScalarNode) and node.value and node.tag.endswith(":str"):
        return (node.value,)
    if not isinstance(node, yaml.SequenceNode):
        raise _fail("channels: expected a list of channel names", source, node)
    return tuple(_string(item, "channels", source) for item in node.value)


def parse_query_at(query: str, node: yaml.Node, text: str, source: str) -> Node:
    """Parse a query taken from a YAML value, reporting errors at their place in the file."""
    try:
        return parse_query(query, source=source)
    except QuerySyntaxError as exc:
        line, column = _locate(text, node, query, exc.offset)
        raise QuerySyntaxError(exc.reason, offset=exc.offset, source=source, line=line, column=column) from None


def _locate(text: str, node: yaml.Node, value: str, offset: int) -> tuple[int, int]:
    """File line/column of value[offset]: YAML folding only changes whitespace, so count the rest."""
    target = len(re.sub(r"\s", "", value[:offset].lstrip()))
    start, end = node.start_mark.index, node.end_mark.index
    raw = text[start:end]
    skip = 0
    if node.style in (">", "|"):
        skip = raw.find("\n") + 1
    elif node.style in ("'", '"'):
        skip = 1
    seen, last = 0, skip - 1
    for index in range(skip, len(raw)):
        if raw[index].isspace():
            continue
        if seen == target:
            return _line_col(text, start + index)
        seen, last = seen + 1, index
    return _line_col(text, start + last + 1)      # the end of the query: just after its last character


def _line_col(text: str, index: int) -> tuple[int, int]:
    before = text[:index]
    return before.count("\n") + 1, index - before.rfind("\n")


def parse_lists(text: str, source: str) -> dict[str, tuple[str, ...]]:
    """Named term lists (`bases: [عين الأسد, حرير, ...]`), used in queries as @bases."""
    root = _compose(text, source)
    if root is None:
        return {}
    lists: dict[str, tuple[str, ...]] = {}
    for name, (key_node, value_node) in _mapping(root, source, "a mapping of list name to terms").items():
        if not re.fullmatch(r"[A-Za-z0-9_-]+", name):
            raise _fail(f"list name {name!r}: expected letters, digits, _ or -", source, key_node)
        if not isinstance(value_node, yaml.SequenceNode) or not value_node.value:
            raise _fail(f"{name}: expected a non-empty list of terms", source, value_node)
        items = tuple(_list_item(item, name, source) for item in value_node.value)
        lists[name] = items
    return lists


def _list_item(node: yaml.Node, name: str, source: str) -> str:
    if not isinstance(node, yaml.ScalarNode):
        raise _fail(f"{name}: expected a term or phrase, not a list or mapping", source, node)
    item = str(_construct(node)).strip()

    def error(message: str, offset: int) -> QuerySyntaxError:
        return QuerySyntaxError(f"{name}: {message}", offset=offset, source=source,
                                line=node.start_mark.line + 1, column=node.start_mark.column + 1)

    term_from_text(item, 0, error, quoted=True)
    return item
