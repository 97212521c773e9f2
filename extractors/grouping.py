"""Story grouping: is this article another telling of a development already seen?

The storage layer finds candidates by the signature's keys inside a time window (never
a scan), then calls `choose_story`; `StoryGrouper` does the same in memory for the
`rasid stories` command and the evaluation. Scoring combines evidence that survives
rewriting and translation: shared rare terms (the backbone, which works on any subject),
gazetteer entities (a base, a faction), where it happened (the place table), numbers and
casualty figures that agree or conflict, event words, time distance, the wire agency and the
topic. Weights and the threshold are fitted on the fitting halves of tests/data/stories
(bench/grouping_fit.py), see docs/grouping.md.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Mapping, Sequence

from extractors.entities import Gazetteer
from extractors.minhash import jaccard
from extractors.story_signature import StorySignature, story_signature
from extractors.story_features import FEATURES, Idf, features, shared_names, unlisted as _unlisted

__all__ = ["StorySignature", "story_signature", "same_story", "choose_story", "frequency_keys", "added_content",
           "Addition", "StoryGrouper", "SAME_STORY_THRESHOLD", "WINDOW"]

WINDOW = timedelta(hours=72)
VERBATIM_JACCARD = 0.5   # shingle Jaccard above which two articles are copies, whatever else differs

# Logistic weights over story_features.FEATURES, fitted by `uv run python bench/grouping_fit.py --write`
# on the pairs of the fitting halves only (eval.jsonl dev, real.jsonl real-fit, the wide sets' wide-dev);
# the threshold is their best mean pair F1 (docs/grouping.md).
WEIGHTS: dict[str, float] = {
    "bias": 1.32, "minhash": 0.5, "terms": 3.08, "title": 0.09, "entities": 0.1,
    "lead_entities": 0.55, "title_entities": 0.03, "events": 0.0, "lead_events": 0.0, "place_same": 0.05,
    "place_conflict": -0.46, "main_place": 0.71, "title_missing": -1.8, "numbers": 1.11, "facts": 0.69,
    "fact_conflict": -1.23, "dates": 0.15, "date_conflict": 0.0, "hours": -5.82, "agency": 0.14,
    "topics": 0.0, "cross_lang": -0.08, "cross_names": 0.0, "names_idf": 3.0, "cross_entities": 0.25,
    "unlisted": 1.14, "unlisted_terms": 0.32,
}
# The same fit over every pair with the dates removed: used when either article
# has no publication time (backfill, `rasid stories` on undated pages); its bias is shifted so
# that SAME_STORY_THRESHOLD applies to it as well.
WEIGHTS_UNDATED: dict[str, float] = {
    "bias": -3.21, "minhash": 0.63, "terms": 4.6, "title": 0.55, "entities": 1.38,
    "lead_entities": 1.44, "title_entities": 0.48, "events": 0.61, "lead_events": 0.89, "place_same": 0.0,
    "place_conflict": -0.67, "main_place": 0.06, "title_missing": -1.53, "numbers": 0.9, "facts": 0.66,
    "fact_conflict": 0.0, "dates": 0.16, "date_conflict": -0.02, "hours": 0.0, "agency": 0.04,
    "topics": 0.0, "cross_lang": -0.16, "cross_names": 0.0, "names_idf": 1.0, "cross_entities": 0.76,
    "unlisted": 0.61, "unlisted_terms": 0.99,
}
# The same fit over signatures made without a gazetteer, dated and undated pairs together: no
# entity evidence, so terms, numbers and time carry it. Used when either side was signed
# without one, and when neither names anything the gazetteer knows.
WEIGHTS_WITHOUT_ENTITIES: dict[str, float] = {
    "bias": -2.06, "minhash": 0.41, "terms": 4.97, "title": 0.62, "entities": 0.0,
    "lead_entities": 0.0, "title_entities": 0.0, "events": 0.0, "lead_events": 0.0, "place_same": 0.0,
    "place_conflict": 0.0, "main_place": 0.0, "title_missing": 0.0, "numbers": 1.32, "facts": 1.26,
    "fact_conflict": 0.0, "dates": 0.44, "date_conflict": -0.11, "hours": 0.0, "agency": 0.55,
    "topics": 0.0, "cross_lang": 0.95, "cross_names": 3.79, "cross_entities": 0.0, "unlisted": -0.01,
    "unlisted_terms": 4.97,
}
SAME_STORY_THRESHOLD = 0.68
UNDATED_LEXICAL = 0.26    # an undated pair whose term cosine reaches this joins unless a conflict (grouping_fit.py)
YEAR_CONFLICT_SCORE = 0.3  # ceiling of an undated pair whose headlines/ledes write different years
# Time alone is no evidence. The dated weights were fitted on sets spanning years, where an article's
# window holds few other stories, so their bias joined any pair close in time (two stories of one day
# sharing nothing scored 0.78): a dated pair must bring at least MIN_EVIDENCE of logit from what it
# shares or contradicts (words, wording, named things, names across languages, figures, days). Picked on
# the fitting halves as fetched and on a busy day (grouping_eval.busy_day, docs/grouping.md): 0.5 costs
# 0.003 mean F1 as fetched and lifts wide-dev on a busy day from 0.42 to 0.72.
EVIDENCE = tuple(name for name in FEATURES if name not in ("hours", "cross_lang", "unlisted", "agency", "topics"))
MIN_EVIDENCE = 0.5
NOTHING_SHARED_SCORE = 0.3
COUNTRY_CONFLICT_SCORE = 0.3  # ceiling of an undated pair whose headlines/ledes name only other countries
UNDATED_LINK = 0.5       # share of the members' mean score in an undated article's story score


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, x))))


def same_story(a: StorySignature, b: StorySignature, *, doc_freq: Mapping[str, int] | None = None,
               n_docs: int = 0, idf: Idf | None = None) -> float:
    """Probability-like score in [0, 1] that a and b tell the same development.

    doc_freq maps index keys ("t:…", "e:…") to how many archived articles hold them and
    n_docs is the archive size; with them, shared rare terms count more than common ones.
    `idf` instead of both lets the candidates of one article share the weights.
    """
    mh = jaccard(a.minhash, b.minhash)
    f = features(a, b, doc_freq=doc_freq, n_docs=n_docs, minhash=mh, idf=idf)
    weights = weights_for(a, b)
    score = _sigmoid(weights["bias"] + sum(weights.get(name, 0.0) * f[name] for name in FEATURES))
    if a.published and b.published and sum(weights.get(name, 0.0) * f[name] for name in EVIDENCE) < MIN_EVIDENCE:
        return min(score, NOTHING_SHARED_SCORE)  # close in time, little in common: two stories of one day
    years = _year_conflict(a, b)
    undated = not (a.published and b.published)
    countries = undated and _country_conflict(a, b)
    conflict = f["place_conflict"] or f["fact_conflict"] or f["date_conflict"] or years or countries
    if countries:
        score = min(score, COUNTRY_CONFLICT_SCORE)
    if undated and years:
        return min(score, YEAR_CONFLICT_SCORE)  # no time to tell them apart, but the texts say: other years
    if mh >= VERBATIM_JACCARD and not conflict:
        score = max(score, 0.9 + 0.1 * mh)  # a copy, unless a templated report of another place, toll or day
    if undated and f["terms"] >= UNDATED_LEXICAL and not conflict:
        # no time evidence: the words alone may join them (what TF-IDF would), unless place, toll or day differ
        limit = SAME_STORY_THRESHOLD
        score = max(score, limit + (1 - limit) * (f["terms"] - UNDATED_LEXICAL) / (1 - UNDATED_LEXICAL))
    return score


def _country_conflict(a: StorySignature, b: StorySignature) -> bool:
    """Both name countries (or places in them) in the headline or lede, and none agrees: two
    presidential elections, two earthquakes. Undated pairs only: with time, the fitting halves
    lost more true pairs (a copy naming Washington, another Baghdad) than they gained (mean F1
    as fetched 0.936 -> 0.928); without, wide-dev 0.544 -> 0.567 and no other half moved."""
    return bool(a.countries and b.countries and not set(a.countries) & set(b.countries))


def _year_conflict(a: StorySignature, b: StorySignature) -> bool:
    """Both write a year in their headline or lede and none agrees (2020 against 2023): the same
    kind of event in another year (rockets on one embassy, an OPEC+ cut), which the shortcuts
    above must not join on their words. Not a fitted feature: on the fitting halves no true pair
    has one (0 of 663) and so few pairs carry a year that the fit weighed it weakly and moved the
    undated threshold, costing wide-dev 0.1 F1 with no dates."""
    return bool(a.years and b.years and not set(a.years) & set(b.years))


def weights_for(a: StorySignature, b: StorySignature) -> Mapping[str, float]:
    """The weight set for a pair: the words-only set when either was signed without a gazetteer
    or neither names anything the gazetteer knows (a story outside its vocabulary: the entity
    weights would leave the words too little say), undated when either has no publication
    time, else the dated one."""
    if not (a.entities_looked_up and b.entities_looked_up) or (_unlisted(a) and _unlisted(b)):
        return WEIGHTS_WITHOUT_ENTITIES
    return WEIGHTS if a.published and b.published else WEIGHTS_UNDATED


def frequency_keys(sig: StorySignature, candidates: Sequence[tuple[int, StorySignature]]) -> set[str]:
    """The index keys whose archive counts (doc_freq) same_story weighs: terms and entities of
    the article and its candidates (band keys are not weighed), and the name skeletons a
    translation shares with it. Count them in the key index."""
    keys = {k for k in sig.keys if not k.startswith(("b:", "n:"))} | {f"t:{t}" for t, _ in sig.terms}
    for _story, other in candidates:
        keys.update(k for k in other.keys if not k.startswith(("b:", "n:")))
        keys.update(f"t:{t}" for t, _ in other.terms)
        keys.update(f"n:{n}" for n in shared_names(sig, other))
    return keys


def choose_story(sig: StorySignature, candidates: Sequence[tuple[int, StorySignature]], *,
                 doc_freq: Mapping[str, int] | None = None, n_docs: int = 0,
                 threshold: float | None = None) -> int | None:
    """The story scoring highest, if it reaches the threshold; else None (a new story).

    A dated article scores a story by its closest member (single link: a copy a day later is
    as close to the first report as to the last). An undated one mixes in the mean of the
    members it was compared with (UNDATED_LINK): with no time to keep them apart, single link
    chains different attacks on one base into one story."""
    limit = SAME_STORY_THRESHOLD if threshold is None else threshold
    scores: dict[int, list[float]] = {}
    idf = Idf(doc_freq, n_docs)
    for story_id, other in candidates:
        scores.setdefault(story_id, []).append(same_story(sig, other, idf=idf))
    if not scores:
        return None
    mix = UNDATED_LINK if sig.published is None else 0.0
    best = {story_id: (1 - mix) * max(values) + mix * sum(values) / len(values)
            for story_id, values in scores.items()}
    story_id, score = max(best.items(), key=lambda kv: (kv[1], -kv[0]))
    return story_id if score >= limit else None


@dataclass(frozen=True)
class Addition:
    """What a follow-up adds to its story, and whether that is worth an update alert."""

    casualties: tuple[tuple[str, int], ...] = ()   # higher figures than the story had: ("wounded", 34)
    places: tuple[str, ...] = ()                   # specific places new to the story, named in the title
    actors: tuple[str, ...] = ()                   # factions/actors new to the story, named in the title
    new_terms: float = 0.0                         # share of salient-term weight the story never had

    @property
    def worth_alert(self) -> bool:
        return bool(self.casualties or self.places or self.actors)

    @property
    def substantial(self) -> bool:
        """Same as worth_alert (the name storage/repo.py asks for)."""
        return self.worth_alert

    @property
    def reasons(self) -> tuple[str, ...]:
        return tuple(name for name in ("casualties", "places", "actors") if getattr(self, name))


NEW_PLACE_WEIGHT = 0.6   # a base or town, not "Iraq"
NEW_ACTOR_WEIGHT = 0.6   # a ministry, commander or spokesman, not "US forces" or "the Pentagon"


def _higher_casualties(new: StorySignature, story_members: Sequence[StorySignature]) -> tuple[tuple[str, int], ...]:
    """Figures above the story's highest of their kind, told in the headline or first paragraph
    (later paragraphs hold background tallies). A first figure of a kind counts only when
    the headline gives it: a lede may recall an earlier attack's dead."""
    highest: dict[str, int] = {}
    for member in story_members:
        for kind, value in member.facts:
            highest[kind] = max(highest.get(kind, 0), value)
    rises: dict[str, int] = {}
    for kind, value in new.lead_facts:
        known = kind in highest
        if value > highest.get(kind, 0) and (known or (kind, value) in new.title_facts):
            rises[kind] = max(rises.get(kind, 0), value)
    return tuple(rises.items())


def added_content(new: StorySignature, story_members: Sequence[StorySignature]) -> Addition:
    """The update rule (docs/grouping.md): alert a follow-up when it reports a higher casualty
    figure than any member did, or its headline names a specific place, a faction or a
    named actor (ministry, spokesman, commander) the story never mentioned. Anything else
    is a copy: counted ("also reported by"), not alerted."""
    known = set().union(*(m.entity_ids() for m in story_members)) if story_members else set()
    title_new = [(e, kind, w) for e, kind, w in new.entities if e in new.title_entities and e not in known]
    places = tuple(e for e, kind, w in title_new if kind == "place" and w >= NEW_PLACE_WEIGHT)
    actors = tuple(e for e, kind, w in title_new
                   if kind == "faction" or (kind == "actor" and w >= NEW_ACTOR_WEIGHT))
    seen_terms = {t for m in story_members for t, _ in m.terms}
    total = sum(w for _, w in new.terms) or 1.0
    new_terms = sum(w for t, w in new.terms if t not in seen_terms) / total
    return Addition(_higher_casualties(new, story_members), places, actors, round(new_terms, 3))


class StoryGrouper:
    """Groups a stream of articles into stories in memory, by the same key index the database keeps.

    Each article is compared only with earlier articles that share a key with it and were
    published within `window` of it. The index is bucketed by publication day, so lookups
    touch the window's days only and cost the same however long the stream has run.
    An undated article gives no time evidence: it is compared with the earlier articles
    sharing the most keys with it, whenever they were published, under WEIGHTS_UNDATED (placing
    it at the latest time seen, as before, invented coincidences). A poll never gets here
    undated: storage signs an undated page with its fetch time.
    """

    def __init__(self, gazetteer: Gazetteer | None = None, *, window: timedelta = WINDOW,
                 threshold: float | None = None, max_candidates: int = 50) -> None:
        self.gazetteer, self.window, self.threshold = gazetteer, window, threshold
        self.max_candidates = max_candidates
        self._sigs: list[StorySignature] = []
        self._when: list[datetime | None] = []
        self._stories: list[int] = []
        self._index: dict[str, dict[int | None, list[int]]] = defaultdict(lambda: defaultdict(list))
        self._doc_freq: Counter[str] = Counter()
        self._next_story = 1
        self.stats: Counter[str] = Counter()

    def add(self, doc_id: str, title: str, text: str, published: datetime | None = None, *,
            topics: Sequence[str] = (), agency: str | None = None) -> int:
        """Group one article; returns its story id (a new id when nothing matches)."""
        sig = story_signature(title, text, published=published, topics=topics, agency=agency,
                              gazetteer=self.gazetteer)
        return self.add_signature(doc_id, sig)

    def add_signature(self, doc_id: str, sig: StorySignature) -> int:
        """Group one article by its signature (doc_id names it in the caller's records only)."""
        when = _naive(sig.published_at) if sig.published_at else None
        candidates = [(self._stories[i], self._sigs[i]) for i in self._candidates(sig, when)]
        self.stats["scored"] += len(candidates)
        story = choose_story(sig, candidates, doc_freq=self._doc_freq, n_docs=len(self._sigs),
                             threshold=self.threshold)
        if story is None:
            story, self._next_story = self._next_story, self._next_story + 1
        position = len(self._sigs)
        self._sigs.append(sig)
        self._when.append(when)
        self._stories.append(story)
        for key in sig.keys:
            self._index[key][_day(when)].append(position)
            self._doc_freq[key] += 1
        return story

    def members(self, story: int) -> list[StorySignature]:
        return [s for s, st in zip(self._sigs, self._stories) if st == story]

    def _candidates(self, sig: StorySignature, when: datetime | None) -> list[int]:
        """Earlier articles sharing the most keys with sig, inside the time window (any time
        when either is undated)."""
        days: list[int | None] | None = None
        if when is not None:
            today, span = when.toordinal(), self.window.days + 1
            days = [None, *range(today - span, today + span + 1)]
        shared: Counter[int] = Counter()
        for key in sig.keys:
            buckets = self._index.get(key)
            if not buckets:
                continue
            for day in days if days is not None else list(buckets):
                for position in buckets.get(day, ()):
                    shared[position] += 1
        chosen = []
        for position, _count in shared.most_common():
            other = self._when[position]
            if when is not None and other is not None and abs(when - other) > self.window:
                continue
            chosen.append(position)
            if len(chosen) >= self.max_candidates:
                break
        return chosen


def _day(moment: datetime | None) -> int | None:
    return moment.toordinal() if moment is not None else None


def _naive(moment: datetime) -> datetime:
    """Compare aware and naive datetimes alike (naive ones are taken as UTC)."""
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(timezone.utc).replace(tzinfo=None)
