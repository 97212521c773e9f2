"""Helpers for the operations tests: settings files for the replica, free ports, bounded waits."""

from __future__ import annotations

import socket
import sys
import time
from pathlib import Path
from typing import Callable, TypeVar

import yaml

from flows.replay.demo import REPLAY_DIR

T = TypeVar("T")


def replay_settings_file(path: Path, *, replay_url: str, sink_url: str, state_dir: Path,
                         database_url: str | None = None, **extra) -> Path:
    """A settings YAML that polls the replica and delivers to the sink, as an operator would write it."""
    data = {"state_dir": str(state_dir), "outlets_file": str(REPLAY_DIR / "outlets.yaml"),
            "channels": {"default": sink_url},
            "fetch": {"replay_url": replay_url, "allow_networks": ["127.0.0.1/32"], "per_host_delay_s": 0.0,
                      "per_host_concurrency": 4, "retries": 0},
            **extra}
    if database_url:
        data["database_url"] = database_url
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def rasid_command() -> list[str]:
    """The `rasid` command of this environment, as an operator runs it."""
    script = Path(sys.executable).with_name("rasid")
    return [str(script)] if script.exists() else [sys.executable, "-c", "from flows.cli import app; app()"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until(what: Callable[[], T], timeout_s: float, step_s: float = 0.5, failure: str = "") -> T:
    """Poll `what` until it returns something truthy; a bound against hangs, not a speed assertion."""
    deadline = time.monotonic() + timeout_s
    while True:
        value = what()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up after {timeout_s:.0f} s: {failure}")
        time.sleep(step_s)
