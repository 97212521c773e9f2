"""Story grouping: copies join their story, other events stay apart, follow-ups are measured."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extractors.entities import parse_gazetteer
from extractors.grouping import (
    SAME_STORY_THRESHOLD,
    StoryGrouper,
    StorySignature,
    added_content,
    choose_story,
    frequency_keys,
    same_story,
    story_signature,
)
from extractors.grouping import WEIGHTS, WEIGHTS_UNDATED, weights_for
from extractors.minhash import BANDS
from extractors.places import parse_places

ROOT = Path(__file__).resolve().parents[1]
GAZ = parse_gazetteer((ROOT / "seeds" / "gazetteer.yaml").read_text(encoding="utf-8"), "gazetteer.yaml").with_places(
    parse_places((ROOT / "seeds" / "places.tsv").read_text(encoding="utf-8"), "places.tsv"))
T0 = datetime(2024, 1, 28, 15, tzinfo=timezone.utc)

TOWER_AR = ("مقتل 3 جنود أمريكيين بهجوم بطائرة مسيرة على البرج 22 في الأردن",
            "قالت القيادة المركزية الأمريكية إن ثلاثة جنود قتلوا وأصيب 25 آخرون في هجوم بطائرة مسيرة "
            "استهدف موقع البرج 22 شمال شرقي الأردن قرب الحدود السورية، فيما تبنت المقاومة الإسلامية "
            "في العراق هجمات على قواعد في المنطقة.")
TOWER_EN = ("Drone strike kills three US troops in Jordan",
            "Three U.S. service members were killed and 25 wounded in a one-way drone attack on Tower 22, "
            "a small outpost in northeast Jordan near the Syrian border, U.S. Central Command said.")
ASAD_AR = ("هجوم بطائرة مسيرة على قاعدة عين الأسد غربي العراق",
           "تعرضت قاعدة عين الأسد الجوية في محافظة الأنبار لهجوم بطائرة مسيرة دون وقوع إصابات، "
           "وقالت مصادر أمنية إن الدفاعات الجوية أسقطت الطائرة قبل وصولها.")


def sig(doc: tuple[str, str], hours: float = 0, **kw) -> StorySignature:
    return story_signature(*doc, published=T0 + timedelta(hours=hours), gazetteer=GAZ, **kw)


def test_signature_round_trips_through_json_and_keeps_few_keys():
    s = sig(TOWER_AR, topics=("attacks",))
    assert StorySignature.from_json(s.to_json()) == s
    assert len(s.keys) <= 48  # 12 bands, 20 terms, 8 entities, 8 name skeletons
    assert sum(k.startswith("n:") for k in s.keys) <= 8
    assert sum(k.startswith("b:") for k in s.keys) == BANDS
    assert "e:tower-22" in s.keys and any(k.startswith("t:") for k in s.keys)


def test_verbatim_copy_is_the_same_story():
    a, b = sig(TOWER_AR), sig((TOWER_AR[0], TOWER_AR[1] + " المصدر: وكالات"), hours=2)
    assert same_story(a, b) >= 0.9


def test_arabic_and_english_copies_are_linked_through_the_gazetteer():
    assert same_story(sig(TOWER_AR), sig(TOWER_EN, hours=2)) >= SAME_STORY_THRESHOLD


def test_other_attack_same_day_stays_apart():
    assert same_story(sig(TOWER_AR), sig(ASAD_AR, hours=-6)) < SAME_STORY_THRESHOLD


def test_choose_story_picks_the_story_of_the_best_member():
    candidates = [(7, sig(ASAD_AR, hours=-6)), (9, sig(TOWER_EN, hours=1))]
    assert choose_story(sig(TOWER_AR), candidates) == 9
    assert choose_story(sig(TOWER_AR), candidates[:1]) is None
    assert choose_story(sig(TOWER_AR), []) is None


def test_grouper_outside_the_window_starts_a_new_story():
    grouper = StoryGrouper(GAZ)
    first = grouper.add("a", *ASAD_AR, published=T0)
    assert grouper.add("b", *ASAD_AR, published=T0 + timedelta(days=7)) != first
    assert grouper.add("c", *ASAD_AR, published=T0 + timedelta(days=7, hours=3)) != first


def test_follow_up_with_higher_casualties_is_worth_an_update():
    story = [sig(TOWER_AR), sig(TOWER_EN, hours=1)]
    update = sig(("ارتفاع عدد الجرحى إلى 34 في هجوم البرج 22",
                  "أعلن البنتاغون أن عدد المصابين في هجوم البرج 22 ارتفع إلى 34 جنديا."), hours=20)
    added = added_content(update, story)
    assert ("wounded", 34) in added.casualties and added.worth_alert
    assert not added_content(sig(TOWER_EN, hours=3), story).worth_alert


def test_follow_up_naming_a_new_actor_in_its_title_is_worth_an_update():
    story = [sig(TOWER_AR)]
    update = sig(("الخارجية العراقية تدين هجوم البرج 22", "دانت وزارة الخارجية العراقية الهجوم على البرج 22."),
                 hours=5)
    added = added_content(update, story)
    assert added.actors == ("iraqi-foreign-ministry",) and added.reasons == ("actors",)


def test_candidates_come_only_from_the_time_window_however_long_the_stream():
    """Retrieval never scans: the same text published daily for 60 days is compared only
    with the few copies inside the 72 h window, not with the whole archive."""
    grouper = StoryGrouper(GAZ)
    for day in range(60):
        grouper.add(f"d{day}", *ASAD_AR, published=T0 + timedelta(days=day))
    assert grouper.stats["scored"] <= 3 * 60


def test_undated_articles_still_group_by_keys():
    grouper = StoryGrouper(GAZ)
    assert grouper.add("a", *TOWER_AR) == grouper.add("b", *TOWER_EN)


@settings(max_examples=40, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ابتثجحخدذرزسشصضطظعغفقكلمنهويىةأإآؤئ ،.0123456789«»abc")),
               max_size=300))
def test_any_text_gives_a_signature_that_round_trips(text):
    s = story_signature(text[:40], text, gazetteer=GAZ)
    assert StorySignature.from_json(s.to_json()) == s
    assert 0.0 <= same_story(s, s) <= 1.0


def test_signature_without_a_gazetteer_warns_that_only_copies_will_group():
    with pytest.warns(RuntimeWarning, match="gazetteer"):
        story_signature(*TOWER_AR)


def test_a_background_tally_deep_in_the_body_is_not_an_update():
    story = [sig(TOWER_AR), sig(TOWER_EN, hours=1)]
    background = ("The outpost sits where the borders of Jordan, Syria and Iraq meet and houses a few hundred "
                  "engineers, aviation and logistics personnel supporting the mission against Islamic State. "
                  "Since October more than 70 U.S. troops have been wounded in attacks on bases in the region.")
    copy = sig((TOWER_EN[0], TOWER_EN[1] + " " + background), hours=4)
    assert ("wounded", 70) in copy.facts
    assert not added_content(copy, story).worth_alert


def test_follow_up_naming_a_new_base_in_its_title_is_worth_an_update():
    story = [sig(TOWER_AR)]
    update = sig(("هجوم ثان بمسيرة يستهدف قاعدة التنف بعد ساعات من هجوم البرج 22",
                  "استهدفت طائرة مسيرة قاعدة التنف بعد ساعات من الهجوم على البرج 22."), hours=6)
    assert added_content(update, [sig(TOWER_EN)]).places == ("al-tanf",)
    assert "places" in added_content(update, [sig(TOWER_EN)]).reasons
    named = sig((TOWER_EN[0], TOWER_EN[1] + " The outpost supports the nearby al-Tanf garrison."))
    assert added_content(update, story + [named]).places == ()  # the story had already named al-Tanf


def test_frequency_keys_are_the_weighed_keys_of_both_sides_without_band_keys():
    a, b = sig(TOWER_AR), sig(TOWER_EN)
    keys = frequency_keys(a, [(1, b)])
    assert "e:tower-22" in keys and not any(k.startswith("b:") for k in keys)
    assert {k for k in b.keys if k.startswith("t:")} <= keys


BOMB = ("انفجار عبوة ناسفة على رتل دعم لوجستي للتحالف في {ar}",
        "انفجرت عبوة ناسفة على طريق سريع في {ar} أثناء مرور رتل ينقل معدات للتحالف الدولي، ولم تسفر عن إصابات "
        "بحسب مصدر أمني.")
OTHER_BOMB = ("عبوة تستهدف رتلا لنقل الإمدادات في الناصرية",
              "استهدفت عبوة ناسفة رتلا تابعا لشركة عراقية تنقل إمدادات للتحالف على الطريق الدولي قرب الناصرية "
              "في محافظة ذي قار، دون أن تسفر عن خسائر بشرية.")


def _bomb(place_ar: str, hours: float = 0, dated: bool = True) -> StorySignature:
    title, text = (part.format(ar=place_ar) for part in BOMB)
    return story_signature(title, text, published=T0 + timedelta(hours=hours) if dated else None, gazetteer=GAZ)


@pytest.mark.parametrize("dated", [True, False])
def test_same_kind_of_incident_in_two_provinces_is_two_stories(dated):
    """Roadside bombs on coalition convoys the same day, one in Basra and one in Nasiriyah: two
    events, with or without dates; the Basra bomb reported from Zubair (a district of Basra) is closer."""
    grouper = StoryGrouper(GAZ)
    basra = grouper.add_signature("basra", _bomb("البصرة", dated=dated))
    other = story_signature(*OTHER_BOMB, published=T0 + timedelta(hours=3) if dated else None, gazetteer=GAZ)
    assert grouper.add_signature("nasiriyah", other) != basra
    assert _bomb("قضاء الزبير").places[0] == "zubair>basra"
    assert same_story(_bomb("البصرة"), _bomb("قضاء الزبير", 1)) > same_story(_bomb("البصرة"), _bomb("الناصرية", 1))


def test_a_templated_report_of_another_place_is_no_verbatim_copy():
    """Outlets word routine reports alike; shingle overlap alone must not make Basra's bomb and
    Nasiriyah's one story (the verbatim shortcut yields to a place conflict)."""
    assert same_story(_bomb("البصرة"), _bomb("الناصرية", 1)) < same_story(_bomb("البصرة"), _bomb("البصرة", 1))
    assert same_story(_bomb("البصرة"), _bomb("البصرة", 1)) >= 0.95


def test_an_undated_article_gives_no_time_evidence():
    """An undated article is not placed at the latest time seen: it is compared with what shares
    its keys whenever that was published, under the weights fitted without time."""
    dated, undated = sig(TOWER_AR), story_signature(*TOWER_EN, gazetteer=GAZ)
    assert weights_for(dated, undated) is WEIGHTS_UNDATED and weights_for(dated, sig(TOWER_EN)) is WEIGHTS
    grouper = StoryGrouper(GAZ)
    first = grouper.add("a", *TOWER_AR, published=T0)
    for day in range(1, 20):  # a stream that moves on: other news, weeks later
        grouper.add(f"x{day}", *ASAD_AR, published=T0 + timedelta(days=7 + day))
    assert grouper.add("b", *TOWER_EN) == first


OUTSIDE = [("البنك المركزي يرفع سعر الفائدة الرئيسي نصف نقطة لكبح التضخم",
            "قرر البنك المركزي رفع سعر الفائدة الرئيسي بمقدار نصف نقطة مئوية في اجتماعه الدوري، في خطوة "
            "تهدف إلى كبح التضخم الذي بلغ أعلى مستوياته منذ عقدين وتعزيز استقرار العملة المحلية."),
           ("المركزي يقر زيادة نصف نقطة مئوية على الفائدة لمواجهة التضخم",
            "أقر البنك المركزي في اجتماعه الدوري زيادة سعر الفائدة الرئيسي نصف نقطة مئوية، مؤكدا أن القرار "
            "يهدف إلى كبح معدلات التضخم المرتفعة والحفاظ على استقرار سعر صرف العملة المحلية."),
           ("منتخب الشباب يتأهل إلى نهائي البطولة بعد الفوز بركلات الترجيح",
            "تأهل منتخب الشباب لكرة القدم إلى المباراة النهائية للبطولة بعد فوزه بركلات الترجيح إثر انتهاء "
            "الوقت الأصلي والإضافي بالتعادل، ليلاقي حامل اللقب في النهائي.")]


@pytest.mark.parametrize("dated", [True, False])
def test_a_story_the_gazetteer_knows_nothing_of_still_groups_on_its_words(dated):
    """Users write their own topics: two rewrites of an interest-rate decision join, a football
    result stays apart, though the gazetteer names nothing in any of them."""
    grouper = StoryGrouper(GAZ)
    stories = [grouper.add(str(i), title, text, published=T0 + timedelta(hours=i) if dated else None)
               for i, (title, text) in enumerate(OUTSIDE)]
    assert not any(kind != "event" for s in (story_signature(*OUTSIDE[0], gazetteer=GAZ),)
                   for _e, kind, _w in s.entities)
    assert stories[0] == stories[1] != stories[2]


def _rate_decision(which: int, year: str, dated: bool = False) -> StorySignature:
    title, text = OUTSIDE[which]
    return story_signature(title, text.replace("في اجتماعه الدوري", f"في اجتماعه الدوري لشهر آذار {year}"),
                           published=T0 + timedelta(hours=which) if dated else None, gazetteer=GAZ)


def test_undated_reports_of_the_same_kind_that_write_other_years_are_two_stories():
    """A backfill has no time to keep last year's rate decision from this year's: when both ledes
    write a year and none agrees, the pair stays apart however alike the words; the same rewrite
    with the same year joins, and a dated pair is left to time."""
    assert _rate_decision(0, "2023").years == (2023,)
    same_year = same_story(_rate_decision(0, "2023"), _rate_decision(1, "2023"))
    assert same_year >= SAME_STORY_THRESHOLD
    assert same_story(_rate_decision(0, "2023"), _rate_decision(1, "2016")) < SAME_STORY_THRESHOLD
    grouper = StoryGrouper(GAZ)
    first = grouper.add_signature("a", _rate_decision(0, "2023"))
    assert grouper.add_signature("b", _rate_decision(1, "2016")) != first
    assert grouper.add_signature("c", _rate_decision(1, "2023")) == first
    assert StorySignature.from_json(_rate_decision(0, "2023").to_json()).years == (2023,)


BUDGET_EN = ("Iraqi parliament approves the federal budget in Baghdad",
             "Lawmakers in Baghdad voted on Monday to approve the federal budget for three years, after months of "
             "disputes over the share of the Kurdistan region, the speaker's office said.")
FIRE_EN = ("Fire breaks out at a hospital in Baghdad",
           "A fire broke out on Monday in a hospital in eastern Baghdad, the civil defence said, and patients were "
           "moved to other hospitals while firefighters brought it under control.")


def test_two_stories_of_one_city_and_hour_stay_apart():
    """Time alone is no evidence: on a monitor's busy day a budget vote and a hospital fire in one
    city, an hour apart, are two stories (the dated weights alone scored them 0.70)."""
    assert same_story(sig(BUDGET_EN), sig(FIRE_EN, hours=1)) < SAME_STORY_THRESHOLD
    grouper = StoryGrouper(GAZ)
    first = grouper.add("budget", *BUDGET_EN, T0)
    assert grouper.add("fire", *FIRE_EN, T0 + timedelta(hours=1)) != first


def test_a_busy_day_keeps_each_familys_spacing_and_moves_it_to_one_day():
    from extractors.grouping_eval import EvalDoc, busy_day

    def doc(i, story, family, day):
        return EvalDoc(i, "", "", datetime(2020 + day, 3, 1 + day, 12, tzinfo=timezone.utc), story, "dev",
                       family=family)
    docs = [doc("a1", "a", "fa", 0), doc("a2", "a", "fa", 0), doc("b1", "b", "fa", 1), doc("c1", "c", "", 3)]
    docs[1] = EvalDoc("a2", "", "", docs[0].published + timedelta(hours=5), "a", "dev", family="fa")
    moved = {d.id: d.published for d in busy_day(docs)}
    assert moved["a2"] - moved["a1"] == timedelta(hours=5)          # a story's own spacing kept
    assert moved["b1"] - moved["a1"] == docs[2].published - docs[0].published  # a family's too
    assert abs(moved["c1"] - moved["a1"]) < timedelta(hours=12)      # other families: one day


ELECTION_A = ("Egyptian president wins a third term with a landslide",
              "The election commission said the president won 89 percent of the vote, with turnout of 66 percent.")
ELECTION_B = ("Algerian president wins a second term with a landslide",
              "The election authority said the president won 84 percent of the vote, with turnout of 48 percent.")
ELECTION_A2 = ("Egypt's president re-elected for a third term",
               "Official results gave the president 89 percent of the vote in Egypt, the election commission said.")


def test_undated_reports_naming_only_other_countries_are_two_stories():
    """Without dates two landslide re-elections read alike; the countries they name tell them apart,
    and do not part two reports of one of them."""
    a, b, a2 = (story_signature(*doc, gazetteer=GAZ) for doc in (ELECTION_A, ELECTION_B, ELECTION_A2))
    assert a.countries == ("EG",) and b.countries == ("DZ",)
    assert same_story(a, b) < SAME_STORY_THRESHOLD
    assert same_story(a, a2) > same_story(a, b)
