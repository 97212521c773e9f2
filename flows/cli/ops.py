"""Operator commands: database migrations, recent poll runs, the alerts outbox."""

from __future__ import annotations

import json
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, Optional

import typer
from rich.table import Table

from flows.cli.app import ConfigOption, app, console, fitting_table, settings_from, user_errors

db_app = typer.Typer(help="Database schema and maintenance.", no_args_is_help=True)
app.add_typer(db_app, name="db")
alerts_app = typer.Typer(help="The alerts outbox.", no_args_is_help=True)
app.add_typer(alerts_app, name="alerts")


@db_app.command("upgrade")
def db_upgrade(config: Optional[Path] = ConfigOption) -> None:
    """Migrate the database schema to the newest revision (poll and demo do this on their own)."""
    from storage import migrate
    from storage.db import get_engine

    with user_errors():
        engine = get_engine(settings_from(config))
        before = migrate.current(engine)
        after = migrate.upgrade(engine)
    console.print(f"schema: {before or 'empty'} → {after}")


@app.command()
def runs(config: Optional[Path] = ConfigOption, limit: int = typer.Option(10, min=1, help="How many recent runs."),
         as_json: bool = typer.Option(False, "--json", help="Print a JSON list of the runs, newest first."),
         wide: bool = typer.Option(False, "--wide", help="Every count (discovered and fetched too), the status in "
                                   "its own column; the default fits 80 columns.")) -> None:
    """List recent poll runs with their counts per outlet.

    Status: running, completed, or crashed (marked by the next poll when the process that ran it died; that poll
    also stored what the crashed one left). With --json each run also gives its Prefect flow run id.
    """
    from sqlmodel import Session, select

    from storage.db import init_db
    from storage.models import PollRun

    with user_errors():
        engine = init_db(settings_from(config))
        with Session(engine) as session:
            rows = session.exec(select(PollRun).order_by(PollRun.id.desc()).limit(limit)).all()
    if as_json:
        print(json.dumps([_run_dict(run) for run in rows], ensure_ascii=False, indent=2))
        return
    counts = _RUN_COUNTS if wide else _RUN_COUNTS[2:]
    own = ["run", "started\nUTC", "status"] if wide else ["run", "started\nUTC"]
    cells = []
    for run in rows:
        first = ([str(run.id), f"{run.started:%Y-%m-%d %H:%M}", run.status] if wide
                 else [f"{run.id} {run.status}", f"{run.started:%Y-%m-%d %H:%M}"])
        for outlet_id, c in (run.counts.get("outlets") or {"-": {}}).items():
            cells.append([*first, outlet_id, *(str(c.get(k, "")) for k in counts)])
            first = [""] * len(first)  # a run's own columns once, on its first outlet's row
    headers = [*own, "outlet", *counts]
    console.print(fitting_table(headers, cells, wrap=range(len(own)), numbers=range(len(own) + 1, len(headers))))


_RUN_COUNTS = ("discovered", "fetched", "stored", "matched", "alerts", "failed")


def _run_dict(run) -> dict:
    counts = run.counts or {}
    return {"id": run.id, "started": _iso(run.started), "finished": _iso(run.finished), "status": run.status,
            "flow_run_id": run.flow_run_id, "outlets": counts.get("outlets", {}),
            "alerts_sent": counts.get("sent"), "alerts_to_retry": counts.get("retried"),
            "alerts_failed": counts.get("failed_alerts"), "config_errors": counts.get("config_errors", []),
            "crashed": counts.get("crashed")}


def _iso(moment) -> str | None:
    from storage.repo import as_utc

    return as_utc(moment).isoformat() if moment else None


@alerts_app.command("list")
def alerts_list(config: Optional[Path] = ConfigOption,
                failed: bool = typer.Option(False, "--failed", help="Only alerts that gave up after retries."),
                limit: int = typer.Option(20, min=1, help="How many recent alerts."),
                as_json: bool = typer.Option(False, "--json", help="Print a JSON list of the alerts, newest first.")
                ) -> None:
    """Recent alerts with their delivery state (pending, sent, failed) and last error."""
    from sqlmodel import Session

    from storage import outbox
    from storage.db import init_db

    with user_errors():
        engine = init_db(settings_from(config))
        with Session(engine) as session:
            rows = outbox.recent_alerts(session, status="failed" if failed else None, limit=limit)
    if as_json:
        print(json.dumps([_alert_dict(alert, article) for alert, article in rows], ensure_ascii=False, indent=2))
        return
    table = Table("id", "topics", "channel", "kind", "status", "attempts", "title", "last error")
    for alert, article in rows:
        table.add_row(str(alert.id), ", ".join(alert.topics or [alert.topic_id]), alert.channel, alert.kind, alert.status, str(alert.attempts),
                      article.title[:60], (alert.last_error or "")[:60])
    console.print(table)


def _alert_dict(alert, article) -> dict:
    return {"id": alert.id, "topic": alert.topic_id, "topics": list(alert.topics or [alert.topic_id]), "channel": alert.channel, "kind": alert.kind,
            "status": alert.status, "attempts": alert.attempts, "created": _iso(alert.created),
            "next_attempt": _iso(alert.next_attempt) if alert.status == "pending" else None,
            "sent_at": _iso(alert.sent_at), "last_error": alert.last_error, "story_id": alert.story_id,
            "article": {"id": article.id, "title": article.title, "url": article.url, "outlet": article.outlet_id}}


@app.command()
def serve(config: Optional[Path] = ConfigOption,
          port: int = typer.Option(4200, help="Port of the local Prefect server (UI and API) started when "
                                   "PREFECT_API_URL is not set."),
          interval_seconds: Optional[int] = typer.Option(
              None, min=5, help="Poll every outlet at this interval instead of each outlet's "
              "poll_minutes and adaptive interval (for trying a set-up out)."),
          web_port: Optional[int] = typer.Option(None, "--web-port", min=1, max=65535, help="Port of the findings "
                                                 "page (default: setting web.port, 4280; web.with_serve=false: none)."),
          ) -> None:
    """Run the polls (per group of outlets sharing an interval), the alert relay (when a retry is due) and the
    digest on schedules.

    Without PREFECT_API_URL it starts a local Prefect server on 127.0.0.1:PORT, whose UI is the dashboard of runs
    (Prefect's temporary server has no scheduler), and stops it on exit. It also serves the findings page of
    `rasid web` on WEB_PORT. Stops cleanly on SIGTERM/SIGINT.
    """
    from flows.ops import prefect_env
    from flows.ops.serve import interval_groups, serve_forever

    prefect_env.apply()
    with user_errors():
        settings = settings_from(config)
        groups = interval_groups(settings)
        if interval_seconds:  # a try-out: one schedule for every outlet (flows/ops/serve.py)
            groups = {0: [outlet_id for ids in groups.values() for outlet_id in ids]}
        for minutes, ids in groups.items():
            every = f"{interval_seconds} s" if interval_seconds else f"{minutes} min"
            console.print(f"poll every {every}: {', '.join(ids)}")
        with _prefect_api(settings, port) as api_url, _findings_page(settings, web_port):
            from prefect.settings import PREFECT_API_URL, temporary_settings

            with temporary_settings({PREFECT_API_URL: api_url}):
                _watch_for_zombies()
                console.print("serving the schedules; stop with Ctrl-C or SIGTERM")
                serve_forever(settings, str(config.resolve()) if config else None, interval_seconds)


def _watch_for_zombies() -> None:
    """The server marks a run Crashed when its heartbeats stop (flows/ops/zombies.py); prefect_env.apply()
    made them frequent enough, and serve's runs are child processes that inherit it."""
    import asyncio

    from flows.ops.zombies import NAME, ensure_zombie_automation

    created = asyncio.run(ensure_zombie_automation())
    console.print(f"zombie runs: automation '{NAME}' {'created' if created else 'present'}")


@contextmanager
def _prefect_api(settings, port: int) -> Iterator[str]:
    """The configured Prefect API, else a local server kept for as long as `serve` runs."""
    from prefect.settings import PREFECT_API_URL

    configured = PREFECT_API_URL.value()
    if configured:
        console.print(f"Prefect API: {configured}")
        yield configured
        return
    from flows.ops.local_prefect import LocalServer

    settings.state_dir.mkdir(parents=True, exist_ok=True)
    log_file = settings.state_dir / "prefect-server.log"
    console.print(f"starting a local Prefect server (log: {log_file})…")
    with LocalServer(port, log_file=log_file, lean=True) as server:
        console.print(f"dashboard: {server.ui_url}  (other commands: PREFECT_API_URL={server.api_url})")
        yield server.api_url


@contextmanager
def _findings_page(settings, port: Optional[int]) -> Iterator[None]:
    """The page of `rasid web` in a thread of this process, for as long as `serve` runs."""
    if not settings.web.with_serve:
        yield
        return
    from flows.web.server import BackgroundWeb, page_url
    from storage.db import init_db

    init_db(settings)  # serve's polls create the archive anyway; the page opens it read-only
    host, port = settings.web.host, port or settings.web.port
    page = BackgroundWeb.start(settings, host, port)
    console.print(f"findings page: {page_url(host, port)}  (read-only)", highlight=False)
    try:
        yield
    finally:
        page.stop()


@alerts_app.command("test")
def alerts_test(channel: str = typer.Argument(..., help="Channel name (RASID_CHANNELS__<NAME>)."),
                config: Optional[Path] = ConfigOption) -> None:
    """Send a sample alert through one channel and say whether it was accepted (the URL is never shown)."""
    from flows.alerts.messages import AlertView, Renderer
    from flows.alerts.relay import Channels

    sample = AlertView(topic_ids=("test",), topic_titles=("اختبار قناة راصد",), title="رسالة تجريبية من راصد",
                       outlet="rasid", published="—", url="https://example.org/rasid-test",
                       snippet="هذه رسالة تجريبية للتأكد من وصول التنبيهات.", terms=("تجريبية",))
    with user_errors():
        channels = Channels(settings_from(config).channels)
        ok = channels.send(channel, *Renderer().render(sample))
    if not ok:
        console.print(f"[red]channel {channel!r} did not accept the test alert[/]")
        raise typer.Exit(1)
    console.print(f"[green]channel {channel!r} accepted the test alert[/]")
