"""Commands for fetching one URL and discovering an outlet's feeds: `rasid fetch`, `rasid outlets discover`."""

from __future__ import annotations

import asyncio
import json
import sys
import time
from pathlib import Path
from typing import Any, Optional

import typer

from flows.cli.app import ConfigOption, app, console, err_console, outlets_app, settings_from, user_errors


@app.command("fetch")
def fetch_command(
    url: str = typer.Argument(..., help="http(s) URL to fetch with rasid's limits, address guard and robots.txt."),
    config: Optional[Path] = ConfigOption,
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object (url, final_url, status, bytes, "
                                 "content_type, encoding, elapsed_s, error)."),
    show_text: bool = typer.Option(False, "--text", help="Also print the decoded text (not with --json)."),
) -> None:
    """Fetch one URL as a poll would, and report what came back; exit 1 on error."""
    with user_errors():
        settings = settings_from(config)
    report, text = asyncio.run(_fetch_report(settings.fetch, url))
    if as_json:
        print(json.dumps(report, ensure_ascii=False))
    elif report["error"] is None:
        console.print(f"[green]{report['status']}[/] {report['final_url']} · {report['bytes']} bytes · "
                      f"{report['content_type']} · {report['encoding']} · {report['elapsed_s']} s",
                      highlight=False, markup=True)
        if show_text and text:
            console.print(text, markup=False, highlight=False)
    else:
        err_console.print(f"[bold red]error[/] ({report['error']['kind']}): {report['error']['message']}",
                          highlight=False)
    if report["error"] is not None:
        sys.exit(1)


async def _fetch_report(fetch_settings: Any, url: str) -> tuple[dict[str, Any], str | None]:
    from extractors.errors import RasidError
    from extractors.urls import redact_url
    from flows.fetch.client import Fetcher

    report: dict[str, Any] = {"url": redact_url(url), "final_url": None, "status": None, "bytes": None,
                              "content_type": None, "encoding": None, "elapsed_s": None, "error": None}
    started = time.monotonic()
    try:
        async with Fetcher(fetch_settings) as fetcher:
            result = await fetcher.get(url)
    except RasidError as exc:
        report.update(error={"kind": exc.kind, "message": str(exc)}, status=getattr(exc, "status", None),
                      elapsed_s=round(time.monotonic() - started, 3))
        return report, None
    report.update(final_url=redact_url(result.final_url), status=result.status, bytes=len(result.body),
                  content_type=result.content_type, encoding=result.encoding, elapsed_s=round(result.elapsed_s, 3))
    return report, result.text


@outlets_app.command("discover")
def discover_command(
    url: str = typer.Argument(..., help="The outlet's home page."),
    outlet_id: Optional[str] = typer.Option(None, "--id", help="id for the entry (default: from the host name)."),
    config: Optional[Path] = ConfigOption,
    check: bool = typer.Option(True, "--check/--no-check", help="Fetch each proposed feed and keep only those "
                               "that parse with at least one item."),
) -> None:
    """Find the feeds a home page advertises (and sitemaps in robots.txt); print a proposed outlets.yaml entry."""
    import yaml

    with user_errors():
        settings = settings_from(config)
        entry, notes = asyncio.run(_propose(settings.fetch, url, outlet_id, check))
    for note in notes:
        err_console.print(f"[yellow]note[/]: {note}", highlight=False)
    print(yaml.safe_dump({"outlets": [entry]}, allow_unicode=True, sort_keys=False), end="")


async def _propose(fetch_settings: Any, url: str, outlet_id: str | None,
                   check: bool) -> tuple[dict[str, Any], list[str]]:
    from flows.fetch.client import Fetcher
    from flows.pipeline.autodiscover import propose_outlet

    async with Fetcher(fetch_settings) as fetcher:
        return await propose_outlet(fetcher, url, outlet_id, check=check)


@outlets_app.command("status")
def status_command(
    config: Optional[Path] = ConfigOption,
    as_json: bool = typer.Option(False, "--json", help="Print a JSON list instead of the table."),
) -> None:
    """Health of each outlet: last success, failures (fractional), items per day, adaptive interval, last error."""
    from rich.table import Table

    with user_errors():
        rows = _status_rows(settings_from(config))
    if as_json:
        print(json.dumps(rows, ensure_ascii=False, default=str))
        return
    table = Table("outlet", "health", "last success (UTC)", "failures", "items/day (7d)", "usual/day (30d)",
                  "next poll (min)", "last error")
    for row in rows:
        last = row["last_success"]
        table.add_row(row["id"], row["health"], f"{last:%Y-%m-%d %H:%M}" if last else "-", f"{row['failures']:.2f}",
                      f"{row['items_per_day_7d']:.1f}", f"{row['items_per_day_30d']:.1f}",
                      f"{row['poll_minutes']:.0f}", (row["last_error"] or "")[:80])
    console.print(table)


def _status_rows(settings: Any) -> list[dict[str, Any]]:
    """One dict per configured outlet, from the stored outlet state and article dates (read-only)."""
    from datetime import datetime, timedelta, timezone

    from sqlmodel import Session, func, select

    from flows.pipeline.discover import outlet_health, poll_interval_minutes
    from flows.pipeline.watch import load_outlets
    from storage.db import init_db
    from storage.models import Article, OutletState

    now = datetime.now(timezone.utc)
    outlets = load_outlets(settings.outlets_file)
    with Session(init_db(settings)) as session:
        states = {s.id: s for s in session.exec(select(OutletState)).all()}
        since = now - timedelta(days=30)
        dates: dict[str, list[datetime]] = {}
        for outlet_id, published in session.exec(select(Article.outlet_id, Article.published)
                                                 .where(Article.published >= since)).all():
            dates.setdefault(outlet_id, []).append(published)
        newest = dict(session.exec(select(Article.outlet_id, func.max(Article.published))
                                   .group_by(Article.outlet_id)).all())
    rows = []
    for outlet in outlets:
        state, recent = states.get(outlet.id), dates.get(outlet.id, [])
        week = [d for d in recent if (d if d.tzinfo else d.replace(tzinfo=timezone.utc)) >= now - timedelta(days=7)]
        usual_gap = timedelta(days=30) / len(recent) if recent else None
        rows.append({
            "id": outlet.id, "enabled": outlet.enabled,
            "health": outlet_health(state.failures if state else 0.0, state.last_success if state else None,
                                    newest.get(outlet.id), now, usual_gap),
            "last_polled": state.last_polled if state else None, "last_success": state.last_success if state else None,
            "failures": state.failures if state else 0.0, "last_error": state.last_error if state else None,
            "items_per_day_7d": len(week) / 7, "items_per_day_30d": len(recent) / 30,
            "poll_minutes": poll_interval_minutes(recent, now, minimum=5, maximum=360)})
    return rows
