"""Topic queries compiled for the matcher: term ids instead of words, @lists expanded, fast checks.

The builder gives every distinct word and term (word sequence) of all topics one id, so one
automaton serves every topic. A compiled tree is evaluated on the token positions of the
terms that hit; `requirements` are term sets of which at least one must hit before a topic
is worth evaluating, which keeps 1,000 topics nearly as cheap as 10.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Callable, Mapping, Sequence

import ahocorasick

from extractors.errors import ConfigError
from extractors.query import And, ListRef, Near, Node, Not, Or, QuerySyntaxError, Term, Title, Word, parse_query
from extractors.query import MAX_PHRASE_WORDS, term_from_text
from extractors.stemming import token_forms
from extractors.topics import Topic

BODY = 1_000_000     # body token positions start here, so no phrase or NEAR spans title and body
_START, _END = "\x02", "\x03"   # around each form the automaton scans: keys match whole forms or their starts


@lru_cache(maxsize=200_000)
def scan_text(word: str) -> str:
    """What the automaton scans for one normalized word: each of its forms between the markers."""
    return "".join(_START + form + _END for form in token_forms(word)[1])


@dataclass(frozen=True)
class Leaf:
    term: int       # index into the compiled terms
    label: str


@dataclass(frozen=True)
class AnyOf:
    """An OR of many plain terms (an expanded @list): evaluated by intersecting with the terms that hit."""

    labels: dict = field(hash=False)     # term index -> label


Span = tuple[int, int, str, int]   # first token, last token, term label, weight (2 if it made a NEAR true)


class TermHits(dict):
    """term -> (first, last) token spans in text order, computed on first use.

    `found` holds every term all of whose words hit somewhere: a cheap superset of the
    terms that hit (a phrase's words may be apart), enough to skip topics that cannot match.
    """

    def __init__(self, terms: tuple[tuple[int, ...], ...], word_terms: tuple[tuple[tuple[int, ...], tuple[int, ...]], ...],
                 word_hits: dict[int, list[int]]) -> None:
        super().__init__()
        self.terms, self.word_hits = terms, word_hits
        self.found: set[int] = set()
        for word in word_hits:
            single, phrases = word_terms[word]
            self.found.update(single)
            for term in phrases:
                if all(w in word_hits for w in terms[term]):
                    self.found.add(term)

    def __missing__(self, term: int) -> list[tuple[int, int]]:
        words = self.terms[term]
        first = self.word_hits.get(words[0], ())
        if len(words) == 1:
            spans = [(p, p) for p in first]          # positions arrive in text order
        else:
            rest = [set(self.word_hits.get(w, ())) for w in words[1:]]
            spans = [(p, p + len(rest)) for p in first if all(p + k + 1 in hits for k, hits in enumerate(rest))]
        self[term] = spans
        return spans


Evaluator = Callable[[TermHits, bool], "list | None"]
Test = Callable[[TermHits, bool], bool]


def truth(node) -> Test:
    """A function (hits, title_only) -> does the node hold? Positions are only gathered under NEAR,
    and a NEAR stops at its first close pair, so the many topics that do not match cost little."""
    if isinstance(node, (AnyOf, Leaf)):
        terms = (node.labels if isinstance(node, AnyOf) else {node.term: node.label}).keys()
        return lambda hits, title_only: any(hits[t] if not title_only else any(s < BODY for s, _ in hits[t])
                                            for t in terms & hits.found)
    if isinstance(node, And):
        children = [truth(child) for child in node.children]
        return lambda hits, title_only: all(child(hits, title_only) for child in children)
    if isinstance(node, Or):
        children = [truth(child) for child in node.children]
        return lambda hits, title_only: any(child(hits, title_only) for child in children)
    if isinstance(node, Not):
        child = truth(node.child)
        return lambda hits, title_only: not child(hits, title_only)
    if isinstance(node, Near):
        left, right, distance = evaluator(node.left, False), evaluator(node.right, False), node.distance
        return lambda hits, title_only: _close(left(hits, title_only), right(hits, title_only), distance)
    if isinstance(node, Title):
        child = truth(node.child)
        return lambda hits, title_only: child(hits, True)
    raise TypeError(f"not a compiled node: {node!r}")


def _close(left: list | None, right: list | None, distance: int) -> bool:
    """Is some span of `left` within `distance` tokens of some span of `right`?"""
    if not left or not right:
        return False
    right = sorted(right)
    right_starts = [span[0] for span in right]
    for span in left:
        lo = bisect_left(right_starts, span[0] - distance - MAX_PHRASE_WORDS)
        hi = bisect_right(right_starts, span[1] + distance)
        if any(max(other[0] - span[1], span[0] - other[1], 0) <= distance for other in right[lo:hi]):
            return True
    return False


def evaluator(node, labeled: bool = True) -> Evaluator:
    """A function (hits, title_only) -> None if the node is false, else the spans that make it true.

    Built once per topic as closures, so matching an article does no type dispatch. Unlabeled
    evaluators return bare (first, last) spans, for NEAR inside NEAR; labeled ones return Spans
    with the term as written, for the few topics that match.
    """
    if isinstance(node, (AnyOf, Leaf)):
        labels = node.labels if isinstance(node, AnyOf) else {node.term: node.label}
        return _any_of(labels) if labeled else _any_of_bare(labels.keys())
    if isinstance(node, And):
        return _all_of([evaluator(child, labeled) for child in node.children])
    if isinstance(node, Or):
        return _one_of([evaluator(child, labeled) for child in node.children])
    if isinstance(node, Not):
        child = truth(node.child)
        return lambda hits, title_only: None if child(hits, title_only) else []
    if isinstance(node, Near):
        left, right, distance = evaluator(node.left, labeled), evaluator(node.right, labeled), node.distance
        return lambda hits, title_only: _near(left(hits, title_only), right(hits, title_only), distance, labeled)
    if isinstance(node, Title):
        child = evaluator(node.child, labeled)
        return lambda hits, title_only: child(hits, True)
    raise TypeError(f"not a compiled node: {node!r}")


def _any_of(labels: dict[int, str]) -> Evaluator:
    terms = labels.keys()

    def run(hits: TermHits, title_only: bool):
        found = terms & hits.found
        if not found:
            return None
        spans = [(s, e, labels[term], 1) for term in found for s, e in hits[term] if not title_only or s < BODY]
        return spans or None
    return run


def _any_of_bare(terms) -> Evaluator:
    def run(hits: TermHits, title_only: bool):
        found = terms & hits.found
        if not found:
            return None
        spans = [span for term in found for span in hits[term]]
        if title_only:
            spans = [span for span in spans if span[0] < BODY]
        return spans or None
    return run


def _all_of(children: list[Evaluator]) -> Evaluator:
    def run(hits: TermHits, title_only: bool):
        out: list = []
        for child in children:
            spans = child(hits, title_only)
            if spans is None:
                return None
            out += spans
        return out
    return run


def _one_of(children: list[Evaluator]) -> Evaluator:
    def run(hits: TermHits, title_only: bool):
        out, true = [], False
        for child in children:
            spans = child(hits, title_only)
            if spans is not None:
                out += spans
                true = True
        return out if true else None
    return run


def _near(left: list | None, right: list | None, distance: int, labeled: bool) -> list | None:
    """Spans of either side that have a span of the other side within `distance` tokens.

    Labeled spans that satisfied the NEAR get weight 2 (the snippet prefers them).
    """
    if not left or not right:
        return None
    left, right = sorted(left), sorted(right)
    keep: set = set()
    right_starts = [span[0] for span in right]
    for span in left:
        lo = bisect_left(right_starts, span[0] - distance - MAX_PHRASE_WORDS)
        hi = bisect_right(right_starts, span[1] + distance)
        for other in right[lo:hi]:
            if max(other[0] - span[1], span[0] - other[1], 0) <= distance:
                if labeled:
                    keep.add(span[:3] + (2,))
                    keep.add(other[:3] + (2,))
                else:
                    keep.add(span)
                    keep.add(other)
    return sorted(keep) or None


def requirements(node) -> list[frozenset[int]]:
    """Term sets that must each have a hit for the node to be true (none for a NOT)."""
    if isinstance(node, Leaf):
        return [frozenset((node.term,))]
    if isinstance(node, AnyOf):
        return [frozenset(node.labels)]
    if isinstance(node, And):
        return [group for child in node.children for group in requirements(child)]
    if isinstance(node, Near):
        return requirements(node.left) + requirements(node.right)
    if isinstance(node, Title):
        return requirements(node.child)
    if isinstance(node, Or):
        firsts = [requirements(child) for child in node.children]
        if all(firsts):
            return [frozenset().union(*(min(groups, key=len) for groups in firsts))]
    return []


def merge_leaves(children: list):
    """OR of terms and lists -> one AnyOf (plus any other children), so big lists cost a set intersection."""
    labels: dict[int, str] = {}
    others = []
    for child in children:
        if isinstance(child, Leaf):
            labels.setdefault(child.term, child.label)
        elif isinstance(child, AnyOf):
            for term, label in child.labels.items():
                labels.setdefault(term, label)
        else:
            others.append(child)
    if labels:
        others.insert(0, AnyOf(labels))
    return others[0] if len(others) == 1 else Or(tuple(others))


class Builder:
    """Collects the distinct words and terms of all topics while compiling their trees."""

    def __init__(self, lists: Mapping[str, Sequence[str]]) -> None:
        self.lists = lists
        self.words: dict[Word, int] = {}
        self.terms: dict[tuple[int, ...], int] = {}
        self.term_topics: dict[int, set[int]] = {}
        self.topic_index = -1     # index of the topic being compiled
        self.source = ""

    def tree(self, topic: Topic):
        """The compiled tree of one topic, and the term sets it requires."""
        self.topic_index += 1
        self.source = topic.source or topic.id
        try:
            query = parse_query(topic.query, source=self.source)
        except QuerySyntaxError as exc:
            raise QuerySyntaxError(f"topic {topic.id}: {exc.reason}", offset=exc.offset, source=self.source) from None
        tree = self.compile_node(query)
        required = tuple(requirements(tree))
        for term in min(required, key=len):       # a topic is only looked at when its rarest need is met
            self.term_topics.setdefault(term, set()).add(self.topic_index)
        return (truth(tree), evaluator(tree)), required

    def compile_node(self, node: Node):
        if isinstance(node, Term):
            return self.leaf(node)
        if isinstance(node, ListRef):
            return merge_leaves([self.leaf(term) for term in self.list_terms(node.name)])
        if isinstance(node, And):
            return And(tuple(self.compile_node(child) for child in node.children))
        if isinstance(node, Or):
            return merge_leaves([self.compile_node(child) for child in node.children])
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

    def leaf(self, term: Term) -> Leaf:
        word_ids = tuple(self.words.setdefault(word, len(self.words)) for word in term.words)
        term_id = self.terms.setdefault(word_ids, len(self.terms))
        return Leaf(term_id, term.text.strip('"'))

    def finish(self):
        automaton = ahocorasick.Automaton()
        for word, word_id in self.words.items():
            automaton.add_word(_START + word.form + ("" if word.prefix else _END), word_id)
        if self.words:
            automaton.make_automaton()
        # word -> (one-word terms it is, phrases it starts): a phrase can only hit where its first word does
        word_terms: list[tuple[list[int], list[int]]] = [([], []) for _ in self.words]
        for word_ids, term_id in self.terms.items():
            word_terms[word_ids[0]][len(word_ids) > 1].append(term_id)
        terms = tuple(word_ids for word_ids, _ in sorted(self.terms.items(), key=lambda item: item[1]))
        term_topics = tuple(tuple(sorted(self.term_topics.get(t, ()))) for t in range(len(terms)))
        return terms, automaton, tuple((tuple(a), tuple(b)) for a, b in word_terms), term_topics
