"""The evidence two signatures give that they tell one development, as numbers in [0, 1].

Kept apart from the weights (extractors/grouping.py) so the evaluation can fit weights
on the same features the pipeline scores with.
"""

from __future__ import annotations

import math
from typing import Mapping

from extractors.story_signature import StorySignature

FEATURES = ("minhash", "terms", "title", "entities", "lead_entities", "title_entities", "events", "lead_events",
            "place_conflict", "main_place", "title_missing", "numbers", "facts", "dates", "hours", "agency", "topics",
            "cross_lang", "cross_entities")
SPECIFIC_PLACE = 0.6     # a place this specific, named by both but different, means another event
HOURS_SCALE = 72.0
MIN_ENTITY_MASS = 1.0    # sharing only "Iraq" must not look like full agreement
TITLE_WEIGHT = 0.3       # headline entities vaguer than this ("Iraq", "US forces") say nothing


def _idf(key: str, doc_freq: Mapping[str, int] | None, n_docs: int) -> float:
    if not doc_freq or n_docs <= 0:
        return 1.0
    return math.log((n_docs + 1) / (doc_freq.get(key, 0) + 1)) + 1.0


def term_cosine(a: StorySignature, b: StorySignature, doc_freq: Mapping[str, int] | None, n_docs: int) -> float:
    """Cosine of salient-term vectors weighted by in-article weight x archive IDF."""
    va = {t: w * _idf(f"t:{t}", doc_freq, n_docs) for t, w in a.terms}
    vb = {t: w * _idf(f"t:{t}", doc_freq, n_docs) for t, w in b.terms}
    dot = sum(w * vb[t] for t, w in va.items() if t in vb)
    if not dot:
        return 0.0
    return dot / math.sqrt(sum(w * w for w in va.values()) * sum(w * w for w in vb.values()))


def _overlap(a: set, b: set) -> float:
    return len(a & b) / min(len(a), len(b)) if a and b else 0.0


def _entity_overlap(a: StorySignature, b: StorySignature, events: bool | None,
                    doc_freq: Mapping[str, int] | None, n_docs: int, part: str = "all") -> float:
    """Weighted overlap coefficient of the entities both name (gazetteer weight x IDF);
    part="lead" / "title" counts only those named in the lede or the title, where the
    development is told; events=None counts events and entities alike."""
    def weights(sig: StorySignature) -> dict[str, float]:
        keep = {"lead": set(sig.lead_entities), "title": set(sig.title_entities)}.get(part)
        return {e: w * (_idf(f"e:{e}", doc_freq, n_docs) if kind != "event" else 1.0)
                for e, kind, w in sig.entities
                if (events is None or (kind == "event") == events) and (keep is None or e in keep)}
    wa, wb = weights(a), weights(b)
    shared = sum(min(wa[e], wb[e]) for e in wa.keys() & wb.keys())
    if not shared:
        return 0.0
    return shared / max(min(sum(wa.values()), sum(wb.values())), MIN_ENTITY_MASS)


def _place_conflict(a: StorySignature, b: StorySignature) -> float:
    pa = {e for e, kind, w in a.entities if kind == "place" and w >= SPECIFIC_PLACE}
    pb = {e for e, kind, w in b.entities if kind == "place" and w >= SPECIFIC_PLACE}
    return 1.0 if pa and pb and not (pa & pb) else 0.0


def _title_missing(a: StorySignature, b: StorySignature) -> float:
    """Share of what a headline names (actor, place, event) that the other article never
    mentions, the larger of both ways: a copy tells its headline's facts; a reaction
    («the government condemns …») headlines an actor or act the event report lacks."""
    def missing(x: StorySignature, y: StorySignature) -> float:
        named = {e: w for e, _kind, w in x.entities if e in x.title_entities and w >= TITLE_WEIGHT}
        absent = sum(w for e, w in named.items() if e not in y.entity_ids())
        return absent / sum(named.values()) if named else 0.0
    return max(missing(a, b), missing(b, a))


def _hours(a: StorySignature, b: StorySignature) -> float:
    ta, tb = a.published_at, b.published_at
    if ta is None or tb is None:
        return 0.5
    if (ta.tzinfo is None) != (tb.tzinfo is None):
        ta, tb = ta.replace(tzinfo=None), tb.replace(tzinfo=None)
    return min(abs((ta - tb).total_seconds()) / 3600.0 / HOURS_SCALE, 1.0)


def _same_or_not(a: object, b: object) -> float:
    if a is None or b is None:
        return 0.0
    return 1.0 if a == b else -1.0


def features(a: StorySignature, b: StorySignature, *, doc_freq: Mapping[str, int] | None = None,
             n_docs: int = 0, minhash: float = 0.0) -> dict[str, float]:
    cross = 1.0 if a.lang != b.lang else 0.0
    missing = _title_missing(a, b)
    lead = _entity_overlap(a, b, False, doc_freq, n_docs, part="lead")
    entities = _entity_overlap(a, b, False, doc_freq, n_docs)
    topics = 0.0
    if a.topics and b.topics:
        topics = 1.0 if set(a.topics) & set(b.topics) else -1.0
    return {
        "minhash": minhash,
        "terms": term_cosine(a, b, doc_freq, n_docs),
        "title": _overlap(set(a.title_terms), set(b.title_terms)),
        "entities": entities,
        "lead_entities": lead,
        "title_entities": _entity_overlap(a, b, None, doc_freq, n_docs, part="title"),
        "events": _entity_overlap(a, b, True, doc_freq, n_docs),
        "lead_events": _entity_overlap(a, b, True, doc_freq, n_docs, part="lead"),
        "place_conflict": _place_conflict(a, b),
        "main_place": _same_or_not(a.main_place, b.main_place),
        "title_missing": missing,
        "numbers": _overlap(set(a.numbers), set(b.numbers)),
        "facts": _overlap(set(a.lead_facts), set(b.lead_facts)),
        "dates": _overlap(set(a.dates), set(b.dates)),
        "hours": _hours(a, b),
        "agency": _same_or_not(a.agency, b.agency),
        "topics": topics,
        "cross_lang": cross,
        "cross_entities": cross * entities,
    }
