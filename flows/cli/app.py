"""The Typer application and what every command shares: settings and error reporting."""

from __future__ import annotations

import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Iterable, Iterator, Optional, Sequence

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


def fitting_table(headers: Sequence[str], rows: Iterable[Sequence[str]], wrap: Iterable[int] = (),
                  numbers: Iterable[int] = ()):
    """A rich table that narrows without cutting cells to "…" (a cut date or status reads as another
    one): only the columns in `wrap` (dates, messages) give up width, by wrapping at spaces, down to
    their longest word; the others keep theirs. Columns in `numbers` are right-aligned. Widths are worked out here because rich's own
    shrinking ignores a column's longest word and crops the last columns."""
    from rich import box
    from rich.table import Table

    rows = [[str(cell) for cell in row] for row in rows]
    columns = [[header, *(row[index] for row in rows)] for index, header in enumerate(headers)]
    widths = [max(len(line) for cell in column for line in cell.splitlines() or [""]) for column in columns]
    room = console.width - 3 * (len(headers) - 1)   # a space of border and one of padding each side
    for index in sorted(set(wrap) & set(range(len(headers))), key=lambda i: -widths[i]):
        if sum(widths) <= room:
            break
        longest_word = max((len(word) for cell in columns[index] for word in cell.split()), default=1)
        widths[index] = max(longest_word, widths[index] - (sum(widths) - room))
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False)
    right = set(numbers)
    for index, (header, width) in enumerate(zip(headers, widths)):
        table.add_column(header, overflow="fold", width=width if sum(widths) <= room else None,
                         justify="right" if index in right else "left")
    for row in rows:
        table.add_row(*row)
    return table


@contextmanager
def user_errors() -> Iterator[None]:
    """Turn rasid errors into one clear line on stderr and exit code 1, not a traceback."""
    try:
        yield
    except RasidError as exc:
        err_console.print(f"[bold red]error[/] ({exc.kind}): {exc}", markup=True, highlight=False, soft_wrap=True)
        sys.exit(1)
