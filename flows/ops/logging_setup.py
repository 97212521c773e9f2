"""Structured log lines: every line about an outlet names it, every line about a page names its URL.

Lines are logfmt (`outlet=erem url=https://… event="fetch failed" error="…"`), readable in
the Prefect UI and a terminal, and parseable by log tools. `configure(json=True)` turns
rasid's own loggers (`rasid.*`) into one JSON object per line for scripts.
"""

from __future__ import annotations

import json
import logging
import re
from typing import Any

_BARE = re.compile(r"^[^\s\"=]+$")
_URL = re.compile(r"(?P<url>[a-z][a-z0-9+.-]*://\S+?): (?P<rest>.*)$", re.S)


def _value(value: Any) -> str:
    text = str(value)
    return text if _BARE.match(text) else json.dumps(text, ensure_ascii=False)


def logfmt(event: str, **fields: Any) -> str:
    """`event` and the fields as one logfmt line; None fields are left out, outlet and url come first."""
    ordered = {k: fields.pop(k) for k in ("outlet", "url") if k in fields}
    ordered.update(fields)
    parts = [f"{key}={_value(v)}" for key, v in ordered.items() if v is not None]
    return " ".join(parts + [f"event={_value(event)}"])


def error_fields(error: str) -> dict[str, str]:
    """Split a pipeline error string ("[outlet X: ]URL: kind: message") into url and error."""
    found = _URL.search(error)
    if found:
        return {"url": found["url"], "error": found["rest"]}
    return {"error": error}


class JsonFormatter(logging.Formatter):
    """One JSON object per record: time, level, logger, message, and logfmt fields parsed out."""

    _PAIR = re.compile(r'(\w+)=("(?:[^"\\]|\\.)*"|\S+)')

    def format(self, record: logging.LogRecord) -> str:
        message = record.getMessage()
        data: dict[str, Any] = {"time": self.formatTime(record), "level": record.levelname, "logger": record.name}
        for key, raw in self._PAIR.findall(message):
            data[key] = json.loads(raw) if raw.startswith('"') else raw
        if "event" not in data:
            data["message"] = message
        return json.dumps(data, ensure_ascii=False)


def configure(level: str = "INFO", *, json_lines: bool = False) -> None:
    """A handler for rasid's own loggers (Prefect configures its loggers itself)."""
    logger = logging.getLogger("rasid")
    logger.setLevel(level)
    handler = logging.StreamHandler()
    handler.setFormatter(JsonFormatter() if json_lines else
                         logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
    logger.handlers = [handler]
    logger.propagate = False
