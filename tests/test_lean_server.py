"""The lean local server of `rasid serve` keeps what serve relies on: schedules, outlet slots that come back
from a dead poll, the zombie automation, the dashboard's task runs; and its task queue still runs work."""

from datetime import timedelta

from flows.ops.lean_server import CHECK, SERVICES_OFF, patch_task_queue
from flows.ops.local_prefect import LocalServer


def test_services_serve_relies_on_stay_on():
    off = " ".join(SERVICES_OFF).lower()
    for needed in ("scheduler", "repossessor", "triggers", "task_run_recorder", "event_persister"):
        assert needed not in off, needed


def test_a_users_own_service_setting_wins(monkeypatch):
    monkeypatch.setenv("PREFECT_SERVER_SERVICES_LATE_RUNS_ENABLED", "true")
    env = {**LocalServer(1, lean=True)._lean_defaults(), **dict(__import__("os").environ)}
    assert env["PREFECT_SERVER_SERVICES_LATE_RUNS_ENABLED"] == "true"
    assert LocalServer(1)._lean_defaults() == {}, "team and test servers are stock"


def test_the_task_queue_checks_less_often_unless_told():
    from docket import Docket
    from docket.worker import Worker

    original = Worker.__init__
    try:
        patch_task_queue()
        patch_task_queue()  # twice is harmless
        docket = Docket(name="lean-test", url="memory://")
        assert Worker(docket).minimum_check_interval == CHECK
        assert Worker(docket, minimum_check_interval=timedelta(seconds=1)).minimum_check_interval == \
            timedelta(seconds=1)
    finally:
        Worker.__init__ = original  # this process's own Prefect harness keeps docket's defaults
