"""Shared fixtures: real loopback servers, real databases, one Prefect harness per session."""

from __future__ import annotations

import os
import uuid
from contextlib import contextmanager
from pathlib import Path

import pytest

from flows.ops import prefect_env

prefect_env.apply(quiet=True)

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
PG_ADMIN_URL = os.environ.get("RASID_TEST_PG", "postgresql://postgres@127.0.0.1:5432/postgres")


@pytest.fixture(scope="session")
def prefect_harness():
    """A temporary Prefect API for the whole session (it takes ~17 s to start here)."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield


@pytest.fixture
def replay():
    from flows.replay.demo import REPLAY_DIR
    from flows.replay.servers import ReplayServer

    server = ReplayServer(REPLAY_DIR, "wave1")
    yield server
    server.close()


@pytest.fixture
def sink():
    from flows.replay.servers import AlertSink

    server = AlertSink()
    yield server
    server.close()


@pytest.fixture
def demo_settings(tmp_path, replay, sink):
    """Settings that poll the replica into a fresh SQLite file and deliver to the sink."""
    from flows.replay.demo import demo_settings as make

    return make(tmp_path / "state", replay, sink)


def _pg_available() -> bool:
    try:
        import psycopg

        with psycopg.connect(PG_ADMIN_URL, connect_timeout=3):
            return True
    except Exception:  # noqa: BLE001 - any failure means "no server here"
        return False


@contextmanager
def pg_database():
    """A fresh PostgreSQL database, dropped afterwards (skips the test when no server runs)."""
    import psycopg

    from storage.db import dispose_engines

    if not _pg_available():
        pytest.skip("PostgreSQL is not running on 127.0.0.1:5432")
    name = f"rasid_test_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    finally:
        dispose_engines()
        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def pg_url():
    """A fresh PostgreSQL database for one test."""
    with pg_database() as url:
        yield url


@pytest.fixture
def smtp_sink():
    """A real SMTP server (aiosmtpd) on 127.0.0.1; `.messages` holds what it received."""
    import email
    import socket

    from aiosmtpd.controller import Controller

    class Inbox:
        def __init__(self):
            self.messages = []

        async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd hook name
            self.messages.append(email.message_from_bytes(envelope.content))
            return "250 OK"

    with socket.socket() as probe:  # aiosmtpd needs a concrete port to check readiness
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    inbox.url = (f"mailto://127.0.0.1:{port}?from=rasid@example.org&to=analyst@example.org"
                 f"&smtp=127.0.0.1&mode=insecure")
    yield inbox
    controller.stop()
