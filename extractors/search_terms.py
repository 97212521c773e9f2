"""The words an article is found by in the archive search index (storage/search.py).

Pure, so it runs where extraction runs (in a worker process for large polls) and the
storing process only writes the result.
"""

from __future__ import annotations

from extractors.arabic import joined_spans
from extractors.stemming import token_forms

MAX_FORM = 100          # longer "words" are run-together junk; PostgreSQL caps a lexeme at 2 KB


def index_terms(title: str, text: str | None) -> str:
    """The distinct word forms of an article, as the matcher reads `title + "\\n" + text` (the
    matcher and the signature have just read both parts, so their spans are remembered)."""
    forms: set[str] = set()
    for _, _, word in joined_spans(title or "", text or ""):
        forms.update(token_forms(word)[1])
    return " ".join(sorted(form for form in forms if len(form) <= MAX_FORM))
