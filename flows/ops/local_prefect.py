"""A real `prefect server` on 127.0.0.1, started and stopped by rasid.

Prefect's temporary (ephemeral) server runs no scheduler: deployments served against
it never get a scheduled run. So `rasid serve` without PREFECT_API_URL starts this
server (the UI included: the dashboard of flow runs) and stops it when it stops.
The deployment tests start one too.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx

from extractors.errors import ConfigError, TransientError

QUIET_ENV = {"PREFECT_SERVER_ANALYTICS_ENABLED": "false", "DO_NOT_TRACK": "1"}


def prefect_executable() -> str:
    """The `prefect` command of this environment (beside the running interpreter)."""
    beside = Path(sys.executable).with_name("prefect")
    return str(beside) if beside.exists() else (shutil.which("prefect") or "prefect")


def port_is_free(port: int, host: str = "127.0.0.1") -> bool:
    import socket

    with socket.socket() as s:
        return s.connect_ex((host, port)) != 0


def _die_with_parent() -> None:
    """Linux: the server gets SIGTERM if rasid is killed outright (its own session keeps it from Ctrl-C)."""
    if not sys.platform.startswith("linux"):
        return
    import ctypes

    PR_SET_PDEATHSIG = 1
    ctypes.CDLL("libc.so.6", use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


class LocalServer:
    """`prefect server start` in a child process; `api_url` once `start()` returned."""

    def __init__(self, port: int, *, home: Path | None = None, log_file: Path | None = None,
                 env: dict[str, str] | None = None, lean: bool = False) -> None:
        """`lean`: rasid serve's server, without the services and queue polling it does not need
        (flows/ops/lean_server.py); team set-ups and the deployment tests use the stock server."""
        self.port, self.home, self.log_file, self.lean = port, home, log_file, lean
        self.extra_env = env or {}
        self.process: subprocess.Popen | None = None

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api"

    @property
    def ui_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def address_env(self) -> dict[str, str]:
        """The server's own address in its settings. `prefect server start --port P` listens on P but
        tells its UI (`/ui-settings`) the API is at PREFECT_SERVER_API_PORT, 4200 by default, so on
        any other port every dashboard page said "Can't connect to Server API"."""
        return {"PREFECT_SERVER_API_HOST": "127.0.0.1", "PREFECT_SERVER_API_PORT": str(self.port)}

    def start(self, timeout_s: float = 120.0) -> "LocalServer":
        if not port_is_free(self.port):
            raise ConfigError(f"port {self.port} is in use: choose another with --port, or set PREFECT_API_URL "
                              "to the Prefect server already running there", source="serve")
        env = {**self._lean_defaults(), **os.environ, **QUIET_ENV, **self.extra_env, **self.address_env()}
        env.pop("PREFECT_API_URL", None)  # the server is not a client of anything
        if self.home:
            env["PREFECT_HOME"] = str(self.home)
        out = open(self.log_file, "ab") if self.log_file else subprocess.DEVNULL  # noqa: SIM115 - closed in stop
        self._out = out
        # its own session: a Ctrl-C in the terminal reaches rasid, which pauses its schedules
        # against this server before stopping it
        command = [sys.executable, "-m", "flows.ops.lean_server"] if self.lean else [prefect_executable(), "server",
                                                                                      "start"]
        self.process = subprocess.Popen([*command, "--host", "127.0.0.1", "--port", str(self.port)], env=env,
                                        stdout=out, stderr=subprocess.STDOUT,
                                        start_new_session=True, preexec_fn=_die_with_parent)
        self._wait_healthy(timeout_s)
        return self

    def _lean_defaults(self) -> dict[str, str]:
        """Services turned off for a lean server; below the environment, so a user's own setting wins."""
        if not self.lean:
            return {}
        from flows.ops.lean_server import SERVICES_OFF

        return dict(SERVICES_OFF)

    def _wait_healthy(self, timeout_s: float) -> None:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            code = self.process.poll()
            if code is not None:
                self.stop()
                raise TransientError(f"prefect server exited with code {code} while starting"
                                     + (f" (log: {self.log_file})" if self.log_file else ""))
            try:
                if httpx.get(self.api_url + "/health", timeout=2, trust_env=False).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.3)
        self.stop()
        raise TransientError(f"prefect server not healthy after {timeout_s:.0f} s")

    def stop(self, timeout_s: float = 20.0) -> None:
        process, self.process = self.process, None
        if process is not None and process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=timeout_s)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        if getattr(self, "_out", None) not in (None, subprocess.DEVNULL):
            self._out.close()

    def __enter__(self) -> "LocalServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
