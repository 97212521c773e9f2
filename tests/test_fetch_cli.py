"""`rasid fetch URL --json` and `rasid outlets discover URL`, run through the real command line."""

import json

import pytest
import yaml
from typer.testing import CliRunner

from flows.cli import app
from hostile_server import HostileServer

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
