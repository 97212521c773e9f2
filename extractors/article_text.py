"""The main text of an article page: trafilatura, then the fixes measured on Arabic pages.

- Layout tables are unwrapped first (see `without_layout_tables`).
- An outlet's `body_xpath` (outlets.yaml) wins when it matches; a template change that
  makes it match nothing falls back to generic extraction instead of an empty text.
- The lead (standfirst) that outlets put in a "description"/"lead" block between the
  headline and the body is dropped by trafilatura (Sputnik Arabic); it is put back.
- The comment-policy lines that close many Arabic articles («الآراء الواردة … لا تعبر
  …»), inline «اقرأ أيضاً: …» teaser lines and a repeated headline in the first lines are
  removed; so are lines matching the outlet's `drop_patterns`.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, Iterator

from lxml import etree
from lxml import html as lxml_html

from extractors.article_meta import clean
from extractors.boilerplate import drop_furniture, furniture
from extractors.errors import ConfigError
from extractors.outlets import ExtractOverrides
from extractors.text_quality import assess, link_texts

_FAST_ABOVE_CHARS = 1_000_000
# trafilatura's fast mode skips its fallback comparison (readability, then jusText): that
# comparison made extract_article ~3x slower (28.5 -> 9.8 ms a page over the corpus, replay
# and LBCI pages) and changed the text of none of those 27 real pages. A page whose fast
# text looks bad (extractors/text_quality.py: mostly links or cells, too little prose) gets
# the comparison, and other settings, and keeps the reading that scores best.
_SECOND_READINGS = ({},)  # favor_precision/favor_recall readings were measured too: no better
_MISSED_PROSE_CHARS = 150
_BODY_TEXTS = etree.XPath("//body//text()[not(ancestor::script or ancestor::style)]")
# Invisible characters that belong to the text (Persian ZWNJ, joiners, direction marks, soft
# hyphens): kept as the page has them; only matching folds them (extractors/arabic.py).
_FORMAT_CHARS = re.compile("[\u00ad\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069]")
_FORMAT_NAMES = {"zwnj": "\u200c", "zwj": "\u200d", "lrm": "\u200e", "rlm": "\u200f", "shy": "\u00ad"}
_FORMAT_ENTITY = re.compile(r"&(zwnj|zwj|lrm|rlm|shy|#x[0-9a-f]{1,6}|#[0-9]{1,7});", re.I)
_STAND_IN_FROM = 0xA000  # Yi syllables: printable letters no Arabic, Persian or English page holds
_BLOCKS = ".//p|.//h2|.//h3|.//h4|.//li|.//blockquote"
# Settings chosen by bench/extraction_eval.py (docs/extraction.md has the figures).
TRAFILATURA_SETTINGS = {"include_comments": False, "include_tables": True, "favor_precision": False,
                        "favor_recall": False, "deduplicate": False}
_LEAD_CLASS = re.compile(r"(?:^|[-_\s])(?:lead|intro|excerpt|standfirst|summary|sapo|chapo|description)(?:$|[-_\s])",
                         re.I)
_LEAD_CHARS = (30, 1200)
_BLOCK_INSIDE = "[.//p or .//div or .//h1 or .//h2 or .//h3]"
_LAYOUT_CELLS = f"./tr/td{_BLOCK_INSIDE} | ./*/tr/td{_BLOCK_INSIDE}"
_TABLE_PARTS = ("table", "thead", "tbody", "tfoot", "tr", "td", "th")
_LEAD_SCAN_ELEMENTS = 400
_OUTSIDE_ARTICLE = {"nav", "aside", "footer", "header", "form", "figure", "figcaption", "a"}
_NOT_LEAD_MARK = re.compile(r"caption|credit|author|bio(?:$|[-_\s])|byline|related|teaser|promo|widget", re.I)
_LEAD_MAX_LINKED = 0.25
# Boilerplate lines: phrases found anywhere in a line, and openings matched at its start. Two
# patterns, not one: a single alternation holding `^` branches was tried at every position of
# every line (no first-character prefilter), four times slower.
_BOILERPLATE_ANYWHERE = re.compile(
    r"(?:الآراء|الاراء|التعليقات)\s+(?:الواردة|المنشورة|المنشوره|الوارده)[^\n]{0,60}(?:لا\s+تعبر|لا\s+تعكس)"
    r"|(?:ترحب|نرحب)[^\n]{0,40}(?:بالنقاش|بالتعليقات|بتعليقات)", re.I)
_BOILERPLATE_START = re.compile(
    r"(?:أضف|اضف|إضافة|اضافة)\s+(?:تعليق|تعليقاً|تعليقا)|بروتوكول\s+نشر\s+التعليقات"
    r"|(?:comments?\s+policy|leave\s+a\s+comment|add\s+a\s+comment)"
    r"|[\s«\"]*(?:ا|أ|إ)?قرأ\s+(?:أيضا|أيضاً|ايضا|ايضاً|المزيد)\s*[:：]|(?:شاهد|طالع)\s+(?:أيضا|أيضاً|ايضا)\s*[:：]"
    r"|(?:read\s+(?:also|more)|see\s+also)\s*:", re.I)


def main_text(page: str, tree: lxml_html.HtmlElement, url: str | None, overrides: ExtractOverrides,
              headline: Any | None = None, *, tree_is_page: bool = False) -> str:
    """The main text of the page; "" when nothing is found.

    `tree_is_page`: `tree` was parsed from this very `page` (not from a longer one it was cut
    from), so trafilatura may read it instead of a parse of its own.
    """
    text = ""
    links = link_texts(tree)
    if overrides.body_xpath:
        text = _xpath_text(tree, overrides.body_xpath)
    if not text:
        text = _generic_text(page, tree, url, tree_is_page, links)
        lead = lead_paragraph(headline, text)
        if lead:
            text = f"{lead}\n{text}"
    title = clean(headline.text_content()) if headline is not None else None
    lines = drop_furniture(tidy(text, overrides.drop_patterns, title).split("\n"), links, furniture(tree))
    return "\n".join(lines)


def _generic_text(page: str, tree: lxml_html.HtmlElement, url: str | None, tree_is_page: bool,
                  links: frozenset[str]) -> str:
    """trafilatura in fast mode; when its text looks bad (text_quality), the other readings too,
    and the one that scores best."""
    page, kept = protect_format_chars(page)
    source = _trafilatura_input(page, tree if tree_is_page and not kept else None)
    text = restore_format_chars(_trafilatura_text(source, url, fast=True), kept)
    quality = assess(text, links)
    if not quality.bad or len(page) > _FAST_ABOVE_CHARS or not (quality.prose or _missed_prose(tree, text)):
        return text
    best, best_score = text, quality.score
    for settings in _SECOND_READINGS:
        candidate = restore_format_chars(_trafilatura_text(source, url, fast=False, **settings), kept)
        score = assess(candidate, links).score
        if score > best_score:
            best, best_score = candidate, score
    return best


def _missed_prose(tree: lxml_html.HtmlElement, text: str) -> bool:
    """The page has a paragraph of prose the text lacks: worth reading again (so is a text whose
    prose is drowned in link lines). A listing or a
    directory page has none, and a second reading (trafilatura's comparison with readability and
    jusText, ~1 s the first time in a process) would find nothing better there."""
    flat = clean(text)
    for node in _BODY_TEXTS(tree):
        if len(node) >= _MISSED_PROSE_CHARS and (prose := clean(node)) and len(prose) >= _MISSED_PROSE_CHARS \
                and prose[:60] not in flat:
            return True
    return False


def protect_format_chars(page: str) -> tuple[str, dict[str, str]]:
    """The page with its invisible format characters swapped for printable stand-ins, and the swap.

    trafilatura drops every character Python deems unprintable, so Persian lost its
    ZERO WIDTH NON-JOINER (U+200C: «می‌شود» became «میشود») and a sentence of the text no
    longer matched the page. The stand-ins are letters (Yi syllables) that keep the word
    whole, as the joiner does; one already on the page is not used.
    """
    if "&" in page:
        page = _FORMAT_ENTITY.sub(_entity_char, page)
    found = sorted(set(_FORMAT_CHARS.findall(page)))
    if not found:
        return page, {}
    spare = (chr(code) for code in range(_STAND_IN_FROM, _STAND_IN_FROM + 256) if chr(code) not in page)
    kept = {}
    for char in found:
        stand_in = next(spare, None)
        if stand_in is None:
            break
        kept[stand_in] = char
        page = page.replace(char, stand_in)
    return page, kept


def _entity_char(m: re.Match) -> str:
    """The character of a format-character entity (&zwnj;, &#8204;, &#x200C;), if it is one."""
    name = m.group(1).lower()
    if name.startswith("#"):
        code = int(name[2:], 16) if name.startswith("#x") else int(name[1:])
        char = chr(code) if code < 0x110000 else ""
    else:
        char = _FORMAT_NAMES.get(name, "")
    return char if char and _FORMAT_CHARS.match(char) else m.group(0)


def restore_format_chars(text: str, kept: dict[str, str]) -> str:
    for stand_in, char in kept.items():
        text = text.replace(stand_in, char)
    return text


def _trafilatura_text(source: lxml_html.HtmlElement | str, url: str | None, *, fast: bool, **changes) -> str:
    from trafilatura import bare_extraction

    document = bare_extraction(source, url=url, fast=fast, **{**TRAFILATURA_SETTINGS, **changes})
    return document.text if document is not None and document.text else ""


def without_layout_tables(page: str) -> lxml_html.HtmlElement | str:
    """The page with layout tables (cells that hold paragraphs or headings) turned into divs.

    trafilatura flattens a table into one "| … |" line: on old table-layout sites
    (Baghdad Today's template) the whole article became one line with the headline and
    byline glued to the first paragraph. Data tables (cells of plain text) are kept.
    """
    try:
        doc = lxml_html.document_fromstring(page)
    except (etree.ParserError, ValueError):
        return page
    layout = _layout_tables(doc)
    owned = [el for table in layout for el in table.iter(*_TABLE_PARTS)
             if el is table or (el.tag != "table" and next(el.iterancestors("table"), None) is table)]
    for el in owned:
        el.tag = "div"
    return doc


def _trafilatura_input(page: str, parsed: lxml_html.HtmlElement | None) -> lxml_html.HtmlElement | str:
    """What trafilatura reads: `parsed` (the caller's tree of `page`) as it is when it holds no
    layout table, else a fresh parse with the tables unwrapped. Handing the tree over saves
    a parse (0.1 ms a page) and leaves it intact: bare_extraction copies a tree it is given
    before changing it (trafilatura core.bare_extraction), so the headline, lead and byline
    are read afterwards from the page as it was."""
    if parsed is not None and not _layout_tables(parsed):
        return parsed
    return without_layout_tables(page)


def _layout_tables(doc: lxml_html.HtmlElement) -> list[Any]:
    return [t for t in doc.iter("table") if t.xpath(_LAYOUT_CELLS)]


def lead_paragraph(headline: Any | None, text: str) -> str | None:
    """A lead block between the headline and the body that the text lacks, if there is one."""
    if headline is None or not text:
        return None
    body_start = clean(text.split("\n", 1)[0])[:40]
    for count, el in enumerate(_following(headline)):
        if count > _LEAD_SCAN_ELEMENTS or _holds(el.text, body_start):
            return None
        if el.tag == "meta" or not _marked_lead(el):
            continue
        lead = clean(el.text_content())
        if _LEAD_CHARS[0] <= len(lead) <= _LEAD_CHARS[1] and not _already_in(el, clean(text)) and _in_article(el):
            return lead
    return None


def _marked_lead(el: Any) -> bool:
    """itemprop="description", or a lead-like class or id (most elements have neither: no regex)."""
    if el.get("itemprop") == "description":
        return True
    css_class, css_id = el.get("class"), el.get("id")
    return bool((css_class or css_id) and _LEAD_CLASS.search(f"{css_class or ''} {css_id or ''}"))


def _following(el: Any) -> Iterator[Any]:
    """The elements after `el` in document order, its descendants excluded (XPath `following::*`),
    one at a time: the scan above mostly stops within a dozen, and the XPath built them all."""
    node = el
    while node is not None:
        for sibling in node.itersiblings():
            yield from sibling.iter(etree.Element)
        node = node.getparent()


def _holds(own_text: str | None, part: str) -> bool:
    """`part` is in the element's cleaned own text; a text shorter than `part` (most, often only
    whitespace) cannot hold it and is not cleaned."""
    return bool(part) and own_text is not None and len(own_text) >= len(part) and part in clean(own_text)


def _already_in(el: Any, flat: str) -> bool:
    """Any sizeable piece of the block is in the text already (a summary kept as bullets)."""
    pieces = [clean(t) for t in el.itertext()]
    return any(piece[:60] in flat for piece in pieces if len(piece) >= 20) or clean(el.text_content())[:60] in flat


def _in_article(el: Any) -> bool:
    """Not page chrome, not a caption or an author box, and not mostly links (a teaser list whose
    container happens to be called "summary"): measured on the article-extraction-benchmark,
    those were half the "leads" put back, and the fix lost more than it gained there."""
    if any(a.tag in _OUTSIDE_ARTICLE or _NOT_LEAD_MARK.search(f"{a.get('class') or ''} {a.get('id') or ''}")
           for a in (el, *el.iterancestors())):
        return False
    total = len(clean(el.text_content()))
    linked = sum(len(clean(a.text_content())) for a in el.iter("a"))
    return linked <= _LEAD_MAX_LINKED * total


def tidy(text: str, patterns: tuple[str, ...], title: str | None = None) -> str:
    """Drop the repeated headline, comment-policy lines and the outlet's boilerplate lines."""
    compiled = _compiled(tuple(patterns))
    lines = [line for line in text.split("\n") if line.strip()]
    if title:  # trafilatura keeps a headline that sits inside the article element
        lines = [line for i, line in enumerate(lines) if i > 2 or clean(line) != title]
    return "\n".join(line for line in lines
                     if not _boilerplate(line.strip()) and not any(p.search(line.strip()) for p in compiled))


def _boilerplate(line: str) -> bool:
    return bool(_BOILERPLATE_ANYWHERE.search(line) or _BOILERPLATE_START.match(line))


@lru_cache(maxsize=256)
def _compiled(patterns: tuple[str, ...]) -> tuple[re.Pattern, ...]:
    try:
        return tuple(re.compile(p) for p in patterns)
    except re.error as exc:
        raise ConfigError(f"extract.drop_patterns: {exc.pattern!r} is not a valid regular expression: {exc}") from None


def check_overrides(overrides: ExtractOverrides) -> None:
    """Raise ConfigError now for a body_xpath or drop pattern that would fail on every page."""
    if overrides.body_xpath:
        _xpath(overrides.body_xpath)
    _compiled(tuple(overrides.drop_patterns))


@lru_cache(maxsize=256)
def _xpath(expression: str) -> etree.XPath:
    try:
        return etree.XPath(expression)
    except etree.XPathSyntaxError as exc:
        raise ConfigError(f"extract.body_xpath {expression!r} is not a valid XPath: {exc}") from None


def _xpath_text(tree: lxml_html.HtmlElement, xpath: str) -> str:
    try:
        nodes = _xpath(xpath)(tree)
    except etree.XPathEvalError as exc:  # valid syntax, but e.g. an unknown function
        raise ConfigError(f"extract.body_xpath {xpath!r} cannot be evaluated: {exc}") from None
    lines: list[str] = []
    for node in nodes if isinstance(nodes, list) else []:  # count(...) and the like give no body
        if isinstance(node, etree._Element):
            blocks = node.xpath(_BLOCKS) or [node]
            chosen = set(blocks)
            lines += [clean(b.text_content()) for b in blocks if not any(a in chosen for a in b.iterancestors())]
    return "\n".join(line for line in lines if line)
