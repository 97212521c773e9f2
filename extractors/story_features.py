"""The evidence two signatures give that they tell one development, as numbers in [0, 1].

Kept apart from the weights (extractors/grouping.py) so the evaluation can fit weights
on the same features the pipeline scores with.
"""

from __future__ import annotations

import math
from typing import Mapping

from extractors.story_signature import StorySignature

FEATURES = ("minhash", "terms", "title", "entities", "lead_entities", "title_entities", "events", "lead_events",
            "place_same", "place_conflict", "main_place", "title_missing", "numbers", "facts", "fact_conflict",
            "dates", "date_conflict", "hours", "agency", "topics", "cross_lang", "cross_entities", "cross_names",
            "names_idf", "unlisted", "unlisted_terms")
HOURS_SCALE = 72.0
MIN_ENTITY_MASS = 1.0    # sharing only "Iraq" must not look like full agreement
CROSS_NAMES = 3          # shared name skeletons that count as full agreement
NAMES_IDF_SCALE = 12.0   # summed archive IDF of shared name skeletons that counts as full agreement (two rare names)
TITLE_WEIGHT = 0.3       # headline entities vaguer than this ("Iraq", "US forces") say nothing


class Idf:
    """Archive IDF of index keys ("t:…", "e:…"), and the weighted vectors built from it, each
    worked out once: grouping one article weighs the same signatures against every candidate
    and in five entity features. Lives as long as one article's grouping (vectors are kept by
    the signature's id, valid while the caller holds the signatures)."""

    __slots__ = ("_counts", "_n_docs", "_known", "_vectors")

    def __init__(self, doc_freq: Mapping[str, int] | None, n_docs: int):
        self._counts, self._n_docs = (doc_freq, n_docs) if doc_freq and n_docs > 0 else (None, 0)
        self._known: dict[str, float] = {}
        self._vectors: dict[tuple, tuple[dict[str, float], float]] = {}

    def __call__(self, key: str) -> float:
        if self._counts is None:
            return 1.0
        value = self._known.get(key)
        if value is None:
            value = self._known[key] = math.log((self._n_docs + 1) / (self._counts.get(key, 0) + 1)) + 1.0
        return value

    def vector(self, sig: StorySignature, kind: tuple) -> tuple[dict[str, float], float]:
        """(weights, their mass) of `sig` for a feature `kind`: ("terms",) or ("entities", events, part)."""
        key = (id(sig), *kind)
        found = self._vectors.get(key)
        if found is None:
            weights = _term_weights(sig, self) if kind[0] == "terms" else _entity_weights(sig, self, *kind[1:])
            mass = sum(w * w for w in weights.values()) if kind[0] == "terms" else sum(weights.values())
            found = self._vectors[key] = (weights, mass)
        return found


def _term_weights(sig: StorySignature, idf: Idf) -> dict[str, float]:
    """Sublinear in-article weight (a headline word repeated in the lede must not swamp the
    rest) x archive IDF: measured better than raw weights on every fitting half."""
    return {t: math.log1p(w) * idf(f"t:{t}") for t, w in sig.terms}


def _entity_weights(sig: StorySignature, idf: Idf, events: bool | None, part: str) -> dict[str, float]:
    keep = {"lead": set(sig.lead_entities), "title": set(sig.title_entities)}.get(part)
    return {e: w * (idf(f"e:{e}") if kind != "event" else 1.0)
            for e, kind, w in sig.entities
            if (events is None or (kind == "event") == events) and (keep is None or e in keep)}


def term_cosine(a: StorySignature, b: StorySignature, idf: Idf) -> float:
    """Cosine of term vectors weighted by log(1 + in-article weight) x archive IDF."""
    (va, na), (vb, nb) = idf.vector(a, ("terms",)), idf.vector(b, ("terms",))
    dot = sum(w * vb[t] for t, w in va.items() if t in vb)
    if not dot:
        return 0.0
    return dot / math.sqrt(na * nb)


def _overlap(a: set, b: set) -> float:
    return len(a & b) / min(len(a), len(b)) if a and b else 0.0


def _entity_overlap(a: StorySignature, b: StorySignature, events: bool | None, idf: Idf, part: str = "all") -> float:
    """Weighted overlap coefficient of the entities both name (gazetteer weight x IDF);
    part="lead" / "title" counts only those named in the lede or the title, where the
    development is told; events=None counts events and entities alike."""
    (wa, ma), (wb, mb) = idf.vector(a, ("entities", events, part)), idf.vector(b, ("entities", events, part))
    shared = sum(min(wa[e], wb[e]) for e in wa.keys() & wb.keys())
    if not shared:
        return 0.0
    return shared / max(min(ma, mb), MIN_ENTITY_MASS)


def _place_evidence(a: StorySignature, b: StorySignature) -> tuple[float, float]:
    """(same, conflict) of where each article says it happened, its first place (title, then
    lede): the same place or one inside the other ("Zubair" and "Basra") agree; two others
    ("Basra" and "Nasiriyah", al-Tanf and Ain al-Asad) conflict. Later places are background
    («after the attack on Ain al-Asad …») and say nothing either way."""
    if not a.places or not b.places:
        return 0.0, 0.0
    la, lb = a.places[0].split(">"), b.places[0].split(">")
    return (1.0, 0.0) if la[0] in lb or lb[0] in la else (0.0, 1.0)


def _fact_conflict(a: StorySignature, b: StorySignature) -> float:
    """Both give a casualty figure of one kind in their lede, and no figure agrees (3 killed
    against 5 killed): two events, or a later toll (the fit weighs how often each)."""
    kinds = {k for k, _ in a.lead_facts} & {k for k, _ in b.lead_facts}
    if not kinds or set(a.lead_facts) & set(b.lead_facts):
        return 0.0
    return 1.0


def _date_conflict(a: StorySignature, b: StorySignature) -> float:
    """Both name a day in their lede ("January 28") and no day agrees."""
    da, db = {d for d in a.dates if d.startswith("d")}, {d for d in b.dates if d.startswith("d")}
    return 1.0 if da and db and not (da & db) else 0.0


def _cross_names(a: StorySignature, b: StorySignature) -> float:
    """Arabic-English pair: how many name skeletons of the English side's headline and lede the
    Arabic side's also gives ("Tunisia" / «تونس»: "tns"), up to CROSS_NAMES; what links a
    translation when the gazetteer names nothing in it."""
    if a.lang == b.lang or not a.names or not b.names:
        return 0.0
    return min(len(set(a.names) & set(b.names)), CROSS_NAMES) / CROSS_NAMES


def _names_idf(a: StorySignature, b: StorySignature, idf: Idf) -> float:
    """Arabic-English pair: the shared name skeletons weighed by their archive rarity. A rare
    surname both sides give says far more than "Baghdad" does; counting them alike (cross_names)
    ranked true translations below same-kind stories of one city (wide-dev cross-language AP
    0.20 counted, 0.30 weighed)."""
    return min(sum(idf(f"n:{n}") for n in shared_names(a, b)) / NAMES_IDF_SCALE, 1.0)


def shared_names(a: StorySignature, b: StorySignature) -> set[str]:
    """The name skeletons an Arabic-English pair shares (whose archive counts _names_idf weighs)."""
    return set(a.names).intersection(b.names) if a.lang != b.lang else set()


def unlisted(sig: StorySignature) -> bool:
    """It names nothing the gazetteer knows beyond a country or an event word: a story outside
    its vocabulary, where the words must carry the decision."""
    return not any(kind != "event" and w >= TITLE_WEIGHT for _e, kind, w in sig.entities)


def _unlisted(a: StorySignature, b: StorySignature) -> float:
    return 1.0 if unlisted(a) and unlisted(b) else 0.0


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
        return 0.0  # no time evidence: the undated weights (grouping.WEIGHTS_UNDATED) apply
    if (ta.tzinfo is None) != (tb.tzinfo is None):
        ta, tb = ta.replace(tzinfo=None), tb.replace(tzinfo=None)
    return min(abs((ta - tb).total_seconds()) / 3600.0 / HOURS_SCALE, 1.0)


def _same_or_not(a: object, b: object) -> float:
    if a is None or b is None:
        return 0.0
    return 1.0 if a == b else -1.0


def features(a: StorySignature, b: StorySignature, *, doc_freq: Mapping[str, int] | None = None,
             n_docs: int = 0, minhash: float = 0.0, idf: Idf | None = None) -> dict[str, float]:
    """The features of one pair; `idf` (else built from doc_freq and n_docs) may be shared by
    the pairs of one article."""
    idf = idf or Idf(doc_freq, n_docs)
    cross = 1.0 if a.lang != b.lang else 0.0
    missing = _title_missing(a, b)
    lead = _entity_overlap(a, b, False, idf, part="lead")
    entities = _entity_overlap(a, b, False, idf)
    topics = 0.0
    if a.topics and b.topics:
        topics = 1.0 if set(a.topics) & set(b.topics) else -1.0
    place_same, place_conflict = _place_evidence(a, b)
    terms = term_cosine(a, b, idf)
    unlisted = _unlisted(a, b)
    return {
        "minhash": minhash,
        "terms": terms,
        "title": _overlap(set(a.title_terms), set(b.title_terms)),
        "entities": entities,
        "lead_entities": lead,
        "title_entities": _entity_overlap(a, b, None, idf, part="title"),
        "events": _entity_overlap(a, b, True, idf),
        "lead_events": _entity_overlap(a, b, True, idf, part="lead"),
        "place_same": place_same,
        "place_conflict": place_conflict,
        "main_place": _same_or_not(a.main_place, b.main_place),
        "title_missing": missing,
        "numbers": _overlap(set(a.numbers), set(b.numbers)),
        "facts": _overlap(set(a.lead_facts), set(b.lead_facts)),
        "fact_conflict": _fact_conflict(a, b),
        "dates": _overlap(set(a.dates), set(b.dates)),
        "date_conflict": _date_conflict(a, b),
        "hours": _hours(a, b),
        "agency": _same_or_not(a.agency, b.agency),
        "topics": topics,
        "cross_lang": cross,
        "cross_entities": cross * entities,
        "cross_names": _cross_names(a, b),
        "names_idf": _names_idf(a, b, idf),
        "unlisted": unlisted,
        "unlisted_terms": unlisted * terms,
    }
