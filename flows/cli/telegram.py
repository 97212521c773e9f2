"""`rasid telegram parse PAGE.html`: the posts of a saved Telegram channel preview, for checks."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.table import Table

from flows.cli.app import app, console

telegram_app = typer.Typer(help="Telegram public channels (t.me/s/NAME previews).", no_args_is_help=True)
app.add_typer(telegram_app, name="telegram")


@telegram_app.command("parse")
def parse(
    file: Path = typer.Argument(..., exists=True, dir_okay=False, readable=True,
                                help="A saved preview page (https://t.me/s/NAME, UTF-8)."),
    as_json: bool = typer.Option(False, "--json", help='Print {"channel", "before", "posts": [{"id", "url", '
                                 '"published", "text", "views", "edited", "forwarded_from", "links"}]}.'),
) -> None:
    """Print the posts of a saved preview page, oldest first: no service messages, no "open Telegram"
    labels. A page the parser no longer understands prints zero posts and a warning on stderr."""
    from extractors.charset import decode_html
    from extractors.telegram import parse_preview

    text, _ = decode_html(file.read_bytes(), None)
    page = parse_preview(text)
    for warning in page.warnings:
        typer.echo(f"warning: {warning}", err=True)
    if as_json:
        print(json.dumps(page.to_dict(), ensure_ascii=False, indent=2))
        return
    table = Table(title=f"@{page.channel or '?'} · {len(page.posts)} posts · before={page.before or '—'}")
    for column in ("id", "published (UTC)", "views", "edited", "forwarded from", "text"):
        table.add_column(column, overflow="fold")
    for post in page.posts:
        table.add_row(str(post.id), post.published.strftime("%Y-%m-%d %H:%M") if post.published else "—",
                      "—" if post.views is None else f"{post.views:,}", "yes" if post.edited else "",
                      post.forwarded_from or "", post.text.replace("\n", " ")[:160])
    console.print(table)
