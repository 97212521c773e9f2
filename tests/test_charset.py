"""decode_html: header, then the page's declaration, then detection; Arabic code pages come out as Arabic."""

from pathlib import Path

import pytest

from extractors.charset import decode_html

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
ARABIC = ("<html><body><h1>غادرت القوات الأجنبية القواعد العسكرية في العراق</h1>"
          "<p>قال مسؤولون إن الانسحاب بدأ.</p></body></html>")


def _seed_texts() -> list[str]:
    if not (SHARED / "seeds").is_dir():
        pytest.skip(f"shared test data not found at {SHARED}")
    return [p.read_text(encoding="utf-8") for p in sorted((SHARED / "seeds").glob("*.txt"))]


@pytest.mark.parametrize("codec,label", [("cp1256", "windows-1256"), ("iso8859-6", "iso-8859-6")])
@pytest.mark.parametrize("header", [None, "iso-8859-1", "utf-8", "windows-1252", "no-such-charset"])
def test_arabic_code_pages_without_or_with_a_wrong_charset(codec, label, header):
    text, encoding = decode_html(ARABIC.encode(codec), header)
    assert (text, encoding) == (ARABIC, label)


@pytest.mark.parametrize("codec,label", [("cp1256", "windows-1256"), ("iso8859-6", "iso-8859-6")])
def test_every_seed_article_round_trips_through_both_arabic_code_pages(codec, label):
    for seed in _seed_texts():
        data = seed.encode(codec, "ignore")
        assert decode_html(data, None) == (data.decode(codec), label)


def test_the_real_windows_1256_page_decodes_as_arabic():
    page = SHARED / "corpus" / "pages" / "011.html"
    if not page.is_file():
        pytest.skip(f"corpus page not found at {page}")
    for header in (None, "iso-8859-1", "utf-8"):
        text, encoding = decode_html(page.read_bytes(), header)
        assert encoding == "windows-1256"
        assert "\ufffd" not in text and sum("\u0621" <= ch <= "\u064a" for ch in text) > 500


def test_header_beats_meta_when_it_fits_and_meta_is_used_without_header():
    page = '<meta charset="windows-1256"><p>العراق</p>'
    assert decode_html(page.encode("cp1256"), None)[1] == "windows-1256"
    utf8 = '<meta http-equiv="Content-Type" content="text/html; charset=windows-1256"><p>العراق</p>'.encode()
    assert decode_html(utf8, "utf-8") == (utf8.decode(), "utf-8")


def test_utf8_page_behind_a_latin1_default_header_is_utf8():
    body = "<meta charset=utf-8><p>العراق</p>".encode()
    assert decode_html(body, "ISO-8859-1") == (body.decode(), "utf-8")


def test_xml_declaration_and_bom():
    feed = '<?xml version="1.0" encoding="windows-1256"?><rss><title>العراق</title></rss>'
    assert decode_html(feed.encode("cp1256"), None) == (feed, "windows-1256")
    assert decode_html(b"\xef\xbb\xbf<p>x</p>", "windows-1256") == ("<p>x</p>", "utf-8")


def test_other_scripts_are_not_mistaken_for_arabic():
    assert decode_html("<p>Ça va très bien, merci à tous</p>".encode("cp1252"), None)[1] == "windows-1252"
    russian = "<p>Привет мир, как дела сегодня у всех</p>"
    assert decode_html(russian.encode("cp1251"), None)[0] == russian


def test_garbage_never_raises():
    text, encoding = decode_html(bytes(range(256)) * 10, "utf-8")
    assert isinstance(text, str) and encoding
