"""`rasid doctor` on real files, real databases and loopback servers: it finds what is broken, masks secrets."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from ops_support import free_port, replay_settings_file
from typer.testing import CliRunner

from flows.cli import app
from flows.ops.doctor import check_database, check_prefect, run_checks
from flows.settings import load_settings
from storage.db import init_db

runner = CliRunner()
SECRET = "s3cr3t-token-42"


@pytest.fixture
def config(tmp_path, replay, sink):
    """A healthy installation: migrated SQLite, the replica's outlets, the seed topics, the sink channel."""
    path = replay_settings_file(tmp_path / "settings.yaml", replay_url=replay.base_url, sink_url=sink.url(),
                                state_dir=tmp_path / "state")
    init_db(load_settings(path))
    return path


def _doctor(*args, env=None):
    """Run doctor as in a shell with no PREFECT_API_URL, even after this session's Prefect harness set one."""
    from prefect.settings import PREFECT_API_URL, temporary_settings

    with temporary_settings(restore_defaults={PREFECT_API_URL}):
        result = runner.invoke(app, ["doctor", *args], env={"PREFECT_API_URL": "", **(env or {})})
    lines = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    return result, {c["name"]: c for c in lines}


def test_healthy_installation_passes_every_check_network_included(config, replay):
    result, checks = _doctor("--config", str(config), "--network", "--json")
    assert result.exit_code == 0, result.output
    assert all(c["ok"] for c in checks.values()), checks
    assert {"database", "prefect", "channel default", "outlets", "topics"} <= set(checks)
    assert {f"outlet {o}" for o in ("erem", "almasalah", "alaraby", "thenewkhalij", "baghdadtoday")} <= set(checks)
    assert "local mode" in checks["prefect"]["detail"]
    assert any("rss" in path for path in replay.requests), "the outlets were really fetched"


def test_readable_output_is_one_line_per_check_and_never_shows_the_channel_url(config, sink):
    result = runner.invoke(app, ["doctor", "--config", str(config)], env={"PREFECT_API_URL": ""})
    assert result.exit_code == 0, result.output
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 5 and all(line.startswith("ok") for line in lines), lines
    assert sink.url() not in result.stdout and str(sink.server_address[1]) not in result.stdout
    assert "json://…" in result.stdout


def test_broken_parts_fail_with_exit_1_and_secrets_masked(tmp_path, replay, sink):
    topics = tmp_path / "topics"
    topics.mkdir()
    (topics / "broken.yaml").write_text("id: broken\ntitle: x\nquery: (التحالف AND\n", encoding="utf-8")
    outlets = tmp_path / "outlets.yaml"
    outlets.write_text("outlets:\n  - id: x\n    name: [unclosed\n", encoding="utf-8")
    path = replay_settings_file(tmp_path / "settings.yaml", replay_url=replay.base_url, sink_url=sink.url(),
                                state_dir=tmp_path / "state", topics_dir=str(topics), outlets_file=str(outlets))
    text = path.read_text(encoding="utf-8").replace("channels:\n", f"channels:\n  pager: nosuchscheme://{SECRET}@x\n")
    path.write_text(text, encoding="utf-8")

    result, checks = _doctor("--config", str(path), "--json")
    assert result.exit_code == 1
    assert SECRET not in result.stdout
    assert not checks["channel pager"]["ok"] and checks["channel pager"]["detail"].startswith("nosuchscheme://…")
    assert checks["channel default"]["ok"]
    assert not checks["topics"]["ok"] and "broken.yaml" in checks["topics"]["detail"]
    assert not checks["outlets"]["ok"] and "outlets.yaml" in checks["outlets"]["detail"]
    assert not checks["database"]["ok"] and "rasid db upgrade" in checks["database"]["detail"]
    assert not (tmp_path / "state" / "rasid.db").exists(), "doctor must not create the database it checks"


def test_unmigrated_database_is_reported_and_db_upgrade_fixes_it(tmp_path):
    settings = load_settings(None, state_dir=tmp_path)
    from storage.db import get_engine

    with get_engine(settings).begin() as conn:  # an empty file: reachable but never migrated
        conn.exec_driver_sql("CREATE TABLE unrelated (x INTEGER)")
    check = check_database(settings)
    assert not check.ok and "schema empty" in check.detail
    init_db(settings)
    assert check_database(settings).ok


def test_unreachable_postgres_fails_without_showing_the_password():
    settings = load_settings(None, database_url=f"postgresql://rasid:{SECRET}@127.0.0.1:{free_port()}/rasid")
    check = check_database(settings)
    assert not check.ok and "unreachable" in check.detail
    assert SECRET not in check.detail and "***" in check.detail


@pytest.mark.postgres
def test_migrated_postgres_passes(pg_url):
    settings = load_settings(None, database_url=pg_url)
    assert not check_database(settings).ok
    init_db(settings)
    assert check_database(settings).ok


class _Health(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 - stdlib name
        self.send_response(200 if self.path == "/api/health" else 404)
        self.send_header("Content-Length", "4")
        self.end_headers()
        self.wfile.write(b"true")

    def log_message(self, *args):
        pass


def test_prefect_api_reachable_or_not():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Health)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        assert check_prefect(f"http://127.0.0.1:{server.server_address[1]}/api").ok
    finally:
        server.shutdown()
        server.server_close()
    down = check_prefect(f"http://127.0.0.1:{free_port()}/api")
    assert not down.ok and "unreachable" in down.detail
    assert check_prefect(None).ok


def test_unreachable_outlet_source_fails_only_with_network(tmp_path, replay, sink):
    outlets = tmp_path / "outlets.yaml"
    outlets.write_text("outlets:\n  - id: gone\n    name: Gone\n    home: https://gone.example/\n"
                       "    feeds: [https://gone.example/rss.xml]\n", encoding="utf-8")
    settings = load_settings(replay_settings_file(tmp_path / "s.yaml", replay_url=replay.base_url,
                                                  sink_url=sink.url(), state_dir=tmp_path, outlets_file=str(outlets)))
    offline = {c.name: c for c in run_checks(settings)}
    assert "outlet gone" not in offline and offline["outlets"].ok
    online = {c.name: c for c in run_checks(settings, network=True)}
    assert not online["outlet gone"].ok and "gone.example/rss.xml" in online["outlet gone"].detail
