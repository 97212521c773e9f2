"""Lines of an extracted text that are page furniture, recognised by where they sit, not by outlet.

Kinds seen kept in the text on outlets nobody tuned on: a list of related headlines inside
the article body, a cookie/privacy notice, a "we are not responsible for the content"
disclaimer, a "follow our latest news on …" call. They are found by structure first:

- **link runs**: two or more consecutive lines that are each the whole text of a link
  (a headline list), or such a line closing the text; a sentence with a link inside it is
  not a link line;
- **marked containers**: the line is the text of a block inside an element whose class or
  id says what it is (cookie, consent, newsletter, related, share, social, disclaimer …) and
  that is small (a body wrapper that happens to carry such a class holds far more text);
- **an other-stories tail**: a line that is only a heading for other stories («أخبار ذات صلة»,
  «اخبار پیشنهادی:», "Related articles", "Most read" …) followed by nothing but short lines
  (teasers, headlines, a newsletter box) ends the text; a heading followed by a paragraph of
  prose is inside the article and stays;
- **kinds of notice** in Arabic, Persian and English, for notices that carry no marker: a
  cookie/privacy notice, a disclaimer of responsibility for content, a call to follow the
  site; only on short lines, so a news sentence about privacy or responsibility stays.

Lines are compared whitespace-collapsed; nothing is rewritten, lines are only dropped.
"""

from __future__ import annotations

import re
from typing import Any

from lxml import etree

from extractors.article_meta import clean
from extractors.text_quality import line_key

# Class/id words, each a word of its own ("related-posts", "relatedPosts", "cookie_bar"), not
# part of another ("selectionShareable" is Youm7's first paragraph).
_MARK = re.compile(r"(?<![a-z])(?i:cookies?|consent|gdpr|privacy|newsletters?|subscri[a-z]*|disclaimer"
                   r"|related|share|sharing|social|follow|promo|recommend[a-z]*|more-?news|read-?more|most-?read"
                   r"|popular|trending|tags?)(?![a-z])")
_MARKED_MAX_CHARS = 2500       # a marked element holding more text than this is not furniture
_MARKED_SHARE = 0.2            # nor one that holds more than this share of the text
_BLOCK_TAGS = ("p", "li", "h2", "h3", "h4", "h5", "h6", "a", "td")
_MARKED = etree.XPath("//body//*[@class or @id]")
_NOTICE_MAX_CHARS = 300
_COOKIES = re.compile(r"cookies?|كوكيز|الكوكيز|ملفات\s+(?:تعريف\s+)?الارتباط|کوکی|(?:سياسة|سیاست)\s+(?:الخصوصية|حریم)"
                      r"|privacy\s+policy", re.I)
_SITE_ASKS = re.compile(r"(?:we|this\s+(?:web)?site)\s+uses?|by\s+(?:using|continuing)|accept|agree"
                        r"|نستخدم|يستخدم|تستخدم|هذا\s+الموقع|موقعنا|استخدامك|بموافقتك|توافق|قبول|موافق|أوافق|اوافق"
                        r"|استفاده|می\u200cکند|میکند|پذیرفتن|قبول|موافقم", re.I)
_DISCLAIMER = re.compile(
    r"غير\s+مسؤول(?:ة)?\s+عن\s+(?:ال)?(?:محتو|مضمون|تعليق|مواقع|آراء|اراء)"
    r"|لا\s+(?:يتحمل|تتحمل|نتحمل)[^\n]{0,40}مسؤولي[ةه][^\n]{0,40}(?:محتو|مضمون|تعليق|مواقع|آراء|اراء)"
    r"|مسئولیتی\s+(?:در\s+قبال|ندارد)|(?:is|are)\s+not\s+responsible\s+for\s+(?:the\s+)?content", re.I)
_FOLLOW = re.compile(
    r"(?:^|\s)(?:تابع(?:وا|ونا|ي)?|لمتابعة|اشترك(?:وا)?|انضم(?:وا)?|تابعنا|دنبال\s+کنید|follow\s+us|join\s+us)(?=\s)"
    r"[^\n]{0,80}(?:تلغرام|تيليجرام|تليجرام|telegram|واتساب|واتس\s+اب|whatsapp|فيسبوك|فيس\s+بوك|facebook"
    r"|تويتر|twitter|إنستغرام|انستغرام|instagram|يوتيوب|youtube|جوجل\s+نيوز|google\s+news|قناتنا|صفحتنا"
    r"|اینستاگرام|تلگرام)", re.I)

_TAIL_HEADING = re.compile(
    r"(?:أخبار|اخبار|مواضيع|مقالات|موضوعات|قصص)\s+(?:ذات\s+صلة|متعلقة|مشابهة|مقترحة)"
    r"|ذات\s+صلة|الأكثر\s+(?:قراءة|مشاهدة)"
    r"|(?:اقرأ|إقرأ|اقرا)\s+(?:أيضا|أيضاً|ايضا|المزيد)|شاهد\s+(?:أيضا|أيضاً|ايضا)|قد\s+يعجبك(?:\s+أيضا|\s+أيضاً)?"
    r"|(?:اخبار|خبرهای|مطالب|مقالات)\s+(?:پیشنهادی|مرتبط|مشابه)|پربازدیدترین(?:\s*ها|\u200cها)?|بیشتر\s+بخوانید"
    r"|related(?:\s+(?:articles|stories|news|posts|content|coverage))?|(?:read|see)\s+(?:more|next|also)"
    r"|more\s+(?:stories|news|from\s+\S.{0,30})|most\s+(?:read|popular|viewed)|you\s+(?:may|might)\s+also\s+like"
    r"|recommended(?:\s+for\s+you)?|trending(?:\s+now)?", re.I)
_TAIL_HEADING_MAX_CHARS = 40   # a heading, not a sentence that mentions related news
_TAIL_LINE_MAX_CHARS = 300     # a teaser's summary; a longer line is a paragraph of the article
_TAIL_MIN_LINES = 2            # a heading with nothing under it is left alone


def other_stories_tail(lines: list[str]) -> int:
    """Where an other-stories tail starts (see the module docstring); len(lines) when there is none."""
    for i, line in enumerate(lines[1:], start=1):
        bare = line.strip().rstrip(":：").strip()
        if len(bare) > _TAIL_HEADING_MAX_CHARS or not _TAIL_HEADING.fullmatch(bare):
            continue
        rest = lines[i + 1:]
        if len(rest) >= _TAIL_MIN_LINES and all(len(r.strip()) <= _TAIL_LINE_MAX_CHARS for r in rest):
            return i
    return len(lines)


def notice(line: str) -> bool:
    """A cookie/privacy notice, a disclaimer of responsibility for content, or a call to follow the site."""
    if len(line) > _NOTICE_MAX_CHARS:
        return False
    return bool((_COOKIES.search(line) and _SITE_ASKS.search(line)) or _DISCLAIMER.search(line)
                or _FOLLOW.search(line))

def furniture(tree: Any) -> tuple[frozenset[str], ...]:
    """Per small marked container (see the module docstring), the texts of its blocks."""
    found: list[frozenset[str]] = []
    for el in _MARKED(tree):  # libxml2 finds the elements with a class or id; few carry a marker
        if not _MARK.search(f"{el.get('class') or ''} {el.get('id') or ''}"):
            continue
        whole = clean(el.text_content())
        if not whole or len(whole) > _MARKED_MAX_CHARS:
            continue
        found.append(frozenset({whole, *(t for t in (clean(b.text_content()) for b in el.iter(*_BLOCK_TAGS)) if t)}))
    return tuple(found)


def drop_furniture(lines: list[str], links: frozenset[str], marked: tuple[frozenset[str], ...]) -> list[str]:
    """The lines without link runs, marked-container texts and notices.

    A marked container that holds a sizeable part of the text is the article itself (a body
    wrapper with a "share" or "related" class): its lines stay.
    """
    flat = [line_key(line) for line in lines]
    total = sum(map(len, flat)) or 1
    drop: set[str] = set()
    for texts in marked:
        inside = [line for line in flat if line in texts]
        if sum(map(len, inside)) <= _MARKED_SHARE * total:
            drop.update(inside)
    end = other_stories_tail(flat)
    lines, flat = lines[:end], flat[:end]
    linked = [line in links for line in flat]
    kept = []
    for i, line in enumerate(lines):
        in_run = linked[i] and ((i > 0 and linked[i - 1]) or (i + 1 < len(lines) and linked[i + 1])
                                or i == len(lines) - 1)
        if in_run or flat[i] in drop or notice(flat[i]):
            continue
        kept.append(line)
    return kept
