"""`rasid fetch URL --json` and `rasid outlets discover URL`, run through the real command line."""

import json

import pytest
import yaml
from hostile_server import HostileServer
from typer.testing import CliRunner

from flows.cli import app

ENV = {"RASID_FETCH__ALLOW_NETWORKS": "127.0.0.1/32", "RASID_FETCH__PER_HOST_DELAY_S": "0",
       "RASID_FETCH__RETRIES": "0", "RASID_FETCH__TIMEOUT_S": "1"}
KEYS = {"url", "final_url", "status", "bytes", "content_type", "encoding", "elapsed_s", "error"}


@pytest.fixture(scope="module")
def server():
    with HostileServer() as running:
        yield running


def run(*args):
    return CliRunner().invoke(app, list(args), env=ENV)


def test_fetch_json_success(server):
    out = run("fetch", server.url("/cp1256-nocharset"), "--json")
    assert out.exit_code == 0, out.output
    report = json.loads(out.stdout)
    assert set(report) == KEYS and report["error"] is None
    assert (report["status"], report["encoding"], report["content_type"]) == (200, "windows-1256", "text/html")


@pytest.mark.parametrize("path,kind", [("/status?code=404&token=s3cret", "permanent"), ("/drip", "transient"),
                                       ("/to?u=http://[::1]:1/", "permanent")])
def test_fetch_json_error_kinds_and_exit_code(server, path, kind):
    out = run("fetch", server.url(path), "--json")
    assert out.exit_code == 1
    report = json.loads(out.stdout)
    assert set(report) == KEYS and report["error"]["kind"] == kind
    assert "s3cret" not in out.stdout


def test_outlets_discover_prints_a_loadable_entry(server):
    out = run("outlets", "discover", server.url("/outlet/"), "--id", "local")
    assert out.exit_code == 0, out.output
    from extractors.outlets import parse_outlets

    (entry,) = parse_outlets(out.stdout)
    assert entry.id == "local" and entry.feeds == (server.url("/outlet/feed.xml"),)
    assert yaml.safe_load(out.stdout)["outlets"][0]["home"] == server.url("/outlet/")


def test_help_texts():
    assert "Fetch one URL" in run("fetch", "--help").stdout
    assert "feeds a home page advertises" in run("outlets", "discover", "--help").stdout


def test_outlets_status_reads_health_from_the_database(tmp_path):
    from datetime import datetime, timedelta, timezone

    from sqlmodel import Session

    from flows.settings import load_settings
    from storage.db import init_db
    from storage.models import Article, OutletState

    (tmp_path / "outlets.yaml").write_text(
        "outlets:\n" + "".join(f"  - {{id: {i}, name: {i}, home: 'https://{i}.example.com/'}}\n"
                               for i in ("busy", "dark", "quiet", "fresh")), encoding="utf-8")
    env = {"RASID_STATE_DIR": str(tmp_path / "state"), "RASID_OUTLETS_FILE": str(tmp_path / "outlets.yaml")}
    now = datetime.now(timezone.utc)
    engine = init_db(load_settings(state_dir=tmp_path / "state"))
    with Session(engine) as session:
        session.add(OutletState(id="busy", last_success=now, failures=0.0))
        session.add(OutletState(id="dark", last_success=now - timedelta(days=1), failures=1.5, last_error="HTTP 403"))
        session.add(OutletState(id="quiet", last_success=now, failures=0.0))
        for n in range(7 * 24):  # one article an hour for a week
            session.add(Article(url=f"https://busy.example.com/{n}", outlet_id="busy", content_hash=str(n),
                                published=now - timedelta(hours=n, minutes=5)))
        for n in range(20):  # busy until ten days ago, silent since
            session.add(Article(url=f"https://quiet.example.com/{n}", outlet_id="quiet", content_hash=f"q{n}",
                                published=now - timedelta(days=10, hours=12 * n)))
        session.commit()
    out = CliRunner().invoke(app, ["outlets", "status", "--json"], env=env)
    assert out.exit_code == 0, out.output
    rows = {row["id"]: row for row in json.loads(out.stdout)}
    assert {i: rows[i]["health"] for i in rows} == {"busy": "ok", "dark": "dark", "quiet": "stale",
                                                    "fresh": "never polled"}
    # no feed or sitemap: the ceiling is an hour; the quiet outlet is polled at it, and says why
    assert rows["busy"]["poll_minutes"] == pytest.approx(60, rel=0.02) and rows["busy"]["poll_ceiling"] == 60
    assert (rows["quiet"]["poll_minutes"], rows["quiet"]["poll_reason"]) == (60, "quiet")
    assert rows["busy"]["items_per_day_7d"] == pytest.approx(24, rel=0.02)
    table = CliRunner().invoke(app, ["outlets", "status"], env=env)
    assert table.exit_code == 0 and "dark" in table.stdout
