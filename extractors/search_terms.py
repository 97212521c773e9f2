"""The words an article is found by in the archive search index (storage/search.py).

Pure, so it runs where extraction runs (in a worker process for large polls) and the
storing process only writes the result.
"""

from __future__ import annotations

from extractors.arabic import normalize, word_spans
from extractors.stemming import token_forms

MAX_FORM = 100          # longer "words" are run-together junk; PostgreSQL caps a lexeme at 2 KB


def index_terms(title: str, text: str | None) -> str:
    """The distinct word forms of an article, as the matcher reads `title + "\\n" + text`."""
    document = f"{title or ''}\n{text or ''}"
    forms: set[str] = set()
    for _, _, word in word_spans(normalize(document), document):
        forms.update(token_forms(word)[1])
    return " ".join(sorted(form for form in forms if len(form) <= MAX_FORM))
