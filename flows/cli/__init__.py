"""The `rasid` command line: one Typer app, commands grouped by module.

Each module registers its commands on `app` (or a sub-app) when imported; heavy
imports (Prefect, trafilatura) happen inside the commands so `--help` stays quick.
"""

from flows.cli import archive, core, doctor, extract, ops, outlets, stories, telegram, topics, web  # noqa: F401 - registers commands
from flows.cli.app import app

__all__ = ["app"]
