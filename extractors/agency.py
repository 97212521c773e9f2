"""Which wire agency an article is a copy of, so syndicated copies can be grouped.

An agency named in a photo credit («(اسم المصور/الأناضول)», «المصدر: رويترز» under a
picture) or quoted deep in the body does not make the article the agency's. It counts
when it stands where outlets put attribution: a dateline in parentheses near the start,
the agency told the news in the opening sentence («قال مسؤول ... لوكالة رويترز»), or a
credit line at the very end («المصدر: فرانس برس»).
"""

from __future__ import annotations

import re

_AGENCIES = {  # canonical name -> regex alternatives (Arabic, Persian, English)
    "Reuters": r"رويترز|رويتر|رویترز|Reuters",
    "AP": r"أسوشيتد\s*برس|اسوشيتد\s*برس|أسوشيتدبرس|أسوشييتد\s*برس|اسوشييتد\s*برس|أسوشيتيد\s*برس"
          r"|آسوشیتدپرس|Associated\s+Press|\(AP\)",
    "AFP": r"فرانس\s*برس|فرانس\s*بريس|فرانس\s*پرس|أ\s*\.?\s*ف\s*\.?\s*ب|ا\s*ف\s*ب|AFP|Agence\s+France",
    "DPA": r"د\s*\.?\s*ب\s*\.?\s*أ|الألمانية\s+للأنباء|وكالة\s+الأنباء\s+الألمانية|dpa",
    "Anadolu": r"الأناضول|الاناضول|Anadolu",
}
_NAME = {name: re.compile(rf"(?:{alt})", re.I) for name, alt in _AGENCIES.items()}
_ANY = "|".join(_AGENCIES.values())
_DATELINE = re.compile(rf"[(\[]\s*(?:{_ANY})\s*[)\]]|^\s*[^\n]{{0,40}}?\s[-–—]\s*(?:{_ANY})\s*[-–—:]", re.I)
_TOLD = re.compile(
    rf"(?:ل?وكال[ةه]\s+(?:أنباء\s+)?|ذكرت\s+|أفادت\s+|نقلت\s+|أوردت\s+|بحسب\s+|وفق\s+|وفقا\s+ل|حسب\s+|"
    rf"told\s+(?:the\s+)?|according\s+to\s+)[\"“«]?\s*(?:{_ANY})", re.I)
_CREDIT = re.compile(rf"(?:المصدر|مصدر|مصدر\s+الخبر|Source)\s*[:：]\s*[\"“«]?\s*(?:{_ANY})[\"”»]?\s*$", re.I)
_CREDIT_LINE = re.compile(rf"^\s*[(\[]?\s*(?:{_ANY})\s*[)\]]?\s*\.?\s*$", re.I | re.M)
_LEAD_CHARS, _TAIL_CHARS = 300, 120


def detect_agency(text: str, *, author: str | None = None) -> str | None:
    """'Reuters', 'AP', 'AFP', 'DPA', 'Anadolu', or None when the article is the outlet's own.

    A byline that is nothing but an agency's name («رويترز», "AFP") counts too.
    """
    if author and (byline := _CREDIT_LINE.fullmatch(author.strip())):
        return _which(byline)
    lead = text[:_LEAD_CHARS]
    tail = text[-_TAIL_CHARS:].strip()
    for pattern, part in ((_DATELINE, lead), (_TOLD, lead), (_CREDIT, tail), (_CREDIT_LINE, tail)):
        match = pattern.search(part)
        if match:
            return _which(match)
    return None


def _which(match: re.Match) -> str | None:
    return next((name for name, regex in _NAME.items() if regex.search(match.group(0))), None)
