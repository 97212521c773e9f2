"""The gazetteer finds bases, factions, actors and weapons however the outlet spells them."""

from __future__ import annotations

from pathlib import Path

import pytest

from extractors.entities import ALERT_KINDS, parse_gazetteer
from extractors.errors import ConfigError

ROOT = Path(__file__).resolve().parents[1]
GAZ = parse_gazetteer((ROOT / "seeds" / "gazetteer.yaml").read_text(encoding="utf-8"), "gazetteer.yaml")


def ids(title: str, text: str = "") -> list[str]:
    return [e.id for e in GAZ.find(title, text)]


@pytest.mark.parametrize("text, expected", [
    ("استهداف قاعدة عين الأسد", "ain-al-asad"),
    ("هجوم على قاعدة عين الاسد", "ain-al-asad"),
    ("سقوط صواريخ قرب لعين الأسد", "ain-al-asad"),
    ("Rockets hit Ain al-Asad air base", "ain-al-asad"),
    ("هجوم بمسيرة على قاعدة حرير شمال أربيل", "harir"),
    ("انفجار في مطار بغداد الدولي", "victory-base"),
    ("Attack near Camp Victory", "victory-base"),
    ("مقتل 3 جنود في البرج 22", "tower-22"),
    ("drone attack on Tower 22", "tower-22"),
    ("استهداف حقل العمر النفطي", "al-omar"),
    ("وتبنت كتائب حزب الله الهجوم", "kataib-hezbollah"),
    ("قالت حركة النجباء", "nujaba"),
    ("بيان لكتائب سيد الشهداء", "kataib-sayyid-al-shuhada"),
    ("أعلنت المقاومة الإسلامية في العراق", "islamic-resistance-iraq"),
    ("وللتحالف الدولي قواعد", "coalition"),
    ("قالت القوات الأميركية", "us-forces"),
    ("وأعلن البنتاغون", "pentagon"),
    ("وزارة الخارجية العراقية تدين", "iraqi-foreign-ministry"),
    ("اجتماع اللجنة العسكرية العليا", "higher-military-commission"),
    ("بطائرة مسيرة مفخخة", "drone"),
    ("انفجار عبوة ناسفة على رتل", "ied"),
])
def test_finds_entity_in_any_spelling_and_clitic_form(text, expected):
    assert expected in ids(text)


def test_arabic_and_english_names_share_one_entity():
    ar = {e.id: e for e in GAZ.find("هجوم على عين الأسد", "")}
    en = {e.id: e for e in GAZ.find("Attack on Ain al-Assad", "")}
    assert ar["ain-al-asad"] == en["ain-al-asad"]
    assert en["ain-al-asad"].name_ar == "عين الأسد" and en["ain-al-asad"].name_en == "Ain al-Asad"


def test_assad_the_person_is_not_the_base():
    assert "ain-al-asad" not in ids("سقوط نظام بشار الأسد", "Bashar al-Assad fled")


def test_a_name_inside_a_not_entity_phrase_is_not_the_entity():
    assert ids("استدعت الخارجية القائم بالأعمال الأمريكي") == []
    assert "al-qaim" in ids("غارات على مدينة القائم")


def test_find_lists_only_alert_kinds_in_order_of_mention():
    found = GAZ.find("كتائب حزب الله تتبنى هجوما بطائرة مسيرة على قاعدة التنف", "")
    assert [e.id for e in found] == ["kataib-hezbollah", "drone", "al-tanf"]
    assert all(e.kind in ALERT_KINDS for e in found)
    assert "ev-attack" in [e.id for e in GAZ.find_all("هجوم", "")]


@pytest.mark.parametrize("yaml_text, message", [
    ("places:\n  - ar: [x]\n", "needs an 'id'"),
    ("places:\n  - id: a\n    ar: [بغداد]\n  - id: a\n    ar: [أربيل]\n", "duplicate id"),
    ("places:\n  - id: a\n    ar: [بغداد]\n  - id: b\n    ar: [بغداد]\n", "already a name of a"),
    ("cities:\n  - id: a\n", "unknown or malformed section"),
    ("places:\n  - id: a\n    ar: [بغداد]\n    colour: red\n", "unknown field"),
    ("places:\n  - id: a\n", "has no names"),
    ("places: [\n", "invalid YAML"),
])
def test_bad_gazetteer_names_file_and_line(yaml_text, message):
    with pytest.raises(ConfigError, match=message) as info:
        parse_gazetteer(yaml_text, "g.yaml")
    assert info.value.source == "g.yaml" and info.value.line is not None
