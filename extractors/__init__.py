"""Pure functions of rasid: text and bytes in, frozen dataclasses out.

Nothing here does network, database or Prefect work (a test checks that importing
this package imports none of prefect, httpx or sqlmodel).
"""

from extractors.errors import ConfigError, PermanentError, RasidError, TransientError

__all__ = ["ConfigError", "PermanentError", "RasidError", "TransientError"]
