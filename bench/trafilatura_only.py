"""Loaded into the extraction workers by `bench/pipeline.py --trafilatura-only`; never by rasid.

Each page then gets trafilatura alone (fast mode, on a parse of the page, as rasid runs
it), and the worker hands back its first page's full analysis under each page's own URL.
The poll still fetches, stores, groups and reports every page through Prefect, so its
articles/second is the ceiling that everything but rasid's own analysis of a page
(headline, dates, lead, language, topic matching, story signature, search words) leaves.
The stored rows are copies, so only the speed of such a run means anything.
"""

from __future__ import annotations

from dataclasses import replace

from lxml import html

import flows.pipeline.prepare_pool as pool
from extractors.article_text import _trafilatura_text

_real_prepare = pool.prepare
_first: list = []


def _trafilatura_only(matcher, outlet, item, page, gazetteer=None, site_lines=frozenset()):
    if not _first:
        _first.append(_real_prepare(matcher, outlet, item, page, gazetteer))
        return _first[0]
    _trafilatura_text(html.document_fromstring(page.text), page.final_url, fast=True)
    return replace(_first[0], article=replace(_first[0].article, url=item.url))


pool.prepare = _trafilatura_only
