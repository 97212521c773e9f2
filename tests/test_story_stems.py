"""Story stems are Snowball's: the compiled stemmer must give the stems of the reference algorithm.

Stems feed the story keys stored with every article; if the compiled package (PyStemmer) and
the reference (snowballstemmer, pure Python) ever disagree after an upgrade, copies stored
before and after it would stop meeting in one story.
"""

from pathlib import Path

from lxml import html
from snowballstemmer.arabic_stemmer import ArabicStemmer
from snowballstemmer.english_stemmer import EnglishStemmer

from extractors.story_text import content_stems, stem, tokens

ROOT = Path(__file__).resolve().parents[1]


def _page_texts():
    pages = sorted((ROOT / "seeds" / "replay").rglob("*.html")) + sorted((ROOT / "tests" / "data").rglob("*.html"))
    for path in pages:
        yield html.document_fromstring(path.read_bytes()).text_content()


def test_stems_are_the_snowball_reference_stems_on_real_pages():
    words = {t.norm for text in _page_texts() for t in tokens(text) if len(t.norm) > 2}
    arabic = sorted(w for w in words if "\u0600" <= w[0] <= "\u06FF")
    latin = sorted(w for w in words if w.isascii() and w.isalpha())
    assert len(arabic) > 1500 and len(latin) > 50, "the pages at hand hold a real vocabulary"
    ar, en = ArabicStemmer(), EnglishStemmer()
    assert [stem(w) for w in arabic] == [ar.stemWord(w) for w in arabic]
    assert [stem(w) for w in latin] == [en.stemWord(w) for w in latin]


def test_inflected_forms_share_a_stem():
    """What stems are for: sound plurals and cases meet their singular (broken plurals do not)."""
    assert len(set(content_stems(tokens("مسلحون مسلحين مسلح")))) == 1
    assert len(set(content_stems(tokens("attacks attack attacked")))) == 1
    assert len(set(content_stems(tokens("الصواريخ صاروخ")))) == 2
