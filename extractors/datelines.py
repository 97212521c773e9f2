"""The dateline an article's body may open with: «بغداد/المسلة الحدث:», «شفق نيوز - بغداد»,
"ERBIL (Kurdistan 24) –", "TEHRAN, Iran (AP) —".

It names where the outlet or its correspondent sits, not where the development happened:
a Kurdish outlet's "ERBIL" over a report of missiles on Ain al-Asad made Erbil the story's
main place and split it from every other copy (measured on the real evaluation set). Story
signatures are therefore computed without it.
"""

from __future__ import annotations

import re

MAX_WORDS = 6        # a dateline segment is a place, an outlet, a byline: a few words
MAX_CHARS = 80       # all its segments together
# what ends a segment: a dash with a space on at least one side, a colon, the end of a short first line
_END = re.compile(r"\s[-–—ـ]+\s?|[-–—ـ]+\s|:\s|\n")
_PLACE_IN_PARENS = re.compile(r"\(\w[^()\n]{0,30}\)\s")   # «(واشنطن) أعلنت …»
_WORD = re.compile(r"\w+")


def dateline_end(text: str) -> int:
    """Characters of `text` taken by an opening dateline (0 when it has none): one or more short
    segments, each ended by a dash, a colon or a line break («بغداد - ياسين صفوان - وقال …»)."""
    head = text.lstrip()
    offset = len(text) - len(head)
    opening = _PLACE_IN_PARENS.match(head)
    end = opening.end() if opening else 0
    while end < MAX_CHARS:
        match = _END.search(head, end, MAX_CHARS + 1)
        if match is None or not 1 <= len(_WORD.findall(head, end, match.start())) <= MAX_WORDS:
            break
        if not head[match.end():].strip():
            return 0  # the whole text is short: nothing would be left
        end = match.end()
    return offset + end if end else 0


def without_dateline(text: str) -> str:
    return text[dateline_end(text):]
