"""Commands for fetching one URL and discovering an outlet's feeds: `rasid fetch`, `rasid outlets discover`."""

from __future__ import annotations

import asyncio
import json
import sys
import time
from pathlib import Path
from typing import Any, Optional

import typer

from flows.cli.app import (ConfigOption, app, console, err_console, fitting_table, outlets_app, settings_from,
                           user_errors)


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
    wide: bool = typer.Option(False, "--wide", help="One table with every column (last poll, last error) instead "
                              "of a table that fits 80 columns with the last errors listed under it."),
) -> None:
    """Health of each outlet: last success, failures (fractional), items per day, adaptive interval and why
    (pace, ceiling, floor, quiet or fixed; `--json`: poll_why in words), last error."""
    with user_errors():
        rows = _status_rows(settings_from(config))
    if as_json:
        print(json.dumps(rows, ensure_ascii=False, default=str))
        return
    # the poll cell holds the interval and, under it, the bound or rule that set it (POLL_LEGEND)
    headers = ["outlet", "health", "last success\nUTC", "fail", "per\nday\n7d", "per\nday\n30d", "poll\nmin"]
    cells = [[row["id"], row["health"], _minute(row["last_success"]), f"{row['failures']:.2f}",
              f"{row['items_per_day_7d']:.1f}", f"{row['items_per_day_30d']:.1f}",
              f"{row['poll_minutes']:.0f}\n{row['poll_reason']}",
              *([_minute(row["last_polled"]), row["last_error"] or ""] if wide else [])]
             for row in rows]
    table = fitting_table(headers + (["last poll\nUTC", "last error"] if wide else []), cells,
                          wrap=(2, 7, 8), numbers=range(3, 7))
    console.print(table)
    console.print(POLL_LEGEND, highlight=False)
    errors = [row for row in rows if row["last_error"]]
    if errors and not wide:
        console.print("last errors:", highlight=False)
        for row in errors:
            console.print(f"  {row['id']}: {row['last_error']}", highlight=False, markup=False)


POLL_LEGEND = ("poll min: pace = as often as it publishes; ceiling, floor = held at max_poll_minutes, "
               "poll_min_minutes; quiet = nothing in 7 days, at the ceiling; fixed = adaptive: false")


def _minute(moment) -> str:
    return f"{moment:%Y-%m-%d %H:%M}" if moment else "-"


def _status_rows(settings: Any) -> list[dict[str, Any]]:
    """One dict per configured outlet, from the stored outlet state and article dates (read-only)."""
    from sqlmodel import Session

    from flows.ops.outlet_status import status_rows
    from storage.db import init_db

    with Session(init_db(settings)) as session:
        return status_rows(settings, session)
