"""Consonant skeletons of names, so an English copy can find its Arabic story without the gazetteer.

Users write their own topics: a story about Tunisia, Ankara or El Fasher names places and people
the gazetteer does not list, and then nothing language-neutral links «تونس» to "Tunisia". Both
spellings keep the consonants of the name: map each script's letters to a few shared consonant
classes, drop vowels, weak letters and the article, and "Tunisia" and «تونس» both read "tns",
"El Fasher" and «الفاشر» "fsr", "Wad Madani" and «مدني» "mdn". Skeletons shorter than three
consonants (Oman, Kuwait) say too little and are left out. The English side takes capitalized
words only (names); the Arabic side has no capitals, so every reading of every word of the lede
counts, and a chance collision with a common Arabic word is what the fitted weight prices in.
"""

from __future__ import annotations

from typing import Iterable

MIN_CONSONANTS = 3

_LATIN_DIGRAPHS = (("sh", "s"), ("kh", "k"), ("gh", "k"), ("th", "t"), ("dh", "d"), ("ph", "f"), ("ch", "s"))
_LATIN = {**dict.fromkeys("bp", "b"), "t": "t", "d": "d", **dict.fromkeys("jgkqc", "k"),
          **dict.fromkeys("szx", "s"), **dict.fromkeys("fv", "f"), "l": "l", "m": "m", "n": "n", "r": "r"}
_ARABIC = {"ب": "b", **dict.fromkeys("تطثة", "t"), **dict.fromkeys("دضذ", "d"), **dict.fromkeys("جكقخغگ", "k"),
           **dict.fromkeys("سصشزظ", "s"), **dict.fromkeys("فڤ", "f"), "ل": "l", "م": "m", "ن": "n", "ر": "r"}


def _collapse(letters: Iterable[str]) -> str:
    out: list[str] = []
    for c in letters:
        if not out or out[-1] != c:
            out.append(c)
    return "".join(out)


def latin_skeleton(word: str) -> str:
    """"El-Fasher" -> "fsr"; "" when fewer than three consonants remain."""
    w = word.lower()
    for article in ("al-", "el-", "ad-", "ar-", "as-", "ash-", "az-"):
        if w.startswith(article) and len(w) > len(article) + 2:
            w = w[len(article):]
            break
    for pair, single in _LATIN_DIGRAPHS:
        w = w.replace(pair, single)
    skeleton = _collapse(_LATIN[c] for c in w if c in _LATIN)
    return skeleton if len(skeleton) >= MIN_CONSONANTS else ""


def arabic_skeleton(word: str) -> str:
    """«الفاشر» -> "fsr"; "" when fewer than three consonants remain."""
    if word.startswith("ال") and len(word) > 4:
        word = word[2:]
    skeleton = _collapse(_ARABIC[c] for c in word if c in _ARABIC)
    return skeleton if len(skeleton) >= MIN_CONSONANTS else ""


def name_skeletons(text: str, spans: Iterable[tuple[int, int, tuple[str, ...]]], lang: str) -> tuple[str, ...]:
    """Skeletons of the names among words given as (start, end, readings) offsets into text: an
    English word counts when written with a capital, an Arabic one by each of its readings."""
    found: dict[str, None] = {}
    for start, end, forms in spans:
        if lang == "en":
            surface = text[start:end]
            if surface[:1].isupper():
                found[latin_skeleton(surface)] = None
        else:
            for form in forms:
                found[arabic_skeleton(form)] = None
    found.pop("", None)
    return tuple(found)
