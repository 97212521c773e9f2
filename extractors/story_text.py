"""Text features that story grouping and the gazetteer share: tokens, stems, numbers, language.

Everything here works on the normalized tokens of `extractors.arabic` (clitics split off),
so the gazetteer and the story signature see the same word forms. Until that module
lands, a minimal shim with the same interface stands in (`_shim_tokenize`).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple, Sequence

import snowballstemmer


class Tok(NamedTuple):
    norm: str
    start: int
    end: int
    forms: tuple[str, ...]  # every plausible reading (clitic splits); norm is one of them


# ---- tokenization (delegates to extractors.arabic when present) -------------------------------

try:  # the shared Arabic normalizer, once it exists
    from extractors.arabic import tokenize as _arabic_tokenize
except ImportError:  # pragma: no cover - transitional shim with the same interface
    _arabic_tokenize = None
    _FOLD = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه", "ؤ": "و", "ئ": "ي",
                           "ی": "ي", "ک": "ك", "ە": "ه", "ـ": None,
                           **{chr(0x660 + i): str(i) for i in range(10)},
                           **{chr(0x6F0 + i): str(i) for i in range(10)}})
    _DIACRITICS = re.compile("[\u064B-\u065F\u0670\u06D6-\u06ED]")
    _WORD = re.compile(r"[0-9]+|[^\W\d_]+")
    _PREFIXES = ("وبال", "وكال", "فبال", "وال", "بال", "كال", "فال", "ولل", "فلل", "لل", "ال",
                 "وب", "ول", "وك", "فب", "فل", "و", "ف", "ب", "ل", "ك")

    def _shim_tokenize(text: str) -> tuple[Tok, ...]:
        out = []
        for m in _WORD.finditer(text):
            word = _DIACRITICS.sub("", m.group().translate(_FOLD)).lower()
            forms = [word]
            if "\u0600" <= word[0] <= "\u06FF":
                forms += [word[len(p):] for p in _PREFIXES if word.startswith(p) and len(word) - len(p) >= 3]
            norm = next((f for f in forms[1:] if word.startswith(("ال", "وال", "بال", "لل", "ولل", "فال", "كال"))), word)
            out.append(Tok(norm, m.start(), m.end(), tuple(dict.fromkeys(forms))))
        return tuple(out)


def tokens(text: str) -> tuple[Tok, ...]:
    """Normalized tokens with offsets and their clitic-split readings."""
    if _arabic_tokenize is None:
        return _shim_tokenize(text)
    return tuple(Tok(t.norm, t.start, t.end, t.forms or (t.norm,)) for t in _arabic_tokenize(text) if t.norm)


def norm_words(text: str) -> list[str]:
    return [t.norm for t in tokens(text)]


# ---- stems and stopwords --------------------------------------------------------------------

_AR_STEM = snowballstemmer.stemmer("arabic")
_EN_STEM = snowballstemmer.stemmer("english")

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
    arabic = sum(1 for ch in text if "\u0600" <= ch <= "\u06FF")
    latin = sum(1 for ch in text if ch.isascii() and ch.isalpha())
    return "ar" if arabic >= latin else "en"


# ---- numbers --------------------------------------------------------------------------------

_UNITS = {"واحد": 1, "احد": 1, "اثنان": 2, "اثنين": 2, "اثنتين": 2, "اثنتان": 2, "ثلاث": 3, "ثلاثه": 3,
          "اربع": 4, "اربعه": 4, "خمس": 5, "خمسه": 5, "ست": 6, "سته": 6, "سبع": 7, "سبعه": 7, "ثماني": 8,
          "ثمانيه": 8, "ثمان": 8, "تسع": 9, "تسعه": 9, "عشر": 10, "عشره": 10,
          "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
          "ten": 10, "eleven": 11, "twelve": 12, "dozen": 12}
_TENS = {"عشرين": 20, "عشرون": 20, "ثلاثين": 30, "ثلاثون": 30, "اربعين": 40, "اربعون": 40, "خمسين": 50,
         "خمسون": 50, "ستين": 60, "ستون": 60, "سبعين": 70, "سبعون": 70, "ثمانين": 80, "ثمانون": 80,
         "تسعين": 90, "تسعون": 90, "مئه": 100, "مائه": 100,
         "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
         "ninety": 90, "hundred": 100}
_JOINERS = {"و", "and"}


def _word_value(forms: tuple[str, ...]) -> int | None:
    word = forms[0]
    if word.isdigit():
        return int(word) if len(word) <= 7 else None
    if word.startswith("ال"):  # الاثنين is Monday, الثالث an ordinal: not counts
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
    i = 0
    while i < len(words):
        value = _word_value(words[i])
        if value is None:
            i += 1
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
        i = j
    return found


def is_year(value: int) -> bool:
    return 1900 <= value <= 2100


# ---- casualty facts and agency attribution ----------------------------------------------------

CASUALTY_WORDS = {
    "killed": frozenset("""مقتل قتل قتلي قتلى قتيل قتيلا قتلوا مصرع حتفهم حتفه استشهاد شهداء شهيد killed dead
        death died kill""".split()),
    "wounded": frozenset("""جرحي جرحى جريح اصابه اصابات اصيب اصيبوا مصابين مصابا جرح wounded injured injury
        injuries hurt""".split()),
}
_AGENCIES = (  # (agency id, name as normalized words); first mention wins
    ("reuters", ("رويترز",)), ("reuters", ("reuter",)),
    ("ap", ("اسوشيتد", "برس")), ("ap", ("اسوشيتيد", "برس")), ("ap", ("associated", "press")),
    ("afp", ("فرانس", "برس")), ("afp", ("afp",)), ("afp", ("agence", "france")),
    ("ina", ("انباء", "عراقيه")), ("ina", ("واع",)), ("ina", ("iraqi", "news", "agency")),
    ("anadolu", ("اناضول",)), ("anadolu", ("anadolu",)),
)


def casualty_facts(toks: tuple[Tok, ...]) -> tuple[tuple[str, int], ...]:
    """(kind, number) for numbers next to a casualty word: «مقتل 3 جنود» -> ("killed", 3)."""
    words = [t.forms for t in toks]
    facts: dict[tuple[str, int], None] = {}
    for i, value in numbers_at(words):
        if is_year(value) or value < 1:
            continue
        best: tuple[int, str] | None = None
        for j in range(max(0, i - 3), min(len(words), i + 4)):
            for kind, vocab in CASUALTY_WORDS.items():
                if j != i and any(f in vocab for f in words[j]):
                    dist = abs(j - i) + (0.5 if j < i else 0)  # "3 killed" before "killed 3"
                    if best is None or dist < best[0]:
                        best = (dist, kind)
        if best is not None:
            facts[(best[1], value)] = None
    return tuple(facts)


def detect_agency(toks: tuple[Tok, ...]) -> str | None:
    """The wire agency the article credits, if it names one."""
    for i, tok in enumerate(toks):
        for agency, name in _AGENCIES:
            if name[0] in tok.forms and all(
                    i + k < len(toks) and w in toks[i + k].forms for k, w in enumerate(name) if k):
                return agency
    return None
