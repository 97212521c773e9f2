"""The one exception tree of rasid.

Callers catch by meaning: a TransientError may succeed if retried later (timeouts,
429, 5xx, a locked database); a PermanentError will not (404, a refused address, a
malformed topic file). "Not relevant" and "already stored" are results, never errors.
"""

from __future__ import annotations


class RasidError(Exception):
    """Root of every error rasid raises on purpose."""

    kind = "permanent"


class TransientError(RasidError):
    """Retrying later may help."""

    kind = "transient"


class PermanentError(RasidError):
    """Retrying will not help; the input or the target must change."""

    kind = "permanent"


class ConfigError(PermanentError):
    """A configuration or topic file is wrong; names the file and position."""

    def __init__(self, message: str, *, source: str | None = None,
                 line: int | None = None, column: int | None = None) -> None:
        self.source, self.line, self.column = source, line, column
        self.reason = message
        where = source or ""
        if line is not None:
            where += f":{line}" + (f":{column}" if column is not None else "")
        super().__init__(f"{where}: {message}" if where else message)
