"""Export the archive as JSON Lines or as CSV that spreadsheet programs open with Arabic intact.

JSONL: one article per line with its matches nested. CSV is "long": one row per article
and matched topic (an unmatched article has one row with empty topic columns), so a
spreadsheet can filter or pivot by topic. Both stream: the archive is read in batches.

Spreadsheets need two things to show Arabic CSV properly: a UTF-8 byte order mark (else
Excel reads the file as the local code page) and fields with line breaks quoted (the
csv module does that). Cells that begin with = + - @ are prefixed with ' so a
spreadsheet shows a hostile headline as text instead of running it as a formula.
Excel holds at most 32,767 characters in a cell and spills the rest of a longer one
into the rows below, so longer CSV cells are cut (the JSONL export keeps everything).
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any, Iterable, Iterator, TextIO

from sqlalchemy import select
from sqlmodel import Session

from storage.models import Article, Match
from storage.search import ArchiveFilter

BOM = "\ufeff"
CSV_COLUMNS = ("article_id", "published_utc", "outlet", "title", "url", "story_id", "topic", "terms", "snippet",
               "lang", "agency", "date_source", "fetched_utc", "text")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
MAX_CELL = 32_000
CUT_MARK = " […]"


@dataclass(frozen=True)
class ExportedArticle:
    """One article row and its match rows (plain rows: they outlive the transaction that read them)."""

    article: Any
    matches: tuple

    def to_dict(self, with_text: bool = True) -> dict:
        a = self.article
        out = {"id": a.id, "url": a.url, "outlet": a.outlet_id, "title": a.title,
               "published": _iso(a.published, a.utc_offset_minutes, a.published_precision),
               "published_precision": a.published_precision,
               "date_source": a.date_source, "fetched": _iso(a.fetched),
               "lang": a.lang, "author": a.author, "agency": a.agency, "story_id": a.story_id,
               "matches": [{"topic": m.topic_id, "terms": list(m.terms), "snippet": m.snippet} for m in self.matches]}
        if with_text:
            out["text"] = a.text
        return out


def _utc(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)


def _iso(value: datetime | None, offset_minutes: int | None = None, precision: str | None = None) -> str | None:
    """ISO 8601 on the outlet's clock when its offset is stored (the outlet's day), else UTC; the
    day alone when the page gave no time (as `rasid extract --json` prints it)."""
    if not value:
        return None
    local = _utc(value).astimezone(timezone(timedelta(minutes=offset_minutes or 0)))
    return local.date().isoformat() if precision == "day" else local.isoformat()


def iter_export(session: Session, where: ArchiveFilter = ArchiveFilter(),
                batch: int = 500) -> Iterator[ExportedArticle]:
    """Articles in storage order (oldest id first) with their matches, `batch` at a time.

    Each batch is read in its own short transaction, so a long export never holds
    SQLite's write lock (every transaction there is BEGIN IMMEDIATE) while pollers wait.
    """
    articles_table, matches_table = Article.__table__, Match.__table__
    last_id = 0
    while True:
        query = where.apply(select(articles_table).where(Article.id > last_id).order_by(Article.id).limit(batch))
        articles = session.execute(query).all()
        if not articles:
            session.commit()
            return
        matches: dict[int, list] = {}
        rows = session.execute(select(matches_table).where(Match.article_id.in_([a.id for a in articles]))
                               .order_by(Match.topic_id)).all()
        session.commit()
        for match in rows:
            matches.setdefault(match.article_id, []).append(match)
        for article in articles:
            yield ExportedArticle(article, tuple(matches.get(article.id, ())))
        last_id = articles[-1].id


def write_jsonl(records: Iterable[ExportedArticle], out: TextIO, with_text: bool = True) -> int:
    """One JSON object per line, Arabic as UTF-8 (not \\u escapes); returns the number of articles."""
    count = 0
    for record in records:
        out.write(json.dumps(record.to_dict(with_text), ensure_ascii=False) + "\n")
        count += 1
    return count


def write_csv(records: Iterable[ExportedArticle], out: TextIO, with_text: bool = True, bom: bool = False) -> int:
    """RFC 4180 CSV (CRLF rows, quoted line breaks); open `out` with newline="". Returns rows written."""
    if bom:
        out.write(BOM)
    columns = CSV_COLUMNS if with_text else CSV_COLUMNS[:-1]
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    count = 0
    for record in records:
        for row in csv_rows(record):
            writer.writerow([_cell(value) for value in row[:len(columns)]])
            count += 1
    return count


def csv_rows(record: ExportedArticle) -> Iterator[tuple]:
    """One row per matched topic, or one row with empty topic columns for an unmatched article."""
    a = record.article
    for match in record.matches or (None,):
        yield (a.id, _sheet_time(a.published), a.outlet_id, a.title, a.url, a.story_id,
               match.topic_id if match else "", " | ".join(match.terms) if match else "",
               match.snippet if match else "", a.lang, a.agency, a.date_source, _sheet_time(a.fetched), a.text)


def _sheet_time(value: datetime | None) -> str:
    """UTC as 'YYYY-MM-DD HH:MM:SS': spreadsheets read it as a date, which they do not with an offset."""
    return _utc(value).strftime("%Y-%m-%d %H:%M:%S") if value else ""


def _cell(value) -> object:
    if value is None:
        return ""
    if not isinstance(value, str):
        return value
    if value.startswith(_FORMULA_START):
        value = "'" + value
    return value if len(value) <= MAX_CELL else value[:MAX_CELL - len(CUT_MARK)] + CUT_MARK
