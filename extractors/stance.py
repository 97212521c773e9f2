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

The rules' verdict then goes to a small learned model (stance_model.py: logistic regression over
the frames, their verdicts and roles, and the words, fitted on the evaluation sets' fit halves),
which has the last word when it disagrees; `cue` then starts with "model:".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Sequence

from extractors import stance_model
from extractors.arabic import text_spans
from extractors.entities import Gazetteer
from extractors.stance_speakers import (ANCHOR_CLASSES, ATTRIBUTION, Sentence, clause_before, next_is, participle,
                                        speaker_role,
                                        speaker_and_complement, speaker_entity)
from extractors.stemming import token_forms
from extractors.story_text import Tok, tokens

STANCES = ("claim", "confirmation", "denial", "report")
_PRIORITY = {"denial": 3, "claim": 2, "confirmation": 1}
LEDE_SENTENCES = 3
_SENTENCE_END = re.compile(r"(?<=[.!?؟])\s+(?=\S)|\n+")
_ABBREVIATION = re.compile(r"(?:\b[A-Z]\.){1,3}$|\b(?:Mr|Mrs|Ms|Dr|Gen|Lt|Col|Maj|Brig|Adm|Rep|Sen|St|No)\.$")
_DETERMINERS = frozenset("a an the this that these those its their his her our such any no of despite".split())
_CLAIM_NOUN_NEXT = frozenset("of by about from is was are were has have had and or".split())  # "claims of", "the claim is"


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


def text_stance(title: str, text: str = "", *, gazetteer: Gazetteer | None = None,
                default_speaker: str | None = None, lede_sentences: int = LEDE_SENTENCES) -> Stance:
    """The stance of an article (its headline, else the first stance-bearing sentence of its lede)
    or of a post. `default_speaker` is who speaks when nobody is named: a channel's own post.

    Reads the tokens extractors.story_text remembers for the last few texts (the story signature
    has just read the same title and body), cut at sentence ends."""
    pieces = [(title, part) for part in _sentence_tokens(title, 99)]
    pieces += [(text, part) for part in _sentence_tokens(text, lede_sentences)]
    for source, toks in pieces:
        found = _stance_of(Sentence(source, toks, gazetteer), default_speaker)
        if found.stance != "report":
            return found
    return Stance()


def _sentence_tokens(text: str, limit: int) -> list[tuple[Tok, ...]]:
    """The tokens of the first `limit` sentences of `text`, one tuple per sentence."""
    if not text:
        return []
    ends = [end for _, end in _sentence_spans(text)][:limit]
    toks = _tokens_before(text, ends[-1]) if ends else ()
    out, k = [], 0
    for end in ends:
        start = k
        while k < len(toks) and toks[k].start < end:
            k += 1
        if k > start:
            out.append(toks[start:k])
    return out


def _tokens_before(text: str, end: int) -> tuple[Tok, ...]:
    """story_text.tokens of `text` up to `end` only, from the word spans remembered for the whole
    text (the signature read them): a body runs to hundreds of words, a lede to a few dozen."""
    found = []
    for begin, stop, word in text_spans(text):
        if begin >= end:
            break
        norm, forms = token_forms(word)
        if norm:
            found.append(Tok(norm, begin, stop, forms or (norm,)))
    return tuple(found)


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
    return _stance_of(Sentence(sentence, tokens(sentence), gazetteer), default_speaker)


def _stance_of(s: Sentence, default_speaker: str | None) -> Stance:
    """The rules' verdict, then the learned model's last word (stance_model.py) when it disagrees."""
    analysed = analyse(s)
    rule = _rules_verdict(s, analysed)
    names = stance_model.features(s, rule, analysed)
    learned = stance_model.decide(names)
    if learned and learned != rule.stance:
        rule = _learned_verdict(s, analysed, learned, rule)
    if rule.stance == "report" and default_speaker:
        own = _own_statement(s)
        if own:
            return Stance(own, default_speaker, None, "own statement")
    return rule


def analyse(s: Sentence) -> list[tuple[_Frame, str | None, str]]:
    """Every frame of the sentence with the rules' verdict on it and its speaker's role."""
    frames = _frames(s) if s.where.keys() & ANCHOR_CLASSES else []
    out = []
    for frame in frames:
        role = speaker_role(s, frame.speaker if frame.speaker[1] > frame.speaker[0]
                            else clause_before(s, frame.anchor))
        out.append((frame, _judge(s, frame, role), role))
    return out


def _rules_verdict(s: Sentence, analysed) -> Stance:
    """Of several frames the clause after the last "but" wins, then denial > claim > confirmation."""
    judged = [(stance, frame) for frame, stance, _ in analysed if stance]
    contrast = _last_contrast(s)
    later = [(stance, frame) for stance, frame in judged if frame.anchor > contrast]
    pool = later or judged
    if pool:
        stance, frame = max(pool, key=lambda item: (_PRIORITY[item[0]], item[1].anchor))
        return _with_speaker(s, stance, frame)
    return Stance()


def _learned_verdict(s: Sentence, analysed, stance: str, rule: Stance) -> Stance:
    """The model's stance, spoken by the frame the rules judged the same way, else by the rules'
    own speaker, else by the last frame that is not negated (an unnamed speaker when none)."""
    if stance == "report":
        return Stance(cue=f"model:{rule.cue}" if rule.cue else "model")
    same = [frame for frame, verdict, _ in analysed if verdict == stance]
    if same:
        found = _with_speaker(s, stance, same[-1])
    elif rule.stance != "report":
        found = Stance(stance, rule.by, rule.by_id, rule.cue)
    else:
        open_frames = [frame for frame, _, _ in analysed if not frame.negated]
        found = _with_speaker(s, stance, open_frames[-1]) if open_frames else Stance(stance)
    return Stance(found.stance, found.by, found.by_id, f"model:{found.cue}" if found.cue else "model")


def sentence_stance(sentence: str, *, gazetteer: Gazetteer | None = None,
                    default_speaker: str | None = None) -> Stance:
    """The stance one sentence takes, and its speaker (remembered for the last 1,024 sentences)."""
    return _cached(sentence, gazetteer, default_speaker)


# ---- frames -------------------------------------------------------------------------------------


def _frames(s: Sentence) -> list[_Frame]:
    """One frame per stance verb, with its speaker and what it says. A verb with no speaker of its
    own (", adding that…", «وأضاف:», «مؤكدا») speaks for the frame before it."""
    frames: list[_Frame] = []
    positions = sorted({i for name in ANCHOR_CLASSES for i in s.where.get(name, ())})
    anchors = [(i, kind) for i in positions if (kind := _anchor_kind(s, i))]
    bounds = [i for i, _ in anchors if s.toks[i].norm not in ATTRIBUTION]
    for i, kind in anchors:
        later = [b for b in bounds if b > i]
        earlier = [f.anchor + 1 for f in frames]
        speaker, complement = speaker_and_complement(s, i, kind, earlier[-1] if earlier else 0,
                                                      later[0] if later else len(s.toks))
        if frames and (participle(s, i) or (speaker[1] <= speaker[0] and kind == "say")):
            speaker = frames[-1].speaker
        frames.append(_Frame(kind, i, speaker, complement, _negated(s, i, frames)))
    return frames


def _anchor_kind(s: Sentence, i: int) -> str | None:
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


def _claim_verb(s: Sentence, i: int) -> bool:
    """"claimed", "X claims to have…" are verbs; "the claim", "Houthi claims of…" are nouns."""
    word = s.toks[i].forms[0]
    prev = s.toks[i - 1] if i else None
    if prev is not None and (prev.norm in _DETERMINERS or re.search(r"['’]s?$", s.text[prev.start:prev.end])):
        return False
    if word in ("claimed", "claiming"):
        return True
    nxt = s.toks[i + 1].norm if i + 1 < len(s.toks) else ""
    return bool(nxt) and nxt not in _CLAIM_NOUN_NEXT


def _negated(s: Sentence, i: int, earlier: Sequence[_Frame]) -> bool:
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


def _last_contrast(s: Sentence) -> int:
    """The last "but / however / لكن / إلا أن" of the sentence (-1 when none)."""
    leads = [i for i in s.where.get("contrast_lead", ()) if s.has(i + 1, "complementizer")]
    return max([*s.where.get("contrast", ()), *leads], default=-1)


# ---- judging a frame ----------------------------------------------------------------------------


def _judge(s: Sentence, frame: _Frame, role: str) -> str | None:
    if frame.negated:
        return None
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
        if role != "official" or next_is(s, frame.anchor, "to") or _own_operation(s, frame, role):
            return "claim"
    if frame.kind == "attribute":
        return None if role in ("media", "witness") else "confirmation"
    if role in ("media", "witness") and frame.kind != "confirm":
        return None
    return _said(s, frame, role)


def _said(s: Sentence, frame: _Frame, role: str) -> str | None:
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


def _own_operation(s: Sentence, frame: _Frame, role: str) -> bool:
    """"said it attacked", «أنها استهدفت», «قواتها دمرت», «استهدفنا», «مجاهدو…», «أعلن استهداف…»,
    "the army has broken the siege…, the army said"."""
    comp = frame.complement
    if s.any(comp, "own_act", "own_fighters") or _before_action(s, comp, "own_forces"):
        return True
    if s.arabic and s.has(frame.anchor, "announce") and _first_content(s, comp) is not None:
        return s.has(_first_content(s, comp), "action")
    return _own_subject(s, comp, "action") or _speaker_as_doer(s, frame) or \
        (role not in ("official", "media") and _anaphor_subject(s, comp))


def _before_action(s: Sentence, span: tuple[int, int], name: str, reach: int = 5) -> bool:
    """A word of class `name` followed closely by an operation verb: its subject («قواتها دمرت»)."""
    return any(s.any((i + 1, min(span[1], i + 1 + reach)), "action") for i in s.at(span, name))


def _first_content(s: Sentence, span: tuple[int, int]) -> int | None:
    """The first word after an Arabic speaker that says something («أعلن الجيش، اليوم، تحييد…»),
    past dates, titles and names; None when a complementizer («أن») comes first."""
    for i in range(*span):
        if s.has(i, "complementizer"):
            return None
        if s.cls[i] - {"speaker_stop", "speaker_trim", "official", "group"} and not s.toks[i].norm.isdigit():
            return i
    return None


def _own_subject(s: Sentence, span: tuple[int, int], verbs: str) -> bool:
    """A pronoun of the speaker opening a clause, then the verb: "said it/its forces destroyed",
    «أنها استهدفت» (not "repelled it and inflicted", where "it" is the object)."""
    for i in s.at(span, "self"):
        opens = i == span[0] or s.boundary[i] or s.toks[i].norm.startswith("ان") or \
            s.cls[i - 1] & {"complementizer", "say", "confirm", "claim"}
        if opens and s.any((i + 1, min(span[1], i + 5)), verbs):
            return True
    return False


def _anaphor_subject(s: Sentence, span: tuple[int, int]) -> bool:
    """"the group launched", «الحركة شنت»: a faction's own statement naming itself."""
    for i in s.at(span, "group_anaphor"):
        definite = s.toks[i].forms[0].lstrip("وف").startswith("ال") if s.arabic else s.toks[i - 1].norm == "the"
        if definite and s.any((i + 1, min(span[1], i + 4)), "action"):
            return True
    return False


def _speaker_as_doer(s: Sentence, frame: _Frame) -> bool:
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


def _other_doer(s: Sentence, frame: _Frame) -> bool:
    """A named faction or actor other than the speaker's in the statement: "the group says the coalition
    struck" confirms the coalition's strike, it claims nothing."""
    own = speaker_entity(s, frame.speaker)
    return any(entity is not own for i, entity in s.entity_at.items() if frame.complement[0] <= i < frame.complement[1])
_DENIED_WORDS = frozenset({"negated_false", "action", "defend", "occur"})
_HAPPENING = frozenset({"event", "action", "defend", "own_act", "own_forces"})


def _says_false(s: Sentence, span: tuple[int, int]) -> bool:
    """«لا صحة»، «غير صحيحة»، "is false", "no such attack", "has not conducted", «لم تسيطر»."""
    if s.any(span, "false"):
        return True
    for i in s.at(span, "negation"):
        for j in range(i + 1, min(span[1], i + 3)):
            if s.cls[j] & _DENIED_WORDS or s.toks[j].norm == "such":
                return True
    return False


def _threat(s: Sentence, span: tuple[int, int]) -> bool:
    """"will continue its attacks", «نؤكد استمرارنا», "may have been hit": no stance on a past event."""
    hedges = [*s.at(span, "future"), *s.at(span, "hedge"),
              *(i for i in s.at(span, "be_imperfect") if i and s.toks[i - 1].norm == "قد")]
    if not hedges:
        return False
    first = min(hedges)
    return not any(s.cls[i] & _HAPPENING for i in range(span[0], first))


def _with_speaker(s: Sentence, stance: str, frame: _Frame) -> Stance:
    entity = speaker_entity(s, frame.speaker)
    return Stance(stance, s.phrase(frame.speaker) or None, entity.id if entity else None,
                  f"{frame.kind}:{s.toks[frame.anchor].forms[0]}")


def _own_statement(s: Sentence) -> str | None:
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
