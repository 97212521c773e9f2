"""`rasid extract FILE.html`: what the extractor reads from one saved page."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path
from typing import Optional

import typer
from rich.panel import Panel
from rich.table import Table

from flows.cli.app import app, console, user_errors

_JSON_FIELDS = ("title", "published", "published_precision", "date_source", "author", "lang", "text", "canonical_url",
                "agency")


@app.command()
def extract(
    file: Path = typer.Argument(..., exists=True, dir_okay=False, readable=True,
                                help="A saved HTML page (any encoding: it is detected as the fetcher does)."),
    url: Optional[str] = typer.Option(None, "--url", help="The page's address (helps with dates in URLs "
                                      "and relative links)."),
    utc_offset_hours: Optional[float] = typer.Option(None, "--utc-offset-hours",
                                                     help="The outlet's local offset, for dates written without a zone "
                                                          "(Baghdad: 3)."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object: title, published (ISO 8601 with the "
                                 "page's own UTC offset, else the outlet's; the day alone, 2023-08-03, when the "
                                 "page gives no time), published_precision (time, day or null), date_source, "
                                 "author, lang, text, canonical_url, agency."),
) -> None:
    """Extract the headline, publication date, language, agency and main text of one saved page."""
    from extractors.article import extract_article
    from extractors.charset import decode_html

    with user_errors():
        text, encoding = decode_html(file.read_bytes(), None)
        article = extract_article(text, url, utc_offset_hours=utc_offset_hours)
    record = {name: getattr(article, name) for name in _JSON_FIELDS}
    record["published"] = shown_published(article.published, article.published_precision)
    if as_json:
        print(json.dumps(record, ensure_ascii=False, indent=2))
        return
    _print(article, record, encoding)


def shown_published(published: datetime | None, precision: str | None) -> str | None:
    """ISO 8601 with the page's offset; the outlet's day alone when the page gave no time, so no
    reader takes the stored noon for the hour it was published."""
    if published is None:
        return None
    return published.date().isoformat() if precision == "day" else published.isoformat()


def _print(article, record: dict, encoding: str) -> None:
    table = Table(show_header=False, box=None, pad_edge=False)
    table.add_column(style="bold cyan", no_wrap=True)
    table.add_column()
    utc = article.published.astimezone(timezone.utc).isoformat() if article.published else "—"
    if article.published_precision == "day":
        utc = "— (the day only: no time on the page)"
    rows = [("title", article.title or "—"), ("published", record["published"] or "—"),
            ("published (UTC)", utc), ("date source", article.date_source or "—"),
            ("date evidence", article.date_evidence or "—"), ("author", article.author or "—"),
            ("site", article.site_name or "—"), ("language", article.lang or "—"),
            ("agency", article.agency or "—"), ("canonical URL", article.canonical_url or "—"),
            ("image", article.image or "—"), ("encoding", encoding)]
    for name, value in rows:
        table.add_row(name, value)
    console.print(table)
    console.print(Panel(article.text or "[dim](no main text found)[/]", title=f"text ({len(article.text)} characters)"))
