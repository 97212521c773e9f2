"""What an article says, reduced once to what story grouping compares: the StorySignature.

Computed once per article and stored (JSON) beside it; its `keys` go into an index
table so candidates are found by lookup, never by scanning the archive:
- "b:<band>:<digest>": MinHash/LSH band keys, for verbatim and near-verbatim copies;
- "t:<stem>": the article's salient terms (title and lede weigh more), for rewrites;
- "e:<entity id>": specific gazetteer entities (a base, a faction), language-neutral,
  which is how an English copy finds its Arabic story.
"""

from __future__ import annotations

import json
import warnings
from dataclasses import dataclass, fields
from datetime import datetime
from typing import Sequence

from extractors.agency import detect_agency
from extractors.datelines import dateline_end
from extractors.entities import Entity, Gazetteer
from extractors.errors import PermanentError
from extractors.name_skeletons import name_skeletons
from extractors.minhash import band_keys, minhash
from extractors.story_text import (casualty_facts, content_stems, dates_named, is_year, language,
                                   numbers_at, tokens)

MAX_TERMS = 20          # salient terms that are index keys
MAX_VECTOR = 60         # terms kept for the lexical cosine (the keys first)
MAX_NAME_KEYS = 8      # name skeletons that are index keys (headline, then lede): a translation's way in
MAX_NAMES = 80         # name skeletons kept (an Arabic lede gives one per reading of each word)
MAX_ENTITY_KEYS = 8     # entity keys kept (most specific first)
MAIN_PLACE_WEIGHT = 0.6  # a base or town, not a country
MIN_KEY_WEIGHT = 0.3    # entities vaguer than this ("Iraq", "the coalition") are not keys
TITLE_BOOST, LEDE_BOOST, LEDE_WORDS = 3.0, 2.0, 40
BODY_WEIGHT = 1.0       # a word after the lede (outlets' background paragraphs live there)
FACT_LEAD_WORDS = 60    # numbers, dates, new figures: the first paragraph's; later ones are background


@dataclass(frozen=True)
class StorySignature:
    keys: tuple[str, ...]
    terms: tuple[tuple[str, float], ...] = ()        # salient stem -> weight in this article
    title_terms: tuple[str, ...] = ()
    entities: tuple[tuple[str, str, float], ...] = ()  # (id, kind, weight), events included
    title_entities: tuple[str, ...] = ()             # ids named in the title
    lead_entities: tuple[str, ...] = ()              # ids named in the title or the lede
    main_place: str | None = None                    # the first specific place, title first: where it happened
    places: tuple[str, ...] = ()                     # places the title and lede name, each with where it lies:
                                                     # "zubair>basra" (extractors/places.py)
    countries: tuple[str, ...] = ()                  # countries the title and lede name or place in: "EG", "IQ"
    numbers: tuple[int, ...] = ()                    # numbers in the headline and first paragraph, not years
    facts: tuple[tuple[str, int], ...] = ()          # casualty figures: ("killed", 3)
    title_facts: tuple[tuple[str, int], ...] = ()    # casualty figures the headline gives
    lead_facts: tuple[tuple[str, int], ...] = ()     # ... the headline and the first paragraph give
    dates: tuple[str, ...] = ()                      # ... calendar dates there: "d28-m1", "m9-2025"
    years: tuple[int, ...] = ()                      # ... years written in digits there: 2020
    names: tuple[str, ...] = ()                      # ... consonant skeletons of names there: "tns" (name_skeletons.py)
    minhash: tuple[int, ...] = ()
    published: str | None = None                     # ISO 8601
    agency: str | None = None
    topics: tuple[str, ...] = ()
    lang: str = "ar"
    size: int = 0                                    # words in the article
    entities_looked_up: bool = True                  # False: made without a gazetteer

    @property
    def published_at(self) -> datetime | None:
        return datetime.fromisoformat(self.published) if self.published else None

    def entity_ids(self, *kinds: str) -> frozenset[str]:
        return frozenset(e for e, k, _ in self.entities if not kinds or k in kinds)

    def to_json(self) -> str:
        """JSON of every field; json writes tuples as arrays, so no asdict() deep copy is needed
        (it was 7% of preparing a page)."""
        return json.dumps({name: getattr(self, name) for name in _FIELDS}, ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str) -> "StorySignature":
        try:
            data = json.loads(text)
            return cls(
                keys=tuple(data["keys"]), terms=tuple((t, float(w)) for t, w in data.get("terms", ())),
                title_terms=tuple(data.get("title_terms", ())),
                entities=tuple((e, k, float(w)) for e, k, w in data.get("entities", ())),
                title_entities=tuple(data.get("title_entities", ())),
                lead_entities=tuple(data.get("lead_entities", ())),
                main_place=data.get("main_place"), places=tuple(data.get("places", ())),
                countries=tuple(data.get("countries", ())),
                numbers=tuple(data.get("numbers", ())), facts=tuple((k, int(v)) for k, v in data.get("facts", ())),
                title_facts=tuple((k, int(v)) for k, v in data.get("title_facts", ())),
                lead_facts=tuple((k, int(v)) for k, v in data.get("lead_facts", ())),
                dates=tuple(data.get("dates", ())), years=tuple(int(y) for y in data.get("years", ())),
                names=tuple(data.get("names", ())),
                minhash=tuple(data.get("minhash", ())), published=data.get("published"),
                agency=data.get("agency"), topics=tuple(data.get("topics", ())), lang=data.get("lang", "ar"),
                size=int(data.get("size", 0)), entities_looked_up=bool(data.get("entities_looked_up", True)))
        except (ValueError, KeyError, TypeError) as exc:
            raise PermanentError(f"not a story signature: {exc}") from None


_FIELDS = tuple(f.name for f in fields(StorySignature))


def _salient_terms(title_stems: list[str], body_stems: list[str]) -> list[tuple[str, float]]:
    counts: dict[str, float] = {}  # a plain dict: Counter's __missing__ is a Python call per new stem
    for s in title_stems:
        counts[s] = counts.get(s, 0) + TITLE_BOOST
    for i, s in enumerate(body_stems):
        counts[s] = counts.get(s, 0) + (LEDE_BOOST if i < LEDE_WORDS else BODY_WEIGHT)
    ranked = sorted(counts.items(), key=lambda kv: -kv[1])  # stable: first mention breaks ties
    return [(t, round(w, 2)) for t, w in ranked[:MAX_VECTOR] if len(t) > 1]


def _entities(gazetteer: Gazetteer | None, spans: list[tuple[int, int, str]], start: int,
              end: int) -> tuple[Entity, ...]:
    """Entities whose names start in tokens [start, end), in order of first mention."""
    if gazetteer is None:
        return ()
    ids = dict.fromkeys(entity_id for first, _last, entity_id in spans if start <= first < end)
    return tuple(gazetteer.entities[i] for i in ids)


def _places(gazetteer: Gazetteer | None, lead: Sequence[Entity]) -> tuple[str, ...]:
    """Places of the title and lede that say where something happened (a base, a town, a
    governorate of the place table, not a country), title first, each as its lineage "zubair>basra"."""
    if gazetteer is None:
        return ()
    return tuple(">".join(gazetteer.lineage(e.id)) for e in lead
                 if e.kind == "place" and (e.weight >= MAIN_PLACE_WEIGHT or e.id in gazetteer.located))


def _main_place(entities: Sequence[Entity]) -> str | None:
    """Where the development happened: the first base or town named, the title before the body."""
    return next((e.id for e in entities if e.kind == "place" and e.weight >= MAIN_PLACE_WEIGHT), None)


def story_signature(title: str, text: str, *, published: datetime | None = None, agency: str | None = None,
                    topics: Sequence[str] = (), lang: str | None = None,
                    gazetteer: Gazetteer | None = None) -> StorySignature:
    """Reduce one article to its signature. Pass the gazetteer: without it no entity links
    Arabic and English copies, and grouping finds little beyond verbatim copies (pair F1
    0.03 instead of 0.97 on the dev split, docs/grouping.md)."""
    if gazetteer is None:
        warnings.warn("story_signature without a gazetteer: only verbatim copies will group "
                      "(pass gazetteer=parse_gazetteer(...))", RuntimeWarning, stacklevel=2)
    title_toks, body_toks = tokens(title), tokens(text, dateline_end(text))  # the dateline says where the outlet is
    all_toks = title_toks + body_toks
    title_words = [t.norm for t in title_toks]
    body_words = [t.norm for t in body_toks]
    title_stems = content_stems(title_toks)
    terms = _salient_terms(title_stems, content_stems(body_toks))
    spans = gazetteer.spans(all_toks) if gazetteer is not None else []
    found = _entities(gazetteer, spans, 0, len(all_toks))
    in_title = _entities(gazetteer, spans, 0, len(title_toks))
    in_lead = _entities(gazetteer, spans, 0, len(title_toks) + LEDE_WORDS)
    entities = tuple((e.id, e.kind, e.weight) for e in found)
    in_names = frozenset(i for start, end, _ in spans for i in range(start, end))  # «البرج 22» is no count
    lead_toks = all_toks[:len(title_toks) + FACT_LEAD_WORDS]  # outlets append background tallies later
    lead_numbers = [(i, v) for i, v in numbers_at([t.forms for t in lead_toks]) if i not in in_names]
    numbers = sorted({v for _i, v in lead_numbers if v >= 2 and not is_year(v)})
    years = sorted({v for i, v in lead_numbers if is_year(v) and lead_toks[i].forms[0].isdigit()})
    lang = lang or language(title + " " + text[:2000])
    lead_body = body_toks[:max(0, len(lead_toks) - len(title_toks))]
    names = (name_skeletons(title, ((t.start, t.end, t.forms) for t in title_toks), lang)
             + name_skeletons(text, ((t.start, t.end, t.forms) for t in lead_body), lang))
    values = minhash([w for w in title_words + body_words])
    specific = sorted((e for e in entities if e[1] != "event" and e[2] >= MIN_KEY_WEIGHT), key=lambda e: -e[2])
    keys = (band_keys(values) + tuple(f"t:{t}" for t, _ in terms[:MAX_TERMS])
            + tuple(f"e:{e[0]}" for e in specific[:MAX_ENTITY_KEYS])
            + tuple(f"n:{n}" for n in dict.fromkeys(names))[:MAX_NAME_KEYS])
    return StorySignature(
        keys=keys, terms=tuple(terms), title_terms=tuple(dict.fromkeys(title_stems)),
        entities=entities, title_entities=tuple(e.id for e in in_title),
        lead_entities=tuple(e.id for e in in_lead), main_place=_main_place(in_title + found),
        places=_places(gazetteer, in_lead),
        countries=tuple(sorted(gazetteer.countries_named(all_toks, spans, len(title_toks) + LEDE_WORDS)))
        if gazetteer is not None else (),
        numbers=tuple(numbers[:40]), facts=casualty_facts(all_toks, in_names),
        title_facts=casualty_facts(title_toks, in_names),
        lead_facts=casualty_facts(lead_toks, in_names), dates=dates_named(lead_toks)[:20], years=tuple(years[:10]),
        names=tuple(dict.fromkeys(names))[:MAX_NAMES],
        minhash=values,
        published=published.isoformat() if published else None, agency=agency or detect_agency(text),
        topics=tuple(topics), lang=lang, size=len(all_toks),
        entities_looked_up=gazetteer is not None)
