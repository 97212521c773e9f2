"""Prefect defaults that make local mode work on a small offline machine.

Applied by the command line before Prefect is imported; a user's own PREFECT_*
variables always win.
"""

from __future__ import annotations

import os

DEFAULTS = {
    # a fresh PREFECT_HOME needs 21-23 s here; several processes at once exceeded 20 s
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "90",
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",  # offline: telemetry only logs errors
    "DO_NOT_TRACK": "1",
    # heartbeats every 30 s (Prefect's default is 180 s): the zombie automation marks a run
    # Crashed when they stop for 90 s (flows/ops/zombies.py), so slower ones would look dead
    "PREFECT_FLOWS_HEARTBEAT_FREQUENCY": "30",
}


def apply(quiet: bool = False) -> None:
    for name, value in DEFAULTS.items():
        os.environ.setdefault(name, value)
    if quiet:
        os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
