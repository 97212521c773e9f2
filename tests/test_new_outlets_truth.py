"""The truth of tests/data/new_outlets is well formed, so its figures mean what they say.

Each page's bytes are those of its source repository (hash recorded), every title and
text string occurs in the page as written, the two halves are split by outlet, and each
row says where the page came from and under which licence.
"""

from __future__ import annotations

import gzip
import hashlib
import html
import json
import re
from pathlib import Path

import pytest

DIR = Path(__file__).parent / "data" / "new_outlets"
ROWS = [json.loads(line) for line in (DIR / "truth.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]
KEYS = {"file", "source_repo", "source_path", "source_commit", "source_blob", "license", "url", "outlet",
        "country", "lang", "encoding", "page_type", "title", "date", "date_evidence", "date_confidence",
        "text_contains", "text_excludes", "sha256", "bytes", "split"}
RESERVED = {"adbar/htmldate", "flairnlp/fundus", "omnivore-app/omnivore", "mozilla/readability",
            "ahmedsalem92/media-observer-work"}


def _page_text(row: dict) -> str:
    """The page's text as a reader sees it: tags and code out, entities resolved, spaces collapsed."""
    data = (DIR / row["file"]).read_bytes()
    text = (gzip.decompress(data) if row["file"].endswith(".gz") else data).decode(row["encoding"])
    text = re.sub(r"(?is)<(script|style|noscript|svg)\b.*?</\1>", " ", text)
    text = re.sub(r"(?s)<!--.*?-->", " ", text)
    text = html.unescape(re.sub(r"<[^>]+>", " ", text)).replace("\u00a0", " ")
    return " ".join(text.split())


@pytest.mark.parametrize("row", ROWS, ids=[r["file"] for r in ROWS])
def test_row_is_complete_and_the_bytes_are_the_sources(row):
    assert KEYS <= row.keys()
    assert row["split"] in ("dev", "test") and row["source_repo"].lower() not in RESERVED
    assert re.fullmatch(r"[0-9a-f]{40}", row["source_commit"]) and row["license"]
    data = (DIR / row["file"]).read_bytes()
    assert hashlib.sha256(data).hexdigest() == row["sha256"] and len(data) == row["bytes"]
    assert hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest() == row["source_blob"]


@pytest.mark.parametrize("row", ROWS, ids=[r["file"] for r in ROWS])
def test_every_truth_string_is_on_the_page(row):
    text = _page_text(row)
    for string in [row["title"], *row["text_contains"], *row["text_excludes"]]:
        assert " ".join(string.split()) in text, string
    assert len(row["text_contains"]) >= 2 and len(row["text_excludes"]) >= 2


def test_halves_are_split_by_outlet():
    halves = {}
    for row in ROWS:
        halves.setdefault(row["outlet"], set()).add(row["split"])
    assert all(len(splits) == 1 for splits in halves.values()), halves
    assert {"dev", "test"} == {row["split"] for row in ROWS}
