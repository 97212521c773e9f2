"""Lines an outlet repeats on its own pages (a slogan, a call to follow it, a standing disclaimer), learned.

No list of phrases can know every outlet's furniture; the outlet's own pages do. A line
found in the extracted text of `SITE_PAGES` different pages of one outlet belongs to the
site, not to an article, and is dropped from that outlet's later texts. The state is a
plain dict (JSON) the caller keeps per outlet (the pipeline stores it with the outlet's
poll state); with no state, as for one `rasid extract`, nothing is dropped.

Lines are keyed by a short hash of their whitespace-collapsed text, so the state holds no
outlet text. Long lines need more pages than short ones: a background paragraph copied
into three follow-ups of one story is the article's, a short standing line on three pages
is the site's.
"""

from __future__ import annotations

import hashlib
from typing import Iterable

from extractors.text_quality import line_key

SITE_PAGES = 3            # pages a short line must be on to be the site's
LONG_LINE_PAGES = 6       # the same for a line longer than _SHORT_CHARS
_SHORT_CHARS = 120
_MIN_CHARS, _MAX_CHARS = 12, 400
_MAX_KEYS = 3000          # the state keeps the most frequent keys up to this many


def _key(line: str) -> str:
    return hashlib.blake2b(line.encode(), digest_size=6).hexdigest()


def line_keys(text: str) -> tuple[str, ...]:
    """The distinct keys of the text's lines that could be site lines (by length), with their class.

    Each key is prefixed "s" (short line) or "l" (long line), so the state knows how many
    pages each needs without keeping the text.
    """
    keys = []
    for raw in text.split("\n"):
        line = line_key(raw)
        if _MIN_CHARS <= len(line) <= _MAX_CHARS:
            keys.append(("s" if len(line) <= _SHORT_CHARS else "l") + _key(line))
    return tuple(dict.fromkeys(keys))


def learn(state: dict | None, pages: Iterable[tuple[str, ...]]) -> dict:
    """The state after counting the line keys of more pages of the outlet (one tuple per page)."""
    counts = dict((state or {}).get("counts", {}))
    seen = int((state or {}).get("pages", 0))
    for keys in pages:
        seen += 1
        for key in keys:
            counts[key] = counts.get(key, 0) + 1
    if len(counts) > _MAX_KEYS:
        counts = dict(sorted(counts.items(), key=lambda item: -item[1])[:_MAX_KEYS])
    return {"pages": seen, "counts": counts}


def site_keys(state: dict | None) -> frozenset[str]:
    """The keys of the lines that are the site's."""
    counts = (state or {}).get("counts", {})
    return frozenset(k for k, n in counts.items() if n >= (SITE_PAGES if k.startswith("s") else LONG_LINE_PAGES))


def drop_site_lines(text: str, keys: frozenset[str]) -> str:
    if not keys:
        return text
    kept = []
    for raw in text.split("\n"):
        line = line_key(raw)
        tagged = ("s" if len(line) <= _SHORT_CHARS else "l") + _key(line)
        if not (_MIN_CHARS <= len(line) <= _MAX_CHARS and tagged in keys):
            kept.append(raw)
    return "\n".join(kept)
