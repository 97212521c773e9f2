"""Starting the page server: `rasid web` in the foreground, `rasid serve` in a thread beside its schedules.

The archive is opened read-only (storage.db.read_only_engine). If its schema is behind this rasid,
it is migrated first through the ordinary engine, as every command does; a schema at head is
never opened for writing.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from sqlalchemy.engine import Engine

from extractors.errors import ConfigError
from flows.settings import Settings

LOOPBACK = ("127.0.0.1", "::1", "localhost")


def open_archive(settings: Settings) -> Engine:
    """The read-only engine over the configured archive, its schema brought to head if needed."""
    from storage import migrate
    from storage.db import init_db, read_only_engine

    engine = read_only_engine(settings)
    if migrate.current(engine) != migrate.head():
        init_db(settings)
    return engine


def build_app(settings: Settings):
    from flows.web.app import create_app
    from flows.web.site import Site

    return create_app(Site.load(settings), open_archive(settings))


def web_server(settings: Settings, host: str, port: int):
    """A uvicorn server over the page app, not yet running; ConfigError if the port is taken."""
    import uvicorn

    from flows.ops.local_prefect import port_is_free

    if not port_is_free(port, "127.0.0.1" if host in ("0.0.0.0", "::") else host):
        raise ConfigError(f"port {port} is in use: choose another with --port or the setting web.port",
                          source="web")
    config = uvicorn.Config(build_app(settings), host=host, port=port, log_level="warning", lifespan="off",
                            server_header=False)
    return uvicorn.Server(config)


def is_loopback(host: str) -> bool:
    return host in LOOPBACK or host.startswith("127.")


def page_url(host: str, port: int) -> str:
    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    return f"http://{'[' + shown + ']' if ':' in shown else shown}:{port}"


@dataclass
class BackgroundWeb:
    """The page server in a daemon thread (for `rasid serve`); stop() ends it."""

    server: object
    thread: threading.Thread

    @classmethod
    def start(cls, settings: Settings, host: str, port: int, timeout_s: float = 30.0) -> "BackgroundWeb":
        import time

        server = web_server(settings, host, port)
        thread = threading.Thread(target=server.run, name="rasid-web", daemon=True)
        thread.start()
        deadline = time.monotonic() + timeout_s
        while not server.started and thread.is_alive() and time.monotonic() < deadline:
            time.sleep(0.05)
        if not server.started:
            raise ConfigError(f"the findings page did not start on {page_url(host, port)}", source="web")
        return cls(server, thread)

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)
