"""All topics compiled into one matcher: the cost of an article grows with its text, not with topics.

Every distinct query word of every topic is one key of a single Aho-Corasick automaton
(pyahocorasick). An article is normalized and tokenized once; each distinct word's forms
(clitic splits, singulars) go through the automaton once per matcher and the answer is
remembered. Only topics whose required terms were found are then tested, on the token
positions of their hits (see extractors/compiled.py and docs/matching.md).

Positions and snippets refer to the document `title + "\\n" + text`.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass
from typing import Mapping, Sequence

from extractors.arabic import joined_spans
from extractors.compiled import BODY, Builder, Span, TermHits, scan_text
from extractors.snippets import Hit, build_snippet, mark, sentence_bounds
from extractors.topics import Topic


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


_MAX_KNOWN_WORDS = 500_000     # distinct words remembered per matcher before starting afresh


class TopicMatcher:
    """Match many topics against articles; build once with compile(), reuse for every article."""

    def __init__(self, topics: tuple[Topic, ...], trees: tuple, required: tuple, builder: Builder) -> None:
        """trees: per topic (does it match?, why) evaluators; required: per topic, term sets that must each hit."""
        self.topics, self._trees, self._required = topics, trees, required
        self._terms, self._automaton, self._word_terms, self._term_topics = builder.finish()
        self._word_ids: dict[str, tuple[int, ...]] = {}   # normalized word -> automaton hits, filled as seen

    @classmethod
    def compile(cls, topics: Sequence[Topic], lists: Mapping[str, Sequence[str]] = {}) -> "TopicMatcher":
        """Parse every enabled topic's query, expand @lists, and build the one automaton."""
        builder = Builder(lists)
        enabled = tuple(topic for topic in topics if topic.enabled)
        compiled = [builder.tree(topic) for topic in enabled]
        return cls(enabled, tuple(tree for tree, _ in compiled), tuple(need for _, need in compiled), builder)

    def match(self, title: str, text: str) -> tuple[TopicMatch, ...]:
        """The enabled topics this article matches, each with its terms, positions and snippet."""
        if not self._terms:
            return ()
        document = f"{title}\n{text}"
        tokens = joined_spans(title, text)
        title_tokens = bisect_left(tokens, (len(title),))
        word_hits = self._scan(tokens, title_tokens)
        hits = TermHits(self._terms, self._word_terms, word_hits)
        hit_terms = hits.found
        candidates = sorted({topic for term in hit_terms for topic in self._term_topics[term]})
        results, bounds = [], None
        for index in candidates:
            if any(group.isdisjoint(hit_terms) for group in self._required[index]):
                continue
            holds, explain = self._trees[index]
            if not holds(hits, False):
                continue
            spans = explain(hits, False)
            if not spans:
                continue
            bounds = bounds if bounds is not None else sentence_bounds(document)
            results.append(_describe(self.topics[index].id, spans, tokens, title_tokens, document, bounds))
        return tuple(results)

    def _scan(self, tokens, title_tokens: int) -> dict[int, list[int]]:
        """word id -> token positions in text order (body positions offset by BODY).

        Each distinct word is run through the automaton once per matcher and remembered, so an
        article costs one lookup per token plus one step per hit, whatever the topic count.
        Tokens are visited in text order, so every position list comes out sorted.
        """
        known = self._word_ids
        if len(known) > _MAX_KNOWN_WORDS:
            known.clear()
        found: dict[int, list[int]] = {}
        for part, start in ((tokens[:title_tokens], 0), (tokens[title_tokens:], BODY)):
            for index, (_, _, word) in enumerate(part, start):
                ids = known.get(word)
                if ids is None:
                    ids = known[word] = tuple({value for _, value in self._automaton.iter(scan_text(word))})
                for word_id in ids:
                    found.setdefault(word_id, []).append(index)
        return found


def _describe(topic_id: str, spans: list[Span], tokens, title_tokens: int, document: str,
              bounds: list[int]) -> TopicMatch:
    hits = []
    for start, end, label, weight in sorted(set(spans)):
        first = start if start < BODY else start - BODY + title_tokens
        last = end if end < BODY else end - BODY + title_tokens
        hits.append(Hit(tokens[first][0], tokens[last][1], label, weight))
    terms = tuple(dict.fromkeys(hit.term for hit in hits))
    snippet = build_snippet(document, hits, bounds)
    return TopicMatch(topic_id, terms, tuple(sorted({hit.start for hit in hits})), snippet.text, snippet.highlights)


