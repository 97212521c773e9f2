"""Operator commands: database migrations, recent poll runs, the alerts outbox."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer
from rich.table import Table

from flows.cli.app import ConfigOption, app, console, settings_from, user_errors

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
def runs(config: Optional[Path] = ConfigOption, limit: int = typer.Option(10, help="How many recent runs.")) -> None:
    """List recent poll runs with their counts per outlet (a run still 'running' long after it started crashed)."""
    from sqlmodel import Session, select

    from storage.db import init_db
    from storage.models import PollRun

    with user_errors():
        engine = init_db(settings_from(config))
        with Session(engine) as session:
            rows = session.exec(select(PollRun).order_by(PollRun.id.desc()).limit(limit)).all()
    table = Table("run", "started (UTC)", "status", "outlet", "discovered", "fetched", "stored", "matched",
                  "alerts", "failed")
    for run in rows:
        per_outlet = run.counts.get("outlets", {}) or {"-": {}}
        for outlet_id, c in per_outlet.items():
            table.add_row(str(run.id), f"{run.started:%Y-%m-%d %H:%M}", run.status, outlet_id,
                          *(str(c.get(k, "")) for k in ("discovered", "fetched", "stored", "matched", "alerts",
                                                        "failed")))
    console.print(table)


@alerts_app.command("list")
def alerts_list(config: Optional[Path] = ConfigOption,
                failed: bool = typer.Option(False, "--failed", help="Only alerts that gave up after retries."),
                limit: int = typer.Option(20, help="How many recent alerts.")) -> None:
    """Recent alerts with their delivery state (pending, sent, failed) and last error."""
    from sqlmodel import Session

    from storage import outbox
    from storage.db import init_db

    with user_errors():
        engine = init_db(settings_from(config))
        with Session(engine) as session:
            rows = outbox.recent_alerts(session, status="failed" if failed else None, limit=limit)
    table = Table("id", "topic", "channel", "kind", "status", "attempts", "title", "last error")
    for alert, article in rows:
        table.add_row(str(alert.id), alert.topic_id, alert.channel, alert.kind, alert.status, str(alert.attempts),
                      article.title[:60], (alert.last_error or "")[:60])
    console.print(table)


@app.command()
def serve(config: Optional[Path] = ConfigOption) -> None:
    """Run the poll (per group of outlets sharing an interval) and the alert relay on schedules, in this process.

    Stops cleanly on SIGTERM/SIGINT. Open the Prefect UI (`prefect server start`) to watch the runs.
    """
    from flows import prefect_env
    from flows.serve import interval_groups, serve_forever

    prefect_env.apply()
    with user_errors():
        settings = settings_from(config)
        for minutes, ids in interval_groups(settings).items():
            console.print(f"poll every {minutes} min: {', '.join(ids)}")
        serve_forever(settings, str(config) if config else None)
