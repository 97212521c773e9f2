"""Export: JSON Lines and spreadsheet-safe CSV, from a real SQLite file and the real PostgreSQL."""

from __future__ import annotations

import csv
import io
import json
from datetime import timedelta

from archive_data import DOCS, NOW, Doc, archive, db_url, store_docs  # noqa: F401 - archive, db_url are fixtures
from typer.testing import CliRunner

from flows.cli import app
from storage.db import open_db
from storage.export import CSV_COLUMNS, iter_export, write_csv, write_jsonl
from storage.search import ArchiveFilter

runner = CliRunner()
BY_KEY = {doc.key: doc for doc in DOCS}


def test_jsonl_has_matches_story_outlet_and_dates(archive, tmp_path):
    url, ids = archive
    out = tmp_path / "all.jsonl"
    result = runner.invoke(app, ["export", "--format", "jsonl", "--output", str(out), "--database-url", url])
    assert result.exit_code == 0, result.output
    raw = out.read_text(encoding="utf-8")
    assert "\\u06" not in raw and "التحالف" in raw            # Arabic as UTF-8, not escapes
    records = {r["id"]: r for r in map(json.loads, raw.splitlines())}
    assert set(records) == set(ids.values())
    matched = records[ids["withdrawal"]]
    assert matched["matches"][0]["topic"] == "withdrawal"
    assert "التحالف" in matched["matches"][0]["terms"] and matched["matches"][0]["snippet"]
    assert matched["outlet"] == "beta" and matched["story_id"] and matched["text"] == BY_KEY["withdrawal"].text
    assert matched["published"].startswith((NOW - timedelta(days=2)).date().isoformat())
    assert records[ids["clitic"]]["matches"] == []


def test_csv_with_bom_round_trips_through_the_csv_module(archive, tmp_path):
    url, ids = archive
    out = tmp_path / "all.csv"
    result = runner.invoke(app, ["export", "--format", "csv", "--bom", "--output", str(out), "--database-url", url])
    assert result.exit_code == 0, result.output
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and data.count(b"\xef\xbb\xbf") == 1
    with out.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert tuple(rows[0]) == CSV_COLUMNS
    by_id = {int(row["article_id"]): row for row in rows}
    assert len(rows) == len(DOCS)                            # each test article matched one topic at most
    undated = by_id[ids["undated"]]
    assert undated["text"] == BY_KEY["undated"].text and "\n" in undated["text"]   # line break kept, quoted
    assert undated["published_utc"] == "" and undated["fetched_utc"]
    persian = by_id[ids["persian"]]
    assert persian["title"] == BY_KEY["persian"].title and persian["outlet"] == "beta" and persian["topic"] == ""
    matched = by_id[ids["phrase"]]
    assert matched["topic"] == "withdrawal" and matched["story_id"] and matched["snippet"]
    assert len(matched["published_utc"]) == 19               # 'YYYY-MM-DD HH:MM:SS', what spreadsheets parse


def test_csv_without_bom_and_filters(archive):
    url, ids = archive
    result = runner.invoke(app, ["export", "--format", "csv", "--topic", "withdrawal", "--since", "30d",
                                 "--no-text", "--database-url", url])
    assert result.exit_code == 0, result.output
    assert not result.stdout.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(result.stdout, newline="")))
    assert {int(r["article_id"]) for r in rows} == {ids["withdrawal"], ids["english"], ids["phrase"]}
    assert "text" not in rows[0]
    with open_db(url) as session:
        beta = [e.article.id for e in iter_export(session, ArchiveFilter(outlet="beta"))]
    assert beta == sorted(ids[key] for key, doc in BY_KEY.items() if doc.outlet == "beta")


def test_csv_neutralizes_formulas_and_fits_spreadsheet_cells(db_url, tmp_path):  # noqa: F811
    long_text = "كلمة " * 10_000                              # 50,000 characters: over Excel's cell limit
    ids = store_docs(db_url, [Doc("hostile", "alpha", 1, '=HYPERLINK("http://127.0.0.1/x","انقر")', long_text)])
    buffer = io.StringIO(newline="")
    with open_db(db_url) as session:
        write_csv(iter_export(session), buffer)
        jsonl = io.StringIO()
        write_jsonl(iter_export(session), jsonl)
    row = next(csv.DictReader(io.StringIO(buffer.getvalue(), newline="")))
    assert int(row["article_id"]) == ids["hostile"]
    assert row["title"] == "'" + '=HYPERLINK("http://127.0.0.1/x","انقر")'
    assert len(row["text"]) <= 32_767 and row["text"].endswith("[…]")
    assert json.loads(jsonl.getvalue())["text"] == long_text    # JSONL keeps the whole body


def test_usage_errors(archive):
    url, _ = archive
    assert runner.invoke(app, ["export", "--format", "xml", "--database-url", url]).exit_code == 2
    assert runner.invoke(app, ["export", "--format", "jsonl", "--bom", "--database-url", url]).exit_code == 2
