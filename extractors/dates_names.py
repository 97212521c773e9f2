"""Month, weekday and zone names as Arabic, Persian and English pages write them.

All names are stored in the *folded* form produced by `fold` (alef variants to ا,
ى to ي, ة to ه, Persian ی ک to Arabic, Eastern digits to ASCII). Folding is one
character for one character, so a match found in folded text has the same span in
the original text and the evidence can be quoted verbatim.
"""

from __future__ import annotations

_FOLD = str.maketrans({
    "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه", "ی": "ي", "ک": "ك", "ۀ": "ه", "ە": "ه",
    "ـ": " ", "\u00a0": " ", "\u200c": " ", "\u200f": " ", "\u200e": " ",
    **{chr(0x0660 + i): str(i) for i in range(10)},  # Eastern Arabic digits
    **{chr(0x06F0 + i): str(i) for i in range(10)},  # Persian digits
})


def fold(text: str) -> str:
    """Same-length folding used for matching dates (see module docstring)."""
    return text.translate(_FOLD)


def _table(rows: dict[int, tuple[str, ...]]) -> dict[str, int]:
    return {fold(name): number for number, names in rows.items() for name in names}


# Iraq, Syria, Lebanon, Jordan, Palestine (Syriac names).
LEVANTINE = _table({
    1: ("كانون الثاني", "كانون ثاني", "كانون الثانى"), 2: ("شباط",), 3: ("آذار", "اذار"),
    4: ("نيسان",), 5: ("أيار", "ايار"), 6: ("حزيران",), 7: ("تموز",), 8: ("آب", "اب"),
    9: ("أيلول", "ايلول"), 10: ("تشرين الأول", "تشرين اول", "تشرين الاول"),
    11: ("تشرين الثاني", "تشرين ثاني", "تشرين الثانى"), 12: ("كانون الأول", "كانون اول", "كانون الاول"),
})

# Egypt, the Gulf, Sudan (transliterated), with the spellings seen on news sites.
EGYPTIAN = _table({
    1: ("يناير", "يناير"), 2: ("فبراير", "فبرایر", "فبرير"), 3: ("مارس",),
    4: ("أبريل", "إبريل", "ابريل", "ابريل"), 5: ("مايو",), 6: ("يونيو", "يونيه"),
    7: ("يوليو", "يوليه"), 8: ("أغسطس", "اغسطس", "أغسطس", "اغسطس", "آغسطس", "أغطس"),
    9: ("سبتمبر", "سيبتمبر"), 10: ("أكتوبر", "اكتوبر", "أوكتوبر"), 11: ("نوفمبر", "نوفمير"),
    12: ("ديسمبر", "دیسمبر"),
})

# Tunisia, Algeria (French-derived) and Morocco.
MAGHREBI = _table({
    1: ("جانفي",), 2: ("فيفري",), 4: ("أفريل", "افريل"), 5: ("ماي",), 6: ("جوان",),
    7: ("جويلية", "جويلة", "يوليوز"), 8: ("أوت", "اوت", "غشت"), 9: ("شتنبر",),
    11: ("نونبر",), 12: ("دجنبر",),
})

GREGORIAN_AR = {**LEVANTINE, **EGYPTIAN, **MAGHREBI}

ENGLISH = {name: number for number, names in {
    1: ("january", "jan"), 2: ("february", "feb"), 3: ("march", "mar"), 4: ("april", "apr"),
    5: ("may",), 6: ("june", "jun"), 7: ("july", "jul"), 8: ("august", "aug"),
    9: ("september", "sept", "sep"), 10: ("october", "oct"), 11: ("november", "nov"),
    12: ("december", "dec"),
}.items() for name in names}

# Lunar Hijri: recognised so a Hijri date is never read as a Gregorian one.
HIJRI = _table({
    1: ("محرم",), 2: ("صفر",), 3: ("ربيع الأول", "ربيع أول", "ربيع الاول"),
    4: ("ربيع الثاني", "ربيع الآخر", "ربيع ثاني", "ربيع الاخر"),
    5: ("جمادى الأولى", "جمادى الأول", "جمادى الاولى", "جمادي الاولى", "جمادى الاول"),
    6: ("جمادى الآخرة", "جمادى الثانية", "جمادى الاخرة", "جمادي الاخرة", "جمادى الثاني"),
    7: ("رجب",), 8: ("شعبان",), 9: ("رمضان",), 10: ("شوال",),
    11: ("ذو القعدة", "ذي القعدة", "ذو القعده"), 12: ("ذو الحجة", "ذي الحجة", "ذو الحجه"),
})

# Solar Hijri (Iran, Afghanistan): converted exactly, see dates_calendars.
JALALI = _table({
    1: ("فروردین", "فروردين"), 2: ("اردیبهشت", "ارديبهشت"), 3: ("خرداد",), 4: ("تیر", "تير"),
    5: ("مرداد", "امرداد"), 6: ("شهریور", "شهريور"), 7: ("مهر",), 8: ("آبان", "ابان"),
    9: ("آذر", "اذر"), 10: ("دی", "دي"), 11: ("بهمن",), 12: ("اسفند",),
})

# Weekday numbers follow datetime.weekday(): Monday = 0.
WEEKDAYS = _table({
    0: ("الاثنين", "الإثنين", "الأثنين", "اثنين", "monday", "mon", "دوشنبه"),
    1: ("الثلاثاء", "الثلاثا", "tuesday", "tue", "سه شنبه", "سه‌شنبه", "سهشنبه"),
    2: ("الأربعاء", "الاربعاء", "wednesday", "wed", "چهارشنبه"),
    3: ("الخميس", "thursday", "thu", "پنجشنبه", "پنج شنبه", "پنج‌شنبه"),
    4: ("الجمعة", "friday", "fri", "جمعه"),
    5: ("السبت", "saturday", "sat", "شنبه"),
    6: ("الأحد", "الاحد", "sunday", "sun", "یکشنبه", "يكشنبه", "یک شنبه"),
})

# Fixed-offset zones only (no DST): minutes east of UTC.
ZONES = _table({
    0: ("GMT", "UTC", "غرينتش", "جرينتش", "غرينيتش", "جرينيتش", "ت.غ", "ت غ"),
    180: ("بغداد", "مكة", "مكة المكرمة", "الرياض", "الدوحة", "الكويت", "المنامة"),
    240: ("أبوظبي", "ابوظبي", "دبي", "الإمارات", "مسقط"),
})

# Words that mark a stamp as an update, not the publication.
UPDATE_MARKERS = tuple(fold(w) for w in (
    "آخر تحديث", "اخر تحديث", "تم التحديث", "تحديث", "محدثة", "محدث", "عدل في", "تعديل",
    "updated", "last update", "modified", "بهروزرسانی", "به روز رسانی", "ویرایش",
))
