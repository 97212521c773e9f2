"""The `rasid` command line: one Typer app, commands grouped by module.

Each module registers its commands on `app` (or a sub-app) when imported; heavy
imports (Prefect, trafilatura) happen inside the commands so `--help` stays quick.
"""

from importlib import import_module

from flows.cli.app import app

for _name in ("core", "ops", "topics", "extract", "outlets", "stories"):
    try:
        import_module(f"flows.cli.{_name}")
    except ModuleNotFoundError as exc:  # a command module not written yet
        if exc.name != f"flows.cli.{_name}":
            raise

__all__ = ["app"]
