"""The place table (seeds/places.tsv) and how it joins the gazetteer: every governorate of the
six countries in both languages, cities inside their governorates, the gazetteer's own names
kept, and errors that name the file and line."""

from __future__ import annotations

import json
from pathlib import Path

import pycountry
import pytest
from typer.testing import CliRunner

from extractors.entities import parse_gazetteer
from extractors.errors import ConfigError
from extractors.places import parse_places
from extractors.story_text import norm_words

ROOT = Path(__file__).resolve().parents[1]
PLACES = parse_places((ROOT / "seeds" / "places.tsv").read_text(encoding="utf-8"), "places.tsv")
GAZ_TEXT = (ROOT / "seeds" / "gazetteer.yaml").read_text(encoding="utf-8")
GAZ = parse_gazetteer(GAZ_TEXT, "gazetteer.yaml").with_places(PLACES)


def test_every_governorate_of_the_six_countries_has_arabic_and_english_names():
    iso = {p.iso: p for p in PLACES if p.iso}
    for country in ("IQ", "SY", "JO", "LB", "YE", "PS"):
        for sub in pycountry.subdivisions.get(country_code=country):
            place = iso[sub.code]
            assert place.names_ar and place.names_en, sub.code
    assert len(PLACES) >= 160
    assert sum(p.kind == "city" for p in PLACES) >= 60


def test_no_name_belongs_to_two_places_of_the_table():
    seen: dict[tuple[str, ...], str] = {}
    for place in PLACES:
        for name in place.names_ar + place.names_en:
            phrase = tuple(norm_words(name))
            assert seen.setdefault(phrase, place.id) == place.id, (name, place.id, seen[phrase])


@pytest.mark.parametrize("title, text, expected", [
    ("انفجار عبوة ناسفة على رتل في الناصرية", "ولم تسفر عن إصابات", "nasiriyah"),
    ("Roadside bomb hits a supply convoy near Nasiriyah", "No casualties were reported.", "nasiriyah"),
    ("قصف على مخيم جباليا", "في شمال قطاع غزة", "jabalia"),
    ("Drone strike in Marib", "Houthi forces said", "marib"),
    ("اشتباكات في السويداء", "جنوب سوريا", "sweida"),
])
def test_places_are_found_in_both_languages(title, text, expected):
    assert expected in [e.id for e in GAZ.find(title, text)]


def test_a_city_lies_in_its_governorate_and_a_base_in_its_province():
    assert GAZ.lineage("zubair") == ("zubair", "basra")
    assert GAZ.lineage("jabalia") == ("jabalia", "north-gaza", "gaza-strip")
    assert GAZ.lineage("ain-al-asad") == ("ain-al-asad", "anbar")  # the gazetteer's base, placed by the table
    assert GAZ.lineage("nasiriyah")[-1] == "dhi-qar"


def test_the_gazetteers_own_places_keep_their_ids_and_weights():
    plain = parse_gazetteer(GAZ_TEXT, "gazetteer.yaml")
    for entity_id, entity in plain.entities.items():
        assert GAZ.entities[entity_id] == entity
    assert [e.id for e in GAZ.find("هجوم على أربيل", "")] == ["erbil"]  # not a second Erbil from the table


@pytest.mark.parametrize("text, message", [
    ("basra\tIQ-BA\tIQ\tgovernorate\t\t0.6\tالبصرة\n", "8 tab-separated columns"),
    ("basra\tIQ-BA\tIQ\tgovernorate\t\tmuch\tالبصرة\tBasra\n", "not a number"),
    ("zubair\t\tIQ\tcity\tbasra\t0.8\tالزبير\tZubair\n", "parent basra of zubair"),
    ("a\t\tIQ\tcity\t\t0.8\tالزبير\tZubair\na\t\tIQ\tcity\t\t0.8\tالبصرة\tBasra\n", "duplicate place id a"),
])
def test_a_bad_table_line_is_named(text, message):
    with pytest.raises(ConfigError) as caught:
        parse_places("# comment\n" + text, "mine.tsv")
    assert message in str(caught.value) and "mine.tsv:" in str(caught.value)


def test_stories_command_reads_the_place_table_it_is_given(tmp_path):
    from flows.cli import app

    docs = tmp_path / "docs.jsonl"
    docs.write_text(json.dumps({"id": "a", "title": "x", "text": "y"}) + "\n", encoding="utf-8")
    bad = tmp_path / "places.tsv"
    bad.write_text("basra\tIQ-BA\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["stories", str(docs), "--json", "--places", str(bad)])
    assert result.exit_code == 1 and "places.tsv:1" in result.output
    result = CliRunner().invoke(app, ["stories", str(docs), "--json", "--places", str(tmp_path / "none.tsv")])
    assert result.exit_code == 0 and json.loads(result.output) == {"id": "a", "story": 1}


def test_countries_are_named_by_name_adjective_or_a_place_in_them():
    """A lede says which country a development is in by its name, an adjective or a place of it."""
    from extractors.story_signature import story_signature

    def countries(title, text):
        return story_signature(title, text, gazetteer=GAZ).countries

    assert countries("فوز الرئيس المصري بولاية ثالثة", "أعلنت الهيئة الوطنية للانتخابات النتائج.") == ("EG",)
    assert countries("Algerian president wins a second term", "Results were announced on Sunday.") == ("DZ",)
    assert countries("انفجار في البصرة", "وقع انفجار قرب ميناء في المدينة.") == ("IQ",)
    assert countries("Storm hits the coast", "Heavy rain fell overnight.") == ()


def test_countries_do_not_become_entities_or_cover_an_entitys_name():
    """Country names feed only `countries`: the entity evidence grouping was fitted on is unchanged."""
    from extractors.story_signature import story_signature

    with_table = story_signature("قصف على قاعدة عين الأسد", "استهدفت صواريخ قاعدة عين الأسد في العراق.", gazetteer=GAZ)
    assert "IQ" in with_table.countries
    assert not any(e.startswith("country-") for e, _kind, _w in with_table.entities)
    assert "ain-al-asad" in {e for e, _kind, _w in with_table.entities}
