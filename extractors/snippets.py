"""Why a topic matched, shown in the outlet's own words: the sentence around the strongest hit."""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from typing import NamedTuple

# A sentence ends at . ! ? ؟ ؛ followed by space (not in 2.3 or after the single letters of
# U.S.), at a line break, or at a wide gap left by page layout.
_SENTENCE_END = re.compile(r"[.!?؟؛]+(?=\s|$)\s*|\n\s*|  \s+")
MAX_SNIPPET = 300    # longer sentences are cut to a window around the hits
WINDOW = 220
ELLIPSIS = "…"


class Hit(NamedTuple):
    """A query term that hit: char span in the original document and the term as written.

    A named tuple, not a dataclass: a long article can yield hundreds per topic.
    """

    start: int
    end: int
    term: str
    weight: int = 1     # 2 for hits that satisfied a NEAR: the heart of the query, not its context


@dataclass(frozen=True)
class Snippet:
    text: str
    highlights: tuple[tuple[int, int], ...]


def sentence_bounds(document: str) -> list[int]:
    """Start offsets of the sentences of a document (first is 0)."""
    return [0] + [found.end() for found in _SENTENCE_END.finditer(document) if not _abbreviation(document, found.start())]


def _abbreviation(document: str, end: int) -> bool:
    """A full stop right after a lone Latin letter (the S. of U.S.) does not end a sentence."""
    return document[end] == "." and end >= 1 and document[end - 1].isascii() and document[end - 1].isalpha() \
        and (end == 1 or not document[end - 2].isalnum())


def build_snippet(document: str, hits: list[Hit], bounds: list[int]) -> Snippet:
    """The sentence where the strongest distinct terms meet (earliest on a tie), hits marked."""
    by_sentence: dict[int, dict[str, int]] = {}
    for hit in hits:
        terms = by_sentence.setdefault(bisect_right(bounds, hit.start) - 1, {})
        terms[hit.term] = max(terms.get(hit.term, 0), hit.weight)
    best = max(by_sentence, key=lambda index: (sum(by_sentence[index].values()), -index))
    start = bounds[best]
    end = bounds[best + 1] if best + 1 < len(bounds) else len(document)
    inside = _merge(sorted((h.start, h.end) for h in hits if start <= h.start < end))
    start, end = _strip(document, start, end)
    cut_start, cut_end = _window(document, start, end, inside)
    text = (ELLIPSIS if cut_start > start else "") + document[cut_start:cut_end] + (ELLIPSIS if cut_end < end else "")
    shift = (len(ELLIPSIS) if cut_start > start else 0) - cut_start
    highlights = tuple((s + shift, min(e, cut_end) + shift) for s, e in inside if cut_start <= s < cut_end)
    return Snippet(text, highlights)


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Overlapping hits (a phrase and a word inside it) become one highlight."""
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _strip(document: str, start: int, end: int) -> tuple[int, int]:
    while start < end and document[start].isspace():
        start += 1
    while end > start and document[end - 1].isspace():
        end -= 1
    return start, end


def _window(document: str, start: int, end: int, inside: list[tuple[int, int]]) -> tuple[int, int]:
    """An over-long sentence is cut to ~WINDOW chars beginning a little before the first hit."""
    if end - start <= MAX_SNIPPET:
        return start, end
    first_start, first_end = inside[0]
    cut_start = max(start, first_start - WINDOW // 3)
    if cut_start > start:
        space = document.find(" ", cut_start, first_start)
        cut_start = space + 1 if space >= 0 else cut_start
    cut_end = min(end, max(cut_start + WINDOW, first_end))
    if cut_end < end:
        space = document.rfind(" ", first_end, cut_end)
        cut_end = space if space > 0 else cut_end
    return cut_start, cut_end


def mark(text: str, highlights: tuple[tuple[int, int], ...], open_: str, close: str) -> str:
    """The snippet with each highlight wrapped in open/close markers."""
    out, prev = [], 0
    for start, end in sorted(highlights):
        if start < prev:
            continue
        out += [text[prev:start], open_, text[start:end], close]
        prev = end
    out.append(text[prev:])
    return "".join(out)
