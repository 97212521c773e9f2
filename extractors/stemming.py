"""Which readings of a word the matcher tries: clitic splits for Arabic, plural folding for English.

Arabic glues conjunctions (و ف), prepositions (ب ك ل) and the article (ال) to the word:
والتحالف، بالتحالف، للتحالف، وبالتحالف. A letter at the start of a word may also be part of
the word itself (وجود، بغداد، لجنة), so instead of guessing one split, every plausible
split is kept as a *form* of the token; a query word matches if it equals any form.
The query side only drops the article, so «وجود» still matches «بوجود» and «الوجود».

Regular plural, dual and adjective endings are folded back to the singular (غارات ->
غارة, الأمريكيين -> الأمريكي), so a query names the singular. No root stemming: measured
in docs/matching.md (bench/stemming.py), snowball's Arabic stemmer merges words an analyst
must keep apart (قاعدة the base / قاعد sitting, مهمة mission / مهم important) and still
misses broken plurals (قواعد), which stay the query writer's call: `قاعدة OR قواعد`.
"""

from __future__ import annotations

from functools import lru_cache

_ARTICLE = "ال"


def _clitic_prefixes() -> tuple[tuple[str, bool], ...]:
    """Every conjunction + preposition + article combination, longest first, with has-article."""
    found: dict[str, bool] = {}
    for conj in ("", "و", "ف"):
        for prep in ("", "ب", "ك", "ل"):
            for article in ("", _ARTICLE):
                if prep == "ل" and article:
                    prefix = conj + "لل"      # ل + ال is written لل
                else:
                    prefix = conj + prep + article
                if prefix:
                    found[prefix] = bool(article)
    return tuple(sorted(found.items(), key=lambda item: -len(item[0])))


CLITIC_PREFIXES = _clitic_prefixes()
# The same prefixes by first letter, longest first: most words start with none of و ف ب ك ل ا,
# and a word only meets the few that share its first letter (a first reading of a word, over the
# 8,166 distinct words of the pages at hand: 10.3 -> 7.9 µs).
_PREFIXES_BY_LETTER: dict[str, tuple[tuple[str, bool], ...]] = {
    letter: tuple(item for item in CLITIC_PREFIXES if item[0][0] == letter)
    for letter in {prefix[0] for prefix, _ in CLITIC_PREFIXES}}
# A split must leave a plausible word: 2 letters after an article (الحرب -> حرب),
# 3 after a bare conjunction or preposition (so برد، ورد stay whole).
_MIN_STEM_AFTER_ARTICLE = 2
_MIN_STEM_AFTER_CLITIC = 3


def is_arabic(word: str) -> bool:
    return bool(word) and "\u0621" <= word[0] <= "\u06ff"


@lru_cache(maxsize=200_000)
def token_forms(word: str) -> tuple[str, tuple[str, ...]]:
    """(norm, forms) for one normalized word: norm is the best single reading."""
    if is_arabic(word):
        return _arabic_forms(word)
    if word[0].isdigit():
        return word, (word,)
    stem = english_stem(word)
    return stem, ((stem,) if stem == word else (word, stem))


def _arabic_forms(word: str) -> tuple[str, tuple[str, ...]]:
    forms = [word]
    norm = word
    for prefix, has_article in _PREFIXES_BY_LETTER.get(word[0], ()):
        if not word.startswith(prefix):
            continue
        stem = word[len(prefix):]
        if len(stem) < (_MIN_STEM_AFTER_ARTICLE if has_article else _MIN_STEM_AFTER_CLITIC):
            continue
        if stem not in forms:
            forms.append(stem)
        if has_article and norm == word:
            norm = stem                     # longest article-bearing split wins
    for future in ("س", "وس", "فس"):           # ستنسحب، وسيغادر: future marker before a verb
        stem = word[len(future):]
        if word.startswith(future) and stem[:1] in "يتنا" and len(stem) >= 4 and stem not in forms:
            forms.append(stem)
    for form in list(forms):
        for bare in _without_pronoun(form):
            if bare not in forms:
                forms.append(bare)
    for form in list(forms):
        for singular in _singulars(form):
            if singular not in forms:
                forms.append(singular)
    return norm, tuple(forms)


# Attached object/possessive pronouns: قواتها، انسحابهم، قاعدتها. Four letters must remain,
# so short words keep their endings (عليها is not علي + ها, منهم not من + هم). A lone ه is
# left alone: after folding ة it is usually the word's own ending.
_PRONOUNS = ("هما", "كما", "ها", "هم", "هن", "كم", "نا")
_MIN_STEM_BEFORE_PRONOUN = 4


def _without_pronoun(form: str) -> list[str]:
    for pronoun in _PRONOUNS:
        stem = form[: -len(pronoun)]
        if form.endswith(pronoun) and len(stem) >= _MIN_STEM_BEFORE_PRONOUN:
            if stem.endswith("ت") and not stem.endswith("ات"):
                return [stem, stem[:-1] + "ه"]          # قاعدتها -> قاعدت، قاعده
            return [stem]
    return []


# Regular (sound) plural, dual and adjective endings, folded back to the singular a query
# writer types. (ending, replacement, shortest word it applies to.) Broken plurals
# (قواعد، صواريخ، فصائل) change the inside of the word and are left to the query.
_SUFFIXES = (
    ("ات", "ه", 5),      # غارات -> غاره (غارة), مسيرات -> مسيره
    ("تين", "ه", 6),     # قاعدتين -> قاعده
    ("تان", "ه", 6),
    ("تي", "ه", 5),      # قاعدتي عين الأسد وحرير -> قاعده
    ("يين", "ي", 6),     # امريكيين -> امريكي
    ("يون", "ي", 6),
    ("يه", "ي", 5),      # امريكيه -> امريكي
    ("ين", "", 6),       # مستشارين -> مستشار
    ("ون", "", 6),
)


def _singulars(form: str) -> list[str]:
    for ending, replacement, shortest in _SUFFIXES:
        if form.endswith(ending) and len(form) >= shortest:
            return [form[: -len(ending)] + replacement]
    return []


def query_word(word: str, *, prefix: bool = False) -> str:
    """The form a normalized query word is looked up by.

    Only the article is dropped (التحالف -> تحالف) because whoever writes «وجود» means the
    word, not و + جود. English words are plural-folded unless matched by prefix.
    """
    if is_arabic(word):
        if word.startswith(_ARTICLE) and len(word) - 2 >= _MIN_STEM_AFTER_ARTICLE:
            return word[2:]
        return word
    if prefix or word[0].isdigit():
        return word
    return english_stem(word)


def english_stem(word: str) -> str:
    """Harman's S-stemmer plus possessives: plurals fold, nothing else is guessed.

    Porter-style stemming would merge base/based and force/forced; the query writer
    uses `withdraw*` where more is wanted.
    """
    if word.endswith("'s"):
        word = word[:-2]
    word = word.rstrip("'")
    if len(word) <= 3:
        return word
    if word.endswith("ies") and not word.endswith(("eies", "aies")):
        return word[:-3] + "y"
    if word.endswith("es") and not word.endswith(("aes", "ees", "oes")):
        return word[:-1]
    if word.endswith("s") and not word.endswith(("us", "ss")):
        return word[:-1]
    return word
