"""Name skeletons: an English copy meets its Arabic story through names the gazetteer never listed."""

from __future__ import annotations

from pathlib import Path

from extractors.entities import parse_gazetteer
from extractors.name_skeletons import arabic_skeleton, latin_skeleton, name_skeletons
from extractors.story_features import features
from extractors.story_signature import story_signature

ROOT = Path(__file__).resolve().parents[1]
GAZ = parse_gazetteer((ROOT / "seeds" / "gazetteer.yaml").read_text(encoding="utf-8"), "gazetteer.yaml")


def test_the_two_spellings_of_a_name_give_one_skeleton():
    pairs = [("Tunisia", "تونس"), ("El-Fasher", "الفاشر"), ("Madani", "مدني"), ("Ankara", "انقره"),
             ("Erdogan", "اردوغان"), ("Sudan", "السودان")]
    for english, arabic in pairs:
        assert latin_skeleton(english) == arabic_skeleton(arabic) != ""


def test_short_skeletons_say_too_little_and_are_left_out():
    assert latin_skeleton("Oman") == "" and arabic_skeleton("عمان") == ""


def test_english_names_are_the_capitalized_words_arabic_every_reading():
    text = "army retakes Wad Madani"
    spans = [(text.index(w), text.index(w) + len(w), (w.lower(),)) for w in text.split()]
    assert name_skeletons(text, spans, "en") == ("mdn",)
    assert "mdn" in name_skeletons("ومدني", [(0, 5, ("ومدني", "مدني"))], "ar")


def test_a_translation_outside_the_gazetteer_shares_its_names():
    """The Arabic and English reports of one development name the same towns; another story does not."""
    ar = story_signature("الجيش السوداني يستعيد مدينة ود مدني",
                         "أعلن الجيش السوداني استعادة السيطرة على مدينة ود مدني عاصمة ولاية الجزيرة.", gazetteer=GAZ)
    en = story_signature("Sudan's army retakes Wad Madani",
                         "Sudan's army said it had retaken Wad Madani, the capital of Gezira state.", gazetteer=GAZ)
    other = story_signature("Floods hit Oman", "Heavy rain flooded wadis across Oman on Sunday.", gazetteer=GAZ)
    assert features(ar, en)["cross_names"] > features(ar, other)["cross_names"] == 0.0
    assert features(en, en)["cross_names"] == 0.0  # same language: the terms speak


def test_a_rare_shared_name_says_more_than_a_common_one():
    """names_idf weighs the skeletons a translation shares by their archive rarity: a town named
    in one story of the archive links its two reports more than the capital every story names."""
    from extractors.story_features import Idf

    ar = story_signature("اشتباكات في الفاشر", "اندلعت اشتباكات عنيفة في مدينة الفاشر غربي الخرطوم.", gazetteer=GAZ)
    en_rare = story_signature("Clashes in El-Fasher", "Heavy clashes broke out in El-Fasher.", gazetteer=GAZ)
    en_common = story_signature("Protest in Khartoum", "Thousands marched in Khartoum.", gazetteer=GAZ)
    idf = Idf({"n:fsr": 2, "n:krtm": 400}, 1000)
    rare, common = features(ar, en_rare, idf=idf)["names_idf"], features(ar, en_common, idf=idf)["names_idf"]
    assert rare > common > 0.0
    assert features(ar, ar, idf=idf)["names_idf"] == 0.0  # same language: the terms speak
