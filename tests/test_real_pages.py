"""Real captured article pages through the fetcher's decoding and extract_article.

The pages are the DEV half of tests/data/new_outlets (outlets the project had never seen;
provenance and licences in README.md there; truth read off the pages, not taken from rasid's
output). The test half of that set is frozen and never read here. The bytes are served from a
loopback server with the content types outlets really send, so the text comes out of
flows.fetch.client exactly as in production (gzip transfer encoding, charset from the
header or from the page).
"""

from __future__ import annotations

import asyncio
import gzip
import hashlib
import json
import re
from datetime import date
from pathlib import Path

import pytest
from hostile_server import HostileServer, LoopbackOnlyBackend

from extractors.article import extract_article
from extractors.charset import decode_html
from flows.fetch.client import Fetcher, FetchResult
from flows.settings import FetchSettings

DATA = Path(__file__).parent / "data" / "new_outlets"
CASES = [row for row in map(json.loads, (DATA / "truth.jsonl").read_text(encoding="utf-8").splitlines())
         if row["split"] == "dev"]
IDS = [Path(case["file"]).name for case in CASES]
FAST = dict(allow_networks=["127.0.0.1/32"], per_host_delay_s=0, retries=0, backoff_s=0, timeout_s=5.0,
            max_bytes=5_000_000)
# What UTF-8 Arabic looks like when read in the wrong code page: «ال» as windows-1252/latin-1
# and as windows-1256. Neither sequence occurs in real Arabic or English text.
MOJIBAKE = ("Ø§Ù\u201e", "Ø§Ù", "ط§ظ\u201e")
HEADERS = ["text/html; charset=utf-8", "text/html", "text/html; charset=ISO-8859-1", "text/html; charset=windows-1252"]


def _norm(text: str | None) -> str:
    return re.sub(r"\s+", " ", (text or "").replace("\u00a0", " ")).strip()


def _stored(case: dict) -> bytes:
    return (DATA / case["file"]).read_bytes()


def _html(case: dict) -> bytes:
    return gzip.decompress(_stored(case)) if case["file"].endswith(".gz") else _stored(case)


def _gz(case: dict) -> bytes:
    return _stored(case) if case["file"].endswith(".gz") else gzip.compress(_stored(case))


def _letters(text: str, lang: str) -> int:
    """Letters of the page's own script (Arabic script for ar/fa, Latin for en)."""
    if lang == "en":
        return sum(ch.isascii() and ch.isalpha() for ch in text)
    return sum("\u0621" <= ch <= "\u06cc" for ch in text)


@pytest.fixture(scope="module")
def server():
    routes = {}
    for n, case in enumerate(CASES):
        for m, content_type in enumerate(HEADERS):
            # Stored gzip bytes go out as a gzip transfer encoding, as the outlet's server sent them.
            routes[f"/{n}/{m}"] = (lambda h, q, body=_gz(case), ct=content_type:
                                   h.reply(200, body, ct, {"Content-Encoding": "gzip"}))
        routes[f"/{n}/windows-1256"] = (lambda h, q, body=_html(case):
                                        h.reply(200, body, "text/html; charset=windows-1256"))
    with HostileServer(articles=1, extra=routes) as running:
        yield running


def fetch(url: str) -> FetchResult:
    async def go():
        async with Fetcher(FetchSettings(**FAST), network_backend=LoopbackOnlyBackend()) as fetcher:
            return await fetcher.get(url)
    return asyncio.run(go())


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_the_stored_bytes_are_the_captured_ones(case):
    assert hashlib.sha256(_stored(case)).hexdigest() == case["sha256"]
    assert hashlib.sha256(_html(case)).hexdigest() == (case.get("sha256_html") or case["sha256"])


@pytest.mark.parametrize("header", HEADERS)
@pytest.mark.parametrize("n,case", list(enumerate(CASES)), ids=IDS)
def test_fetched_page_decodes_to_the_arabic_the_outlet_wrote(server, n, case, header):
    """With the right charset, no charset, or the Western default many servers send."""
    result = fetch(server.url(f"/{n}/{HEADERS.index(header)}"))
    assert result.body == _html(case)  # the fetcher undid the gzip transfer encoding
    assert result.encoding == case["encoding"]
    assert result.text == _html(case).decode(case["encoding"])
    assert "\ufffd" not in result.text and not any(bad in result.text for bad in MOJIBAKE)
    assert _letters(result.text, case["lang"]) > 1000
    assert _norm(case["title"]) in _norm(result.text.replace("&quot;", '"').replace("&#39;", "'"))


DECLARED = [(n, case) for n, case in enumerate(CASES) if b"charset" in _html(case)[:8192].lower()]


@pytest.mark.parametrize("n,case", DECLARED, ids=[Path(c["file"]).name for _, c in DECLARED])
def test_an_arabic_code_page_header_on_a_utf8_page_does_not_garble_it(server, n, case):
    """A server still labelling a migrated UTF-8 site windows-1256: the page's own <meta> and bytes win."""
    result = fetch(server.url(f"/{n}/windows-1256"))
    assert result.encoding == "utf-8"
    assert not any(bad in result.text for bad in MOJIBAKE)


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_extracts_the_headline_the_body_and_none_of_the_site_chrome(case):
    text, _ = decode_html(_html(case), None)  # the fetcher's decoding, as used before extraction
    article = extract_article(text, case["url"])
    assert _norm(article.title) in [_norm(t) for t in (case["title"], *case.get("title_variants", []))]
    body = _norm(article.text)
    for sentence in case["text_contains"]:
        assert _norm(sentence) in body
    # the boilerplate strings are scored, with a floor, by tests/test_extraction_eval.py


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_language_and_publication_day(case):
    text, _ = decode_html(_html(case), None)
    article = extract_article(text, case["url"])
    assert article.lang == case["lang"]
    assert article.published is not None and article.published.utcoffset() is not None
    assert article.published_local.date() == date.fromisoformat(case["date"])  # the outlet's own day
