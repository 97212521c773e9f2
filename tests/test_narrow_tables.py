"""`rasid outlets status` and `rasid runs` in an 80-column terminal: every cell whole (wrapped at a space
if it must), none cut to "…", no line wider than the terminal. Run as a user runs them (a process
with COLUMNS=80), on a real SQLite archive written through the repository functions."""

from __future__ import annotations

import os
import re
import subprocess
from datetime import datetime, timezone

import pytest
import yaml
from ops_support import rasid_command
from sqlmodel import Session

from flows.replay.demo import REPLAY_DIR
from storage.db import init_db
from storage.models import PollRun
from storage.repo import OutletPoll, record_outlet_poll

IDS = [o["id"] for o in yaml.safe_load((REPLAY_DIR / "outlets.yaml").read_text("utf-8"))["outlets"]]
ERROR = "permanent: HTTP 404 Not Found for https://www.independentarabia.com/rss.xml after 3 attempts"


@pytest.fixture
def config(tmp_path):
    settings = tmp_path / "settings.yaml"
    settings.write_text(yaml.safe_dump({"state_dir": str(tmp_path), "outlets_file": str(REPLAY_DIR / "outlets.yaml")}))
    with Session(init_db(f"sqlite:///{tmp_path / 'rasid.db'}")) as session:
        for outlet_id in IDS[:-2]:
            record_outlet_poll(session, outlet_id, outlet_id, OutletPoll({}, 0, 1, None, "ok", None))
        record_outlet_poll(session, IDS[-2], IDS[-2], OutletPoll({}, 1, 1, ERROR, "gone", None))   # failing
        counts = {o: {"discovered": 120, "fetched": 48, "stored": 47, "matched": 12, "alerts": 3, "failed": 1}
                  for o in IDS}
        for status in ("completed", "crashed"):
            session.add(PollRun(started=datetime(2026, 12, 5, 13, 11, tzinfo=timezone.utc), status=status,
                                finished=datetime(2026, 12, 5, 13, 12, tzinfo=timezone.utc),
                                counts={"outlets": counts}))
        session.commit()
    return settings


def at_80_columns(*args: str) -> str:
    done = subprocess.run([*rasid_command(), *args], capture_output=True, text=True, timeout=120,
                          env={**os.environ, "COLUMNS": "80"})
    assert done.returncode == 0, done.stderr
    assert "…" not in done.stdout, done.stdout
    assert max(len(line) for line in done.stdout.splitlines()) <= 80, done.stdout
    return done.stdout


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def test_outlets_status_fits_80_columns_with_every_cell_whole(config):
    out = at_80_columns("outlets", "status", "--config", str(config))
    rows = [line.split()[0] for line in out.splitlines() if line.split() and line.split()[0] in IDS]
    assert rows == IDS, out                                     # each id whole, on its row's first line
    assert "never polled" in out and "failing" in out
    today = datetime.now(timezone.utc).strftime("%Y-%m-%d")
    assert out.count(today) == len(IDS) - 2, out                # each last success whole (failing, new: none)
    assert f"{IDS[-2]}: {ERROR}" in flat(out)                   # the error in full, under the table


def test_runs_fits_80_columns_with_every_cell_whole(config):
    out = at_80_columns("runs", "--config", str(config))
    assert "completed" in out.split() and "crashed" in out.split() and "2026-12-05" in out.split()
    assert all(outlet_id in out.split() for outlet_id in IDS)
    assert out.split().count("47") == 2 * len(IDS)              # stored, for each outlet of both runs


def test_wide_shows_the_columns_left_out_at_80(config):
    runs = subprocess.run([*rasid_command(), "runs", "--wide", "--config", str(config)], capture_output=True,
                          text=True, timeout=120, env={**os.environ, "COLUMNS": "200"}).stdout
    assert "discovered" in runs and "fetched" in runs and runs.split().count("120") == 2 * len(IDS)
    status = subprocess.run([*rasid_command(), "outlets", "status", "--wide", "--config", str(config)],
                            capture_output=True, text=True, timeout=120, env={**os.environ, "COLUMNS": "200"}).stdout
    assert "last error" in status and ERROR in status and "last errors:" not in status
