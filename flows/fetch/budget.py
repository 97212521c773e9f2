"""One total time budget per URL, retries and their waits included.

A per-attempt deadline alone let a server dripping a byte a second hold a URL for
(retries + 1) × timeout_s plus backoff: over 60 s with the defaults. The budget bounds the
whole: each attempt gets at most what is left, and no retry starts once the wait before it
would spend the rest. Time queued behind other requests to the same host (politeness) is not
counted: it says nothing about this URL's server.
"""

from __future__ import annotations

import time


class UrlBudget:
    """Seconds one URL may still use; charged by the fetcher for attempts and backoff waits."""

    def __init__(self, total_s: float) -> None:
        self.total_s = total_s
        self.spent_s = 0.0
        self.attempts = 0

    def remaining(self) -> float:
        return self.total_s - self.spent_s

    def charge(self, seconds: float) -> None:
        self.spent_s += max(0.0, seconds)

    def allows_retry_after(self, delay_s: float) -> bool:
        """Whether waiting `delay_s` still leaves time for a useful attempt (a tenth of a second at least)."""
        return self.remaining() - delay_s > 0.1


class Stopwatch:
    """Charges the time spent inside `with` to a budget (None: nothing to charge)."""

    def __init__(self, budget: UrlBudget | None) -> None:
        self.budget = budget
        self.started = 0.0

    def __enter__(self) -> "Stopwatch":
        self.started = time.monotonic()
        return self

    def __exit__(self, *exc: object) -> None:
        if self.budget is not None:
            self.budget.charge(time.monotonic() - self.started)
