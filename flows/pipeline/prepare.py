"""The pure stage of one page: extract, match, sign (no I/O, no database).

It runs in the poll's process for small batches and in worker processes for large ones
(flows/pipeline/prepare_pool.py), so it takes and returns only picklable values.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timezone

from extractors.article import extract_article
from extractors.feeds import FeedItem
from extractors.grouping import story_signature
from extractors.outlets import Outlet
from extractors.stance import text_stance
from flows.fetch.result import FetchResult
from storage.records import Derived, NewArticle, derive


@dataclass(frozen=True)
class Prepared:
    """An article after the pure stages, ready to store."""

    article: NewArticle
    matches: tuple
    signature: object
    derived: Derived  # its stored forms, computed here so a worker does it, not the storing process
    empty: bool = False  # extraction found no main text (the feed summary stood in)
    line_keys: tuple[str, ...] = ()  # what the outlet's site lines are learned from (extractors/site_lines.py)


def prepare(matcher, outlet: Outlet, item: FeedItem, page: FetchResult, gazetteer=None,
            site_lines: frozenset[str] = frozenset()) -> Prepared:
    """The pure stages for one page: extract, match, sign. The feed's title/date/summary are fallbacks.
    `site_lines`: the outlet's learned site lines, dropped from the text."""
    extracted = extract_article(page.text or "", page.final_url, feed_date=item.published, overrides=outlet.extract,
                                utc_offset_hours=outlet.utc_offset_hours, now=datetime.now(timezone.utc),
                                site_lines=site_lines)
    title = extracted.title or item.title or ""
    text = extracted.text or item.summary or ""
    article = NewArticle(
        url=item.url, outlet_id=outlet.id, title=title, text=text,
        content_hash=hashlib.sha256(f"{title}\n{text}".encode()).hexdigest(),
        published=extracted.published or item.published,
        date_source=extracted.date_source or ("feed" if item.published else None),
        utc_offset_minutes=extracted.utc_offset_minutes, lang=extracted.lang or outlet.lang,
        published_precision=extracted.published_precision if extracted.published else (
            "time" if item.published else None),
        author=extracted.author, agency=extracted.agency, **stance_fields(title, text, gazetteer))
    matches = matcher.match(title, text)
    signature = story_signature(title, text, published=article.published, agency=article.agency,
                                topics=[m.topic_id for m in matches], lang=article.lang, gazetteer=gazetteer)
    return Prepared(article, tuple(matches), signature, derive(title, text, signature),
                    empty=not extracted.text.strip(), line_keys=extracted.line_keys)


def stance_fields(title: str, text: str, gazetteer) -> dict:
    """Who claimed, confirmed or denied what the article tells (headline, then lede)."""
    found = text_stance(title, text, gazetteer=gazetteer)
    return {"stance": found.stance, "stance_by": found.by, "stance_by_id": found.by_id}
