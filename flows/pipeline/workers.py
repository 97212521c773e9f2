"""Several `rasid poll` processes at once on one database: how a team's workers behave.

Used by `rasid demo --workers N` and the concurrency tests. The children share one
Prefect API (the caller's, or a temporary server started here) so N processes do
not each start their own.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from sqlalchemy import func
from sqlmodel import Session, select

from storage.db import init_db
from storage.models import Alert, Article


@contextmanager
def shared_prefect_api() -> Iterator[str]:
    """The Prefect API URL children should use: the configured one, else a temporary local server."""
    from prefect.settings import PREFECT_API_URL

    configured = PREFECT_API_URL.value()
    if configured:
        yield configured
        return
    from prefect.server.api.server import SubprocessASGIServer

    server = SubprocessASGIServer()
    server.start(timeout=120)
    try:
        yield server.api_url
    finally:
        server.stop()


def poll_command(config: Path) -> list[str]:
    return [sys.executable, "-m", "flows.cli.main", "poll", "--config", str(config), "--json"]


def start_polls(config: Path, count: int, api_url: str) -> list[subprocess.Popen]:
    env = {**os.environ, "PREFECT_API_URL": api_url, "PREFECT_LOGGING_LEVEL": "WARNING"}
    return [subprocess.Popen(poll_command(config), env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True) for _ in range(count)]


def wait_all(processes: list[subprocess.Popen], timeout: float = 600) -> list[dict]:
    results = []
    for proc in processes:
        out, err = proc.communicate(timeout=timeout)
        if proc.returncode != 0:
            raise RuntimeError(f"poll process exited {proc.returncode}: {err.strip()[-2000:]}")
        results.append(json.loads(out.strip().splitlines()[-1]))
    return results


@dataclass(frozen=True)
class Duplicates:
    """What concurrency could have doubled: stored URLs and new-development alerts."""

    articles: int
    alerts: int

    @property
    def total(self) -> int:
        return self.articles + self.alerts


def count_duplicates(target) -> Duplicates:
    engine = init_db(target)
    with Session(engine) as session:
        urls = session.exec(select(Article.url, func.count()).group_by(Article.url).having(func.count() > 1)).all()
        alerts = session.exec(
            select(Alert.story_id, Alert.channel, func.count())
            .where(Alert.kind == "new").group_by(Alert.story_id, Alert.channel)
            .having(func.count() > 1)).all()
    return Duplicates(articles=sum(n - 1 for *_, n in urls), alerts=sum(n - 1 for *_, n in alerts))
