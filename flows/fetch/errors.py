"""Errors of the fetcher, on both branches of the rasid error tree.

`except FetchError` catches every fetch failure; `except TransientError` only those worth
retrying later. Messages name the URL without credentials or query values.
"""

from __future__ import annotations

from extractors.errors import PermanentError, RasidError, TransientError
from extractors.urls import redact_url


class FetchError(RasidError):
    """A request failed; `url` is already redacted, `status` is the HTTP status if one came."""

    def __init__(self, reason: str, *, url: str | None = None, status: int | None = None,
                 retry_after_s: float | None = None) -> None:
        self.reason = reason
        self.url = redact_url(url) if url else None
        self.status = status
        self.retry_after_s = retry_after_s
        super().__init__(f"{self.url}: {reason}" if self.url else reason)


class TransientFetchError(FetchError, TransientError):
    """Timeouts, connection failures, 429, 5xx, a truncated body: retrying later may work."""


class PermanentFetchError(FetchError, PermanentError):
    """404, 410, refused address, robots.txt, too large, undecodable: retrying will not help."""


class RobotsUnavailable(TransientFetchError):
    """The site's robots.txt could not be read (5xx, timeout): RFC 9309 says assume "disallow all" for now."""


class FetchTimeout(TransientFetchError):
    """No complete answer within the deadline (slow connect, slow or dripping body)."""


class BudgetSpent(FetchTimeout):
    """The URL's total budget (fetch.url_budget_s, retries included) ran out before an answer came."""


class TruncatedBody(TransientFetchError):
    """The connection or a compressed stream ended before the body was complete."""


class AddressRefused(PermanentFetchError):
    """The host resolves only to addresses rasid may not contact (loopback, private, metadata...)."""


class Blocked(PermanentFetchError):
    """The site refuses us: 401/403/451 or a bot-challenge page (retrying as a bot will not pass it)."""


class RobotsDisallowed(PermanentFetchError):
    """The site's robots.txt forbids this URL to our user agent."""


class BodyTooLarge(PermanentFetchError):
    """The body (after decompression) is larger than fetch.max_bytes."""


class BadEncoding(PermanentFetchError):
    """An unknown, unsupported, corrupt or too deeply stacked Content-Encoding."""


class TooManyRedirects(PermanentFetchError):
    """More redirects than fetch.max_redirects, or a loop."""
