"""An opening dateline names where the outlet sits, not where the development happened: story
signatures leave it out, so a Kurdish outlet's "ERBIL" does not make Erbil a story's main place."""

from pathlib import Path

import pytest

from extractors.datelines import dateline_end, without_dateline
from extractors.entities import parse_gazetteer
from extractors.story_signature import story_signature

GAZETTEER = Path(__file__).resolve().parents[1] / "seeds" / "gazetteer.yaml"

BODY = "سقطت ثلاثة صواريخ على قاعدة عين الأسد الجوية غرب العراق من دون إصابات"


@pytest.mark.parametrize("dateline", [
    "بغداد - ", "الموصل/ خاص: ", "شبكة الأخبار - البصرة\n", "الأنبار - كتب محمد علي - ", "(واشنطن) ",
    "BAGHDAD (Reuters) - ", "ERBIL, Kurdistan Region – ", "WASHINGTON — ", "Staff writer (Erbil)\n",
])
def test_datelines_are_recognised(dateline):
    assert without_dateline(dateline + BODY) == BODY


@pytest.mark.parametrize("text", [
    BODY,
    "أعلنت وزارة الدفاع الأمريكية (البنتاغون) أن طائرة مسيرة استهدفت القاعدة - بحسب بيان",
    "Three rockets hit the Ain al-Asad air base in western Iraq on Tuesday - officials said",
    "بغداد - ",  # nothing after it: not a dateline, the text itself
])
def test_sentences_are_not_datelines(text):
    assert dateline_end(text) == 0


def test_dateline_place_is_not_the_main_place():
    gaz = parse_gazetteer(GAZETTEER.read_text(encoding="utf-8"), str(GAZETTEER))
    plain = story_signature("", "Rockets hit the Ain al-Asad air base in western Iraq", gazetteer=gaz)
    datelined = story_signature("", "ERBIL (Kurdistan 24) – Rockets hit the Ain al-Asad air base in western Iraq",
                                gazetteer=gaz)
    assert datelined.main_place == plain.main_place is not None
    assert "erbil" not in {e[0] for e in datelined.entities}
