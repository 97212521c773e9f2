"""Text features that story grouping and the gazetteer share: tokens, stems, numbers, language.

Everything here works on the normalized tokens of `extractors.arabic` (clitics split off),
so the gazetteer and the story signature see the same word forms as topic matching.
"""

from __future__ import annotations

from functools import lru_cache
from typing import NamedTuple, Sequence

import Stemmer

from extractors.arabic import suffix_spans
from extractors.dates_names import ENGLISH, GREGORIAN_AR
from extractors.language import script_letters
from extractors.stemming import token_forms


class Tok(NamedTuple):
    norm: str
    start: int
    end: int
    forms: tuple[str, ...]  # every plausible reading (clitic splits); norm is one of them


# ---- tokenization ------------------------------------------------------------------------------

def tokens(text: str, start: int = 0) -> tuple[Tok, ...]:
    """Normalized tokens (extractors.arabic) of `text[start:]`, with offsets in it and their
    clitic-split readings.

    Built from the word spans directly: going through `tokenize` made an `arabic.Token` per
    word only to copy it into a Tok (a third of the time of this function).
    """
    found = []
    for begin, end, word in suffix_spans(text, start):
        norm, forms = token_forms(word)
        if norm:
            found.append(Tok(norm, begin, end, forms or (norm,)))
    return tuple(found)


def norm_words(text: str) -> list[str]:
    return [t.norm for t in tokens(text)]


# ---- stems and stopwords --------------------------------------------------------------------

# Snowball's own algorithms, compiled (PyStemmer): snowballstemmer's pure-Python Arabic stemmer took
# ~90 µs a word here (0.4 µs compiled, the same stems: tests/test_story_stems.py), so a fresh
# process paid ~10 ms a page until its cache of stems warmed (bench/prepare.py); every
# scheduled run is a fresh process.
_AR_STEM = Stemmer.Stemmer("arabic")
_EN_STEM = Stemmer.Stemmer("english")

STOPWORDS = frozenset("""
من في علي الي عن ان انه انها انهم التي الذي الذين اللذين هذا هذه ذلك تلك هناك هنا مع كان كانت يكون
تكون قد لقد لم لن لا ما ماذا بعد قبل عند عندما حيث او ثم كما اي ايه كل بين خلال حول وفق وفقا ضد منذ
حتي غير عبر الا لكن ايضا قال قالت اضاف اضافت اكد اكدت يوم اليوم امس مساء صباح فيما وقت له لها لهم به
بها بهم منه منها عليه عليها اليه اليها فيه فيها هو هي هم نحو اذا اذ وقد ولم لدي ليس وهو وهي اكثر اقل
نفس احد احدي جميع بعض عدد عده تم يتم جري ذات مثل دون سوي بينما اما اثر اثناء الان حاليا السبت الاحد
الاثنين الثلاثاء الاربعاء الخميس الجمعه يناير فبراير مارس ابريل مايو يونيو يوليو اغسطس سبتمبر اكتوبر
نوفمبر ديسمبر كانون شباط اذار نيسان ايار حزيران تموز اب ايلول تشرين الثاني الاول the a an of in on
at to and or but for from by with as is are was were be been being has have had it its this that
these those which who whom whose what when where while after before over under into about than said
says say told also not no will would could should can may might their there they them he she his her
we our you your i monday tuesday wednesday thursday friday saturday sunday january february march
april june july august september october november december according reported report reports news
via وان بان لان ذي تي ذين اخري اخر اخرون اخرين ضمن اطار
""".split())


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """Light stem so قتلى/مقتل-style and plural/singular rewrites meet; Latin via English Snowball."""
    if word.isdigit():
        return word
    if "\u0600" <= word[0] <= "\u06FF":
        return _AR_STEM.stemWord(word)
    return _EN_STEM.stemWord(word)


def content_stems(toks: Sequence[Tok]) -> list[str]:
    """Stems of the words that can carry an event (no stopwords, digits or one-letter tokens)."""
    return [stem(t.norm) for t in toks
            if len(t.norm) > 2 and not t.norm[0].isdigit() and STOPWORDS.isdisjoint(t.forms)]


def language(text: str) -> str:
    """'ar' when Arabic letters dominate, else 'en' (the only two rasid groups by now)."""
    arabic, latin = script_letters(text)
    return "ar" if arabic >= latin else "en"


# ---- numbers --------------------------------------------------------------------------------

_UNITS = {"واحد": 1, "احد": 1, "اثنان": 2, "اثنين": 2, "اثنتين": 2, "اثنتان": 2, "ثلاث": 3, "ثلاثه": 3,
          "اربع": 4, "اربعه": 4, "خمس": 5, "خمسه": 5, "ست": 6, "سته": 6, "سبع": 7, "سبعه": 7, "ثماني": 8,
          "ثمانيه": 8, "ثمان": 8, "تسع": 9, "تسعه": 9, "عشر": 10, "عشره": 10,
          "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
          "ten": 10, "eleven": 11, "twelve": 12}
_TENS = {"عشرين": 20, "عشرون": 20, "ثلاثين": 30, "ثلاثون": 30, "اربعين": 40, "اربعون": 40, "خمسين": 50,
         "خمسون": 50, "ستين": 60, "ستون": 60, "سبعين": 70, "سبعون": 70, "ثمانين": 80, "ثمانون": 80,
         "تسعين": 90, "تسعون": 90, "مئه": 100, "مائه": 100,
         "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
         "ninety": 90, "hundred": 100}
_JOINERS = {"و", "and"}
_WEEKDAYS = frozenset({"الاثنين", "والاثنين", "بالاثنين"})  # surface forms; bare «اثنين» is two
_VAGUE = frozenset("عشرات العشرات مئات المئات الاف آلاف dozens hundreds thousands".split())
_NUMBER_WORDS = frozenset(_UNITS) | frozenset(_TENS)


def _word_value(forms: tuple[str, ...]) -> int | None:
    word = forms[0]
    if word.isdigit():
        return int(word) if len(word) <= 7 else None
    if word in _WEEKDAYS or not _VAGUE.isdisjoint(forms):  # «الاثنين» Monday; «عشرات» "dozens" is no count
        return None
    for form in forms:
        value = _UNITS.get(form, _TENS.get(form))
        if value is not None:
            return value
    return None


def numbers_at(words: list[tuple[str, ...]]) -> list[tuple[int, int]]:
    """(index, value) of each number in a list of token forms, digits or words.

    Compound number words are summed («أربعة وثلاثين», "thirty-four" -> 34); "1,500" -> 1500.
    """
    found: list[tuple[int, int]] = []
    resume = 0  # the scan goes on after the last number read (a compound one spans several tokens)
    for i in _number_candidates(words):
        value = _word_value(words[i]) if i >= resume else None
        if value is None:
            continue
        j = i + 1
        if words[i][0].isdigit():  # thousands written 1,500 arrive as digit runs 1 and 500
            while j < len(words) and words[j][0].isdigit() and len(words[j][0]) == 3 and value < 1000:
                value, j = value * 1000 + int(words[j][0]), j + 1
        else:
            k = j + 1 if j < len(words) and words[j][0] in _JOINERS else j
            nxt = _word_value(words[k]) if k < len(words) and not words[k][0].isdigit() else None
            if nxt is not None and (value < 10 <= nxt or nxt < 10 <= value):
                value, j = value + nxt, k + 1
        found.append((i, value))
        resume = j
    return found


def _number_candidates(words: list[tuple[str, ...]]) -> list[int]:
    """Positions of digit runs and of words with a number-word reading, the only ones
    `_word_value` can read: filtering here, not calling it on every token, halves numbers_at."""
    return [i for i, forms in enumerate(words) if forms[0].isdigit() or not _NUMBER_WORDS.isdisjoint(forms)]


def is_year(value: int) -> bool:
    return 1900 <= value <= 2100


# ---- casualty facts and dates ----------------------------------------------------

# Casualty words, by where their count stands: «مقتل 3», "killing three" (count after);
# «3 قتلى», "three soldiers were killed" (count before); «أصيب 5» / «5 أصيبوا» (either).
_AFTER, _BEFORE, _EITHER = "after", "before", "either"
CASUALTY_WORDS: dict[str, tuple[str, str]] = {
    **{w: ("killed", _AFTER) for w in "مقتل مصرع استشهاد killing kills".split()},
    **{w: ("killed", _BEFORE) for w in "قتلي قتلى قتيل قتيلا شهداء شهيدا killed dead died deaths".split()},
    **{w: ("killed", _EITHER) for w in "قتل قتلوا".split()},
    **{w: ("wounded", _AFTER) for w in "اصابه اصابات جرح wounding injuring".split()},
    **{w: ("wounded", _BEFORE) for w in "جرحي جرحى جريح جريحا مصابين مصابا wounded injured hurt".split()},
    **{w: ("wounded", _EITHER) for w in "اصيب اصيبوا".split()},
}
_NEGATORS = frozenset("no not none without لم لا دون بدون عدم".split())
_REACH = 8
_TO = frozenset({"الي", "to"})


def _casualty_word(forms: tuple[str, ...]) -> tuple[str, str] | None:
    if CASUALTY_WORDS.keys().isdisjoint(forms):  # most words: answered without a Python loop
        return None
    return next((CASUALTY_WORDS[f] for f in forms if f in CASUALTY_WORDS), None)


def _counts_toward(words: list[tuple[str, ...]], counts: dict[int, int], positions: range) -> list[int]:
    """Positions of counts in scan order, up to the next casualty word (which owns what lies beyond)."""
    found = []
    for i in positions:
        if _casualty_word(words[i]) is not None:
            break
        if i in counts:
            found.append(i)
    return found


def _risen_to(words: list[tuple[str, ...]], counts: dict[int, int], j: int) -> int | None:
    """«ارتفع عدد المصابين ... إلى 34», "wounded rose to 34": the count after "to" wins."""
    for i in range(j + 1, min(len(words) - 1, j + 1 + _REACH)):
        if _TO.intersection(words[i]) and i + 1 in counts:
            return i + 1
    return None


def casualty_facts(toks: Sequence[Tok], skip: frozenset[int] = frozenset()) -> tuple[tuple[str, int], ...]:
    """(kind, number) casualty figures: «مقتل 3 جنود وإصابة 25» -> killed 3, wounded 25;
    "three soldiers were killed and 25 injured" likewise. Negated counts ("no one was hurt",
    «لم يصب أحد») are not figures, nor numbers at `skip` positions (inside names: «البرج 22»)."""
    words = [t.forms for t in toks]
    counts = {i: v for i, v in numbers_at(words)
              if i not in skip and not is_year(v) and v >= 1
              and _NEGATORS.isdisjoint(f for w in words[max(0, i - 2):i] for f in w)}
    facts: dict[tuple[str, int], None] = {}
    casualty = CASUALTY_WORDS.keys()
    for j in [j for j, forms in enumerate(words) if not casualty.isdisjoint(forms)]:
        kind, where = _casualty_word(words[j])
        after = _counts_toward(words, counts, range(j + 1, min(len(words), j + 1 + _REACH)))
        before = _counts_toward(words, counts, range(j - 1, max(-1, j - 1 - _REACH), -1))
        order = {_AFTER: (after, before[:1] if before and before[0] == j - 1 else []),
                 _BEFORE: (before, after[:1] if after and after[0] == j + 1 else []),
                 _EITHER: (after[:1] if after and after[0] <= j + 2 else [], before)}[where]
        hit = _risen_to(words, counts, j)
        if hit is None:
            hit = next((found[0] for found in order if found), None)
        if hit is not None:
            facts[(kind, counts[hit])] = None
    return tuple(facts)


def _phrases(names: dict[str, int]) -> dict[str, list[tuple[tuple[str, ...], int]]]:
    by_first: dict[str, list[tuple[tuple[str, ...], int]]] = {}
    for name, month in names.items():
        words = tuple(t.norm for t in tokens(name))
        if words:
            by_first.setdefault(words[0], []).append((words, month))
    return by_first


_MONTHS = _phrases({**GREGORIAN_AR, **ENGLISH})


def _month_at(toks: Sequence[Tok], i: int) -> tuple[int, int] | None:
    """(month, words used) when a month name starts at token i."""
    for form in toks[i].forms:
        for words, month in _MONTHS.get(form, ()):
            if all(i + k < len(toks) and w in toks[i + k].forms for k, w in enumerate(words)):
                return month, len(words)
    return None


def dates_named(toks: Sequence[Tok]) -> tuple[str, ...]:
    """Calendar dates the text names, language-neutral: «28 كانون الثاني» / "January 28" -> "d28-m1",
    «سبتمبر 2025» / "September 2025" -> "m9-2025". A month name counts only next to a number
    (so the verb "may" and «مارس» "he practised" are not months)."""
    found: dict[str, None] = {}
    i = 0
    while i < len(toks):
        hit = _month_at(toks, i)
        if hit is None:
            i += 1
            continue
        month, used = hit
        after = i + used
        again = _month_at(toks, after) if after < len(toks) else None  # «أكتوبر/ تشرين الأول»
        if again is not None and again[0] == month:
            after += again[1]
        before = toks[i - 1].norm if i else ""
        nxt = toks[after].norm if after < len(toks) else ""
        if before.isdigit() and 1 <= int(before) <= 31:
            found[f"d{int(before)}-m{month}"] = None
        elif nxt.isdigit() and 1 <= int(nxt) <= 31:
            found[f"d{int(nxt)}-m{month}"] = None
            nxt = toks[after + 1].norm if after + 1 < len(toks) else ""
        if nxt.isdigit() and is_year(int(nxt)):
            found[f"m{month}-{nxt}"] = None
        i = after
    return tuple(found)
