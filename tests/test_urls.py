"""canonicalize_url: one spelling per article, and only http(s) gets through."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from extractors.errors import PermanentError
from extractors.urls import canonicalize_url, is_http_url, redact_url

ARTICLE = "https://www.example.com/news/2024/05/20/%D8%A7%D9%84%D8%B9%D8%B1%D8%A7%D9%82"


@pytest.mark.parametrize("variant", [
    "https://www.example.com/news/2024/05/20/العراق",                       # raw Arabic slug (feeds)
    "https://www.example.com/news/2024/05/20/%d8%a7%d9%84%d8%b9%d8%b1%d8%a7%d9%82",  # lower-case escapes
    "HTTPS://WWW.EXAMPLE.COM:443/news/2024/05/20/العراق#comments",         # case, default port, fragment
    "https://www.example.com/news/2024/05/20/العراق?utm_source=rss&utm_medium=feed&fbclid=abc",
    "https://m.example.com/news/2024/05/20/العراق",                        # mobile host
    "https://www.example.com/news/2024/05/20/العراق/amp",                  # AMP suffix
    "https://www.example.com/amp/news/2024/05/20/العراق",                  # AMP prefix
    "https://www.example.com/news/2024/05/20/العراق?amp=1",
    "https://www.google.com/amp/s/www.example.com/news/2024/05/20/العراق",  # Google AMP viewer
    "https://www-example-com.cdn.ampproject.org/c/s/www.example.com/news/2024/05/20/العراق",
    "https://www.example.com/news/2024/05/./20/../20/العراق",
])
def test_variants_of_one_article_have_one_spelling(variant):
    assert canonicalize_url(variant) == ARTICLE


def test_relative_links_resolve_against_the_page():
    assert canonicalize_url("../x/1.html?b=2&a=1", "https://ex.com/a/b/c.html") == "https://ex.com/a/x/1.html?a=1&b=2"


def test_meaningful_parameters_and_trailing_slashes_are_kept():
    assert canonicalize_url("https://ex.com/index.php?id=42&p=3") == "https://ex.com/index.php?id=42&p=3"
    assert canonicalize_url("https://ex.com/?feed=rss2") == "https://ex.com/?feed=rss2"
    assert canonicalize_url("https://ex.com/2024/05/slug/amp/") == "https://ex.com/2024/05/slug/"
    assert canonicalize_url("https://ex.com/a/") != canonicalize_url("https://ex.com/a")


def test_arabic_host_names_become_idna():
    assert canonicalize_url("https://موقع.عراق/خبر").startswith("https://xn--")


@pytest.mark.parametrize("bad", ["javascript:alert(1)", "JaVaScRiPt:alert(1)", "file:///etc/passwd",
                                 "gopher://ex.com/", "data:text/html,hi", "mailto:a@b.c", "ftp://ex.com/f",
                                 "", "   ", "http://", "https:///path", "http://exa mple.com/", "/relative/only"])
def test_only_http_and_https_urls_with_a_host_pass(bad):
    with pytest.raises(PermanentError):
        canonicalize_url(bad)
    assert not is_http_url(bad)


def test_credentials_are_dropped_and_redacted():
    assert canonicalize_url("https://user:pw@ex.com/a") == "https://ex.com/a"
    shown = redact_url("https://user:pw@ex.com/a?token=s3cret&page=2")
    assert "pw" not in shown and "s3cret" not in shown and "token=" in shown


@given(st.text(max_size=60))
def test_canonicalize_never_fails_other_than_by_permanent_error_and_is_idempotent(junk):
    for url in (junk, "https://ex.com/" + junk):
        try:
            once = canonicalize_url(url)
        except PermanentError:
            continue
        assert canonicalize_url(once) == once
        assert once.startswith(("http://", "https://"))


def test_mobile_links_map_to_the_host_form_of_the_page_they_were_found_on():
    assert canonicalize_url("https://m.example.com/a", "https://example.com/feed") == "https://example.com/a"
    assert canonicalize_url("https://m.example.com/a", "https://www.example.com/feed") == "https://www.example.com/a"
    assert canonicalize_url("https://m.example.com/a", "https://other.org/") == "https://www.example.com/a"
