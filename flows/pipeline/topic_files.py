"""Topic files on disk: read every topic YAML of a directory, one precise error per bad file.

The single place topic files are loaded (the CLI's `topics check/explain/test`; suggested for
`flows.pipeline.watch` too). Parsing stays pure in extractors.topics; this module only reads files.
"""

from __future__ import annotations

from pathlib import Path

from extractors.errors import ConfigError
from extractors.topics import Topic, parse_topic
from flows.pipeline.watch import read_text


def load_topics_dir(directory: Path, lists: dict | None = None) -> tuple[tuple[Topic, ...], tuple[str, ...]]:
    """Every *.yaml / *.yml topic in `directory`: (topics, one `file:line:col: reason` per bad file).

    With `lists`, an @name they do not define is reported at its line and column. A repeated
    topic id is an error on the later file (files are read in name order).
    """
    directory = Path(directory)
    if not directory.is_dir():
        raise ConfigError("topics directory not found", source=str(directory))
    topics: list[Topic] = []
    errors: list[str] = []
    first_file: dict[str, Path] = {}
    for path in sorted(directory.glob("*.y*ml")):
        try:
            topic = parse_topic(read_text(path), str(path), lists)
        except ConfigError as exc:
            errors.append(str(exc))
        else:
            if topic.id in first_file:
                errors.append(f"{path}: topic id {topic.id!r} is already used by {first_file[topic.id]}")
            else:
                first_file[topic.id] = path
                topics.append(topic)
    return tuple(topics), tuple(errors)
