"""Full-text search of the archive with the topic query language, on SQLite and PostgreSQL.

Each article gets one row in `article_search`: the distinct word forms the matcher
would see (normalized, every clitic split: بالتحالف -> بالتحالف تحالف التحالف). SQLite
indexes that row with FTS5, PostgreSQL with a GIN index over the same words as exact
lexemes (a generated tsvector column), so both find exactly the articles whose words
the query names.

A search reads words side by side as AND, as a search box does (`عين الأسد` is
`عين AND الأسد`); topic files keep requiring the operator (extractors/query.py says why).
`SearchResult.read_as` is the query with every operator written out.

The database only narrows the archive to candidates: a query is translated into a
boolean over single words that every true match satisfies (a phrase becomes AND of
its words, NEAR becomes AND, title: looks in the whole article). Each candidate is then
checked by the real TopicMatcher, so phrases, NEAR/n, title: and clitics mean in
search exactly what they mean in a topic.

Rows are written in the transaction that stores the article (`index_article`, called by
repo.store_article) and, for anything stored without it (older rows, a pruned body),
by `sync_index`, which every search runs first: articles without a row are indexed then.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Iterable, Iterator, Mapping, Sequence

from sqlalchemy import func, select, text
from sqlmodel import Session

from extractors.query import (And, ListRef, Near, Node, Not, Or, QuerySyntaxError, Term, Title, list_refs, parse_query,
                              query_text, term_from_text)
from extractors.search_terms import index_terms  # noqa: F401 - part of this module's API (tests, bench)
from storage.inserts import insert_ignore, upsert
from storage.models import Article, ArticleSearch, Match

VERIFY_BATCH = 200      # candidates loaded and checked by the matcher at a time
_PLAIN_WORD = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class ArchiveFilter:
    """What every archive command can narrow by: a stored topic match, a date, an outlet.

    `since` compares the publication time, or the fetch time for undated articles.
    """

    topic: str | None = None
    since: datetime | None = None
    outlet: str | None = None

    def apply(self, query):
        if self.topic is not None:
            query = query.where(Article.id.in_(select(Match.article_id).where(Match.topic_id == self.topic)))
        if self.since is not None:
            query = query.where(func.coalesce(Article.published, Article.fetched) >= self.since)
        if self.outlet is not None:
            query = query.where(Article.outlet_id == self.outlet)
        return query


@dataclass(frozen=True)
class SearchHit:
    """One article that satisfies the query, with the sentence that shows why."""

    article_id: int
    url: str
    outlet_id: str
    title: str
    published: datetime | None
    story_id: int | None
    terms: tuple[str, ...]
    snippet: str
    highlights: tuple[tuple[int, int], ...]
    marked: str
    topics: tuple[str, ...] = ()
    published_precision: str | None = None  # "day": published is the day's noon (UTC here), the day alone is known

    @property
    def day_only(self) -> bool:
        return self.published is not None and self.published_precision == "day"

    def to_dict(self) -> dict:
        return {"id": self.article_id, "url": self.url, "outlet": self.outlet_id, "title": self.title,
                "published": (self.published.date().isoformat() if self.day_only
                              else self.published.isoformat() if self.published else None),
                "published_precision": self.published_precision, "story_id": self.story_id,
                "terms": list(self.terms), "snippet": self.snippet,
                "highlights": [list(h) for h in self.highlights], "topics": list(self.topics)}


@dataclass(frozen=True)
class SearchResult:
    hits: tuple[SearchHit, ...]
    candidates: int            # articles the index returned (before the matcher's exact check)
    checked: int               # candidates the matcher read to find the hits
    full_scan: bool = False    # the query had no word the index could require (e.g. a OR NOT b)
    indexed: int = 0           # articles the catch-up indexed before searching
    read_as: str = ""          # the query with every operator written out (words side by side: AND)


# ---- indexing -------------------------------------------------------------------------------------------

def index_article(session: Session, article_id: int, terms: str) -> None:
    """Index one article (its `index_terms`) inside the caller's transaction (repo.store_article calls this)."""
    _upsert(session, [{"article_id": article_id, "terms": terms}])


def _upsert(session: Session, rows: list[dict]) -> None:
    if rows:
        session.connection().execute(upsert("article_search", ("article_id", "terms"), key="article_id"), rows)


def reindex_articles(session: Session, article_ids: Sequence[int]) -> int:
    """Recompute the rows of these articles from what is stored now (after a body was pruned)."""
    if not article_ids:
        return 0
    rows = session.execute(select(Article.id, Article.title, Article.text).where(Article.id.in_(article_ids))).all()
    _upsert(session, [{"article_id": aid, "terms": index_terms(title, body)} for aid, title, body in rows])
    return len(rows)


def sync_index(session: Session, batch: int = 500) -> int:
    """Index every article that has no search row yet; returns how many. Commits per batch.

    Search rows only exist for stored articles (foreign key) and are never deleted on
    their own, so equal counts mean nothing is missing: two index counts instead of an
    anti-join over the whole archive on every search.
    """
    count = select(func.count())
    if session.execute(count.select_from(Article)).scalar_one() == \
            session.execute(count.select_from(ArticleSearch)).scalar_one():
        return 0
    done = 0
    while True:
        missing = (select(Article.id, Article.title, Article.text)
                   .outerjoin(ArticleSearch, ArticleSearch.article_id == Article.id)
                   .where(ArticleSearch.article_id.is_(None)).order_by(Article.id).limit(batch))
        rows = session.execute(missing).all()
        if not rows:
            return done
        _insert_missing(session, [{"article_id": aid, "terms": index_terms(title, body)} for aid, title, body in rows])
        session.commit()
        done += len(rows)


def _insert_missing(session: Session, rows: list[dict]) -> None:
    """Insert rows another searcher may be inserting too: the first one wins, both are right."""
    session.connection().execute(insert_ignore("article_search", ("article_id", "terms")), rows)


def rebuild_index(session: Session, batch: int = 500) -> int:
    """Recompute every search row (after normalization rules changed), in place: searches keep working."""
    last_id, done = 0, 0
    while True:
        ids = list(session.execute(select(Article.id).where(Article.id > last_id).order_by(Article.id)
                                   .limit(batch)).scalars())
        if not ids:
            return done
        done += reindex_articles(session, ids)
        session.commit()
        last_id = ids[-1]


# ---- query translation ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Word:
    form: str
    prefix: bool


@dataclass(frozen=True)
class _All:
    require: tuple = ()
    exclude: tuple = ()


@dataclass(frozen=True)
class _Any:
    options: tuple = ()


@dataclass(frozen=True)
class _Need:
    """An index condition and whether it is exact (false: it also admits some non-matches)."""

    expr: object | None        # None: the index cannot narrow this part (any article may match)
    exact: bool


def index_condition(node: Node, lists: Mapping[str, Sequence[str]] = {}) -> object | None:
    """A word-level condition every article matching `node` satisfies; None if there is none."""
    return _need(node, lists).expr


def _need(node: Node, lists, in_title: bool = False) -> _Need:
    """in_title: under title:, where a NOT excludes a word from the headline only, not the article."""
    if isinstance(node, Term):
        words = tuple(_Word(w.form, w.prefix) for w in node.words)
        exact = len(words) == 1 and bool(_PLAIN_WORD.fullmatch(words[0].form))
        return _Need(words[0] if len(words) == 1 else _All(words), exact)
    if isinstance(node, ListRef):
        terms = [term_from_text(item, 0, _list_error, quoted=True) for item in lists.get(node.name, ())]
        return _need(Or(tuple(terms)), lists, in_title) if terms else _Need(None, False)
    if isinstance(node, Or):
        parts = [_need(child, lists, in_title) for child in node.children]
        if any(part.expr is None for part in parts):
            return _Need(None, False)
        return _Need(_Any(tuple(part.expr for part in parts)), all(part.exact for part in parts))
    if isinstance(node, And):
        return _need_all(node.children, lists, in_title)
    if isinstance(node, Near):
        return _need_all((node.left, node.right), lists, in_title, exact=False)
    if isinstance(node, Title):
        return _Need(_need(node.child, lists, in_title=True).expr, False)
    if isinstance(node, Not):
        return _Need(None, False)
    raise TypeError(f"not a query node: {node!r}")


def _need_all(children: Iterable[Node], lists, in_title: bool, exact: bool = True) -> _Need:
    """AND: required parts narrow; a NOT narrows only when its inside is exact; the rest is dropped."""
    require, exclude = [], []
    for child in children:
        if isinstance(child, Not):
            inner = _need(child.child, lists, in_title)
            if inner.expr is not None and inner.exact and not in_title:
                exclude.append(inner.expr)
                continue
            exact = False
            continue
        part = _need(child, lists, in_title)
        exact = exact and part.exact
        if part.expr is not None:
            require.append(part.expr)
    if not require:
        return _Need(None, False)
    if len(require) == 1 and not exclude:
        return _Need(require[0], exact)
    return _Need(_All(tuple(require), tuple(exclude)), exact)


def _list_error(message: str, offset: int):
    from extractors.errors import ConfigError

    return ConfigError(message)


def render_fts5(expr) -> str:
    """An FTS5 MATCH expression; every word is a quoted string, so operators in text stay text."""
    if isinstance(expr, _Word):
        return '"' + expr.form + '"' + (" *" if expr.prefix else "")
    if isinstance(expr, _Any):
        return "(" + " OR ".join(render_fts5(e) for e in expr.options) + ")"
    out = "(" + " AND ".join(render_fts5(e) for e in expr.require) + ")"
    for excluded in expr.exclude:
        out = f"({out} NOT {render_fts5(excluded)})"
    return out


def render_tsquery(expr) -> str:
    """A PostgreSQL tsquery over exact lexemes (cast with ::tsquery, no parser or dictionary)."""
    if isinstance(expr, _Word):
        return "'" + expr.form.replace("\\", "\\\\").replace("'", "''") + "'" + (":*" if expr.prefix else "")
    if isinstance(expr, _Any):
        return "(" + " | ".join(render_tsquery(e) for e in expr.options) + ")"
    parts = [render_tsquery(e) for e in expr.require] + ["!" + render_tsquery(e) for e in expr.exclude]
    return "(" + " & ".join(parts) + ")"


def _index_clause(session: Session, expr):
    if session.get_bind().dialect.name == "postgresql":
        return text("articles.id IN (SELECT article_id FROM article_search "
                    "WHERE article_fts_words @@ CAST(:index_query AS tsquery))"
                    ).bindparams(index_query=render_tsquery(expr))
    return text("articles.id IN (SELECT rowid FROM article_fts WHERE article_fts MATCH :index_query)"
                ).bindparams(index_query=render_fts5(expr))


# ---- search ---------------------------------------------------------------------------------------------

def read_query(query: str, lists: Mapping[str, Sequence[str]] = {}) -> tuple[Node, str]:
    """A search box's query: its tree (words side by side are AND) and that reading written out.

    Raises QuerySyntaxError naming the column, also for an @list the lists file does not define.
    """
    tree = parse_query(query, source="search", implicit_and=True)
    for ref in list_refs(tree):
        if ref.name not in lists:
            known = ", ".join("@" + name for name in sorted(lists)) or "none"
            raise QuerySyntaxError(f"unknown list @{ref.name} (lists defined: {known})", offset=ref.offset,
                                   source="search", line=1, column=ref.offset + 1)
    return tree, query_text(tree)


def search(session: Session, query: str, where: ArchiveFilter = ArchiveFilter(), limit: int = 20,
           lists: Mapping[str, Sequence[str]] = {}, catch_up: bool = True) -> SearchResult:
    """Newest articles first that satisfy `query` (topic query language, words side by side as AND);
    raises QuerySyntaxError. `catch_up=False` reads only (no indexing of unindexed articles first)."""
    from extractors.matcher import TopicMatcher
    from extractors.topics import Topic

    tree, read_as = read_query(query, lists)
    matcher = TopicMatcher.compile([Topic(id="search", title="search", query=read_as, source="search")], lists)
    indexed = sync_index(session) if catch_up else 0
    expr = index_condition(tree, lists)
    ids = _candidate_ids(session, expr, where)
    hits, checked = [], 0
    for chunk in _chunks(ids, VERIFY_BATCH):
        for hit in _verify(session, matcher, chunk):
            checked += 1
            if hit is not None:
                hits.append(hit)
            if len(hits) >= limit:
                break
        session.commit()    # end the read between batches: SQLite readers hold the write lock (BEGIN IMMEDIATE)
        if len(hits) >= limit:
            break
    return SearchResult(tuple(_with_topics(session, hits)), len(ids), checked, expr is None, indexed, read_as)


def _candidate_ids(session: Session, expr, where: ArchiveFilter) -> list[int]:
    query = select(Article.id).order_by(Article.published.desc().nulls_last(), Article.id.desc())
    if expr is not None:
        query = query.where(_index_clause(session, expr))
    return list(session.execute(where.apply(query)).scalars())


def _chunks(items: list[int], size: int) -> Iterator[list[int]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _verify(session: Session, matcher, ids: list[int]) -> Iterator[SearchHit | None]:
    """Per candidate, in the order given: its hit if it really matches, else None."""
    rows = {row.id: row for row in session.execute(
        select(Article.id, Article.url, Article.outlet_id, Article.title, Article.text, Article.published,
               Article.story_id, Article.published_precision).where(Article.id.in_(ids)))}
    for article_id in ids:
        row = rows.get(article_id)
        found = matcher.match(row.title or "", row.text or "") if row else ()
        if not found:
            yield None
            continue
        m = found[0]
        yield SearchHit(row.id, row.url, row.outlet_id, row.title, row.published, row.story_id, m.terms,
                        m.snippet, m.highlights, m.marked(), published_precision=row.published_precision)


def _with_topics(session: Session, hits: list[SearchHit]) -> list[SearchHit]:
    """Attach the topics each hit matched when it was stored."""
    if not hits:
        return hits
    topics: dict[int, list[str]] = {}
    rows = session.execute(select(Match.article_id, Match.topic_id)
                           .where(Match.article_id.in_([h.article_id for h in hits])).order_by(Match.topic_id))
    for article_id, topic_id in rows:
        topics.setdefault(article_id, []).append(topic_id)
    return [replace(hit, topics=tuple(topics.get(hit.article_id, ()))) for hit in hits]
