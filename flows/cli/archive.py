"""Archive commands: `rasid search`, `rasid export`, `rasid db prune`, `rasid db reindex`."""

from __future__ import annotations

import io
import json
import re
import sys
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Iterator, Optional, TextIO

import typer

from extractors.errors import ConfigError
from flows.cli.app import ConfigOption, app, console, err_console, settings_from, user_errors
from flows.cli.ops import db_app

DatabaseOption = typer.Option(None, "--database-url", help="Use this database instead of the configured one "
                              "(sqlite:///path or postgresql://...).")
SinceOption = typer.Option(None, "--since", help="Only articles published on or after this date: 2025-01-31, "
                           "an ISO time, or an age such as 7d / 24h / 2w (undated articles: their fetch time).")
TopicOption = typer.Option(None, "--topic", "-t", help="Only articles stored with a match for this topic id.")
OutletOption = typer.Option(None, "--outlet", "-o", help="Only articles from this outlet id.")

_AGE = re.compile(r"\s*(\d+)\s*([hdw])\s*", re.IGNORECASE)
_UNIT = {"h": "hours", "d": "days", "w": "weeks"}


def parse_age(value: str) -> timedelta:
    """'180d', '12w', '36h' -> timedelta; anything else is a usage error."""
    found = _AGE.fullmatch(value)
    if not found or int(found.group(1)) == 0:
        raise typer.BadParameter(f"{value!r} is not an age like 180d, 12w or 36h")
    return timedelta(**{_UNIT[found.group(2).lower()]: int(found.group(1))})


def parse_since(value: Optional[str], now: datetime | None = None) -> Optional[datetime]:
    """A date, an ISO time (UTC unless it says otherwise) or an age back from now."""
    if value is None:
        return None
    if _AGE.fullmatch(value):
        return (now or datetime.now(timezone.utc)) - parse_age(value)
    try:
        when = datetime.fromisoformat(value.strip())
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not a date like 2025-01-31 or an age like 7d") from None
    return when.replace(tzinfo=timezone.utc) if when.tzinfo is None else when.astimezone(timezone.utc)


def _settings(config: Optional[Path], database_url: Optional[str]):
    return settings_from(config, database_url=database_url)


@app.command()
def search(
    query: str = typer.Argument(..., help='Words side by side must all be there (as in a search box); and the '
                                'topic query language: "phrases", prefix*, AND OR NOT, parentheses, NEAR/n, title:, '
                                "@list."),
    topic: Optional[str] = TopicOption, since: Optional[str] = SinceOption, outlet: Optional[str] = OutletOption,
    limit: int = typer.Option(20, "--limit", "-n", min=1, help="Show at most this many articles (newest first)."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object with the hits."),
    config: Optional[Path] = ConfigOption, database_url: Optional[str] = DatabaseOption,
) -> None:
    """Search the stored articles, newest first: words side by side must all be there; the topic query language
    (quotes, OR, NOT, NEAR/n, title:, prefix*) with the same Arabic normalization as topics."""
    from flows.pipeline.watch import load_lists
    from storage.db import open_db
    from storage.search import ArchiveFilter
    from storage.search import search as run_search

    where = ArchiveFilter(topic=topic, since=parse_since(since), outlet=outlet)
    with user_errors():
        settings = _settings(config, database_url)
        lists = load_lists(settings.lists_file)
        with open_db(settings) as session:
            result = run_search(session, query, where, limit, lists)
    if as_json:
        print(json.dumps({"query": query, "read_as": result.read_as, "hits": [hit.to_dict() for hit in result.hits],
                          "candidates": result.candidates, "checked": result.checked,
                          "full_scan": result.full_scan}, ensure_ascii=False, indent=2))
        return
    for hit in result.hits:
        when = (f"{hit.published:%Y-%m-%d} (day only)" if hit.day_only
                else f"{hit.published:%Y-%m-%d %H:%M} UTC" if hit.published else "undated")
        topics = f"  [{', '.join(hit.topics)}]" if hit.topics else ""
        console.print(f"[bold]{hit.title}[/]", highlight=False)
        console.print(f"  {when} · {hit.outlet_id}{topics}", highlight=False, markup=False)
        console.print(f"  {hit.marked}", highlight=False, markup=False)
        console.print(f"  {hit.url}\n", highlight=False, markup=False, soft_wrap=True)
    scan = " (no word the index could require: every article in range was read)" if result.full_scan else ""
    if result.read_as != query.strip():
        err_console.print(f"read as: {result.read_as}", highlight=False, markup=False)
    if result.indexed:
        err_console.print(f"indexed {result.indexed} article(s) stored without a search row first", highlight=False)
    err_console.print(f"{len(result.hits)} article(s); {result.candidates} candidate(s) from the index, "
                      f"{result.checked} checked by the matcher{scan}", highlight=False)


@app.command()
def export(
    fmt: str = typer.Option(..., "--format", "-f", help="jsonl (one article per line, matches nested) or csv "
                            "(one row per article and matched topic)."),
    topic: Optional[str] = TopicOption, since: Optional[str] = SinceOption, outlet: Optional[str] = OutletOption,
    output: Optional[Path] = typer.Option(None, "--output", help="Write to this file (default: standard output).",
                                          dir_okay=False),
    bom: bool = typer.Option(False, "--bom", help="CSV: start with a UTF-8 byte order mark so Excel reads Arabic "
                             "correctly."),
    no_text: bool = typer.Option(False, "--no-text", help="Leave the article bodies out."),
    config: Optional[Path] = ConfigOption, database_url: Optional[str] = DatabaseOption,
) -> None:
    """Export stored articles with their matches (topic, terms, snippet), story id, outlet and dates."""
    from storage.db import open_db
    from storage.export import iter_export, write_csv, write_jsonl
    from storage.search import ArchiveFilter

    if fmt not in ("jsonl", "csv"):
        raise typer.BadParameter("--format must be jsonl or csv")
    if bom and fmt != "csv":
        raise typer.BadParameter("--bom is for CSV only (a BOM breaks JSON Lines readers)")
    where = ArchiveFilter(topic=topic, since=parse_since(since), outlet=outlet)
    with user_errors():
        settings = _settings(config, database_url)
        with open_db(settings) as session, _open_output(output) as out:
            records = iter_export(session, where)
            if fmt == "csv":
                count = write_csv(records, out, with_text=not no_text, bom=bom)
            else:
                count = write_jsonl(records, out, with_text=not no_text)
    what = "row(s)" if fmt == "csv" else "article(s)"
    err_console.print(f"exported {count} {what}" + (f" to {output}" if output else ""), highlight=False)


@contextmanager
def _open_output(output: Optional[Path]) -> Iterator[TextIO]:
    """UTF-8 text with newline='' (the csv module writes its own CRLF), to a file or to stdout."""
    if output is None:
        stream = io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8", newline="", write_through=True)
        try:
            yield stream
        finally:
            stream.flush()
            stream.detach()
        return
    try:
        handle = output.open("w", encoding="utf-8", newline="")
    except OSError as exc:
        raise ConfigError(f"cannot write the export: {exc.strerror}", source=str(output)) from None
    with handle:
        yield handle


@db_app.command("prune")
def db_prune(
    older_than: str = typer.Option(..., "--older-than", help="Age, e.g. 180d, 26w or 48h (publication time; "
                                   "fetch time for undated articles)."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Only count what would be dropped."),
    as_json: bool = typer.Option(False, "--json", help="Print the counts as JSON."),
    config: Optional[Path] = ConfigOption, database_url: Optional[str] = DatabaseOption,
) -> None:
    """Drop the bodies of old articles that matched no topic; matched articles and every row are kept."""
    from storage.db import open_db
    from storage.retention import prune_bodies

    cutoff = datetime.now(timezone.utc) - parse_age(older_than)
    with user_errors():
        with open_db(_settings(config, database_url)) as session:
            report = prune_bodies(session, cutoff, dry_run=dry_run)
    if as_json:
        print(json.dumps(report.to_dict(), ensure_ascii=False))
        return
    verb = "would drop" if dry_run else "dropped"
    console.print(f"older than {cutoff:%Y-%m-%d %H:%M} UTC: {verb} {report.bodies_dropped} unmatched bodies; "
                  f"kept {report.matched_kept} matched; {report.already_pruned} already without body",
                  highlight=False)


@db_app.command("reindex")
def db_reindex(config: Optional[Path] = ConfigOption, database_url: Optional[str] = DatabaseOption) -> None:
    """Rebuild the search index from the stored articles (after an upgrade changed Arabic normalization)."""
    from storage.db import open_db
    from storage.search import rebuild_index

    with user_errors():
        with open_db(_settings(config, database_url)) as session:
            count = rebuild_index(session)
    console.print(f"indexed {count} article(s)", highlight=False)
