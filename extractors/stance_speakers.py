"""The sentence as stance detection reads it, and who speaks in it.

`Sentence` holds one sentence's tokens (extractors.arabic's: folded, clitics split), the word
classes of each (stance_words.py), where punctuation separates them and which gazetteer entities
they name. `speaker_and_complement` finds, for a stance verb, its speaker — the noun phrase before
it in English ("X, the group's spokesman, said"), after it in Arabic («أعلنت المقاومة … في بيان»),
before it when an Arabic headline names its subject first («البنتاغون ينفي») — and what the speaker
says; `role` tells a group from an official, a qualified source, media or a witness.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from typing import Sequence

from extractors.entities import Entity, Gazetteer
from extractors.stance_words import classes_of
from extractors.stemming import is_arabic
from extractors.story_text import Tok

_BOUNDARY = re.compile(r"[,،:;؛\"“”«»()\[\]—–.!?؟]")
_MAX_SPEAKER = 9
CONTENT = frozenset({"event", "action", "defend", "false", "self", "own_forces", "own_act", "own_fighters",
                      "attribute", "responsibility", "future", "occur"})


class Sentence:
    """One sentence's tokens with their word classes, the boundaries between them and its entities;
    `where[name]` lists the positions of each class, so a span is asked about by bisection."""

    def __init__(self, text: str, toks: Sequence[Tok], gazetteer: Gazetteer | None) -> None:
        self.text = text  # the string the tokens' offsets point into (a title, a body, a sentence)
        self.toks = toks
        self.cls = [classes_of(t.forms) for t in toks]
        self.boundary = [i == 0 or bool(_BOUNDARY.search(text, toks[i - 1].end, t.start))
                         for i, t in enumerate(toks)]
        self.arabic = 2 * sum(is_arabic(t.norm) for t in toks) >= len(toks)
        self.where: dict[str, list[int]] = {}
        for i, names in enumerate(self.cls):
            for name in names:
                self.where.setdefault(name, []).append(i)
        self.entity_at: dict[int, Entity] = {}   # factions and actors: who may speak or act
        self.place_at: dict[int, Entity] = {}    # places: a state speaks by its name («العراق ينفي»)
        if gazetteer is not None and self.where.keys() & ANCHOR_CLASSES:
            for start, end, entity_id in gazetteer.spans(toks):
                entity = gazetteer.entities[entity_id]
                target = self.entity_at if entity.kind in ("faction", "actor") else \
                    self.place_at if entity.kind == "place" else {}
                for i in range(start, end):
                    target[i] = entity

    def has(self, i: int, name: str) -> bool:
        return 0 <= i < len(self.toks) and name in self.cls[i]

    def at(self, span: tuple[int, int], name: str) -> list[int]:
        """Positions of class `name` inside span."""
        found = self.where.get(name)
        if not found:
            return []
        return found[bisect_left(found, span[0]):bisect_left(found, span[1])]

    def any(self, span: tuple[int, int], *names: str) -> bool:
        for name in names:
            found = self.where.get(name)
            if found:
                k = bisect_left(found, span[0])
                if k < len(found) and found[k] < span[1]:
                    return True
        return False

    def phrase(self, span: tuple[int, int]) -> str:
        return self.text[self.toks[span[0]].start:self.toks[span[1] - 1].end] if span[1] > span[0] else ""
ANCHOR_CLASSES = frozenset({"say", "confirm", "deny", "reject", "adopt", "claim", "attribute"})
ATTRIBUTION = frozenset({"according", "وفق", "وفقا", "بحسب", "حسب", "نقلا"})


def speaker_and_complement(s: Sentence, i: int, kind: str, floor: int, ceiling: int):
    """Who speaks and which tokens are what they say (up to the next stance verb)."""
    norm = s.toks[i].norm
    if norm in ATTRIBUTION:                    # "according to X", «وفق X», «نقلا عن X»
        start = i + 2 if i + 1 < len(s.toks) and s.toks[i + 1].norm in ("to", "عن") else i + 1
        speaker = _segment_after(s, start)
        after = (speaker[1], ceiling)
        return speaker, after if s.any(after, *CONTENT) else (floor, i)
    if not s.arabic and next_is(s, i, "by"):   # "claimed by X", "reported by X"
        return _segment_after(s, i + 2), (floor, i)
    if s.arabic:
        before = _piece_before(s, i, floor)
        if before[1] > before[0] and speaker_role(s, before) != "unknown":   # «العراق ينفي…»: the subject first
            return before, (i + 1, ceiling)
        speaker = _arabic_speaker(s, i)
        if speaker[1] <= speaker[0] and not participle(s, i):
            speaker = before
        return speaker, (max(speaker[1], i + 1), ceiling)
    if _inverted(s, i, ceiling):                # '"…," said the statement' / "…, says X."
        return _segment_after(s, i + 1), (floor, i)
    speaker = _segment_before(s, i, floor)
    if speaker[1] > speaker[0]:
        after = (i + 1, ceiling)
        if not s.any(after, *CONTENT) and speaker[0] > floor:
            return speaker, (floor, speaker[0])    # '"…," the group said in a statement.'
        return speaker, after
    return speaker, (i + 1, ceiling)
_INVERTIBLE = frozenset("said says added wrote noted explained reported stated".split())


def _inverted(s: Sentence, i: int, ceiling: int) -> bool:
    if not s.boundary[i] or s.toks[i].forms[0] not in _INVERTIBLE:
        return False
    after = _segment_after(s, i + 1)
    return after[1] > after[0] and not s.any((i + 1, min(ceiling, after[1] + 1)), "complementizer", *CONTENT)


def _segments_before(s: Sentence, i: int, floor: int) -> list[tuple[int, int]]:
    """The boundary-delimited pieces between `floor` and token i, nearest first."""
    pieces, end = [], i
    while end > floor:
        start = end - 1
        while start > floor and not s.boundary[start]:
            start -= 1
        pieces.append((start, end))
        end = start
    return pieces


def _segment_before(s: Sentence, i: int, floor: int) -> tuple[int, int]:
    """The noun phrase before an English verb: back to a boundary, after any "that"; "X, Y, said"
    (a name and its title, either order) is taken whole; an appositive "a group that…" gives way
    to the name before it."""
    pieces = _segments_before(s, i, floor)
    if not pieces:
        return (i, i)
    start, end = pieces[0]
    if s.boundary[i] and len(pieces) > 1:
        start = pieces[1][0]
    start = _after_complementizer(s, start, end)
    if s.boundary[i] and s.toks[start].norm in ("a", "an"):   # "X, a group that…, claimed"
        outer = [p for p in pieces if p[1] == start]
        if outer:
            start = _after_complementizer(s, outer[0][0], start)
    return _trim(s, start, end)


def _after_complementizer(s: Sentence, start: int, end: int) -> int:
    for j in range(end - 2, start - 1, -1):
        if s.has(j, "complementizer") or s.cls[j] & {"say", "confirm", "deny"}:
            return j + 1
    return start


def _piece_before(s: Sentence, i: int, floor: int) -> tuple[int, int]:
    """An Arabic subject before its verb («قوات الدعم السريع تنفي»): the piece up to the verb."""
    pieces = _segments_before(s, i, floor)
    if not pieces or s.boundary[i]:
        return (i, i)
    start, end = _trim(s, *pieces[0])
    if end - start > 6 or s.any((start, end), "action", "say", "confirm", "deny", "event", "negation") or \
            any(s.toks[j].norm.isdigit() for j in range(start, end)):
        return (i, i)
    return start, end


def _segment_after(s: Sentence, start: int) -> tuple[int, int]:
    end = start
    while end < len(s.toks) and end - start < _MAX_SPEAKER and (end == start or not s.boundary[end]):
        end += 1
    return _trim(s, start, end)


def _arabic_speaker(s: Sentence, i: int) -> tuple[int, int]:
    """The subject after an Arabic verb («أعلنت المقاومة الإسلامية في العراق في بيان أنها…»), up to a
    boundary, a complementizer, a preposition or time word, or a stance/event word."""
    end = i + 1
    while end < len(s.toks) and end - i <= _MAX_SPEAKER:
        if end in s.entity_at and (end - 1) in s.entity_at and s.entity_at[end] is s.entity_at[end - 1]:
            end += 1
            continue
        if (end > i + 1 and s.boundary[end]) or s.cls[end] & _ARABIC_STOPS or _addressee(s, end):
            break
        end += 1
    return _trim(s, i + 1, end)


def _addressee(s: Sentence, i: int) -> bool:
    """«قال مسؤول لوكالة رويترز»: the outlet told (ل + a media word) is not the speaker."""
    surface = s.toks[i].forms[0]
    return "media" in s.cls[i] and surface.lstrip("و").startswith("ل") and not surface.startswith("ال")
_ARABIC_STOPS = frozenset({"complementizer", "speaker_stop", "event", "action", "defend", "deny", "confirm",
                           "say", "false", "negation", "allegation", "responsibility", "adopt", "future"})


def participle(s: Sentence, i: int) -> bool:
    """", adding that…", «، مؤكداً أن…»: a verb that continues the sentence's statement."""
    surface = s.toks[i].forms[-1]
    return s.boundary[i] and (surface.endswith("ing") or (surface.startswith("م") and surface.endswith("ا")))


def _trim(s: Sentence, start: int, end: int) -> tuple[int, int]:
    while start < end and (s.has(start, "speaker_trim") or s.has(start, "contrast")):
        start += 1
    while end > start and (s.has(end - 1, "speaker_trim") or s.has(end - 1, "speaker_stop")
                           or s.toks[end - 1].norm.isdigit()):
        end -= 1
    if end - start > _MAX_SPEAKER:
        start = end - _MAX_SPEAKER
    return start, end


def clause_before(s: Sentence, i: int) -> tuple[int, int]:
    """The words before a verb that names no speaker, back to a boundary: whose video, post or
    statement it is («تداولت مواقع التواصل مقطعا… يقول فيه»)."""
    start = i
    while start > 0 and not s.boundary[start]:
        start -= 1
    return start, i


def next_is(s: Sentence, i: int, word: str) -> bool:
    return i + 1 < len(s.toks) and s.toks[i + 1].norm == word


def speaker_role(s: Sentence, span: tuple[int, int]) -> str:
    """group | official | source | media | witness | unknown, from the speaker phrase."""
    entity = speaker_entity(s, span)
    if entity is not None:
        return "group" if entity.kind == "faction" else "official"
    words = set().union(*(s.cls[i] for i in range(*span))) if span[1] > span[0] else set()
    if "group" in words:
        return "group"
    if "official" in words or ("source" in words and "source_qualifier" in words):
        return "official"
    if "media" in words:
        return "media"
    if "witness" in words:
        return "witness"
    if any(i in s.place_at for i in range(*span)):
        return "official"
    return "source" if "source" in words else "unknown"


def speaker_entity(s: Sentence, span: tuple[int, int]) -> Entity | None:
    found = [s.entity_at[i] for i in range(*span) if i in s.entity_at]
    factions = [e for e in found if e.kind == "faction"]
    return (factions or found or [None])[0]
