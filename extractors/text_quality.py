"""How good an extracted main text looks, judged from the page it came from (no outlet knowledge).

On outlets nobody tuned on, a wrong "main text" has a few recognisable shapes: the
navigation (lines that are each the text of a link, many of them short), a table of
menu cells, a related-headlines list, or a text far too short for what the page holds.
`assess` scores a text on those signs; `article_text` runs a second extraction when the
first looks bad and keeps the better one by `Quality.score`.

Lines are compared with whitespace collapsed only: nothing here changes the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from extractors.article_meta import clean

_SHORT_LINE_CHARS = 30      # a menu item, a cell, a tag: not a sentence
_SENTENCE_WORDS = 7         # a line of at least this many words reads as prose
_ENOUGH_PROSE = 400         # characters of prose below which a text is too short for an article page
_BAD_LINKED = 0.35          # share of the text's characters that are link texts
_BAD_SHORT = 0.6            # share of lines that are short, with at least _MANY_LINES lines
_MANY_LINES = 8
_MIN_LINK_TEXT = 2
_BULLET = re.compile(r"^[-*•·▪●]\s+")


@dataclass(frozen=True)
class Quality:
    chars: int          # all characters of the text's lines
    prose: int          # characters in prose lines that are not link texts
    linked: int         # characters in lines that are the whole text of a link
    short_lines: int
    lines: int

    @property
    def bad(self) -> bool:
        """Mostly links, mostly short cells, or too little prose for an article."""
        if self.prose < _ENOUGH_PROSE:
            return True
        if self.chars and self.linked > _BAD_LINKED * self.chars:
            return True
        return self.lines >= _MANY_LINES and self.short_lines > _BAD_SHORT * self.lines

    @property
    def score(self) -> float:
        """Prose counts for a text, link lines and short cells against it."""
        return self.prose - 2 * self.linked - 10 * self.short_lines


def link_texts(tree: Any) -> frozenset[str]:
    """The whitespace-collapsed texts of the page's links (a line equal to one is a link line)."""
    texts = set()
    for a in tree.iter("a"):
        text = clean(a.text_content())
        if len(text) >= _MIN_LINK_TEXT:
            texts.add(text)
    return frozenset(texts)


def line_key(line: str) -> str:
    """A line whitespace-collapsed, without the "- " trafilatura puts before a list item."""
    return _BULLET.sub("", clean(line))


def assess(text: str, links: frozenset[str]) -> Quality:
    chars = prose = linked = short = count = 0
    for raw in text.split("\n"):
        line = line_key(raw)
        if not line:
            continue
        count += 1
        chars += len(line)
        if line in links:
            linked += len(line)
        elif len(line.split()) >= _SENTENCE_WORDS:
            prose += len(line)
        if len(line) < _SHORT_LINE_CHARS:
            short += 1
    return Quality(chars, prose, linked, short, count)
