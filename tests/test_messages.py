"""Alert messages: right-to-left rendering and escaping of outlet-provided strings."""

from flows.alerts.messages import LRI, PDI, RLM, AlertView, Renderer, bidi


def _view(**kw):
    base = dict(topic_ids=("militia-attacks",), topic_titles=("هجمات الفصائل",), title="هجوم على قاعدة عين الأسد",
                outlet="بغداد اليوم", published="2024-01-20 18:30 (UTC+3)", url="https://example.com/a?x=1&y=2",
                snippet="استهدفت طائرة مسيرة قاعدة عين الأسد", highlights=((6, 16),), terms=("مسيرة",))
    return AlertView(**{**base, **kw})


def test_plain_text_isolates_latin_and_numbers_inside_arabic():
    line = bidi("قتل 3 جنود في Tower 22")
    assert line.startswith(RLM)
    assert f"{LRI}3{PDI}" in line and f"{LRI}Tower 22{PDI}" in line


def test_html_is_rtl_escapes_outlet_strings_and_marks_hits():
    title, text, html = Renderer().render(_view(title="<script>alert(1)</script> عنوان"))
    assert 'dir="rtl"' in html
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<mark>" in html
    assert "https://example.com/a?x=1&amp;y=2" in html
    assert "عين الأسد" in text and RLM in text


def test_update_alerts_say_so():
    title, _, _ = Renderer().render(_view(kind="update"))
    assert title.startswith("تحديث")
