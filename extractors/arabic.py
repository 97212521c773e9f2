"""Arabic (and English) text as the matcher sees it: one normalized form, tokens that map back.

Iraqi and Gulf sites write the same word many ways (أ/إ/ا, ى/ي, ة/ه, Persian ی and ک,
tatweel, vowel marks, Eastern digits). Matching runs on one folded form so a topic
written once finds every spelling; every normalized character remembers its index in
the original text so snippets and highlights show what the outlet actually wrote.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain

from extractors.stemming import token_forms

# One-to-one letter folds (DESIGN.md "Arabic text, done properly").
_FOLD = {
    "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ٲ": "ا", "ٳ": "ا",
    "ى": "ي", "ئ": "ي", "ی": "ي", "ې": "ي", "ێ": "ي", "ے": "ي",
    "ة": "ه", "ە": "ه", "ۀ": "ه", "ھ": "ه", "ہ": "ه",
    "ؤ": "و", "ٶ": "و",
    "ک": "ك", "ڪ": "ك",
    "«": '"', "»": '"', "“": '"', "”": '"', "„": '"', "‟": '"', "″": '"', "〝": '"', "〞": '"',
    "‘": "'", "’": "'", "‚": "'", "‛": "'", "′": "'",
    "٫": ".", "٬": ",",
}
_FOLD.update({chr(0x0660 + d): str(d) for d in range(10)})   # Eastern Arabic digits
_FOLD.update({chr(0x06F0 + d): str(d) for d in range(10)})   # Persian digits
_FOLD.update({chr(c): chr(c + 32) for c in range(ord("A"), ord("Z") + 1)})

# Removed outright: tatweel, harakat and Quranic marks, and invisible format characters.
_DROP = (
    "\u0640"                                    # tatweel
    "\u0610-\u061a\u064b-\u065f\u0670"          # harakat, hamza/madda above/below, dagger alef
    "\u06d6-\u06dc\u06df-\u06e8\u06ea-\u06ed"   # Quranic annotation marks
    "\u00ad\u061c\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff"  # soft hyphen, bidi and zero-width marks
)
_DROP_RE = re.compile(f"[{_DROP}]+")
_TABLE = str.maketrans({**_FOLD, **dict.fromkeys("".join(_DROP_RE.findall("".join(map(chr, range(0x00a0, 0x10000))))))})
# The same table as a list indexed by code point (2.4 MB). str.translate looks up every character,
# and a dict raises and swallows a KeyError for each one it lacks, most of an Arabic text:
# the list answers them all, 2.3x faster. Characters past its end raise IndexError and are
# kept, as the dict keeps what it lacks.
_TABLE_BY_CODE = [_TABLE.get(code, code) for code in range(max(_TABLE) + 1)]
# Characters whose fold is not one-to-one (presentation-form ligatures, non-ASCII capitals).
_SLOW_RE = re.compile(r"[\ufb50-\ufdff\ufe70-\ufefc\u00c0-\u024f\u0370-\u03ff\u0400-\u04ff]")

_TOKEN_RE = re.compile(
    r"[\u0621-\u063a\u0641-\u064a\u066e-\u066f\u0671-\u06d3\u06d5\u06fa-\u06fc]+"   # Arabic letters
    r"|[a-z](?:\.[a-z])+\.?(?![a-z])"                                             # U.S., U.N.
    r"|[a-z\u00df-\u024f]+(?:'[a-z\u00df-\u024f]+)*"                               # Latin words
    r"|[0-9]+")
_COMBINING_TAIL = re.compile(f"[{_DROP}]*")
_DROPPED = frozenset(chr(code) for code, value in _TABLE.items() if value is None)


@dataclass(frozen=True)
class Normalized:
    """Normalized text; offsets[i] is the index in the original text of normalized char i."""

    text: str
    offsets: tuple[int, ...]


@dataclass(frozen=True)
class Token:
    """One word. norm: normalized, article and its prefixed clitics split off (وبالتحالف -> تحالف).

    start/end are offsets in the ORIGINAL text. forms: every reading the matcher tries
    (surface, and each plausible clitic split), so a query word matches any of them.
    """

    norm: str
    start: int
    end: int
    forms: tuple[str, ...] = ()


def normalize(text: str) -> Normalized:
    """Fold spelling variants; keep a map from every output char back to the original."""
    if _SLOW_RE.search(text):
        return _normalize_slow(text)
    folded = text.translate(_TABLE_BY_CODE)
    if len(folded) == len(text):
        return Normalized(folded, tuple(range(len(text))))
    kept, prev = [], 0
    for dropped in _DROP_RE.finditer(text):
        kept.append(range(prev, dropped.start()))
        prev = dropped.end()
    kept.append(range(prev, len(text)))
    return Normalized(folded, tuple(chain.from_iterable(kept)))


def _normalize_slow(text: str) -> Normalized:
    """Char by char, for text holding ligatures or capitals whose fold changes length."""
    out: list[str] = []
    offsets: list[int] = []
    for index, char in enumerate(text):
        piece = _fold_char(char)
        out.append(piece)
        offsets.extend([index] * len(piece))
    return Normalized("".join(out), tuple(offsets))


@lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    if "\ufb50" <= char <= "\ufefc":
        char = unicodedata.normalize("NFKC", char)
    return char.lower().translate(_TABLE)


def tokenize(text: str) -> tuple[Token, ...]:
    """Split text into words (Arabic letters, Latin words, digit runs), clitics split off."""
    return tokens_of(normalize(text), text)


def tokens_of(normalized: Normalized, original: str) -> tuple[Token, ...]:
    """Tokens of an already normalized text (normalize once per article, reuse here)."""
    return tuple(Token(token_forms(word)[0], start, end, token_forms(word)[1])
                 for start, end, word in word_spans(normalized, original))


def word_spans(normalized: Normalized, original: str) -> list[tuple[int, int, str]]:
    """(start, end, normalized word) per token, offsets in the original: the matcher's fast path."""
    offsets = normalized.offsets
    size = len(original)
    if len(normalized.text) == size and offsets == tuple(range(size)):
        # Nothing was dropped or expanded (offsets are 0..n-1): positions carry over as they are.
        return [(found.start(), found.end(), _undot(found.group())) for found in _TOKEN_RE.finditer(normalized.text)]
    out = []
    for found in _TOKEN_RE.finditer(normalized.text):
        end = offsets[found.end() - 1] + 1
        if end < size and original[end] in _DROPPED:
            end = _COMBINING_TAIL.match(original, end).end()
        out.append((offsets[found.start()], end, _undot(found.group())))
    return out


@lru_cache(maxsize=8)
def text_spans(text: str) -> tuple[tuple[int, int, str], ...]:
    """word_spans of `text`, remembered for the last few texts: the topic matcher and the story
    signature read the same title and body of each article, and normalizing costs as much
    as matching."""
    return tuple(word_spans(normalize(text), text))


def joined_spans(first: str, second: str) -> tuple[tuple[int, int, str], ...]:
    """word_spans of `first + "\n" + second`, made from the remembered spans of each part.

    Folding goes character by character and no word crosses the newline, so the parts'
    spans, the second's shifted, are the whole's; the exception is a document where only
    one part holds a character that sends `normalize` down its slow path (which lowercases
    beyond ASCII too): that one is read whole.
    """
    if bool(_SLOW_RE.search(first)) != bool(_SLOW_RE.search(second)):
        document = f"{first}\n{second}"
        return tuple(word_spans(normalize(document), document))
    shift = len(first) + 1
    return text_spans(first) + tuple((start + shift, end + shift, word) for start, end, word in text_spans(second))


def suffix_spans(text: str, start: int) -> tuple[tuple[int, int, str], ...]:
    """word_spans of `text[start:]`, taken from the remembered spans of `text` (the story signature
    reads the body without its dateline, the matcher all of it).

    Exact when no word crosses `start` and both strings take the same `normalize` path (see
    joined_spans); otherwise the suffix is read on its own.
    """
    if start == 0:
        return text_spans(text)
    if bool(_SLOW_RE.search(text)) == bool(_SLOW_RE.search(text, start)):
        spans = text_spans(text)
        first = bisect_left(spans, (start,))
        if first == 0 or spans[first - 1][1] <= start:
            return tuple((begin - start, end - start, word) for begin, end, word in spans[first:])
    rest = text[start:]
    return tuple(word_spans(normalize(rest), rest))


def _undot(word: str) -> str:
    """u.s. -> us: dotted abbreviations are one word."""
    return word.replace(".", "") if "." in word else word


def normalize_word(word: str) -> str:
    """The normalized text of one short string (query terms, list items)."""
    return normalize(word).text
