"""A dripping server (one byte a second, chunked) costs one URL budget, retries included, then a clear error."""

import asyncio
import json

import pytest
from hostile_server import HostileServer, LoopbackOnlyBackend
from typer.testing import CliRunner

from flows.cli import app
from flows.fetch.client import Fetcher
from flows.fetch.errors import BudgetSpent, FetchError
from flows.settings import FetchSettings


@pytest.fixture(scope="module")
def server():
    with HostileServer() as running:
        yield running


def failure(url: str, **settings) -> FetchError:
    async def go():
        base = dict(allow_networks=["127.0.0.1/32"], per_host_delay_s=0, backoff_s=0)
        async with Fetcher(FetchSettings(**{**base, **settings}), network_backend=LoopbackOnlyBackend()) as f:
            await f.get(url)
    with pytest.raises(FetchError) as caught:
        asyncio.run(go())
    return caught.value


def test_default_budget_is_twice_the_attempt_deadline():
    assert FetchSettings(timeout_s=20).url_budget == 40
    assert FetchSettings(timeout_s=20, url_budget_s=25).url_budget == 25


def test_a_dripping_server_stops_the_retries_when_the_budget_is_spent(server):
    before = server.hits["/drip-chunked"]
    exc = failure(server.url("/drip-chunked"), timeout_s=1.0, retries=5)
    assert isinstance(exc, BudgetSpent) and exc.kind == "transient"
    assert "budget" in exc.reason and "/drip-chunked" in str(exc)
    # five retries were allowed; the 2 s budget held two 1 s attempts
    assert server.hits["/drip-chunked"] - before == 2


def test_a_budget_larger_than_the_retries_need_changes_nothing(server):
    before = server.hits["/status"]
    exc = failure(server.url("/status?code=503&retry=0"), timeout_s=1.0, retries=2, url_budget_s=30)
    assert not isinstance(exc, BudgetSpent) and exc.status == 503
    assert server.hits["/status"] - before == 3


def test_rasid_fetch_reports_the_spent_budget(server):
    env = {"RASID_FETCH__ALLOW_NETWORKS": "127.0.0.1/32", "RASID_FETCH__PER_HOST_DELAY_S": "0",
           "RASID_FETCH__RETRIES": "4", "RASID_FETCH__BACKOFF_S": "0", "RASID_FETCH__TIMEOUT_S": "1",
           "RASID_FETCH__URL_BUDGET_S": "1.5"}
    before = server.hits["/drip-chunked"]
    out = CliRunner().invoke(app, ["fetch", server.url("/drip-chunked"), "--json"], env=env)
    assert out.exit_code == 1
    error = json.loads(out.stdout)["error"]
    assert error["kind"] == "transient" and "budget" in error["message"]
    assert server.hits["/drip-chunked"] - before == 2
