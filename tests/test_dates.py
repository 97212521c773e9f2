"""The Arabic date parser: every form our outlets write, and the traps that must give no date."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest
from lxml import html as lxml_html

from extractors.dates import find_dates, parse_date, parse_structured
from extractors.dates_calendars import jalali_to_gregorian
from extractors.dates_names import ENGLISH, GREGORIAN_AR, HIJRI, JALALI
from extractors.dates_page import resolve_published, url_date

NOW = datetime(2025, 3, 1, 12, 0, tzinfo=timezone.utc)


@pytest.mark.parametrize("text, day", [
    # Iraqi / Levantine month names (htmldate turns these into January 1st)
    ("22 شباط 2025", date(2025, 2, 22)),
    ("15 كانون الثاني 2024", date(2024, 1, 15)),
    ("3 كانون الأول 2023", date(2023, 12, 3)),
    ("نشر في 9 تشرين الثاني 2024", date(2024, 11, 9)),
    ("١٤ آذار ٢٠٢٤", date(2024, 3, 14)),
    ("7 أيلول 2022", date(2022, 9, 7)),
    # Egyptian / Gulf names and their spellings
    ("5 يناير 2024", date(2024, 1, 5)), ("18 إبريل 2023", date(2023, 4, 18)),
    ("18 ابريل 2023", date(2023, 4, 18)), ("2 يونيه 2021", date(2021, 6, 2)),
    ("30 يوليه 2021", date(2021, 7, 30)), ("1 اغسطس 2022", date(2022, 8, 1)),
    # Maghrebi names
    ("الجمعة 14 فيفري 2020", date(2020, 2, 14)), ("3 جانفي 2021", date(2021, 1, 3)),
    ("10 أوت 2023", date(2023, 8, 10)), ("6 جوان 2022", date(2022, 6, 6)),
    # combined Egyptian / Levantine forms
    ("10 تشرين الأول/أكتوبر 2024", date(2024, 10, 10)),
    ("4 أكتوبر/ تشرين الأول 2024", date(2024, 10, 4)),
    ("19 آب/اغسطس 2015", date(2015, 8, 19)),
    ("21 مارس (آذار) 2019", date(2019, 3, 21)),
    # era marker, weekday, comma before the year
    ("الخميس 28 ديسمبر 2023م", date(2023, 12, 28)),
    ("11 مارس، 2023", date(2023, 3, 11)),
    # numeric, with Eastern Arabic and Persian digits and spaced separators
    ("٢ / ١١ / ٢٠٢١", date(2021, 11, 2)), ("۲۰۲۲/۰۳/۰۵", date(2022, 3, 5)),
    ("05.04.2019", date(2019, 4, 5)), ("2020-07-15", date(2020, 7, 15)),
    # English and aggregator forms
    ("Published: 12th, March 2024 GMT", date(2024, 3, 12)),
    ("3rd, January 2025", date(2025, 1, 3)), ("November 9, 2020", date(2020, 11, 9)),
    ("Feb. 19 2020", date(2020, 2, 19)),
])
def test_written_dates_are_read(text, day):
    match = parse_date(text)
    assert match is not None and match.local_date == day


@pytest.mark.parametrize("text, local", [
    ("الأحد، 3 مارس 2024 09:23 ص", datetime(2024, 3, 3, 9, 23)),
    ("16 يونيو 2024، 3:20 م", datetime(2024, 6, 16, 15, 20)),
    ("12:40 ص الخميس 7 / 3 / 2024", datetime(2024, 3, 7, 0, 40)),
    ("GMT 08:05 21.10.2021", datetime(2021, 10, 21, 8, 5)),
    ("٢٠ مهر ١٤٠١ - ۱۶:۰۵", datetime(2022, 10, 12, 16, 5)),
    ("5 دی 1402 - 10:15:00 ق.ظ", datetime(2023, 12, 26, 10, 15)),
    ("5 دی 1402 - 02:15:00 ب.ظ", datetime(2023, 12, 26, 14, 15)),
])
def test_times_and_am_pm_markers(text, local):
    match = parse_date(text)
    assert match is not None and match.has_time
    assert match.local.replace(tzinfo=None) == local


def test_outlet_offset_turns_local_clock_into_utc():
    match = parse_date("20 أيار 2024 10:00", utc_offset_minutes=180)  # Baghdad
    assert match.value == datetime(2024, 5, 20, 7, 0, tzinfo=timezone.utc)
    assert match.local_date == date(2024, 5, 20) and match.utc_offset_minutes == 180


def test_zone_written_in_the_stamp_beats_the_outlet_offset():
    match = parse_date("1 حزيران 2024 14:00 (GMT+0400)", utc_offset_minutes=180)
    assert match.value == datetime(2024, 6, 1, 10, 0, tzinfo=timezone.utc) and match.offset_explicit
    assert parse_date("1 حزيران 2024 14:00 بتوقيت بغداد").value.hour == 11
    assert parse_date("7 مارس 2024 (15:45 بتوقيت بغداد)").value.hour == 12
    assert parse_date("7 مارس 2024 - 10:30 ت.غ", utc_offset_minutes=180).value.hour == 10
    assert parse_date("نشر بتاريخ: 2024/03/07 الساعة 15:45", utc_offset_minutes=180).value.hour == 12
    # an Arabic RSS pubDate that feed parsers give up on
    rss = parse_structured("الثلاثاء, 12 مارس 2024 10:00:00 +0300")
    assert rss.value == datetime(2024, 3, 12, 7, 0, tzinfo=timezone.utc) and rss.offset_explicit


@pytest.mark.parametrize("text", [
    "2024",                              # a bare year is never January 1st
    "مارس 2024", "في شباط 2025",          # month precision only
    "15 رجب 1445 هـ",                    # lunar Hijri: recognised, never Gregorian
    "1445/07/03هـ",
    "12 مارس/ نيسان 2020",               # combined names that disagree
    "الثلاثاء 24 أغسطس 2020",            # weekday contradicts the day (it was a Monday)
    "31 شباط 2024", "1.250.000", "v1.2.3", "السعر 12/5",
    "جمعه 12 دی 2020",                   # a Solar Hijri month with a Gregorian year
])
def test_no_confident_date_from_what_is_not_a_full_gregorian_day(text):
    assert parse_date(text) is None


def test_hijri_dates_are_recognised_and_the_gregorian_one_beside_them_is_read():
    found = find_dates("السبت 15 جمادى الآخرة 1445 هـ الموافق 28 ديسمبر 2023م")
    assert [m.calendar for m in found] == ["hijri", "gregorian"]
    assert found[0].value is None and found[1].local_date == date(2023, 12, 28)


def test_numeric_solar_hijri_needs_persian_page_context():
    assert parse_date("۱۴۰۲/۰۸/۱۵ - ۱۰:۳۰", lang="fa").local_date == date(2023, 11, 6)
    assert parse_date("۱۴۰۲/۰۸/۱۵ - ۱۰:۳۰") is None  # on an Arabic page 1402 is a Hijri year


@pytest.mark.parametrize("jalali, gregorian", [
    ((1399, 2, 21), date(2020, 5, 10)), ((1399, 4, 2), date(2020, 6, 22)),
    ((1403, 1, 1), date(2024, 3, 20)), ((1403, 12, 30), date(2025, 3, 20)),
    ((1380, 10, 11), date(2002, 1, 1)),
])
def test_solar_hijri_conversion(jalali, gregorian):
    assert jalali_to_gregorian(*jalali) == gregorian


def test_impossible_solar_hijri_days_give_none():
    assert jalali_to_gregorian(1402, 12, 30) is None  # 1402 is not a leap year
    assert jalali_to_gregorian(1402, 7, 31) is None


@pytest.mark.parametrize("text, hours", [
    ("منذ 3 ساعات", 3), ("منذ ساعة", 1), ("منذ ساعتين", 2), ("قبل 45 دقيقة", 0.75),
    ("منذ يومين", 48), ("5 hours ago", 5), ("an hour ago", 1), ("۳ ساعت پیش", 3),
])
def test_relative_forms_need_now(text, hours):
    assert parse_date(text) is None
    match = parse_date(text, now=NOW)
    assert match.relative and (NOW - match.value).total_seconds() == hours * 3600


def test_today_and_yesterday_with_a_time_are_read_on_the_outlet_clock():
    now = datetime(2025, 3, 1, 22, 30, tzinfo=timezone.utc)  # already 2 March 01:30 in Baghdad
    assert parse_date("أمس الساعة 22:15", now=now, utc_offset_minutes=180).value == datetime(
        2025, 3, 1, 19, 15, tzinfo=timezone.utc)
    assert parse_date("اليوم 01:10 ص", now=now, utc_offset_minutes=180).value == datetime(
        2025, 3, 1, 22, 10, tzinfo=timezone.utc)
    assert parse_date("اليوم 10:30 ص", now=now, utc_offset_minutes=180) is None  # later than now
    assert parse_date("اليوم 01:10 ص", utc_offset_minutes=180) is None  # needs now
    assert parse_date("اليوم السابع", now=now) is None


def test_month_tables_do_not_collide():
    tables = [set(GREGORIAN_AR), set(ENGLISH), set(HIJRI), set(JALALI)]
    for i, first in enumerate(tables):
        for second in tables[i + 1:]:
            assert not first & second


@pytest.mark.parametrize("value, utc, offset", [
    ("2024-05-20T07:00:00Z", datetime(2024, 5, 20, 7, 0), 0),
    ("2020-12-01T02:00:00+03:00", datetime(2020, 11, 30, 23, 0), 180),
    ("2020-05-10T18:59:01+04:30", datetime(2020, 5, 10, 14, 29, 1), 270),
    ("Mon, 24 Aug 2020 09:23:13 GMT", datetime(2020, 8, 24, 9, 23, 13), 0),
])
def test_structured_values(value, utc, offset):
    match = parse_structured(value)
    assert match.value == utc.replace(tzinfo=timezone.utc) and match.utc_offset_minutes == offset


def test_structured_bare_year_or_month_is_no_date():
    assert parse_structured("2013") is None and parse_structured("2013-08") is None


def _page(body: str, head: str = "") -> lxml_html.HtmlElement:
    return lxml_html.document_fromstring(f"<html><head>{head}</head><body>{body}</body></html>")


def test_resolution_order_structured_then_byline_then_url_then_feed():
    head = '<meta property="article:published_time" content="2024-02-01T10:00:00+03:00">'
    body = "<h1>عنوان الخبر</h1><div>الخميس 1 شباط 2024 10:00</div><p>" + "نص " * 100 + "</p>"
    feed = datetime(2024, 2, 3, tzinfo=timezone.utc)
    url = "https://example.org/2024/02/02/story"
    tree = _page(body, head)
    h1 = tree.find(".//h1")
    assert resolve_published(tree, url=url, title_element=h1, feed_date=feed).source == "meta"
    tree = _page(body)
    assert resolve_published(tree, url=url, title_element=tree.find(".//h1"), feed_date=feed).source == "byline"
    tree = _page("<h1>عنوان</h1><p>" + "نص " * 100 + "</p>")
    by_url = resolve_published(tree, url=url, title_element=tree.find(".//h1"), feed_date=feed)
    assert (by_url.source, by_url.value.date()) == ("url", date(2024, 2, 2))
    by_feed = resolve_published(tree, url="https://example.org/a", title_element=tree.find(".//h1"), feed_date=feed)
    assert (by_feed.source, by_feed.value) == ("feed", feed)


def test_metadata_wins_but_a_disagreeing_byline_is_recorded():
    tree = _page("<h1>عنوان</h1><div>الأحد 3 آذار 2024</div><p>" + "نص " * 100 + "</p>",
                 '<meta property="article:published_time" content="2024-03-09T10:00:00Z">')
    result = resolve_published(tree, url=None, title_element=tree.find(".//h1"))
    assert result.source == "meta" and result.value.day == 9
    assert "3 آذار 2024" in result.evidence


def test_time_element_marked_as_publication_is_structured_data():
    tree = _page("<h1>عنوان</h1><p>نص</p><time class='entry-date published' datetime='2024-04-02T08:15:00+03:00'>"
                 "2 نيسان</time><time datetime='2024-04-05T09:00:00+03:00'>تعليق</time>")
    result = resolve_published(tree, url=None, title_element=tree.find(".//h1"))
    assert (result.source, result.value) == ("time", datetime(2024, 4, 2, 5, 15, tzinfo=timezone.utc))


def test_bare_year_in_metadata_falls_back_to_the_feed_date():
    tree = _page("<h1>عنوان</h1><p>نص</p>", '<meta itemprop="datePublished" content="2024">')
    feed = datetime(2024, 6, 1, 8, 0, tzinfo=timezone.utc)
    result = resolve_published(tree, url=None, title_element=tree.find(".//h1"), feed_date=feed)
    assert (result.source, result.value) == ("feed", feed)


def test_update_stamp_under_the_headline_is_not_the_publication_date():
    tree = _page("<h1>عنوان</h1><div>الأحد، 1 أيلول 2024، آخر تحديث 14:00</div><p>" + "نص " * 100 + "</p>")
    result = resolve_published(tree, url="https://example.org/2024/8/30/x", title_element=tree.find(".//h1"))
    assert result.source == "url" and result.value.date() == date(2024, 8, 30)


def test_publication_then_update_keeps_the_publication():
    tree = _page("<h1>عنوان</h1><div>نشر في 1 أيلول 2024 - آخر تحديث 2 أيلول 2024</div>")
    result = resolve_published(tree, url=None, title_element=tree.find(".//h1"))
    assert result.source == "byline" and result.value.date() == date(2024, 9, 1)


def test_metadata_z_is_read_as_local_when_the_byline_shows_the_same_clock():
    tree = _page("<h1>عنوان</h1><span>الأحد، 3 مارس 2024 09:23 ص</span>",
                 '<meta property="article:published_time" content="2024-03-03T09:23:13Z">')
    result = resolve_published(tree, url=None, title_element=tree.find(".//h1"), utc_offset_minutes=120)
    assert result.value == datetime(2024, 3, 3, 7, 23, tzinfo=timezone.utc) and result.utc_offset_minutes == 120
    plain = resolve_published(tree, url=None, title_element=tree.find(".//h1"))
    assert plain.value == datetime(2024, 3, 3, 9, 23, 13, tzinfo=timezone.utc)


def test_url_dates_need_year_month_and_day():
    assert url_date("https://example.org/2020/11/2338761/") is None
    assert url_date("https://example.org/news/2023-05-07/x").value.date() == date(2023, 5, 7)
    assert url_date("https://example.org/2013/world/8/3/story/index.html").value.date() == date(2013, 8, 3)


def test_relative_byline_only_with_now_and_only_after_the_feed():
    tree = _page("<h1>عنوان</h1><span>منذ 3 ساعات</span><p>" + "نص " * 100 + "</p>")
    h1 = tree.find(".//h1")
    assert resolve_published(tree, url=None, title_element=h1).source is None
    dated = resolve_published(tree, url=None, title_element=h1, now=NOW)
    assert (dated.source, NOW - dated.value) == ("byline", NOW - NOW.replace(hour=9))
    feed = datetime(2025, 2, 28, tzinfo=timezone.utc)
    assert resolve_published(tree, url=None, title_element=h1, now=NOW, feed_date=feed).source == "feed"


# --- properties: every day written in every outlet style reads back as itself -------------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_LEVANT = ["كانون الثاني", "شباط", "آذار", "نيسان", "أيار", "حزيران", "تموز", "آب", "أيلول",
           "تشرين الأول", "تشرين الثاني", "كانون الأول"]
_GULF = ["يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو", "أغسطس", "سبتمبر", "أكتوبر",
         "نوفمبر", "ديسمبر"]
_MAGHREB = ["جانفي", "فيفري", "مارس", "أفريل", "ماي", "جوان", "جويلية", "أوت", "سبتمبر", "أكتوبر",
            "نوفمبر", "ديسمبر"]
_DAYS = ["الإثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت", "الأحد"]
_EASTERN = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
_STYLES = [
    lambda d: f"{d.day} {_LEVANT[d.month - 1]} {d.year} - {d:%H:%M}",
    lambda d: f"{_DAYS[d.weekday()]}، {d.day} {_GULF[d.month - 1]} {d.year} {(d.hour % 12) or 12:02d}:{d.minute:02d} "
              f"{'م' if d.hour >= 12 else 'ص'}",
    lambda d: f"{_DAYS[d.weekday()]} {d.day} {_GULF[d.month - 1]} {d.year} {d:%I:%M} "
              f"{'م' if d.hour >= 12 else 'ص'}".translate(_EASTERN),
    lambda d: f"{d.day} {_MAGHREB[d.month - 1]} {d.year} {d:%H:%M}",
    lambda d: f"{d.day} {_LEVANT[d.month - 1]}/{_GULF[d.month - 1]} {d.year} {d:%H:%M}",
    lambda d: f"{d:%H:%M} {d.day} / {d.month} / {d.year}".translate(_EASTERN),
    lambda d: f"{d:%B} {d.day}, {d.year} {d:%H:%M}",
]


@settings(max_examples=300, deadline=None)
@given(st.datetimes(min_value=datetime(1995, 1, 1), max_value=datetime(2045, 12, 31)).map(
    lambda d: d.replace(second=0, microsecond=0)), st.sampled_from(_STYLES), st.sampled_from([None, 0, 180, 270]))
def test_every_style_reads_back_the_same_instant(moment, style, offset):
    match = parse_date(f"نشر في {style(moment)} بقلم المحرر", utc_offset_minutes=offset)
    assert match is not None and match.confident
    assert match.local.replace(tzinfo=None) == moment
    assert match.utc_offset_minutes == offset


_PIECES = list("0123456789٠١٢٣٤٥٦٧٨٩/.-:، +()") + _GULF + _LEVANT + _DAYS + ["هـ", "م", "ص", "منذ", "ساعات", "GMT"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=16).map("".join))
def test_parser_never_raises_and_never_invents_a_default_day(text):
    for match in find_dates(text, now=NOW):
        assert match.value is None or match.value.year >= 1900
        if match.value is not None and not match.relative:
            assert any(ch.isdigit() for ch in match.evidence)


def test_date_above_the_headline_is_read_but_not_the_header_clock():
    body = "<p>" + "نص الخبر " * 60 + "</p>"
    page = ("<header class='site-header'><div class='today'>الجمعة 24 أيار 2024</div></header>"
            "<div class='article'><div class='meta'>سياسة | 20 أيار 2024 - 09:15</div><h1>عنوان</h1>" + body + "</div>")
    tree = _page(page)
    result = resolve_published(tree, url=None, title_element=tree.find(".//h1"))
    assert result.source == "byline" and result.value.day == 20
    clock_only = _page("<header class='site-header'><div class='today'>الجمعة 24 أيار 2024</div></header>"
                       "<div class='article'><h1>عنوان</h1>" + body + "</div>")
    assert resolve_published(clock_only, url=None, title_element=clock_only.find(".//h1")).source is None
    below = _page("<div><div>سياسة | 19 أيار 2024</div><h1>عنوان</h1><div>20 أيار 2024</div>" + body + "</div>")
    assert resolve_published(below, url=None, title_element=below.find(".//h1")).value.day == 20


def test_a_double_colon_between_date_and_time_keeps_the_time():
    match = parse_date("الخميس , 3 آب , 2023 :: 10:15 م", utc_offset_minutes=180)
    assert match.local.isoformat() == "2023-08-03T22:15:00+03:00" and match.weekday_ok
