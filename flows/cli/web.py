"""`rasid web`: the findings page (stories per topic, a story's articles and alerts, search, outlet health)."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from flows.cli.app import ConfigOption, app, console, err_console, settings_from, user_errors


@app.command()
def web(config: Optional[Path] = ConfigOption,
        host: Optional[str] = typer.Option(None, "--host", help="Address to listen on (default: setting web.host, "
                                           "127.0.0.1: this machine only)."),
        port: Optional[int] = typer.Option(None, "--port", min=1, max=65535,
                                           help="Port (default: setting web.port, 4280)."),
        database_url: Optional[str] = typer.Option(None, "--database-url", help="Use this database instead of "
                                                   "the configured one (sqlite:///path or postgresql://...).")) -> None:
    """Serve a read-only web page over the archive: each topic's latest stories with a 30-day chart, every
    story's articles and alerts, search (words side by side as AND), outlet health. Stop with Ctrl-C."""
    from flows.web.server import is_loopback, page_url, web_server

    with user_errors():
        settings = settings_from(config, database_url=database_url)
        host, port = host or settings.web.host, port or settings.web.port
        if not is_loopback(host):
            err_console.print(f"[yellow]warning[/]: listening on {host}: the page has no login; anyone who reaches "
                              "this address reads the archive", highlight=False)
        server = web_server(settings, host, port)
    console.print(f"findings page: {page_url(host, port)}  (read-only; stop with Ctrl-C)", highlight=False)
    server.run()  # until Ctrl-C or SIGTERM (uvicorn's own handling)
