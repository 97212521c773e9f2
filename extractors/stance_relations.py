"""Who does what inside what a speaker says: an optional feature kind of stance_model.py.

The stance labels turn on whether a speaker is the doer of what it tells (a claim) or tells of
someone else's act (a confirmation), and on denials without a denial verb. These features try to
read that from the sentence alone: the speaker's name standing before an operation verb in what
is said, the doer of the first operation (the speaker itself, state forces, a group, a named
faction), a passive's agent, how the frame is said (quoted, tense, "claimed responsibility" or
"claimed that", what a negation governs), dismissive words and a headline's "X: …". Measured by
story-held-out cross-validation on the fit halves (bench/stance_train.py --search) they did not
beat the shipped kinds, so KINDS leaves them out; they stay selectable for the next set.
"""

from __future__ import annotations

from extractors.stance_model import _QUOTES, _WE_EN, _first_person_plural

# Words that say nothing of who a speaker is: stance verbs, clause words, hedges.
_NOT_A_NAME = frozenset({"say", "confirm", "deny", "reject", "claim", "adopt", "attribute", "announce",
                         "complementizer", "speaker_stop", "speaker_trim", "negation", "future", "hedge",
                         "contrast", "contrast_lead", "despite", "be_imperfect"})
_COMMON = frozenset("that this with from have been were they their there which when after about over also into "
                    "than more some other such what while where".split())
_KEY = 5          # a name's first letters: Pakistan/Pakistani, Russia/Russian, باكستان/الباكستانية
_REACH = 4        # how far an operation verb may stand from its doer or object
_AGENT_EN = frozenset({"by"})
_AGENT_AR = frozenset({"يد", "قبل"})       # «على يد», «من قبل»


def _name_keys(s, i: int) -> frozenset[str]:
    """The keys a token names someone by: the first letters of each reading, for content words."""
    if s.cls[i] & _NOT_A_NAME or s.toks[i].norm in _COMMON:
        return frozenset()
    forms = s.toks[i].forms if s.arabic else (s.toks[i].norm,)
    return frozenset(f[:_KEY] for f in forms if len(f) >= 4 and not f.isdigit())


def relations(s, analysed) -> list[str]:
    """Whether the speaker is the doer of what it tells: a name of the speaker standing before an
    operation verb in what is said ("Pakistan's military said its air force shot down", «قال الجيش
    الباكستاني إن القوات الباكستانية أسقطت») or after one (the speaker as the target: a loss), an
    agent after a passive ("attacked by the rebels", «على يد») that is or is not the speaker, a
    first person plural before an operation, and a headline that opens with a speaker and a colon
    («الداخلية: القضاء على…», "Kremlin: …")."""
    out = []
    for frame, verdict, role in analysed:
        verdict = verdict or "none"
        keys = frozenset().union(*(_name_keys(s, i) for i in range(*frame.speaker)))
        start, end = frame.complement
        for i in range(start, end):
            if keys and _name_keys(s, i) & keys:
                if s.any((i + 1, min(end, i + 1 + _REACH)), "action"):
                    out += ["spk_doer", f"spk_doer:{role}", f"spk_doer:{frame.kind}"]
                elif s.any((max(start, i - _REACH), i), "action", "event"):
                    out += ["spk_object", f"spk_object:{role}"]
                else:
                    out.append(f"spk_named:{frame.kind}")
            if _agent(s, i, start) and i + 1 < end:
                agent = frozenset().union(*(_name_keys(s, j) for j in range(i + 1, min(end, i + 4))))
                out.append(f"agent:{'self' if agent & keys else 'other'}:{role}")
        out += _how_said(s, frame)
        who, at = _doer(s, frame)
        if who:
            out += [f"doer:{who}", f"doer:{who}:{role}", f"doer:{who}:{frame.kind}:{verdict}"]
        if at is not None:
            out += [f"subj:{s.toks[at].norm}", f"subj:{s.toks[at].norm}:{role}"]
    words = [t.norm for t in s.toks]
    for i, word in enumerate(words):
        if word in _WE_EN or _first_person_plural(s.toks[i].forms):
            if s.any((i, min(len(words), i + 1 + _REACH)), "action"):
                out.append("we_act")
                break
    dismissals = [i for i, t in enumerate(s.toks) if set(t.forms) & _DISMISS]
    if dismissals:
        out.append("dismiss")
        if any(s.any((max(0, i - 3), i), "negation") for i in dismissals):
            out.append("dismiss_negated")
    head = _colon_head(s)
    if head:
        from extractors.stance_speakers import speaker_role
        out += ["colon_head", f"colon_head:{speaker_role(s, (0, head))}"]
    return out


# Words that dismiss what others said without a denial verb: "ridiculous speculation", "isn't
# accurate", «لا تحمل مصداقية», «هراء»; and "rumours" itself, which a speaker rarely calls true.
_DISMISS = frozenset("""ridiculous absurd nonsense rumor rumors rumour rumours speculation speculations
inaccurate accurate credible credibility misleading fiction fictitious fakes hoax smear slander
مصداقيه هراء مزاعم ادعاءات ادعاء شايعه شايعات اشاعه اشاعات""".split())
_POSSESSOR_EN = frozenset("his her its their our".split())
_DOER_CLASSES = (("own", frozenset({"own_forces", "own_fighters", "own_act"})), ("group", frozenset({"group"})),
                 ("state", frozenset({"forces", "official"})))


def _doer(s, frame) -> tuple[str | None, int | None]:
    """Who does the first operation told in a frame: the speaker itself (a pronoun, "its forces",
    «قواتها», «بلاده»), the speaker's own faction or actor named again, another named faction or
    actor, a group, state forces, a place; looked for before the verb and, in Arabic (verb first:
    «أسقطت باكستان», «قتلت قوات الأمن»), just after it."""
    start, end = frame.complement
    verbs = [i for i in range(start, end) if s.cls[i] & {"action", "defend"}]
    if not verbs:
        return None, None
    verb = verbs[0]
    before = range(verb - 1, max(start, verb - 5) - 1, -1)
    after = range(verb + 1, min(end, verb + 4)) if s.arabic else range(0)
    own = s.entity_at.get(frame.speaker[0]) if frame.speaker[1] > frame.speaker[0] else None
    own = next((s.entity_at[i] for i in range(*frame.speaker) if i in s.entity_at), own)
    for i in (*before, *after):
        found = _who(s, i, own)
        if found:
            return found, i
    return "none", (verb - 1 if verb > start else None)


def _who(s, i: int, own) -> str | None:
    if s.cls[i] & {"self"} or (not s.arabic and s.toks[i].norm in _POSSESSOR_EN):
        return "self"
    if i in s.entity_at:
        return "same" if s.entity_at[i] is own else s.entity_at[i].kind
    for name, classes in _DOER_CLASSES:
        if s.cls[i] & classes:
            return name
    if s.arabic and any(f.endswith(("ه", "ها", "هم", "نا")) and f[:-1].startswith("بلاد") for f in s.toks[i].forms):
        return "self"
    if i in s.place_at:
        return "place"
    return None


def _agent(s, i: int, floor: int) -> bool:
    """"attacked by …", «قتلوا على يد …», «من قبل …»: the doer named after what it did."""
    word = s.toks[i].norm
    if s.arabic:
        return word in _AGENT_AR and i > floor and s.toks[i - 1].norm in ("علي", "على", "من")
    return word in _AGENT_EN and s.any((max(floor, i - 3), i), "action", "event")


def _how_said(s, frame) -> list[str]:
    """Quoted or reported speech, the reporting verb's tense (a headline's "denies", «تنفي»), "claimed
    responsibility" against "claimed that", and what a negation in what is said governs: an
    operation ("did not strike") or an event noun ("no casualties")."""
    out = []
    start, end = frame.complement
    verb = s.toks[frame.anchor]
    if start < end and any(q in s.text[verb.end:s.toks[start].end] for q in _QUOTES):
        out.append(f"quoted:{frame.kind}")
    surface = verb.forms[0]
    if s.arabic:
        out.append(f"tense:{'imperfect' if surface.lstrip('و')[:1] in 'يت' else 'perfect'}:{frame.kind}")
    else:
        out.append(f"tense:{'present' if surface.endswith('s') else 'past'}:{frame.kind}")
    if frame.kind == "claim":
        near = {s.toks[i].norm for i in range(frame.anchor + 1, min(len(s.toks), frame.anchor + 4))}
        out.append("claim_responsibility" if s.any((frame.anchor + 1, frame.anchor + 4), "responsibility")
                   else "claim_that" if near & {"that", "to", "ان"} else "claim_other")
    for i in s.at(frame.complement, "negation"):
        nxt = range(i + 1, min(end, i + 3))
        if any(s.cls[j] & {"action", "defend"} for j in nxt):
            out.append("neg_act")
        elif any("event" in s.cls[j] for j in nxt):
            out.append("neg_event")
    return out


def _colon_head(s) -> int:
    """The length of a speaker opening a headline before a colon ("الجيش الأردني: …"), else 0."""
    for i in range(1, min(len(s.toks), 5)):
        gap = s.text[s.toks[i - 1].end:s.toks[i].start]
        if ":" in gap:
            return i
    return 0
