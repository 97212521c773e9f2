"""`prefect server start` for `rasid serve`'s local server, with what rasid does not use turned off.

An idle `rasid serve` spent ~2 s of CPU a minute in its local Prefect server. Two causes,
both measured with bench/serve_costs.py (docs/operations.md):

- services rasid never needs: late-run marking (every 5 s), paused-run expiry (5 s), the
  worker "foreman" (15 s), cancellation clean-up of subflows (20 s) and the worker clean-up
  queue (5 s). `serve` has no workers, no subflows and never pauses a run. Kept: the scheduler,
  the concurrency-slot repossessor (a dead poll's outlet slot must come back), task-run recording
  and events (the dashboard), triggers (the zombie automation) and the events vacuum;
- the server's in-process task queue (docket over an in-memory Redis written in Python) checks
  for work every 250 ms. Perpetual services and background tasks still run, up to `CHECK`
  later: their own intervals are seconds to minutes. CHECK is 1 s, not more (see it): with 5 s
  (and, apart, with the scheduler's recent-deployments loop at 30 s) serve's first polls were
  still not scheduled five minutes after start (bench/serve_costs.py, 2026-12-06).

Run as `python -m flows.ops.lean_server [prefect server start options]`; a user's own
PREFECT_SERVER_SERVICES_* variables win (flows/ops/local_prefect.py).
"""

from __future__ import annotations

import sys
from datetime import timedelta

# The scheduler's check for newly made deployments (serve makes its own at start) runs every 5 s and
# looks back 6 s; a task may start up to CHECK late, so 5 s + CHECK must stay within those 6 s, or a
# new deployment can fall between two checks and serve's schedules never start.
CHECK = timedelta(seconds=1)

SERVICES_OFF = {
    "PREFECT_SERVER_SERVICES_LATE_RUNS_ENABLED": "false",
    "PREFECT_SERVER_SERVICES_PAUSE_EXPIRATIONS_ENABLED": "false",
    "PREFECT_SERVER_SERVICES_FOREMAN_ENABLED": "false",
    "PREFECT_SERVER_SERVICES_CANCELLATION_CLEANUP_ENABLED": "false",
    "PREFECT_SERVER_SERVICES_CLEANUP_RECONCILER_ENABLED": "false",
}


def patch_task_queue(check: timedelta = CHECK) -> None:
    """Make docket's Worker poll its queue every `check` instead of every 250 ms (unless told otherwise)."""
    from docket import worker

    original = worker.Worker.__init__
    if getattr(original, "_rasid_lean", False):
        return

    def lean_init(self, *args, **kwargs) -> None:
        kwargs.setdefault("minimum_check_interval", check)
        kwargs.setdefault("scheduling_resolution", check)
        original(self, *args, **kwargs)

    lean_init._rasid_lean = True  # type: ignore[attr-defined]
    worker.Worker.__init__ = lean_init


def main() -> None:
    patch_task_queue()
    from prefect.cli import app

    sys.argv = ["prefect", "server", "start", *sys.argv[1:]]
    sys.exit(app())


if __name__ == "__main__":
    main()
