"""Arabic, Persian, Kurdish (Sorani) or English: which language a page's text is in.

Persian, Sorani Kurdish and Arabic share a script, and Iraqi sites even emit Persian
ی, ک and ە in Arabic text, so those letters alone prove nothing. The letters only
Persian uses (پ چ ژ گ) or only Sorani uses (ێ ۆ ڵ ڕ), Persian digits, and the most
frequent function words of each language decide; Latin-script text is English when
English function words show.
"""

from __future__ import annotations

import re

_WORD = re.compile(r"[\w\u200c]+")
_PERSIAN_LETTERS = set("پچژگ۰۱۲۳۴۵۶۷۸۹")
_PERSIAN_WORDS = frozenset(
    "است این در به از که را با می های برای شد شده کرد کند نیز یک تا آن ها بر هم اند خود وی "
    "اما باید گفت شود دارد کرده بود بوده گزارش ایران".split())
_ARABIC_WORDS = frozenset(
    "في من على إلى أن التي الذي عن مع هذا هذه كان قال بين بعد حتى إن لم ولا وقد قد كما عام ذلك "
    "أو ثم لا ما وفي الى اليوم خلال".split())
_SORANI_LETTERS = set("ێۆڵڕ")
_SORANI_WORDS = frozenset("لە بۆ ئەو ئەم کە بە هەروەها دەکات دەڵێت لەگەڵ ئەوەی بەڵام نییە کرا هەیە".split())
_ENGLISH_WORDS = frozenset("the of and to in a is that for on with as was by at from it".split())


def detect_language(text: str, *, hint: str | None = None) -> str | None:
    """'ar', 'fa', 'ckb', 'en', or `hint` (the page's declared language) when the text is too short to tell."""
    sample = text[:20000]
    arabic_script = sum(1 for ch in sample if "\u0600" <= ch <= "\u06ff")
    latin = sum(1 for ch in sample if ch.isascii() and ch.isalpha())
    if arabic_script + latin < 40:
        return _short(hint)
    if arabic_script >= latin:
        return _arabic_or_persian(sample)
    words = _WORD.findall(sample.lower())
    english = sum(1 for w in words if w in _ENGLISH_WORDS)
    return "en" if english >= max(3, len(words) // 30) else _short(hint)


def _arabic_or_persian(sample: str) -> str:
    words = _WORD.findall(sample)
    scores = {
        "ar": sum(1 for w in words if w in _ARABIC_WORDS or w.startswith("ال")),
        "fa": sum(1 for w in words if w in _PERSIAN_WORDS) + sum(ch in _PERSIAN_LETTERS for ch in sample) // 3,
        "ckb": sum(1 for w in words if w in _SORANI_WORDS) + sum(ch in _SORANI_LETTERS for ch in sample) // 3,
    }
    best = max(scores, key=scores.get)
    return best if scores[best] > scores["ar"] else "ar"


def _short(hint: str | None) -> str | None:
    if not hint:
        return None
    code = hint.strip().lower().replace("_", "-").split("-")[0]
    return code if code.isalpha() and 2 <= len(code) <= 3 else None
