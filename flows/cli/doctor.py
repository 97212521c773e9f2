"""`rasid doctor`: check an installation before trusting it to run unattended."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Optional

import typer

from flows.cli.app import ConfigOption, app, console, settings_from, user_errors


@app.command()
def doctor(config: Optional[Path] = ConfigOption,
           network: bool = typer.Option(False, "--network", help="Also fetch every source of every enabled outlet "
                                        "(through the same guarded fetcher a poll uses)."),
           as_json: bool = typer.Option(False, "--json", help="One JSON object per check, one per line.")) -> None:
    """Check the database (reachable, migrated), the Prefect API, channels, outlets and topics files.

    Prints one line per check and exits 1 if any failed. Secrets are masked: a channel shows only its scheme, a
    database URL hides its password.
    """
    from flows.ops import prefect_env
    from flows.ops.doctor import run_checks

    prefect_env.apply(quiet=True)
    with user_errors():
        settings = settings_from(config)
        checks = run_checks(settings, network=network, prefect_api_url=_configured_api_url())
    for check in checks:
        if as_json:
            print(json.dumps(check.to_dict(), ensure_ascii=False))
        else:
            mark = "[green]ok  [/]" if check.ok else "[bold red]FAIL[/]"
            console.print(f"{mark} {check.name}: {check.detail}", highlight=False, soft_wrap=True)
    if not all(c.ok for c in checks):
        sys.exit(1)


def _configured_api_url() -> str | None:
    """PREFECT_API_URL from the environment or the active Prefect profile."""
    from prefect.settings import PREFECT_API_URL

    return PREFECT_API_URL.value() or None
