"""All topics compiled into one matcher: the cost of an article grows with its text, not with topics.

Every distinct query word of every topic is one key of a single Aho-Corasick automaton
(pyahocorasick). An article is normalized and tokenized once; each token contributes
all its forms (clitic splits) to one string that the automaton scans in C. Only topics
whose words were found are then evaluated, on the token positions of their hits.

Positions and snippets refer to the document `title + "\\n" + text`.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import lru_cache
from typing import Mapping, Sequence

import ahocorasick

from extractors.arabic import normalize, tokens_of
from extractors.errors import ConfigError
from extractors.query import And, ListRef, Near, Node, Not, Or, QuerySyntaxError, Term, Title, Word, parse_query
from extractors.query import term_from_text
from extractors.snippets import Hit, build_snippet, mark, sentence_bounds
from extractors.topics import Topic

_START, _END = "\x02", "\x03"
BODY = 1_000_000     # body token positions start here, so no phrase or NEAR spans title and body


@dataclass(frozen=True)
class TopicMatch:
    """A topic that matched one article, and why."""

    topic_id: str
    terms: tuple[str, ...]                      # query terms that hit, as written in the query
    positions: tuple[int, ...]                  # char offsets of the hits in title + "\n" + text
    snippet: str                                # original characters: the sentence around the strongest hit
    highlights: tuple[tuple[int, int], ...]     # spans of hit terms inside snippet

    def marked(self, open: str = "«", close: str = "»") -> str:
        """The snippet with the hit terms wrapped in markers."""
        return mark(self.snippet, self.highlights, open, close)


@dataclass(frozen=True)
class _Leaf:
    term: int       # index into the compiled terms
    label: str


@lru_cache(maxsize=200_000)
def _keyed(forms: tuple[str, ...]) -> str:
    return "".join(_START + form + _END for form in forms)


class TopicMatcher:
    """Match many topics against articles; build once with compile(), reuse for every article."""

    def __init__(self, topics: tuple[Topic, ...], trees: tuple[Node, ...], terms: tuple[tuple[int, ...], ...],
                 automaton: ahocorasick.Automaton, word_terms: tuple[tuple[int, ...], ...],
                 term_topics: tuple[tuple[int, ...], ...]) -> None:
        self.topics, self._trees, self._terms = topics, trees, terms
        self._automaton, self._word_terms, self._term_topics = automaton, word_terms, term_topics

    @classmethod
    def compile(cls, topics: Sequence[Topic], lists: Mapping[str, Sequence[str]] = {}) -> "TopicMatcher":
        """Parse every enabled topic's query, expand @lists, and build the one automaton."""
        builder = _Builder(lists)
        enabled = tuple(topic for topic in topics if topic.enabled)
        trees = tuple(builder.tree(topic) for topic in enabled)
        return cls(enabled, trees, *builder.finish())

    def match(self, title: str, text: str) -> tuple[TopicMatch, ...]:
        """The enabled topics this article matches, each with its terms, positions and snippet."""
        if not self._terms:
            return ()
        document = f"{title}\n{text}"
        tokens = tokens_of(normalize(document), document)
        title_tokens = bisect_left([t.start for t in tokens], len(title))
        word_hits = self._scan(tokens, title_tokens)
        if not word_hits:
            return ()
        hits = _TermHits(self._terms, word_hits)
        candidates = sorted({topic for word in word_hits for term in self._word_terms[word]
                             for topic in self._term_topics[term]})
        results, bounds = [], None
        for index in candidates:
            spans = _evaluate(self._trees[index], hits, title_only=False)
            if not spans:
                continue
            bounds = bounds if bounds is not None else sentence_bounds(document)
            results.append(_describe(self.topics[index].id, spans, tokens, title_tokens, document, bounds))
        return tuple(results)

    def _scan(self, tokens, title_tokens: int) -> dict[int, set[int]]:
        """word id -> token positions (body positions offset by BODY), from one automaton pass."""
        parts, ends, length = [], [], 0
        for token in tokens:
            keyed = _keyed(token.forms)
            parts.append(keyed)
            length += len(keyed)
            ends.append(length)
        found: dict[int, set[int]] = {}
        for end, word in self._automaton.iter("".join(parts)):
            index = bisect_right(ends, end)
            found.setdefault(word, set()).add(index if index < title_tokens else index - title_tokens + BODY)
        return found


class _TermHits:
    """Positions of each term (word or phrase), computed on first use."""

    def __init__(self, terms: tuple[tuple[int, ...], ...], word_hits: dict[int, set[int]]) -> None:
        self._terms, self._words, self._cache = terms, word_hits, {}

    def spans(self, term: int) -> list[tuple[int, int]]:
        if term not in self._cache:
            words = self._terms[term]
            first = self._words.get(words[0], ())
            rest = [self._words.get(w, ()) for w in words[1:]]
            self._cache[term] = sorted((p, p + len(rest)) for p in first
                                       if all(p + k + 1 in hits for k, hits in enumerate(rest)))
        return self._cache[term]


_Span = tuple[int, int, str, int]   # first token, last token, term label, weight (2 if it made a NEAR true)


def _evaluate(node, hits: _TermHits, title_only: bool) -> list[_Span] | None:
    """None if the node is false; else the hit spans that make it true (empty for a true NOT)."""
    if isinstance(node, _Leaf):
        spans = [(s, e, node.label, 1) for s, e in hits.spans(node.term) if not title_only or s < BODY]
        return spans or None
    if isinstance(node, And):
        out: list[_Span] = []
        for child in node.children:
            spans = _evaluate(child, hits, title_only)
            if spans is None:
                return None
            out += spans
        return out
    if isinstance(node, Or):
        results = [_evaluate(child, hits, title_only) for child in node.children]
        true = [spans for spans in results if spans is not None]
        return [span for spans in true for span in spans] if true else None
    if isinstance(node, Not):
        return [] if _evaluate(node.child, hits, title_only) is None else None
    if isinstance(node, Near):
        return _near(_evaluate(node.left, hits, title_only), _evaluate(node.right, hits, title_only), node.distance)
    if isinstance(node, Title):
        return _evaluate(node.child, hits, True)
    raise TypeError(f"not a compiled node: {node!r}")


def _near(left: list[_Span] | None, right: list[_Span] | None, distance: int) -> list[_Span] | None:
    """Spans of either side that have a span of the other side within `distance` tokens."""
    if not left or not right:
        return None
    left, right = sorted(left), sorted(right)
    keep: set[_Span] = set()
    right_starts = [span[0] for span in right]
    for span in left:
        lo = bisect_left(right_starts, span[0] - distance - 16)
        hi = bisect_right(right_starts, span[1] + distance)
        for other in right[lo:hi]:
            if max(other[0] - span[1], span[0] - other[1], 0) <= distance:
                keep.add(span[:3] + (2,))
                keep.add(other[:3] + (2,))
    return sorted(keep) or None


def _describe(topic_id: str, spans: list[_Span], tokens, title_tokens: int, document: str,
              bounds: list[int]) -> TopicMatch:
    hits = []
    for start, end, label, weight in sorted(set(spans)):
        first = start if start < BODY else start - BODY + title_tokens
        last = end if end < BODY else end - BODY + title_tokens
        hits.append(Hit(tokens[first].start, tokens[last].end, label, weight))
    terms = tuple(dict.fromkeys(hit.term for hit in hits))
    snippet = build_snippet(document, hits, bounds)
    return TopicMatch(topic_id, terms, tuple(sorted({hit.start for hit in hits})), snippet.text, snippet.highlights)


class _Builder:
    """Collects the distinct words and terms of all topics while compiling their trees."""

    def __init__(self, lists: Mapping[str, Sequence[str]]) -> None:
        self.lists = lists
        self.words: dict[Word, int] = {}
        self.terms: dict[tuple[int, ...], int] = {}
        self.term_topics: dict[int, set[int]] = {}
        self.topic_index = -1
        self.source = ""

    def tree(self, topic: Topic) -> Node:
        self.topic_index += 1
        self.source = topic.source or topic.id
        try:
            query = parse_query(topic.query, source=self.source)
        except QuerySyntaxError as exc:
            raise QuerySyntaxError(f"topic {topic.id}: {exc.reason}", offset=exc.offset, source=self.source) from None
        return self.compile_node(query)

    def compile_node(self, node: Node):
        if isinstance(node, Term):
            return self.leaf(node)
        if isinstance(node, ListRef):
            return Or(tuple(self.leaf(term) for term in self.list_terms(node.name)))
        if isinstance(node, And):
            return And(tuple(self.compile_node(child) for child in node.children))
        if isinstance(node, Or):
            return Or(tuple(self.compile_node(child) for child in node.children))
        if isinstance(node, Not):
            return Not(self.compile_node(node.child))
        if isinstance(node, Near):
            return Near(self.compile_node(node.left), self.compile_node(node.right), node.distance)
        if isinstance(node, Title):
            return Title(self.compile_node(node.child))
        raise TypeError(f"not a query node: {node!r}")

    def list_terms(self, name: str) -> list[Term]:
        if name not in self.lists:
            known = ", ".join("@" + key for key in sorted(self.lists)) or "none"
            raise ConfigError(f"unknown list @{name} (lists defined: {known})", source=self.source)

        def error(message: str, offset: int) -> ConfigError:
            return ConfigError(f"list @{name}: {message}", source=self.source)

        return [term_from_text(item, 0, error, quoted=True) for item in self.lists[name]]

    def leaf(self, term: Term) -> _Leaf:
        word_ids = tuple(self.words.setdefault(word, len(self.words)) for word in term.words)
        term_id = self.terms.setdefault(word_ids, len(self.terms))
        self.term_topics.setdefault(term_id, set()).add(self.topic_index)
        return _Leaf(term_id, term.text.strip('"'))

    def finish(self):
        automaton = ahocorasick.Automaton()
        for word, word_id in self.words.items():
            automaton.add_word(_START + word.form + ("" if word.prefix else _END), word_id)
        if self.words:
            automaton.make_automaton()
        word_terms: list[list[int]] = [[] for _ in self.words]
        for word_ids, term_id in self.terms.items():
            for word_id in set(word_ids):
                word_terms[word_id].append(term_id)
        terms = tuple(word_ids for word_ids, _ in sorted(self.terms.items(), key=lambda item: item[1]))
        term_topics = tuple(tuple(sorted(self.term_topics[t])) for t in range(len(terms)))
        return terms, automaton, tuple(tuple(w) for w in word_terms), term_topics
