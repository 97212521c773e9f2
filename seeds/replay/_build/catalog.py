"""The six outlets as the replica shows them: host, feed, navigation, filler headlines.

Filler headlines (tickers, related boxes, read-also) are invented and deliberately
off-topic, so a page's topic comes from its article, not from its boilerplate.
Their links point at pages the replica does not serve (404), as on a real site
whose older pages we did not capture.
"""

from __future__ import annotations

OUTLETS: dict[str, dict] = {
    "erem": {
        "host": "www.eremnews.com", "more_url": "https://www.eremnews.com/news/arab-world/{s}",
        "name": "إرم نيوز", "feed_kind": "atom", "feed_path": "/rss",
        "link_pattern": r"^https://www\.eremnews\.com/(news|sports|economy|culture)/[a-z0-9-]+/[a-z0-9]{5,}$",
        "country": "AE", "utc_offset_hours": 4, "poll_minutes": 15,
        "nav": ["الرئيسية", "أخبار", "العالم العربي", "الخليج", "العالم", "اقتصاد", "رياضة", "منوعات", "فيديو"],
        "filler": [
            ("الإمارات تطلق منصة رقمية موحدة لخدمات الإقامة", "https://www.eremnews.com/news/gulf/b8dk2pq"),
            ("أسعار الذهب تتراجع مع صعود الدولار", "https://www.eremnews.com/economy/markets/h3zn7wd"),
            ("ريال مدريد يحسم صفقة مدافع شاب", "https://www.eremnews.com/sports/football/k9rm4tx"),
            ("موجة حر جديدة تضرب دول المنطقة الأسبوع المقبل", "https://www.eremnews.com/news/arab-world/p2wq8vn"),
        ],
        "disallow": ["/api/", "/search"],
    },
    "almasalah": {
        "host": "almasalah.com", "more_url": "https://almasalah.com/archives/{n}",
        "name": "المسلة", "feed_kind": "rss", "feed_path": "/feed/",
        "link_pattern": r"^https://almasalah\.com/archives/\d+/?$",
        "country": "IQ", "utc_offset_hours": 3, "poll_minutes": 15,
        "nav": ["الرئيسية", "الحدث", "سياسة", "اقتصاد", "عربي ودولي", "مقالات", "تقارير", "رياضة"],
        "filler": [
            ("مجلس بغداد يناقش خطة تأهيل شبكات المجاري قبل موسم الأمطار", "https://almasalah.com/archives/362755"),
            ("ارتفاع أسعار الطماطم في الأسواق المحلية مع قرار منع الاستيراد", "https://almasalah.com/archives/362690"),
            ("وزارة التربية تحدد موعد امتحانات نصف السنة", "https://almasalah.com/archives/362612"),
            ("الزوراء يتصدر دوري نجوم العراق بعد فوزه على الشرطة", "https://almasalah.com/archives/362587"),
        ],
        "disallow": ["/wp-admin/"],
        # An inline-related-posts plugin drops a read-also box after the third paragraph.
        "inline_readalso_after": 3,
        # as in seeds/outlets.yaml: the agency credit line and disclaimer closing each piece
        "drop_patterns": [r"^المسلة\s*[–-]\s*متابعة\s*[–-]\s*وكالات$", r"^النص الذي يتضمن اسم الكاتب"],
    },
    "alaraby": {
        "host": "www.alaraby.co.uk", "more_url": "https://www.alaraby.co.uk/node/{n}",
        "name": "العربي الجديد", "feed_kind": "rss", "feed_path": "/rss.xml",
        "link_pattern": r"^https://www\.alaraby\.co\.uk/(politics|economy|society|sport|culture|opinion)/[^/?#]+$",
        "country": "GB", "utc_offset_hours": 0, "poll_minutes": 30,
        "nav": ["الرئيسية", "سياسة", "اقتصاد", "مجتمع", "ثقافة", "رياضة", "آراء", "منوعات", "صحة"],
        "filler": [
            ("مهرجان القاهرة السينمائي يعلن أفلام المسابقة الرسمية", "https://www.alaraby.co.uk/culture/%D9%85%D9%87%D8%B1%D8%AC%D8%A7%D9%86-%D8%A7%D9%84%D9%82%D8%A7%D9%87%D8%B1%D8%A9"),
            ("تونس: ارتفاع نسبة التضخم للشهر الثالث", "https://www.alaraby.co.uk/economy/%D8%AA%D9%88%D9%86%D8%B3-%D8%A7%D9%84%D8%AA%D8%B6%D8%AE%D9%85"),
            ("الجزائر تستعد لموسم الحصاد وسط توقعات بإنتاج وفير", "https://www.alaraby.co.uk/economy/%D8%A7%D9%84%D8%AC%D8%B2%D8%A7%D8%A6%D8%B1-%D8%A7%D9%84%D8%AD%D8%B5%D8%A7%D8%AF"),
            ("دراسة: النوم المتقطع يرفع خطر أمراض القلب", "https://www.alaraby.co.uk/society/%D8%AF%D8%B1%D8%A7%D8%B3%D8%A9-%D8%A7%D9%84%D9%86%D9%88%D9%85"),
        ],
        "disallow": ["/search", "/user/"],
    },
    "thenewkhalij": {
        "host": "thenewkhalij.news", "more_url": "https://thenewkhalij.news/article/{n}",
        "name": "الخليج الجديد", "feed_kind": "sitemap",
        "feed_path": "/sitemap-news.xml",
        "link_pattern": r"^https://thenewkhalij\.news/article/\d+(/[^/?#]*)?$",
        "country": "GB", "utc_offset_hours": 3, "poll_minutes": 30,
        "nav": ["الرئيسية", "سياسة", "اقتصاد", "أمن", "مجتمع", "رياضة", "رأي", "ترجمات"],
        "filler": [
            ("قطر تفتتح أكبر محطة للطاقة الشمسية في البلاد", "https://thenewkhalij.news/article/302702"),
            ("الكويت: مجلس الوزراء يقر زيادة رسوم الخدمات الصحية للوافدين", "https://thenewkhalij.news/article/302688"),
            ("سلطنة عمان تستقبل أول رحلة سياحية من الصين", "https://thenewkhalij.news/article/302651"),
            ("البحرين تطلق برنامجاً لدعم رواد الأعمال الشباب", "https://thenewkhalij.news/article/302630"),
        ],
        "disallow": ["/admin/", "/search"],
    },
    "baghdadtoday": {
        "host": "baghdadtoday.news", "more_url": "https://baghdadtoday.news/news/{n}",
        "name": "بغداد اليوم", "feed_kind": "rss", "feed_path": "/rss.xml",
        "link_pattern": r"^https://baghdadtoday\.news/news/\d+(/[^/?#]*)?$",
        "country": "IQ", "utc_offset_hours": 3, "poll_minutes": 15,
        "nav": ["الرئيسية", "سياسة", "أمن", "اقتصاد", "محليات", "رياضة", "منوعات", "تقارير", "فيديو"],
        "filler": [
            ("أمانة بغداد تعلن غلق شارع فلسطين لأعمال الصيانة", "https://baghdadtoday.news/news/268771"),
            ("الأنواء الجوية: أمطار رعدية في المحافظات الشمالية", "https://baghdadtoday.news/news/268740"),
            ("ارتفاع أسعار صرف الدولار في بورصة الكفاح", "https://baghdadtoday.news/news/268702"),
            ("القوة الجوية يتعادل مع الطلبة في الدوري", "https://baghdadtoday.news/news/268689"),
        ],
        "disallow": ["/index.php?do=search"],
    },
    "independentarabia": {
        "host": "www.independentarabia.com", "more_url": "https://www.independentarabia.com/node/{n}",
        "name": "اندبندنت عربية", "feed_kind": "rss",
        "feed_path": "/rss.xml",
        "link_pattern": r"^https://www\.independentarabia\.com/node/\d+(/[^?#]*)?$",
        "country": "GB", "utc_offset_hours": 3, "poll_minutes": 30,
        "nav": ["الرئيسية", "الأخبار", "سياسة", "اقتصاد", "ثقافة", "علوم", "رياضة", "آراء", "فيديو", "بودكاست"],
        "filler": [
            ("لماذا يعشق البريطانيون الشاي بالحليب؟", "https://www.independentarabia.com/node/614210"),
            ("السعودية تكشف عن مشروع سياحي جديد في العلا", "https://www.independentarabia.com/node/614188"),
            ("روايات عربية في القائمة الطويلة للبوكر", "https://www.independentarabia.com/node/614140"),
            ("أسعار النفط ترتفع بعد بيانات المخزونات الأميركية", "https://www.independentarabia.com/node/614102"),
        ],
        "disallow": ["/user/", "/search/"],
    },
}


def robots_txt(outlet: dict) -> str:
    lines = ["User-agent: *"] + [f"Disallow: {path}" for path in outlet["disallow"]] + ["Allow: /"]
    if outlet["feed_kind"] == "sitemap":
        lines += ["", f"Sitemap: https://{outlet['host']}{outlet['feed_path']}"]
    return "\n".join(lines) + "\n"
