"""The query language: what analysts write, how it is read, and errors that point at the mistake."""

import pytest

from extractors.errors import ConfigError
from extractors.query import (And, ListRef, Near, Not, Or, QuerySyntaxError, Term, Title, explain, list_refs, parse_query,
                              query_text)
from extractors.topics import parse_lists, parse_topic


def words(node):
    return tuple((w.form, w.prefix) for w in node.words)


def test_precedence_not_then_near_then_and_then_or():
    tree = parse_query("a OR b AND c NEAR/5 d AND NOT e")
    assert isinstance(tree, Or) and tree.children[0] == parse_query("a")
    both = tree.children[1]
    assert isinstance(both, And) and len(both.children) == 3
    assert isinstance(both.children[1], Near) and isinstance(both.children[2], Not)


def test_near_binds_tighter_than_and():
    tree = parse_query("a AND b NEAR/5 c")
    assert isinstance(tree, And)
    assert isinstance(tree.children[1], Near) and tree.children[1].distance == 5


def test_parentheses_group_and_phrases_prefixes_lists_and_title():
    tree = parse_query('title:(التحالف OR "القوات الأمريكية") AND انسحب* AND NOT @yemen')
    assert isinstance(tree, And)
    title, prefix, negated = tree.children
    assert isinstance(title, Title) and isinstance(title.child, Or)
    phrase = title.child.children[1]
    assert words(phrase) == (("قوات", False), ("امريكيه", False))
    assert words(prefix) == (("انسحب", True),)
    assert negated == Not(ListRef("yemen"))


def test_query_words_drop_only_the_article():
    tree = parse_query("التحالف OR وجود OR Forces")
    assert [words(t) for t in tree.children] == [(("تحالف", False),), (("وجود", False),), (("force", False),)]


def test_arabic_quotes_make_a_phrase_and_prefix_may_end_any_phrase_word():
    tree = parse_query("«جدول* زمني»")
    assert isinstance(tree, Term) and words(tree) == (("جدول", True), ("زمني", False))


def test_a_word_with_a_dash_or_digits_is_a_phrase_of_its_tokens():
    assert words(parse_query("F-16")) == (("f", False), ("16", False))


def test_list_refs_are_collected_in_order():
    assert [r.name for r in list_refs(parse_query("(@a NEAR/3 @b) AND NOT title:@c"))] == ["a", "b", "c"]


@pytest.mark.parametrize("query, column, expected", [
    ("التحالف انسحاب", 9, "expected AND, OR, NEAR/n or the end of the query"),
    ("a AND", 6, 'expected a term, a "phrase", @list, NOT, title: or "("'),
    ("(a OR b", 8, 'expected ")"'),
    ('"عين الأسد', 1, "expected a closing \""),
    ("a NEAR b", 3, "NEAR needs a distance"),
    ("a NEAR/0 b", 3, "NEAR distance must be between"),
    ("NOT a", 1, "must require at least one term"),
    ("a OR NOT b", 1, "must require at least one term"),
    ("a NEAR/3 NOT b", 10, "NEAR cannot take a NOT operand"),
    ("ان*سحب", 3, "* must directly follow a word"),
    ("ا*", 1, "too short"),
    ("@", 1, "a list name is"),
    ("", 1, "the query is empty"),
    ("a )", 3, "expected AND, OR"),
])
def test_syntax_errors_say_what_was_expected_and_where(query, column, expected):
    with pytest.raises(QuerySyntaxError) as info:
        parse_query(query, source="t.yaml", line=4, column=1)
    assert expected in info.value.reason
    assert (info.value.source, info.value.line, info.value.column) == ("t.yaml", 4, column)
    assert isinstance(info.value, ConfigError)


def test_explain_shows_operators_and_lookup_forms():
    text = explain(parse_query('(التحالف OR coalition) NEAR/15 انسحب*'))
    assert text.splitlines() == ["NEAR/15", "  OR", "    word التحالف  → تحالف",
                                 "    word coalition  → coalition", "  prefix انسحب*  → انسحب*"]


TOPIC = """\
id: cw
title: انسحاب التحالف
query: >
  (التحالف OR coalition)
  NEAR/15 (انسحاب* OR
  انسحب* خروج)
alert: digest
"""


def test_error_inside_a_folded_yaml_query_points_at_the_file_line_and_column():
    with pytest.raises(QuerySyntaxError) as info:
        parse_topic(TOPIC, "topics/cw.yaml")
    assert (info.value.line, info.value.column) == (6, 10)
    assert str(info.value).startswith("topics/cw.yaml:6:10: expected")


def test_error_inside_a_quoted_yaml_query_counts_the_quote():
    with pytest.raises(QuerySyntaxError) as info:
        parse_topic('id: x\ntitle: t\nquery: "a AND"\n', "x.yaml")
    assert (info.value.line, info.value.column) == (3, 14)


def test_topic_fields_and_defaults():
    topic = parse_topic(TOPIC.replace("انسحب* خروج", "انسحب* OR خروج"), "cw.yaml")
    assert (topic.id, topic.alert, topic.enabled, topic.channels, topic.source) == ("cw", "digest", True, (), "cw.yaml")
    assert topic.query.startswith("(التحالف OR coalition) NEAR/15")
    minimal = parse_topic("id: m\ntitle: t\nquery: a\nchannels: [desk, sms]\nenabled: false\n", "m.yaml")
    assert (minimal.alert, minimal.enabled, minimal.channels) == ("instant", False, ("desk", "sms"))


@pytest.mark.parametrize("text, line, column, expected", [
    ("id: Bad Id\ntitle: t\nquery: a\n", 1, 5, "id: expected lower-case"),
    ("id: a\ntitle: t\nquery: a\nalert: never\n", 4, 8, "alert: expected one of instant, digest, both"),
    ("id: a\ntitle: t\nquery: a\nenabled: maybe\n", 4, 10, "enabled: expected true or false"),
    ("id: a\ntitle: t\nquery: a\nchannels: {x: 1}\n", 4, 11, "channels: expected a list"),
    ("id: a\ntitle: t\nquery: a\nqeury: b\n", 4, 1, "unknown key 'qeury'"),
    ("id: a\ntitle: t\n", 1, 1, "missing key 'query'"),
    ("id: a\ntitle: [t\n", 3, 1, "invalid YAML"),
    ("- a\n- b\n", 1, 1, "expected a mapping"),
    ("", 1, 1, "the file is empty"),
    ("id: a\nid: b\ntitle: t\nquery: a\n", 2, 1, "appears twice"),
])
def test_bad_topic_files_name_file_line_and_column(text, line, column, expected):
    with pytest.raises(ConfigError) as info:
        parse_topic(text, "bad.yaml")
    assert expected in info.value.reason
    assert (info.value.source, info.value.line, info.value.column) == ("bad.yaml", line, column)


def test_unknown_list_is_reported_where_it_is_used_when_lists_are_given():
    text = "id: a\ntitle: t\nquery: >\n  x AND\n  @nolist\n"
    assert parse_topic(text, "a.yaml").id == "a"           # without lists the file itself is fine
    with pytest.raises(ConfigError) as info:
        parse_topic(text, "a.yaml", {"bases": ("حرير",)})
    assert (info.value.line, info.value.column) == (5, 3)
    assert "unknown list @nolist (lists defined: @bases)" in info.value.reason


def test_lists_parse_and_reject_bad_items_at_their_line():
    assert parse_lists("bases:\n  - عين الأسد\n  - حرير\n", "l.yaml") == {"bases": ("عين الأسد", "حرير")}
    assert parse_lists("", "l.yaml") == {}
    with pytest.raises(ConfigError) as info:
        parse_lists("bases:\n  - عين الأسد\n  - ان*سحب\n", "l.yaml")
    assert (info.value.line, info.value.column) == (3, 5) and "bases:" in info.value.reason
    with pytest.raises(ConfigError) as info:
        parse_lists("bases: حرير\n", "l.yaml")
    assert "expected a non-empty list" in info.value.reason


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st

PIECES = st.sampled_from(["التحالف", "انسحب*", '"عين الأسد"', "«قاعدة", "»", "(", ")", "AND", "OR", "NOT", "NEAR/3",
                          "NEAR", "title:", "@bases", "@", "*", "a", "US", "-", "،", '"', "\n", "  "])


@settings(max_examples=400, deadline=None)
@given(st.lists(PIECES, max_size=12))
def test_any_query_text_parses_or_fails_with_a_positioned_syntax_error(pieces):
    text = " ".join(pieces)
    try:
        tree = parse_query(text, source="q", line=3, column=5)
    except QuerySyntaxError as exc:
        assert exc.line >= 3 and exc.column >= 1 and exc.reason
        return
    assert explain(tree)


def test_a_search_box_reads_words_side_by_side_as_and_with_and_s_precedence():
    assert parse_query("عين الأسد", implicit_and=True) == parse_query("عين AND الأسد")
    assert parse_query("a b OR c", implicit_and=True) == parse_query("(a AND b) OR c")
    assert parse_query("a NOT b", implicit_and=True) == parse_query("a AND NOT b")
    assert parse_query('title:x "y z" NEAR/3 w', implicit_and=True) == parse_query('title:x AND ("y z" NEAR/3 w)')
    assert parse_query("a AND b c", implicit_and=True) == parse_query("a AND b AND c")


def test_topic_queries_still_refuse_words_side_by_side():
    with pytest.raises(QuerySyntaxError) as info:
        parse_query("القوات الأمريكية")
    assert "side by side" in info.value.reason and info.value.column == 8


@pytest.mark.parametrize("query, column, expected", [
    ("عين (الأسد", 11, 'expected ")" to close the "(" at column 5'),
    ("عين NOT", 8, "expected a term"),
    ("NOT عين", 1, "must require at least one term"),
    ('عين "الأسد', 5, "expected a closing"),
])
def test_a_search_box_keeps_precise_errors(query, column, expected):
    with pytest.raises(QuerySyntaxError) as info:
        parse_query(query, source="search", implicit_and=True)
    assert expected in info.value.reason and info.value.column == column


@pytest.mark.parametrize("query, written", [
    ("عين الأسد", "عين AND الأسد"),
    ("a (b OR c) NOT (d OR e)", "a AND (b OR c) AND NOT (d OR e)"),
    ('«a "b" c» dd*', '«a "b" c» AND dd*'),
    ("title:(x y) @bases", "title:(x AND y) AND @bases"),
    ("(a NEAR/5 b) NEAR/2 c", "(a NEAR/5 b) NEAR/2 c"),
])
def test_query_text_writes_the_reading_out(query, written):
    assert query_text(parse_query(query, implicit_and=True)) == written


@settings(max_examples=400, deadline=None)
@given(st.lists(PIECES, max_size=12))
def test_query_text_parses_back_to_the_same_tree_in_the_strict_language(pieces):
    """What a search box read is handed to the strict parser (the topic matcher): same tree, always."""
    text = " ".join(pieces)
    try:
        tree = parse_query(text, implicit_and=True)
    except QuerySyntaxError:
        return
    assert parse_query(query_text(tree)) == tree
