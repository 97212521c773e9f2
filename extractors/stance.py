"""Who claimed, confirmed or denied a development: the stance of a headline, lede or post, and by whom.

A faction announces its attack first, news sites repeat it, an army or a ministry confirms or
denies it later. For one text this module says which of these it is — **claim** (the doer says
it did it), **confirmation** (someone else, an official first of all, says it happened or names
the doer), **denial** (someone says it did not happen, or not as told, or not by them) or a plain
**report** — and who took that stance.

The method is transparent on purpose, so an analyst can see why: each stance verb of a sentence
(said, أعلن، نفى، تبنّى, claimed, confirmed …) opens a *frame* with its speaker (the noun phrase
before it in English, after it in Arabic) and what it says (the complement). The frame is judged
on its words (stance_words.py): a denial verb or a falsity word («لا صحة», "false") makes a denial;
the speaker named as the doer ("said *it* attacked", «أعلنت أنها استهدفت», «قواتها», «أعلن
استهداف…») makes a claim — whoever the speaker is, an army announcing its own strike included;
an event told by anyone else (an official, a source with a qualifier, an unnamed speaker) makes
a confirmation; media, witnesses and threats ("will continue") make a report; a negated stance
verb ("did not confirm", «لم تعلن أي جهة») makes nothing. Of several frames, the clause after
"but/لكن" wins, then denial > claim > confirmation. Speakers and their roles come from the
gazetteer (factions, actors) and from role words (group, spokesman, security sources).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from functools import lru_cache
from typing import Sequence

from extractors.entities import Entity, Gazetteer
from extractors.stance_words import classes_of
from extractors.stemming import is_arabic
from extractors.story_text import Tok, tokens

STANCES = ("claim", "confirmation", "denial", "report")
_PRIORITY = {"denial": 3, "claim": 2, "confirmation": 1}
LEDE_SENTENCES = 3
_BOUNDARY = re.compile(r"[,،:;؛\"“”«»()\[\]—–.!?؟]")
_SENTENCE_END = re.compile(r"(?<=[.!?؟])\s+(?=\S)|\n+")
_ABBREVIATION = re.compile(r"(?:\b[A-Z]\.){1,3}$|\b(?:Mr|Mrs|Ms|Dr|Gen|Lt|Col|Maj|Brig|Adm|Rep|Sen|St|No)\.$")
_DETERMINERS = frozenset("a an the this that these those its their his her our such any no of despite".split())
_CLAIM_NOUN_NEXT = frozenset("of by about is was are were has have had and or".split())  # "claims of", "the claim is"
_MAX_SPEAKER = 9
_CONTENT = frozenset({"event", "action", "defend", "false", "self", "own_forces", "own_act", "own_fighters",
                      "attribute", "responsibility", "future", "occur"})


@dataclass(frozen=True)
class Stance:
    """A text's stance on its development; `by` as written (or the caller's default speaker),
    `by_id` the gazetteer id when the speaker names a faction or actor."""

    stance: str = "report"
    by: str | None = None
    by_id: str | None = None
    cue: str = ""  # the word that decided, for explaining a result


@dataclass(frozen=True)
class _Frame:
    kind: str          # say | confirm | deny | reject | claim | adopt | attribute
    anchor: int
    speaker: tuple[int, int]
    complement: tuple[int, int]
    negated: bool


class _Sentence:
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
        if gazetteer is not None and self.where.keys() & _ANCHOR_CLASSES:
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


_ANCHOR_CLASSES = frozenset({"say", "confirm", "deny", "reject", "adopt", "claim", "attribute"})


def text_stance(title: str, text: str = "", *, gazetteer: Gazetteer | None = None,
                default_speaker: str | None = None, lede_sentences: int = LEDE_SENTENCES) -> Stance:
    """The stance of an article (its headline, else the first stance-bearing sentence of its lede)
    or of a post. `default_speaker` is who speaks when nobody is named: a channel's own post.

    Reads the tokens extractors.story_text remembers for the last few texts (the story signature
    has just read the same title and body), cut at sentence ends."""
    pieces = [(title, part) for part in _sentence_tokens(title, 99)]
    pieces += [(text, part) for part in _sentence_tokens(text, lede_sentences)]
    for source, toks in pieces:
        found = _stance_of(_Sentence(source, toks, gazetteer), default_speaker)
        if found.stance != "report":
            return found
    return Stance()


def _sentence_tokens(text: str, limit: int) -> list[tuple[Tok, ...]]:
    """The tokens of the first `limit` sentences of `text`, one tuple per sentence."""
    if not text:
        return []
    ends = [end for _, end in _sentence_spans(text)][:limit]
    toks = tokens(text)
    out, k = [], 0
    for end in ends:
        start = k
        while k < len(toks) and toks[k].start < end:
            k += 1
        if k > start:
            out.append(toks[start:k])
    return out


def split_sentences(text: str) -> list[str]:
    """Sentences of a text: at . ! ? ؟ and line breaks, not after initials (U.S.) or titles (Gen.)."""
    return [text[start:end].strip() for start, end in _sentence_spans(text or "") if text[start:end].strip()]


def _sentence_spans(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for end in _SENTENCE_END.finditer(text):
        if _ABBREVIATION.search(text, start, end.start()):
            continue
        spans.append((start, end.start()))
        start = end.end()
    spans.append((start, len(text)))
    return [span for span in spans if text[span[0]:span[1]].strip()]


@lru_cache(maxsize=1024)
def _cached(sentence: str, gazetteer: Gazetteer | None, default_speaker: str | None) -> Stance:
    return _stance_of(_Sentence(sentence, tokens(sentence), gazetteer), default_speaker)


def _stance_of(s: _Sentence, default_speaker: str | None) -> Stance:
    frames = _frames(s) if s.where.keys() & _ANCHOR_CLASSES else []
    judged = [(stance, frame) for frame in frames if (stance := _judge(s, frame))]
    contrast = _last_contrast(s)
    later = [(stance, frame) for stance, frame in judged if frame.anchor > contrast]
    pool = later or judged
    if pool:
        stance, frame = max(pool, key=lambda item: (_PRIORITY[item[0]], item[1].anchor))
        return _with_speaker(s, stance, frame)
    if default_speaker:
        own = _own_statement(s)
        if own:
            return Stance(own, default_speaker, None, "own statement")
    return Stance()


def sentence_stance(sentence: str, *, gazetteer: Gazetteer | None = None,
                    default_speaker: str | None = None) -> Stance:
    """The stance one sentence takes, and its speaker (remembered for the last 1,024 sentences)."""
    return _cached(sentence, gazetteer, default_speaker)


# ---- frames -------------------------------------------------------------------------------------

_ATTRIBUTION = frozenset({"according", "وفق", "وفقا", "بحسب", "حسب", "نقلا"})


def _frames(s: _Sentence) -> list[_Frame]:
    """One frame per stance verb, with its speaker and what it says. A verb with no speaker of its
    own (", adding that…", «وأضاف:», «مؤكدا») speaks for the frame before it."""
    frames: list[_Frame] = []
    positions = sorted({i for name in _ANCHOR_CLASSES for i in s.where.get(name, ())})
    anchors = [(i, kind) for i in positions if (kind := _anchor_kind(s, i))]
    bounds = [i for i, _ in anchors if s.toks[i].norm not in _ATTRIBUTION]
    for i, kind in anchors:
        later = [b for b in bounds if b > i]
        earlier = [f.anchor + 1 for f in frames]
        speaker, complement = _speaker_and_complement(s, i, kind, earlier[-1] if earlier else 0,
                                                      later[0] if later else len(s.toks))
        if frames and (_participle(s, i) or (speaker[1] <= speaker[0] and kind == "say")):
            speaker = frames[-1].speaker
        frames.append(_Frame(kind, i, speaker, complement, _negated(s, i, frames)))
    return frames


def _anchor_kind(s: _Sentence, i: int) -> str | None:
    cls = s.cls[i]
    for kind in ("deny", "reject", "adopt", "confirm"):
        if kind in cls:
            return None if kind == "adopt" and s.has(i - 1, "allegation") else kind
    if "claim" in cls and _claim_verb(s, i):
        return "claim"
    if "attribute" in cls and s.toks[i].norm not in ("behind", "وراء"):
        return "attribute"
    if "say" in cls:
        if s.toks[i].norm == "according" and not (i + 1 < len(s.toks) and s.toks[i + 1].norm == "to"):
            return None
        return "say"
    return None


def _claim_verb(s: _Sentence, i: int) -> bool:
    """"claimed", "X claims to have…" are verbs; "the claim", "Houthi claims of…" are nouns."""
    word = s.toks[i].forms[0]
    prev = s.toks[i - 1] if i else None
    if prev is not None and (prev.norm in _DETERMINERS or re.search(r"['’]s?$", s.text[prev.start:prev.end])):
        return False
    if word in ("claimed", "claiming"):
        return True
    nxt = s.toks[i + 1].norm if i + 1 < len(s.toks) else ""
    return bool(nxt) and nxt not in _CLAIM_NOUN_NEXT


def _negated(s: _Sentence, i: int, earlier: Sequence[_Frame]) -> bool:
    """"did not confirm", «لم تعلن», "could not independently verify", "expected to claim",
    "despite claims"; a verb coordinated with a negated one («لم يؤكد أو ينفي») too."""
    for j in range(i - 1, max(-1, i - 4), -1):
        if s.has(j, "negation") or s.has(j, "expect") or s.has(j, "despite"):
            return True
        if s.boundary[j + 1]:
            break
    if i >= 2 and s.toks[i - 1].norm in ("or", "nor", "او", "ولا"):
        return any(f.anchor == i - 2 and f.negated for f in earlier)
    return False


def _speaker_and_complement(s: _Sentence, i: int, kind: str, floor: int, ceiling: int):
    """Who speaks and which tokens are what they say (up to the next stance verb)."""
    norm = s.toks[i].norm
    if norm in _ATTRIBUTION:                    # "according to X", «وفق X», «نقلا عن X»
        start = i + 2 if i + 1 < len(s.toks) and s.toks[i + 1].norm in ("to", "عن") else i + 1
        speaker = _segment_after(s, start)
        after = (speaker[1], ceiling)
        return speaker, after if s.any(after, *_CONTENT) else (floor, i)
    if not s.arabic and _next_is(s, i, "by"):   # "claimed by X", "reported by X"
        return _segment_after(s, i + 2), (floor, i)
    if s.arabic:
        before = _piece_before(s, i, floor)
        if before[1] > before[0] and _role(s, before) != "unknown":   # «العراق ينفي…»: the subject first
            return before, (i + 1, ceiling)
        speaker = _arabic_speaker(s, i)
        if speaker[1] <= speaker[0] and not _participle(s, i):
            speaker = before
        return speaker, (max(speaker[1], i + 1), ceiling)
    if _inverted(s, i, ceiling):                # '"…," said the statement' / "…, says X."
        return _segment_after(s, i + 1), (floor, i)
    speaker = _segment_before(s, i, floor)
    if speaker[1] > speaker[0]:
        after = (i + 1, ceiling)
        if not s.any(after, *_CONTENT) and speaker[0] > floor:
            return speaker, (floor, speaker[0])    # '"…," the group said in a statement.'
        return speaker, after
    return speaker, (i + 1, ceiling)


_INVERTIBLE = frozenset("said says added wrote noted explained reported stated".split())


def _inverted(s: _Sentence, i: int, ceiling: int) -> bool:
    if not s.boundary[i] or s.toks[i].forms[0] not in _INVERTIBLE:
        return False
    after = _segment_after(s, i + 1)
    return after[1] > after[0] and not s.any((i + 1, min(ceiling, after[1] + 1)), "complementizer", *_CONTENT)


def _segments_before(s: _Sentence, i: int, floor: int) -> list[tuple[int, int]]:
    """The boundary-delimited pieces between `floor` and token i, nearest first."""
    pieces, end = [], i
    while end > floor:
        start = end - 1
        while start > floor and not s.boundary[start]:
            start -= 1
        pieces.append((start, end))
        end = start
    return pieces


def _segment_before(s: _Sentence, i: int, floor: int) -> tuple[int, int]:
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


def _after_complementizer(s: _Sentence, start: int, end: int) -> int:
    for j in range(end - 2, start - 1, -1):
        if s.has(j, "complementizer") or s.cls[j] & {"say", "confirm", "deny"}:
            return j + 1
    return start


def _piece_before(s: _Sentence, i: int, floor: int) -> tuple[int, int]:
    """An Arabic subject before its verb («قوات الدعم السريع تنفي»): the piece up to the verb."""
    pieces = _segments_before(s, i, floor)
    if not pieces or s.boundary[i]:
        return (i, i)
    start, end = _trim(s, *pieces[0])
    if end - start > 6 or s.any((start, end), "action", "say", "confirm", "deny", "event", "negation") or \
            any(s.toks[j].norm.isdigit() for j in range(start, end)):
        return (i, i)
    return start, end


def _segment_after(s: _Sentence, start: int) -> tuple[int, int]:
    end = start
    while end < len(s.toks) and end - start < _MAX_SPEAKER and (end == start or not s.boundary[end]):
        end += 1
    return _trim(s, start, end)


def _arabic_speaker(s: _Sentence, i: int) -> tuple[int, int]:
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


def _addressee(s: _Sentence, i: int) -> bool:
    """«قال مسؤول لوكالة رويترز»: the outlet told (ل + a media word) is not the speaker."""
    surface = s.toks[i].forms[0]
    return "media" in s.cls[i] and surface.lstrip("و").startswith("ل") and not surface.startswith("ال")


_ARABIC_STOPS = frozenset({"complementizer", "speaker_stop", "event", "action", "defend", "deny", "confirm",
                           "say", "false", "negation", "allegation", "responsibility", "adopt", "future"})


def _participle(s: _Sentence, i: int) -> bool:
    """", adding that…", «، مؤكداً أن…»: a verb that continues the sentence's statement."""
    surface = s.toks[i].forms[-1]
    return s.boundary[i] and (surface.endswith("ing") or (surface.startswith("م") and surface.endswith("ا")))


def _trim(s: _Sentence, start: int, end: int) -> tuple[int, int]:
    while start < end and (s.has(start, "speaker_trim") or s.has(start, "contrast")):
        start += 1
    while end > start and (s.has(end - 1, "speaker_trim") or s.has(end - 1, "speaker_stop")
                           or s.toks[end - 1].norm.isdigit()):
        end -= 1
    if end - start > _MAX_SPEAKER:
        start = end - _MAX_SPEAKER
    return start, end


def _last_contrast(s: _Sentence) -> int:
    """The last "but / however / لكن / إلا أن" of the sentence (-1 when none)."""
    leads = [i for i in s.where.get("contrast_lead", ()) if s.has(i + 1, "complementizer")]
    return max([*s.where.get("contrast", ()), *leads], default=-1)


# ---- judging a frame ----------------------------------------------------------------------------

def _judge(s: _Sentence, frame: _Frame) -> str | None:
    if frame.negated:
        return None
    role = _role(s, frame.speaker if frame.speaker[1] > frame.speaker[0] else _clause_before(s, frame.anchor))
    comp = frame.complement
    if frame.kind == "deny":
        return "denial"
    if frame.kind == "reject":
        return "denial" if s.any((frame.anchor + 1, min(len(s.toks), frame.anchor + 7)), "allegation", "false") \
            else None
    if _says_false(s, comp):
        return "denial"
    if frame.kind == "adopt":
        return "claim"
    if frame.kind == "claim" and role not in ("media", "witness"):
        if role != "official" or _next_is(s, frame.anchor, "to") or _own_operation(s, frame, role):
            return "claim"
    if frame.kind == "attribute":
        return None if role in ("media", "witness") else "confirmation"
    if role in ("media", "witness") and frame.kind != "confirm":
        return None
    return _said(s, frame, role)


def _clause_before(s: _Sentence, i: int) -> tuple[int, int]:
    """The words before a verb that names no speaker, back to a boundary: whose video, post or
    statement it is («تداولت مواقع التواصل مقطعا… يقول فيه»)."""
    start = i
    while start > 0 and not s.boundary[start]:
        start -= 1
    return start, i


def _next_is(s: _Sentence, i: int, word: str) -> bool:
    return i + 1 < len(s.toks) and s.toks[i + 1].norm == word


def _said(s: _Sentence, frame: _Frame, role: str) -> str | None:
    """What a speaker's statement is: its own operation, someone else's event, or neither."""
    comp = frame.complement
    if _threat(s, comp):
        return None
    if s.arabic and frame.kind == "say" and s.any(comp, "responsibility") and not s.any(comp, "attribute"):
        return "claim"
    if _own_operation(s, frame, role):
        return "claim"
    if _own_subject(s, comp, "defend"):
        return "claim" if role == "group" else "confirmation"
    happened = s.any(comp, "event", "action", "defend", "attribute")
    if role == "group" and happened and not _other_doer(s, frame):
        return "claim"
    if role == "source":
        return None
    return "confirmation" if happened else None


def _own_operation(s: _Sentence, frame: _Frame, role: str) -> bool:
    """"said it attacked", «أنها استهدفت», «قواتها دمرت», «استهدفنا», «مجاهدو…», «أعلن استهداف…»,
    "the army has broken the siege…, the army said"."""
    comp = frame.complement
    if s.any(comp, "own_act", "own_fighters") or _before_action(s, comp, "own_forces"):
        return True
    if s.arabic and s.has(frame.anchor, "announce") and _first_content(s, comp) is not None:
        return s.has(_first_content(s, comp), "action")
    return _own_subject(s, comp, "action") or _speaker_as_doer(s, frame) or \
        (role not in ("official", "media") and _anaphor_subject(s, comp))


def _before_action(s: _Sentence, span: tuple[int, int], name: str, reach: int = 5) -> bool:
    """A word of class `name` followed closely by an operation verb: its subject («قواتها دمرت»)."""
    return any(s.any((i + 1, min(span[1], i + 1 + reach)), "action") for i in s.at(span, name))


def _first_content(s: _Sentence, span: tuple[int, int]) -> int | None:
    """The first word after an Arabic speaker that says something («أعلن الجيش، اليوم، تحييد…»),
    past dates, titles and names; None when a complementizer («أن») comes first."""
    for i in range(*span):
        if s.has(i, "complementizer"):
            return None
        if s.cls[i] - {"speaker_stop", "speaker_trim", "official", "group"} and not s.toks[i].norm.isdigit():
            return i
    return None


def _own_subject(s: _Sentence, span: tuple[int, int], verbs: str) -> bool:
    """A pronoun of the speaker opening a clause, then the verb: "said it/its forces destroyed",
    «أنها استهدفت» (not "repelled it and inflicted", where "it" is the object)."""
    for i in s.at(span, "self"):
        opens = i == span[0] or s.boundary[i] or s.toks[i].norm.startswith("ان") or \
            s.cls[i - 1] & {"complementizer", "say", "confirm", "claim"}
        if opens and s.any((i + 1, min(span[1], i + 5)), verbs):
            return True
    return False


def _anaphor_subject(s: _Sentence, span: tuple[int, int]) -> bool:
    """"the group launched", «الحركة شنت»: a faction's own statement naming itself."""
    for i in s.at(span, "group_anaphor"):
        definite = s.toks[i].forms[0].lstrip("وف").startswith("ال") if s.arabic else s.toks[i - 1].norm == "the"
        if definite and s.any((i + 1, min(span[1], i + 4)), "action"):
            return True
    return False


def _speaker_as_doer(s: _Sentence, frame: _Frame) -> bool:
    """The speaker's own name as the doer before the verb: "The army has broken …, the army said"."""
    heads = {s.toks[i].norm for i in range(*frame.speaker) if s.cls[i] & {"official", "group"}}
    heads |= {s.entity_at[i].id for i in range(*frame.speaker) if i in s.entity_at}
    if not heads:
        return False
    for i in range(*frame.complement):
        if s.toks[i].norm in heads or (i in s.entity_at and s.entity_at[i].id in heads):
            if any(s.has(j, "action") for j in range(i + 1, min(frame.complement[1], i + 4))):
                return True
    return False


def _other_doer(s: _Sentence, frame: _Frame) -> bool:
    """A named faction or actor other than the speaker's in the statement: "the group says the coalition
    struck" confirms the coalition's strike, it claims nothing."""
    own = _speaker_entity(s, frame.speaker)
    return any(entity is not own for i, entity in s.entity_at.items() if frame.complement[0] <= i < frame.complement[1])


_DENIED_WORDS = frozenset({"negated_false", "action", "defend", "occur"})
_HAPPENING = frozenset({"event", "action", "defend", "own_act", "own_forces"})


def _says_false(s: _Sentence, span: tuple[int, int]) -> bool:
    """«لا صحة»، «غير صحيحة»، "is false", "no such attack", "has not conducted", «لم تسيطر»."""
    if s.any(span, "false"):
        return True
    for i in s.at(span, "negation"):
        for j in range(i + 1, min(span[1], i + 3)):
            if s.cls[j] & _DENIED_WORDS or s.toks[j].norm == "such":
                return True
    return False


def _threat(s: _Sentence, span: tuple[int, int]) -> bool:
    """"will continue its attacks", «نؤكد استمرارنا», "may have been hit": no stance on a past event."""
    hedges = [*s.at(span, "future"), *s.at(span, "hedge"),
              *(i for i in s.at(span, "be_imperfect") if i and s.toks[i - 1].norm == "قد")]
    if not hedges:
        return False
    first = min(hedges)
    return not any(s.cls[i] & _HAPPENING for i in range(span[0], first))


def _role(s: _Sentence, span: tuple[int, int]) -> str:
    """group | official | source | media | witness | unknown, from the speaker phrase."""
    entity = _speaker_entity(s, span)
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


def _speaker_entity(s: _Sentence, span: tuple[int, int]) -> Entity | None:
    found = [s.entity_at[i] for i in range(*span) if i in s.entity_at]
    factions = [e for e in found if e.kind == "faction"]
    return (factions or found or [None])[0]


def _with_speaker(s: _Sentence, stance: str, frame: _Frame) -> Stance:
    entity = _speaker_entity(s, frame.speaker)
    return Stance(stance, s.phrase(frame.speaker) or None, entity.id if entity else None,
                  f"{frame.kind}:{s.toks[frame.anchor].forms[0]}")


def _own_statement(s: _Sentence) -> str | None:
    """A channel's own post that names no speaker: its denial, or its operation told as done."""
    whole = (0, len(s.toks))
    if s.any(whole, "deny") or _says_false(s, whole):
        return "denial"
    if _threat(s, whole):
        return None
    own = s.any(whole, "own_act", "own_fighters") or _before_action(s, whole, "own_forces")
    doers = [i for i, e in s.entity_at.items() if e.kind == "faction"]
    if own or (doers and s.any((min(doers), len(s.toks)), "action")) or s.any(whole, "adopt", "responsibility"):
        return "claim"
    return None
