"""Stance frames on sentences written for these tests (none taken from the evaluation set): who
claimed an attack, who confirmed or denied it, and what takes no stance at all."""

from __future__ import annotations

import pytest

from extractors.stance import sentence_stance, split_sentences, text_stance
from flows.pipeline.watch import load_gazetteer
from flows.settings import SEEDS_DIR

GAZETTEER = load_gazetteer(SEEDS_DIR / "gazetteer.yaml")

# (sentence, stance, a word the speaker must hold or None, gazetteer id of the speaker or None)
FRAMES = [
    # claims: the doer says it did it, whoever the doer is
    ("The Islamic Resistance in Iraq said it targeted the Harir base with two drones.", "claim", "Resistance",
     "islamic-resistance-iraq"),
    ("A little-known group claimed responsibility for the rocket attack on the airport.", "claim", "group", None),
    ("The bombing, claimed by the Islamic State, killed four soldiers near Kirkuk.", "claim", "Islamic",
     "islamic-state"),
    ("The army said its troops destroyed a rocket launcher near the border on Tuesday.", "claim", "army", None),
    ("أعلنت المقاومة الإسلامية في العراق أنها استهدفت قاعدة حرير بطائرة مسيّرة.", "claim", "المقاومة",
     "islamic-resistance-iraq"),
    ("تبنّى تنظيم داعش الهجوم على نقطة للجيش في كركوك.", "claim", "داعش", "islamic-state"),
    ("أعلن الجيش التركي تحييد خمسة مسلحين في شمال العراق.", "claim", "التركي", "turkish-defence-ministry"),
    ("وقالت كتائب حزب الله إن مقاتليها قصفوا القاعدة بالصواريخ.", "claim", "كتائب", "kataib-hezbollah"),
    # confirmations: someone else says it happened, or names the doer
    ("The Pentagon said a drone struck the base, wounding three service members.", "confirmation", "Pentagon",
     "pentagon"),
    ("US officials said Kataib Hezbollah was behind the attack on the convoy.", "confirmation", "officials", None),
    ("Two rockets landed near the runway, according to a security source.", "confirmation", "security", None),
    ("أكدت خلية الإعلام الأمني سقوط ثلاثة صواريخ قرب مطار بغداد.", "confirmation", "خلية", "security-media-cell"),
    ("أفاد مصدر أمني بسقوط صاروخين على قاعدة عين الأسد.", "confirmation", "مصدر", None),
    ("أعلن الجيش الإسرائيلي اعتراض طائرة مسيّرة أطلقت من العراق.", "confirmation", "الجيش", "israeli-army"),
    # denials: with a denial verb, a falsity word, or an event said not to have happened
    ("The Pentagon denied that any US aircraft was hit.", "denial", "Pentagon", "pentagon"),
    ('"That report is false," a defence official said.', "denial", "official", None),
    ("A military spokesman said no such attack took place.", "denial", "spokesman", None),
    ("نفت وزارة الدفاع العراقية تعرض قاعدة بلد لأي هجوم.", "denial", "وزارة", "iraqi-defense-ministry"),
    ("وقال المتحدث باسم الحكومة إنه لا صحة للأنباء عن قصف القاعدة.", "denial", "المتحدث", None),
    ("البنتاغون ينفي إصابة حاملة الطائرات بصاروخ.", "denial", "البنتاغون", "pentagon"),
    # the clause after "but" wins
    ("The Houthis said they hit a US destroyer, but CENTCOM said the claim was false.", "denial", "CENTCOM",
     "centcom"),
    ("The group said it shot down a drone, but the army confirmed only that a drone had crashed.",
     "confirmation", "army", None),
    # no stance: negated stance verbs, threats, media, witnesses, narration
    ("The Pentagon did not confirm the casualty figures.", "report", None, None),
    ("No group has claimed responsibility so far.", "report", None, None),
    ("The group said it will continue its attacks on occupation bases.", "report", None, None),
    ("Local media reported that a drone hit the base.", "report", None, None),
    ("Residents said they heard three explosions.", "report", None, None),
    ("Militants fired rockets at the base on Sunday.", "report", None, None),
    ("ولم تعلن أي جهة مسؤوليتها عن الهجوم حتى الآن.", "report", None, None),
    ("وأكدت الحركة أنها ستواصل استهداف القواعد الأمريكية.", "report", None, None),
    ("وذكرت وسائل إعلام محلية أن صاروخا سقط قرب القاعدة.", "report", None, None),
    # trying to confirm is not confirming; "claims from" is a noun, not a claim
    ("Monitors are still trying to confirm the number of soldiers killed in the raid.", "report", None, None),
    ("Claims from both sides about the fighting near the town could not be checked.", "report", None, None),
]


@pytest.mark.parametrize("sentence, stance, speaker_word, speaker_id", FRAMES)
def test_each_frame(sentence, stance, speaker_word, speaker_id):
    found = sentence_stance(sentence, gazetteer=GAZETTEER)
    assert found.stance == stance, found
    if speaker_word:
        assert speaker_word in (found.by or ""), found
    assert found.by_id == speaker_id


def test_without_a_gazetteer_role_words_still_tell_a_claim_from_a_confirmation():
    """Nothing may work only for the seed gazetteer: a faction it does not know claims through its
    own pronoun, an official confirms through his title."""
    assert sentence_stance("The Freedom Brigades said they attacked the convoy.").stance == "claim"
    assert sentence_stance("A police spokesman said a roadside bomb hit the convoy.").stance == "confirmation"
    assert sentence_stance("أعلنت سرايا الحرية أنها استهدفت الرتل بعبوة ناسفة.").stance == "claim"


def test_a_channels_own_post_speaks_for_the_channel():
    post = "استهدف مجاهدو المقاومة قاعدة الاحتلال في حرير بطائرة مسيّرة وأصابوا أهدافهم."
    assert text_stance(post, gazetteer=GAZETTEER).stance == "report"  # a site narrating it
    own = text_stance(post, gazetteer=GAZETTEER, default_speaker="قناة المقاومة")
    assert (own.stance, own.by) == ("claim", "قناة المقاومة")
    named = text_stance("The Pentagon denied the attack took place.", default_speaker="a channel")
    assert named.by == "The Pentagon", "a speaker the post names is the speaker"


def test_an_article_takes_its_headline_stance_else_its_ledes():
    assert text_stance("Base attacked overnight",
                       "Rockets fell on the base. The Pentagon denied that any troops were hurt.").stance == "denial"
    headline = text_stance("Houthis claim drone attack on tanker", "The Pentagon denied it.")
    assert headline.stance == "claim"


def test_sentences_split_at_ends_not_at_initials():
    assert split_sentences("U.S. officials said so. Gen. Smith denied it.\nالخبر الثاني؟ نعم") == [
        "U.S. officials said so.", "Gen. Smith denied it.", "الخبر الثاني؟", "نعم"]
