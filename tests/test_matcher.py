"""The one matcher for all topics: what hits, what must not, and why a match is shown to the user."""

import pytest

from extractors.errors import ConfigError
from extractors.matcher import TopicMatcher
from extractors.topics import Topic


def topic(query: str, topic_id: str = "t", **kw) -> Topic:
    return Topic(id=topic_id, title=topic_id, query=query, **kw)


def matches(query: str, title: str, text: str = "", lists=None) -> bool:
    return bool(TopicMatcher.compile([topic(query)], lists or {}).match(title, text))


@pytest.mark.parametrize("text", ["للتحالف", "والتحالف", "بالتحالف", "وبالتحالف", "فالتحالف", "كالتحالف",
                                  "التحالف", "تحالف", "التَّحَالُف", "التحالـــف"])
def test_a_word_matches_every_clitic_and_spelling_variant(text):
    assert matches("التحالف", f"بيان {text} اليوم")


def test_persian_letters_from_iraqi_sites_match_arabic_queries():
    assert matches('"وزير الدفاع" AND "في أربيل"', "وزیر الدفاع فی أربیل")
    assert matches("كركوك", "مدينة کرکوک")


def test_root_letters_are_not_mistaken_for_clitics():
    assert not matches("رد", "طقس برد شديد")           # ب + رد would be a false hit
    assert matches("وجود", "بوجود القوات والوجود الأجنبي")
    assert not matches("جود", "بوجود القوات")           # query words keep their first letter


def test_prefix_matches_the_start_of_a_word_after_clitics():
    assert matches("انسحب*", "وانسحبت القوات")
    assert matches("انسحب*", "لانسحبوا")
    assert not matches("انسحب*", "الانسحاب")            # انسحاب is another prefix: write انسحا* or list both


def test_regular_plural_dual_and_adjective_endings_fold_to_the_singular_query():
    assert matches("قاعدة", "قاعده عين الاسد")
    assert matches("قاعدة", "قاعدتي عين الأسد وحرير")
    assert matches("قاعدة", "في القاعدتين")
    assert matches("غارة", "شنت غارات")
    assert matches("الأمريكي", "الجنود الأمريكيين والقوات الأمريكية")
    assert matches("مستشار", "سحب المستشارين")


def test_no_stemmer_merges_different_words_and_broken_plurals_are_the_query_writers_choice():
    assert not matches("قاعدة", "القواعد الأمريكية")   # broken plural: no stemmer guesses it
    assert matches("قاعدة OR قواعد", "القواعد الأمريكية")
    assert not matches("قاعدة", "المتقاعد قاعد في بيته")     # snowball merges these (bench/stemming.py)
    assert not matches("مهمة", "أمر مهم")
    assert matches("قاعد*", "قاعدتي عين الأسد")


def test_english_folds_case_plurals_and_dotted_abbreviations():
    assert matches('"US forces"', "U.S. Forces leave")
    assert matches("militia", "Iran-backed MILITIAS fired rockets")
    assert matches("withdraw*", "the withdrawal of troops")
    assert not matches("base", "troops based in Kuwait")


def test_near_matches_in_either_order_within_n_tokens_only():
    query = "التحالف NEAR/3 انسحاب"
    assert matches(query, "انسحاب قوات من التحالف")          # 3 tokens apart, reversed order
    assert matches(query, "التحالف ثم انسحاب")
    assert not matches(query, "انسحاب قوات كثيرة من التحالف")   # 4 apart


def test_near_and_phrases_never_span_title_and_body():
    assert not matches("التحالف NEAR/5 انسحاب", "خبر عن التحالف", "انسحاب")
    assert not matches('"التحالف انسحاب"', "التحالف", "انسحاب")
    assert not matches('"عين الأسد"', "هجوم على عين", "الأسد")


def test_phrase_needs_the_words_in_a_row():
    assert matches('"عين الأسد"', "قاعدة عين الأسد الجوية")
    assert not matches('"عين الأسد"', "الأسد عين")
    assert not matches('"عين الأسد"', "عين على الأسد")


def test_title_field_restricts_hits_to_the_title():
    assert matches("title:هجوم AND عين", "هجوم جديد", "في عين")
    assert not matches("title:هجوم AND عين", "خبر جديد", "هجوم في عين")


def test_not_excludes_and_or_combines():
    assert not matches("انسحاب AND NOT اليمن", "انسحاب القوات من اليمن")
    assert matches("(انسحاب OR خروج) AND NOT اليمن", "خروج القوات من العراق")


def test_lists_expand_to_words_and_phrases():
    lists = {"bases": ["عين الأسد", "حرير", "البرج 22"]}
    assert matches("هجوم NEAR/5 @bases", "هجوم على البرج ٢٢", lists=lists)
    assert matches("هجوم NEAR/5 @bases", "هجوم على قاعدة حرير", lists=lists)
    assert not matches("هجوم NEAR/5 @bases", "هجوم على البرج", lists=lists)


def test_unknown_list_is_a_config_error_naming_the_topic_file():
    with pytest.raises(ConfigError) as info:
        TopicMatcher.compile([topic("@nope", source="topics/t.yaml")], {})
    assert info.value.source == "topics/t.yaml" and "unknown list @nope" in info.value.reason


def test_many_topics_share_one_automaton_and_only_matching_enabled_topics_return():
    topics = [topic(f"word{i} AND common", f"t{i}") for i in range(200)]
    topics.append(topic("common", "off", enabled=False))
    matcher = TopicMatcher.compile(topics)
    found = matcher.match("word7 and word150", "common ground")
    assert [m.topic_id for m in found] == ["t7", "t150"]
    assert matcher.match("nothing here", "") == ()
    assert TopicMatcher.compile([]).match("anything", "at all") == ()


def test_a_match_says_why_in_the_original_characters():
    title = "القوات الأمريكية تنسحب"
    text = "قال مسؤول: بدأ انسحاب قوات التحالف الدولي من قاعدة عين الأسـد. وفي خبر آخر، الطقس حار."
    (found,) = TopicMatcher.compile([topic("التحالف NEAR/5 انسحاب*", "cw")]).match(title, text)
    document = title + "\n" + text
    assert found.terms == ("انسحاب*", "التحالف")
    assert [document[p:p + 6] for p in found.positions] == ["انسحاب", "التحال"]
    assert found.snippet == "قال مسؤول: بدأ انسحاب قوات التحالف الدولي من قاعدة عين الأسـد."
    assert [found.snippet[s:e] for s, e in found.highlights] == ["انسحاب", "التحالف"]
    assert found.marked() == "قال مسؤول: بدأ «انسحاب» قوات «التحالف» الدولي من قاعدة عين الأسـد."
    assert found.marked("<b>", "</b>").count("<b>") == 2


def test_highlights_cover_the_whole_original_word_with_its_clitics_and_marks():
    (found,) = TopicMatcher.compile([topic("التحالف")]).match("", "دعمٌ للتَّحالُفِ.")
    assert found.marked() == "دعمٌ «للتَّحالُفِ»."


def test_a_long_sentence_is_cut_to_a_window_around_the_hit():
    filler = " ".join(["كلمة"] * 120)
    (found,) = TopicMatcher.compile([topic("انسحاب")]).match("", f"{filler} انسحاب {filler}")
    assert len(found.snippet) < 300 and found.snippet.startswith("…") and found.snippet.endswith("…")
    assert "«انسحاب»" in found.marked()


def test_snippet_prefers_the_sentence_where_near_terms_meet_over_context_words():
    query = "(التحالف NEAR/3 انسحاب) AND العراق"
    text = "العراق بلد كبير. العراق والعراق. قرر التحالف انسحاب قواته."
    (found,) = TopicMatcher.compile([topic(query)]).match("", text)
    assert found.snippet == "قرر التحالف انسحاب قواته."


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st

WORDS = st.sampled_from(["التحالف", "للتحالف", "انسحاب", "وانسحبت", "القوات", "الأمريكية", "قاعدة", "عين",
                         "الأسد", "هجوم", "coalition", "withdraws", "U.S.", "forces", "٢٠٢٥", "،", ".", "\n", "«", "»"])


@settings(max_examples=200, deadline=None)
@given(st.lists(WORDS, max_size=40), st.lists(WORDS, max_size=8))
def test_every_match_explains_itself_with_valid_spans(body, head):
    matcher = TopicMatcher.compile([topic('(التحالف OR coalition) NEAR/4 (انسحب* OR withdraw*)', "a"),
                                    topic('"عين الأسد" OR title:هجوم', "b")])
    title, text = " ".join(head), " ".join(body)
    document = title + "\n" + text
    for found in matcher.match(title, text):
        assert found.terms and found.positions
        assert all(0 <= p < len(document) for p in found.positions)
        for start, end in found.highlights:
            assert 0 <= start < end <= len(found.snippet)
        assert found.marked().count("«") >= len(found.highlights)


def test_sentences_do_not_break_inside_abbreviations_or_decimals():
    text = "Officials said the U.S. forces will withdraw 2.5 thousand troops. Weather was fine."
    (found,) = TopicMatcher.compile([topic("withdraw*")]).match("", text)
    assert found.snippet == "Officials said the U.S. forces will withdraw 2.5 thousand troops."


def test_not_under_title_only_looks_at_the_title():
    query = "التحالف AND title:(NOT قاعدة)"
    assert matches(query, "خبر عن التحالف", "قاعدة عين الأسد")      # قاعدة only in the body
    assert not matches(query, "قاعدة التحالف", "نص")
