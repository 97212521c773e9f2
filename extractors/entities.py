"""The entity gazetteer: places, factions, actors and weapons named in an article.

Names are matched on normalized tokens (clitics split off), so «بقاعدة عين الأسد»,
«لعين الاسد» and "Ain al-Asad" all find the same entity; Arabic and English names share
one id, which is what links an Arabic copy of a story to its English version. Phrases under
`not_entities` hide a name inside them («القائم بالأعمال» is no town). Besides
the four kinds that alerts list, the gazetteer may hold `events` (attack, killed,
withdrawal …): bilingual event words that story grouping uses but alerts do not show.
Parsing is pure: the caller reads seeds/gazetteer.yaml and passes its text.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable, Mapping, Sequence

from extractors.errors import ConfigError
from extractors.outlets import load_yaml
from extractors.places import Place
from extractors.story_text import Tok, norm_words, tokens

ALERT_KINDS = ("place", "faction", "actor", "weapon")
KINDS = ALERT_KINDS + ("event",)
_BLOCKED = "-"  # the id of a not_entities phrase
_SECTIONS = {"places": "place", "factions": "faction", "actors": "actor", "weapons": "weapon",
             "events": "event"}
_ENTRY_FIELDS = {"id", "ar", "en", "weight", "__line__"}


@dataclass(frozen=True)
class Entity:
    id: str
    kind: str  # "place" | "faction" | "actor" | "weapon" (| "event", grouping only)
    name_ar: str
    name_en: str
    weight: float = 1.0  # how much sharing it says about two articles telling one event


class Gazetteer:
    """Finds entities in text.

    A name is a sequence of normalized words; it matches where each word equals one of
    the readings (clitic splits) of consecutive tokens, so «وبقاعدة حرير» finds «قاعدة حرير».
    Names are indexed by their first word, so the cost grows with the text, not the list.
    """

    def __init__(self, entities: Iterable[Entity], variants: Iterable[tuple[tuple[str, ...], str]],
                 parents: Mapping[str, str] | None = None, located: Iterable[str] = (),
                 countries: Mapping[str, str] | None = None,
                 country_names: Iterable[tuple[tuple[str, ...], str]] = ()) -> None:
        self.entities: dict[str, Entity] = {e.id: e for e in entities}
        self._variants = list(variants)
        self._by_first: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        for phrase, entity_id in self._variants:
            self._by_first.setdefault(phrase[0], []).append((phrase, entity_id))
        self.parents: dict[str, str] = dict(parents or {})  # place id -> the place it lies in
        self.located: frozenset[str] = frozenset(located)  # places the place table knows
        self.countries: dict[str, str] = dict(countries or {})  # place id -> ISO 3166-1 code of its country
        # Country names and adjectives, matched apart from the entities: they tell grouping which
        # country a development is in and nothing else, and must not cover or shadow an entity's name.
        self._country_names = list(country_names)
        self._countries_by_first: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        for phrase, iso in self._country_names:
            self._countries_by_first.setdefault(phrase[0], []).append((phrase, iso))

    def lineage(self, entity_id: str) -> tuple[str, ...]:
        """The place and every place it lies in: ("zubair", "basra"); a cycle stops the walk."""
        chain = [entity_id]
        while chain[-1] in self.parents and self.parents[chain[-1]] not in chain:
            chain.append(self.parents[chain[-1]])
        return tuple(chain)

    def with_places(self, places: Sequence[Place]) -> "Gazetteer":
        """This gazetteer plus a place table (extractors/places.py). A table place one of whose
        names the gazetteer already gives a place is that place (its other names and its
        parent are added to it); a name the gazetteer gives anything else stays the gazetteer's."""
        owner = {phrase: entity_id for phrase, entity_id in self._variants}
        alias: dict[str, str] = {}
        country_rows = [p for p in places if p.kind == "country"]
        places = [p for p in places if p.kind != "country"]
        for place in places:
            phrases = [tuple(norm_words(n)) for n in place.names_ar + place.names_en]
            known = next((owner[p] for p in phrases if p in owner and owner[p] != _BLOCKED
                          and self.entities[owner[p]].kind == "place"), None)
            alias[place.id] = known or place.id
        entities, variants = dict(self.entities), list(self._variants)
        for place in places:
            target = alias[place.id]
            if target not in entities:
                entities[target] = Entity(target, "place", (place.names_ar or place.names_en)[0],
                                          (place.names_en or place.names_ar)[0], place.weight)
            for name in place.names_ar + place.names_en:
                phrase = tuple(norm_words(name))
                if phrase and owner.setdefault(phrase, target) == target and (phrase, target) not in variants:
                    variants.append((phrase, target))
        parents = dict(self.parents)
        for place in places:
            if place.parent and alias[place.parent] != alias[place.id]:
                parents[alias[place.id]] = alias[place.parent]
        countries = {**self.countries, **{alias[p.id]: p.country for p in places if p.country}}
        country_names = self._country_names + [(tuple(norm_words(n)), p.country) for p in country_rows
                                               for n in p.names_ar + p.names_en if norm_words(n)]
        return Gazetteer(entities.values(), variants, parents, self.located | set(alias.values()), countries,
                         country_names)

    def countries_named(self, toks: tuple[Tok, ...], spans: Sequence[tuple[int, int, str]], end: int) -> set[str]:
        """ISO codes of the countries tokens [0, end) name, or name a place of (`spans`, from
        `spans()`): «الرئيس المصري», "Basra" (Iraq)."""
        found = {self.countries[e] for start, _end, e in spans if start < end and e in self.countries}
        for i, tok in enumerate(toks[:end]):
            for form in tok.forms:
                for phrase, iso in self._countries_by_first.get(form, ()):
                    if _matches_at(phrase, toks, i):
                        found.add(iso)
        return found

    def __len__(self) -> int:
        return len(self.entities)

    def find_all(self, title: str, text: str) -> tuple[Entity, ...]:
        """Every entity named, events included, in order of first mention (title first)."""
        return self.find_in_tokens(tokens(title) + tokens(text))

    def find(self, title: str, text: str) -> tuple[Entity, ...]:
        """Places, factions, actors and weapons named in the article, in order of first mention."""
        return tuple(e for e in self.find_all(title, text) if e.kind in ALERT_KINDS)

    def find_in_tokens(self, toks: tuple[Tok, ...]) -> tuple[Entity, ...]:
        """Entities in order of first mention."""
        found: dict[str, Entity] = {}
        for _start, _end, entity_id in self.spans(toks):
            found.setdefault(entity_id, self.entities[entity_id])
        return tuple(found.values())

    def spans(self, toks: tuple[Tok, ...]) -> list[tuple[int, int, str]]:
        """(first token, end token, id) of each name found, in text order.
        Longest names win: «عين الأسد» is the base, not also «الأسد» the president."""
        spans: list[tuple[int, int, str]] = []
        for i, tok in enumerate(toks):
            for form in tok.forms:
                for phrase, entity_id in self._by_first.get(form, ()):
                    if _matches_at(phrase, toks, i):
                        spans.append((i, i + len(phrase), entity_id))
        covered: set[int] = set()
        kept: list[tuple[int, int, str]] = []
        for start, end, entity_id in sorted(spans, key=lambda s: (s[0] - s[1], s[0])):
            if covered.isdisjoint(range(start, end)):
                covered.update(range(start, end))
                kept.append((start, end, entity_id))
        return sorted(k for k in kept if k[2] != _BLOCKED)


def _matches_at(phrase: tuple[str, ...], toks: tuple[Tok, ...], i: int) -> bool:
    if i + len(phrase) > len(toks):
        return False
    return all(word in toks[i + k].forms for k, word in enumerate(phrase) if k)


def _names(entry: dict[str, Any], key: str, source: str) -> list[str]:
    value = entry.get(key, [])
    names = [value] if isinstance(value, (str, int)) else value
    if not isinstance(names, list) or not all(isinstance(n, (str, int)) for n in names):
        raise ConfigError(f"'{key}' must be a name or a list of names", source=source, line=entry["__line__"])
    return [str(n) for n in names]


def _entry(entry: Any, kind: str, source: str) -> tuple[Entity, list[str]]:
    if not isinstance(entry, dict) or not isinstance(entry.get("id"), str):
        line = entry.get("__line__") if isinstance(entry, dict) else None
        raise ConfigError(f"each {kind} needs an 'id'", source=source, line=line)
    unknown = set(entry) - _ENTRY_FIELDS
    if unknown:
        raise ConfigError(f"unknown field(s) {sorted(unknown)} in {entry['id']}", source=source,
                          line=entry["__line__"])
    ar, en = _names(entry, "ar", source), _names(entry, "en", source)
    if not ar and not en:
        raise ConfigError(f"{entry['id']} has no names", source=source, line=entry["__line__"])
    weight = entry.get("weight", 1.0)
    if not isinstance(weight, (int, float)) or weight < 0:
        raise ConfigError(f"weight of {entry['id']} must be a number >= 0", source=source, line=entry["__line__"])
    entity = Entity(entry["id"], kind, ar[0] if ar else en[0], en[0] if en else ar[0], float(weight))
    return entity, ar + en


def _blockers(entries: Any, source: str, line: int) -> list[tuple[tuple[str, ...], str]]:
    if not isinstance(entries, list) or not all(isinstance(e, str) for e in entries):
        raise ConfigError("'not_entities' must be a list of phrases", source=source, line=line)
    return [(tuple(norm_words(phrase)), _BLOCKED) for phrase in entries if norm_words(phrase)]


def parse_gazetteer(text: str, source: str = "gazetteer.yaml") -> Gazetteer:
    """Build the gazetteer from its YAML text; a wrong entry names the file and line."""
    data = load_yaml(text, source)
    if not isinstance(data, dict):
        raise ConfigError("expected a mapping of sections (places, factions, actors, weapons, events)",
                          source=source, line=1)
    entities: list[Entity] = []
    variants: list[tuple[tuple[str, ...], str]] = []
    owner: dict[tuple[str, ...], str] = {}
    for section, entries in data.items():
        if section == "__line__":
            continue
        if section == "not_entities":
            variants.extend(_blockers(entries, source, data["__line__"]))
            continue
        if section not in _SECTIONS or not isinstance(entries, list):
            raise ConfigError(f"unknown or malformed section '{section}'", source=source, line=data["__line__"])
        for raw in entries:
            entity, names = _entry(raw, _SECTIONS[section], source)
            if entity.id in {e.id for e in entities}:
                raise ConfigError(f"duplicate id {entity.id}", source=source, line=raw["__line__"])
            entities.append(entity)
            for name in names:
                phrase = tuple(norm_words(name))
                if not phrase:
                    raise ConfigError(f"name {name!r} of {entity.id} has no words", source=source,
                                      line=raw["__line__"])
                if owner.setdefault(phrase, entity.id) != entity.id:
                    raise ConfigError(f"name {name!r} of {entity.id} is already a name of {owner[phrase]}",
                                      source=source, line=raw["__line__"])
                variants.append((phrase, entity.id))
    return Gazetteer(entities, variants)
