"""extract_article on real captured pages, the size guard, the overrides and `rasid extract`."""

from __future__ import annotations

import json
import re
from datetime import datetime, timezone
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from extractors.article import ExtractedArticle, extract_article, prepare_html
from extractors.errors import ConfigError, PermanentError
from extractors.outlets import ExtractOverrides

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
CORPUS = SHARED / "corpus"
needs_corpus = pytest.mark.skipif(not (CORPUS / "truth.jsonl").exists(),
                                  reason=f"the shared page corpus is not at {CORPUS}")


def _truth() -> dict[str, dict]:
    if not (CORPUS / "truth.jsonl").exists():
        return {}
    rows = [json.loads(line) for line in (CORPUS / "truth.jsonl").read_text(encoding="utf-8").splitlines() if line]
    return {Path(r["file"]).stem: r for r in rows}


TRUTH = _truth()


def _norm(text: str | None) -> str:
    return " ".join((text or "").replace("\u00a0", " ").split())


def _page(stem: str) -> tuple[str, dict]:
    row = TRUTH[stem]
    return (CORPUS / row["file"]).read_bytes().decode(row["encoding"]), row


@needs_corpus
@pytest.mark.parametrize("stem", ["001", "002", "003", "004", "005", "006", "007", "008", "009", "010"])
def test_corpus_article_headline_date_and_body(stem):
    html, row = _page(stem)
    article = extract_article(html, row["url"])
    assert _norm(article.title) in {_norm(row["title"]), *map(_norm, row.get("title_variants", []))}
    assert article.published_local.date().isoformat() == row["date"]
    text = _norm(article.text)
    assert all(_norm(s) in text for s in row["text_contains"])
    assert not any(_norm(s) in text for s in row["text_excludes"])
    assert article.lang == row["lang"]


@needs_corpus
def test_persian_pages_are_persian_and_dated_in_gregorian():
    for stem in ("009", "010"):
        html, row = _page(stem)
        article = extract_article(html, row["url"])
        assert article.lang == "fa"
        assert article.published.year == 2020  # never the Solar Hijri year read as Gregorian


@needs_corpus
def test_last_update_stamp_loses_to_the_url_date():
    html, row = _page("007")
    article = extract_article(html, row["url"])
    assert (article.date_source, article.published_local.date().isoformat()) == ("url", "2013-08-03")


@needs_corpus
def test_listing_page_gets_no_date_and_falls_back_to_the_feed():
    html, row = _page("011")
    assert extract_article(html, row["url"]).published is None
    feed = datetime(2024, 1, 2, 3, 4, tzinfo=timezone.utc)
    article = extract_article(html, row["url"], feed_date=feed)
    assert (article.published, article.date_source) == (feed, "feed")


@needs_corpus
def test_outlet_offset_is_kept_and_used_for_the_local_day():
    html, row = _page("005")
    article = extract_article(html, row["url"], utc_offset_hours=3)
    assert article.utc_offset_minutes == 180
    assert article.published == datetime(2020, 11, 30, 23, 0, tzinfo=timezone.utc)
    assert article.published_local.date().isoformat() == row["date"]


def test_empty_and_markup_only_pages_are_results_not_errors():
    assert extract_article("").text == ""
    article = extract_article("<html><body><nav><a href='/'>الرئيسية</a></nav></body></html>")
    assert isinstance(article, ExtractedArticle) and article.published is None


def test_oversized_page_is_refused_with_a_clear_error():
    with pytest.raises(PermanentError, match="cap"):
        extract_article("<p>" + "ا" * 5000 + "</p>", max_chars=1000)


def test_scripts_do_not_count_against_the_cap_and_big_pages_are_trimmed():
    page = "<html><body><script>" + "x" * 3000 + "</script><p>نص</p>" + "<div>ب</div>" * 300 + "</body></html>"
    trimmed = prepare_html(page, 2000)
    assert "xxx" not in trimmed and len(trimmed) <= 2000 and trimmed.endswith(">")


def _article_html(body: str) -> str:
    return ("<html><head><title>خبر - موقع</title></head><body><h1>خبر</h1><article>"
            + body + "</article><footer>حقوق النشر محفوظة</footer></body></html>")


def test_body_xpath_override_picks_the_outlet_body_and_drop_patterns_remove_lines():
    lines = [f"هذه فقرة رقم {i} من نص الخبر الذي نريد استخراجه كاملا دون زيادة أو نقصان." for i in range(6)]
    body = ("<div class='story'>" + "".join(f"<p>{line}</p>" for line in lines)
            + "<p>المصدر - متابعة - وكالات</p></div><aside><p>اقرأ أيضا: خبر آخر</p></aside>")
    overrides = ExtractOverrides(body_xpath="//div[@class='story']", drop_patterns=(r"^المصدر - متابعة",))
    article = extract_article(_article_html(body), overrides=overrides)
    assert article.text.split("\n") == lines


def test_bad_override_is_a_config_error():
    with pytest.raises(ConfigError, match="XPath"):
        extract_article(_article_html("<p>نص</p>"), overrides=ExtractOverrides(body_xpath="//div[@"))
    with pytest.raises(ConfigError, match="regular expression"):
        extract_article(_article_html("<p>نص</p>"), overrides=ExtractOverrides(drop_patterns=("(",)))


@needs_corpus
def test_cli_prints_the_json_fields():
    from flows.cli import app

    row = TRUTH["010"]
    result = CliRunner().invoke(app, ["extract", str(CORPUS / row["file"]), "--url", row["url"], "--json"])
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout)
    assert set(record) == {"title", "published", "published_precision", "date_source", "author", "lang", "text", "canonical_url", "agency"}
    assert record["lang"] == "fa" and record["published_precision"] == "time" and record["published"].startswith("2020-06-22T")
    assert datetime.fromisoformat(record["published"]).tzinfo is not None


@needs_corpus
def test_cli_decodes_windows_1256_and_prints_readable_output():
    from flows.cli import app

    row = TRUTH["011"]
    result = CliRunner().invoke(app, ["extract", str(CORPUS / row["file"])])
    assert result.exit_code == 0, result.output
    assert "windows-1256" in result.stdout and re.search(r"[\u0600-\u06ff]{4}", result.stdout)


def test_cli_missing_file_fails_cleanly(tmp_path):
    from flows.cli import app

    result = CliRunner().invoke(app, ["extract", str(tmp_path / "nope.html")])
    assert result.exit_code != 0


# --- language -------------------------------------------------------------------------

def test_persian_is_not_arabic_even_with_shared_letters():
    from extractors.language import detect_language

    persian = "گزارش خبرنگار ما از تهران نشان می دهد که این طرح برای کاهش قیمت ها اجرا شده است و مردم از آن راضی هستند."
    arabic = "قال مسؤول في وزارة الخارجية إن المحادثات مع الجانب الأمريكي ستستمر خلال الأسابيع المقبلة في بغداد."
    # Iraqi sites write Persian ی and ک inside Arabic text: still Arabic
    iraqi = arabic.replace("ي", "ی").replace("ك", "ک")
    assert detect_language(persian) == "fa"
    assert detect_language(arabic) == "ar" and detect_language(iraqi) == "ar"
    assert detect_language("Officials said the talks with the coalition would continue in the coming weeks.") == "en"
    assert detect_language("قصير", hint="ar-IQ") == "ar" and detect_language("") is None
    sorani = "سەرۆکی حکومەتی هەرێم لەگەڵ شاندێکی ئەمریکی کۆبووەوە و باسی لە بارودۆخی ناوچەکە کرد بۆ ئەوەی هاوکاری زیاتر بکرێت."
    assert detect_language(sorani) == "ckb"


# --- agency ---------------------------------------------------------------------------

@pytest.mark.parametrize("text, agency", [
    ("بغداد (رويترز) - قال مسؤولون عراقيون اليوم إن المحادثات ستستمر.", "Reuters"),
    ("قال مسؤول عراقي لوكالة رويترز إن المحادثات مع واشنطن قد تطول.", "Reuters"),
    ("قال مسؤولون لوكالة أسوشيتد برس إن الفصائل راجعت موقفها.", "AP"),
    ("باريس (أ ف ب) - أعلنت الحكومة الفرنسية اليوم خطة جديدة.", "AFP"),
    ("نص الخبر كاملا كما نشرته الوكالة في صفحتها.\nالمصدر: فرانس برس", "AFP"),
    ("أعلن الجيش العراقي اليوم انتهاء العملية. وكان وزير الدفاع قد زار الموقع.", None),
    # a photo credit is not attribution
    ("جنود في قاعدة عسكرية (تصوير فلان/الأناضول)\nيرى خبراء أن المرحلة المقبلة ستكون صعبة على الحكومة.", None),
])
def test_agency_attribution(text, agency):
    from extractors.agency import detect_agency

    assert detect_agency(text) == agency


def test_agency_byline_counts_but_a_person_does_not():
    from extractors.agency import detect_agency

    assert detect_agency("نص الخبر", author="رويترز") == "Reuters"
    assert detect_agency("نص الخبر", author="(أ ف ب)") == "AFP"
    assert detect_agency("نص الخبر", author="محرر رويترز في بغداد") is None


@pytest.mark.skipif(not (SHARED / "seeds").is_dir(), reason="the seed articles are not beside the repository")
def test_agency_on_the_seed_articles():
    from extractors.agency import detect_agency

    seeds = {p.name[:3]: p.read_text(encoding="utf-8") for p in (SHARED / "seeds").glob("*.txt")}
    assert detect_agency(seeds["001"]) == "Reuters"  # told Reuters, republished by an aggregator
    assert detect_agency(seeds["004"]) == "AP"
    assert detect_agency(seeds["000"]) is None       # Reuters only credits the photo


# --- headline -------------------------------------------------------------------------

def test_headline_is_the_h1_that_agrees_with_metadata_not_the_logo():
    html = ("<html><head><meta property='og:title' content='وزير يفتتح مشروعا جديدا للمياه - الموقع'>"
            "<meta property='og:site_name' content='الموقع'></head><body><h1>الموقع</h1>"
            "<h1>وزير يفتتح مشروعا جديدا للمياه</h1><p>نص</p><footer><h1>الموقع</h1></footer></body></html>")
    assert extract_article(html).title == "وزير يفتتح مشروعا جديدا للمياه"


def test_without_h1_the_site_name_is_cut_from_the_metadata_title():
    from extractors.article_meta import strip_site_name

    assert strip_site_name("وزير يفتتح مشروعا - الموقع", "الموقع") == "وزير يفتتح مشروعا"
    assert strip_site_name("الموقع | وزير يفتتح مشروعا", "الموقع") == "وزير يفتتح مشروعا"
    assert strip_site_name("وزير يفتتح مشروعا - تفاصيل", "الموقع") == "وزير يفتتح مشروعا - تفاصيل"
    html = "<html><head><title>خبر عاجل عن الطقس – الموقع</title><meta property='og:site_name' content='الموقع'>"
    assert extract_article(html + "</head><body><p>نص</p></body></html>").title == "خبر عاجل عن الطقس"


def test_headline_in_an_h2_is_found_and_anchors_the_byline():
    html = ("<html><head><meta property='og:title' content='البرلمان يؤجل جلسة الموازنة إلى الأسبوع المقبل'>"
            "</head><body><h2>آخر الأخبار</h2><h2>البرلمان يؤجل جلسة الموازنة إلى الأسبوع المقبل</h2>"
            "<span>3 شباط 2025 - 10:12</span><p>" + "نص الخبر " * 40 + "</p></body></html>")
    article = extract_article(html, utc_offset_hours=3)
    assert article.title == "البرلمان يؤجل جلسة الموازنة إلى الأسبوع المقبل"
    assert (article.date_source, article.published) == ("byline", datetime(2025, 2, 3, 7, 12, tzinfo=timezone.utc))
    assert article.utc_offset_minutes == 180


def test_inline_read_also_teasers_are_not_body_text():
    from extractors.article_text import tidy

    text = "الفقرة الأولى من الخبر.\nإقرأ أيضاً: عنوان خبر آخر لا علاقة له\nالفقرة الثانية.\nاقرأ المزيد: رابط"
    assert tidy(text, ()) == "الفقرة الأولى من الخبر.\nالفقرة الثانية."
    assert tidy("قرأ أيضا الوزير البيان أمام النواب.", ()) == "قرأ أيضا الوزير البيان أمام النواب."


def test_overrides_can_be_checked_when_the_config_is_loaded():
    from extractors.article_text import check_overrides

    check_overrides(ExtractOverrides(body_xpath="//div[@class='story']", drop_patterns=("^المصدر",)))
    with pytest.raises(ConfigError, match="XPath"):
        check_overrides(ExtractOverrides(body_xpath="//div[@"))
    with pytest.raises(ConfigError, match="regular expression"):
        check_overrides(ExtractOverrides(drop_patterns=("[",)))


def test_placeholder_dates_are_not_publication_dates():
    html = ("<html><head><meta property='article:published_time' content='1970-01-01T00:00:00Z'></head>"
            "<body><h1>عنوان</h1><p>نص</p></body></html>")
    feed = datetime(2024, 5, 1, tzinfo=timezone.utc)
    article = extract_article(html, "https://example.org/1970/01/01/x", feed_date=feed)
    assert (article.date_source, article.published) == ("feed", feed)


def test_layout_tables_keep_paragraphs_apart_and_data_tables_stay():
    paragraphs = [f"الفقرة رقم {i} من نص الخبر، وفيها ما يكفي من الكلمات لتعد فقرة حقيقية في المتن." for i in range(5)]
    html = ("<html><head><meta property='og:title' content='عنوان الخبر في الجدول'></head><body><table><tr>"
            "<td class='main'><h1>عنوان الخبر في الجدول</h1><div class='date'>3 شباط 2025 - 10:12</div>"
            + "".join(f"<p>{p}</p>" for p in paragraphs)
            + "<table><tr><th>المحافظة</th><th>المقاعد</th></tr><tr><td>بغداد</td><td>69</td></tr></table>"
            "</td><td class='side'><ul><li><a href='/a'>خبر جانبي</a></li></ul></td></tr></table></body></html>")
    article = extract_article(html)
    lines = article.text.split("\n")
    assert all(p in lines for p in paragraphs)
    assert "بغداد" in article.text and "69" in article.text
    assert article.date_source == "byline"


def test_lead_fix_adds_a_missing_lead_once_and_never_duplicates_a_summary():
    body = "".join(f"<p>فقرة {i} من متن الخبر وهي طويلة بما يكفي لتكون جزءا من النص الرئيسي المستخرج.</p>"
                   for i in range(6))
    head = "<html><head><meta property='og:title' content='عنوان الخبر الرئيسي'></head><body><article>"
    lead = "هذا هو الموجز الذي يضعه الموقع تحت العنوان ولا يظهر في المتن نفسه أبدا."
    page = (head + f"<h1>عنوان الخبر الرئيسي</h1><div itemprop='description' class='lead'>{lead}</div>"
            + body + "</article></body></html>")
    text = extract_article(page).text
    assert text.count(lead) == 1 and text.index(lead) == 0
    summary = ("<div class='summary'><button>اظهر الملخص</button><ul><li>النقطة الأولى من الملخص الذي كتبه المحرر"
               "</li><li>النقطة الثانية من الملخص الذي كتبه المحرر</li></ul></div>")
    text = extract_article(head + "<h1>عنوان الخبر الرئيسي</h1>" + summary + body + "</article></body></html>").text
    assert text.count("النقطة الأولى من الملخص") <= 1


_HTML_PIECES = ["<html>", "<head>", "<body>", "</body>", "<h1>", "</h1>", "<p>", "</p>", "<table><tr><td>",
                "</td></tr></table>", "<meta property='article:published_time' content='", "'>", "<!--", "-->",
                "<script type='application/ld+json'>", "</script>", "{\"datePublished\": \"", "\"}", "\x00",
                "<?xml version='1.0' encoding='utf-8'?>", "12 شباط 2025", "منذ 3 ساعات", "2024-13-45T99:99",
                "١٤٠٢/٠٨/١٥", "خبر", "رويترز", " ", "\n", "<time datetime='", "<div class='lead'>", "</div>"]


@settings(max_examples=80, deadline=None)
@given(st.lists(st.sampled_from(_HTML_PIECES), max_size=30).map("".join))
def test_any_markup_gives_a_result_never_an_exception(html):
    article = extract_article(html, "https://example.org/2024/02/30/x")
    assert isinstance(article.text, str) and "\x00" not in article.text
    assert article.published is None or article.published.tzinfo is not None


@needs_corpus
def test_without_the_url_the_canonical_link_still_dates_the_page():
    html, row = _page("007")
    article = extract_article(html)
    assert (article.date_source, article.published_local.date().isoformat()) == ("url", row["date"])


@needs_corpus
def test_youm7_local_clock_stamped_z_is_corrected_with_the_outlet_offset():
    html, row = _page("001")  # meta 09:23:13Z, byline 09:23 ص: Cairo time, not UTC
    article = extract_article(html, row["url"], utc_offset_hours=2)
    assert article.published == datetime(2020, 8, 24, 7, 23, tzinfo=timezone.utc)
    assert article.published_local.date().isoformat() == row["date"] and "local time" in article.date_evidence


@needs_corpus
def test_outlet_body_xpath_on_a_real_page_keeps_the_truth():
    html, row = _page("001")
    article = extract_article(html, row["url"], overrides=ExtractOverrides(body_xpath="//div[@id='articleBody']"))
    text = _norm(article.text)
    assert all(_norm(s) in text for s in row["text_contains"])
    assert not any(_norm(s) in text for s in row["text_excludes"])
    stale = extract_article(html, row["url"], overrides=ExtractOverrides(body_xpath="//div[@id='gone']"))
    assert all(_norm(s) in _norm(stale.text) for s in row["text_contains"])  # template changed: generic wins


def test_trafilatura_leaves_the_tree_it_is_handed_intact():
    """main_text hands trafilatura the tree extract_article parsed (one parse less) and reads the
    headline, lead and byline from it afterwards: that holds only while bare_extraction copies a
    tree before cleaning it. A trafilatura upgrade that stops copying fails here."""
    from lxml import etree
    from lxml import html as lxml_html
    from trafilatura import bare_extraction

    from extractors.article_text import TRAFILATURA_SETTINGS

    replay = Path(__file__).resolve().parents[1] / "seeds" / "replay"
    pages = sorted(replay.rglob("*.html"))
    assert pages
    for path in pages:
        tree = lxml_html.document_fromstring(path.read_bytes().decode("utf-8", "replace"))
        before = etree.tostring(tree)
        bare_extraction(tree, url="https://replay.example/a", **TRAFILATURA_SETTINGS)
        assert etree.tostring(tree) == before, path.name


# --- the page's own characters -------------------------------------------------------------

@needs_corpus
def test_persian_text_keeps_the_zero_width_non_joiner_of_the_page():
    """«می‌نمایند» stays one word with its U+200C, so the text's sentences are the page's sentences."""
    from lxml import html as lxml_html

    html, row = _page("009")
    page_text = _norm(lxml_html.document_fromstring(html).text_content())
    joined = [line for line in extract_article(html, row["url"]).text.split("\n") if "\u200c" in line]
    assert len(joined) >= 3
    assert all(_norm(line) in page_text for line in joined)


def test_format_characters_written_as_entities_are_kept_and_stand_ins_never_leak():
    body = "<p>" + "این گزارش درباره&zwnj;ی سیاست&#8204;های تازه است و خبرنگار آن را تهیه کرده است. " * 8 + "</p>"
    text = extract_article(_article_html(body)).text
    assert "درباره\u200cی سیاست\u200cهای تازه" in text
    assert not any("\ua000" <= ch <= "\ua0ff" for ch in text)


def test_table_layout_page_without_heading_tags_gives_its_headline_and_visible_date():
    """An old ASP.NET news template: no <h1>, no date metadata, the date in a span above the headline."""
    headline = "وزير الخارجية يلتقي نظيره الأردني في عمان"
    body = "التقى وزير الخارجية اليوم نظيره الأردني في العاصمة عمان وبحث معه العلاقات الثنائية وسبل تطويرها. " * 6
    html = (f"<html><head><title>{headline} - موقع الأخبار</title></head><body><table>"
            "<tr><td><a href='/'>الرئيسية</a> | <a href='/a'>أخبار</a></td></tr>"
            f"<tr><td><span class='d'>الخميس , 3 آب , 2023 :: 10:15 ص</span><br><span class='t'>{headline}</span></td></tr>"
            f"<tr><td><div>{body}</div></td></tr></table></body></html>")
    article = extract_article(html, utc_offset_hours=3)
    assert article.title == headline
    assert (article.date_source, article.published.isoformat()) == ("byline", "2023-08-03T10:15:00+03:00")


def test_a_title_that_is_only_the_site_name_is_not_the_headline():
    """An ASP.NET template titling every page «Daily Herald»: the headline is a labelled span, the stamp under it."""
    headline = "وزير الخارجية يلتقي نظيره الأردني في عمان"
    body = "التقى وزير الخارجية اليوم نظيره الأردني في العاصمة عمان وبحث معه العلاقات الثنائية وسبل تطويرها. " * 6
    menu = "".join(f"<a href='/s{i}'><div class='menuTitle'>قسم الأخبار رقم {i}</div></a>" for i in range(3))
    html = (f"<html><head><title> Daily Herald </title></head><body><table><tr><td>{menu}</td>"
            f"<td><span id='ctl00_lblTitle'>{headline}</span><br><span id='ctl00_lblDateTime'>Sat, 29 Dec 2007 17:50:54"
            f"</span><p>{body}</p></td></tr></table></body></html>")
    article = extract_article(html, "http://www.dailyherald.example/detail.aspx?id=1", utc_offset_hours=3)
    assert article.title == headline
    assert (article.date_source, article.published.isoformat()) == ("byline", "2007-12-29T17:50:54+03:00")
    # a page of the same site whose title names the story keeps using it
    titled = html.replace(" Daily Herald ", f"Daily Herald : {headline}").replace("ctl00_lblTitle", "x")
    assert extract_article(titled, "http://www.dailyherald.example/detail.aspx?id=1").title == headline


def test_a_site_named_title_part_still_finds_the_headline_shown_alone():
    """«site : headline» in <title>, the headline alone in a bold cell, the print day above it."""
    headline = "Roads of the south"
    body = "The ministry said on Saturday that the new survey of the southern roads was complete and published. " * 6
    html = ("<html><head><title>daily herald tribune : " + headline + "</title></head><body><table><tr><td>"
            "<font>Print Date : Saturday, January 12, 2008</font></td></tr></table>"
            f"<p class='Title_Big'><b><b>{headline}</b></b><br></p><p>{body}</p></body></html>")
    article = extract_article(html, "http://www.dailyheraldtribune.example/index_View.asp?code=1")
    assert article.title == headline
    assert article.published_local.date().isoformat() == "2008-01-12"


def test_boilerplate_kinds_are_dropped_by_structure_and_the_story_stays():
    story = [f"قال المسؤول في تصريح اليوم إن الجولة رقم {i} من المحادثات انتهت دون اتفاق على البنود المطروحة."
             for i in range(6)]
    related = "".join(f"<li><a href='/n/{i}'>عنوان خبر آخر رقم {i} عن موضوع مختلف</a></li>" for i in range(4))
    body = (f"<p>{story[0]}</p><p>{story[1]}</p><ul>{related}</ul><p>{story[2]}</p><p>{story[3]}</p>"
            f"<p>{story[4]}</p><p>{story[5]}</p>"
            "<p>تابعوا آخر أخبارنا المحلية عبر قناتنا على تلغرام</p>"
            "<p>الموقع غير مسؤول عن محتوى التعليقات المنشورة</p>"
            "<div class='cookie-bar'><p>نستخدم ملفات تعريف الارتباط لتحسين تجربتك، باستمرارك توافق على ذلك</p></div>")
    text = extract_article(_article_html(body)).text
    assert all(sentence in text for sentence in story)
    for furniture in ("عنوان خبر آخر", "تلغرام", "غير مسؤول", "ملفات تعريف الارتباط"):
        assert furniture not in text


def test_an_other_stories_tail_ends_the_text_but_a_heading_before_prose_stays():
    """«أخبار ذات صلة» then teaser cards (a headline, a one-line summary, a newsletter box): not the story."""
    story = [f"أعلنت الوزارة اليوم أن المرحلة رقم {i} من المشروع بدأت في المحافظات الجنوبية وفق الجدول المعلن."
             for i in range(5)]
    teasers = "".join(f"<li><a href='/n/{i}'><img alt='خبر آخر {i}'></a> "
                      f"<span>ملخص خبر آخر رقم {i} عن موضوع مختلف تماما</span></li>" for i in range(4))
    tail = (f"<h3>أخبار ذات صلة:</h3><ul>{teasers}</ul>"
            "<div><h4>النشرة اليومية</h4><p>سجل بريدك لتصلك أهم الأخبار كل صباح</p></div>")
    text = extract_article(_article_html("".join(f"<p>{s}</p>" for s in story) + tail)).text
    assert all(sentence in text for sentence in story)
    assert "ملخص خبر آخر" not in text and "أخبار ذات صلة" not in text and "سجل بريدك" not in text

    long_paragraph = "وأوضح المتحدث أن الخطة تشمل إصلاح الطرق وبناء المدارس وتوسيع شبكات المياه في القرى البعيدة. " * 5
    inside = ("".join(f"<p>{s}</p>" for s in story[:3]) + "<h3>ذات صلة</h3>"
              + f"<p>{long_paragraph.strip()}</p><p>{story[3]}</p>")
    kept = extract_article(_article_html(inside)).text
    assert long_paragraph.split(". ")[0] in kept and story[3] in kept


def test_an_aggregator_pages_suggested_news_are_not_its_text():
    """Tnews (dev half): «اخبار پیشنهادی:» then a newsletter box and teaser cards of other agencies."""
    page = Path(__file__).parent / "data" / "new_outlets" / "pages" / "006.html"
    text = extract_article(page.read_text(encoding="utf-8")).text
    assert "اشتراک در خبرنامه تی نیوز" not in text and "روحانی امروز به قزاقستان سفر می کند" not in text
    assert "در ساحل میانکاله بهشهر به گل نشست" in text
