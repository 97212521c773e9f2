"""Arabic, Persian, Kurdish (Sorani) or English: which language a page's text is in.

Persian, Sorani Kurdish and Arabic share a script, and Iraqi sites even emit Persian
ی, ک and ە in Arabic text, so those letters alone prove nothing. The letters only
Persian uses (پ چ ژ گ) or only Sorani uses (ێ ۆ ڵ ڕ), Persian digits, and the most
frequent function words of each language decide; Latin-script text is English when
English function words show.
"""

from __future__ import annotations

import re
from collections import Counter

_WORD = re.compile(r"[\w\u200c]+")
_ARABIC_LEAD_BYTES = (b"\xd8", b"\xd9", b"\xda", b"\xdb")  # UTF-8 of U+0600..U+06FF: two bytes led by these
_ASCII_LETTERS = bytes(range(ord("A"), ord("Z") + 1)) + bytes(range(ord("a"), ord("z") + 1))
_PERSIAN_LETTERS = re.compile("[پچژگ۰۱۲۳۴۵۶۷۸۹]+")
_PERSIAN_WORDS = frozenset(
    "است این در به از که را با می های برای شد شده کرد کند نیز یک تا آن ها بر هم اند خود وی "
    "اما باید گفت شود دارد کرده بود بوده گزارش ایران".split())
_ARABIC_WORDS = frozenset(
    "في من على إلى أن التي الذي عن مع هذا هذه كان قال بين بعد حتى إن لم ولا وقد قد كما عام ذلك "
    "أو ثم لا ما وفي الى اليوم خلال".split())
_SORANI_LETTERS = re.compile("[ێۆڵڕ]+")
_SORANI_WORDS = frozenset("لە بۆ ئەو ئەم کە بە هەروەها دەکات دەڵێت لەگەڵ ئەوەی بەڵام نییە کرا هەیە".split())
_ENGLISH_WORDS = frozenset("the of and to in a is that for on with as was by at from it".split())


def detect_language(text: str, *, hint: str | None = None) -> str | None:
    """'ar', 'fa', 'ckb', 'en', or `hint` (the page's declared language) when the text is too short to tell."""
    sample = text[:20000]
    arabic_script, latin = script_letters(sample)
    if arabic_script + latin < 40:
        return _short(hint)
    if arabic_script >= latin:
        return _arabic_or_persian(sample)
    words = _WORD.findall(sample.lower())
    english = _hits(Counter(words), _ENGLISH_WORDS)
    return "en" if english >= max(3, len(words) // 30) else _short(hint)


def script_letters(text: str) -> tuple[int, int]:
    """(Arabic-script characters U+0600..U+06FF, ASCII letters) in text.

    Counted on the UTF-8 bytes, in C: the lead bytes D8..DB start exactly those characters and
    never occur inside another one, and ASCII letters are single bytes found nowhere else.
    """
    data = text.encode("utf-8", "surrogatepass")
    return sum(map(data.count, _ARABIC_LEAD_BYTES)), len(data) - len(data.translate(None, _ASCII_LETTERS))


def _count(chars: re.Pattern, text: str) -> int:
    """How many characters of text the character class matches, counted in C: a Python loop
    over the 20 000-character sample cost more than all the rest of detection."""
    return len(text) - len(chars.sub("", text))


def _hits(counts: Counter, vocabulary: frozenset[str]) -> int:
    """Occurrences of the vocabulary's words (walking the short list, not the text)."""
    return sum(counts.get(w, 0) for w in vocabulary)


def _arabic_or_persian(sample: str) -> str:
    counts = Counter(_WORD.findall(sample))
    scores = {
        "ar": sum(n for w, n in counts.items() if w in _ARABIC_WORDS or w.startswith("ال")),
        "fa": _hits(counts, _PERSIAN_WORDS) + _count(_PERSIAN_LETTERS, sample) // 3,
        "ckb": _hits(counts, _SORANI_WORDS) + _count(_SORANI_LETTERS, sample) // 3,
    }
    best = max(scores, key=scores.get)
    return best if scores[best] > scores["ar"] else "ar"


def _short(hint: str | None) -> str | None:
    if not hint:
        return None
    code = hint.strip().lower().replace("_", "-").split("-")[0]
    return code if code.isalpha() and 2 <= len(code) <= 3 else None
