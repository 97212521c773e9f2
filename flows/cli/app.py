"""The Typer application and what every command shares: settings and error reporting."""

from __future__ import annotations

import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, Optional

import typer
from rich.console import Console

from extractors.errors import RasidError

app = typer.Typer(
    name="rasid",
    help="rasid (راصد) watches Arabic news outlets for watched topics and alerts once per development.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
topics_app = typer.Typer(help="Validate, explain and backtest topic queries.", no_args_is_help=True)
app.add_typer(topics_app, name="topics")
outlets_app = typer.Typer(help="Inspect and discover outlets.", no_args_is_help=True)
app.add_typer(outlets_app, name="outlets")

console = Console()
err_console = Console(stderr=True)

ConfigOption = typer.Option(None, "--config", "-c", help="YAML settings file (RASID_* variables and .env override it).",
                            exists=False, dir_okay=False)


def settings_from(config: Optional[Path], **overrides):
    """Load the one settings object for this command (see flows.settings)."""
    from flows.settings import load_settings

    return load_settings(config, **overrides)


@contextmanager
def user_errors() -> Iterator[None]:
    """Turn rasid errors into one clear line on stderr and exit code 1, not a traceback."""
    try:
        yield
    except RasidError as exc:
        err_console.print(f"[bold red]error[/] ({exc.kind}): {exc}", markup=True, highlight=False, soft_wrap=True)
        sys.exit(1)
