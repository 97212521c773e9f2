"""Each outlet's own way of showing a date (what a reader sees on the page)."""

from __future__ import annotations

from datetime import datetime, timezone

GULF = ["يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو", "أغسطس", "سبتمبر",
        "أكتوبر", "نوفمبر", "ديسمبر"]
LEVANT = ["كانون الثاني", "شباط", "آذار", "نيسان", "أيار", "حزيران", "تموز", "آب", "أيلول",
          "تشرين الأول", "تشرين الثاني", "كانون الأول"]
WEEKDAYS = ["الإثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت", "الأحد"]
EASTERN = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


def _clock12(dt: datetime) -> str:
    hour = dt.hour % 12 or 12
    return f"{hour}:{dt.minute:02d} {'م' if dt.hour >= 12 else 'ص'}"


def display_date(outlet: str, dt: datetime) -> dict:
    """Visible date strings plus machine forms; dt is in the outlet's local time."""
    utc = dt.astimezone(timezone.utc)
    month_g, month_l, day = GULF[dt.month - 1], LEVANT[dt.month - 1], WEEKDAYS[dt.weekday()]
    visible = {
        # Erem: "16 أغسطس 2024، 3:20 م"
        "erem": f"{dt.day} {month_g} {dt.year}، {_clock12(dt)}",
        # Al-Masalah (WordPress): "12 مارس، 2024"
        "almasalah": f"{dt.day} {month_g}، {dt.year}",
        # Al-Araby: "04 أكتوبر 2024"
        "alaraby": f"{dt.day:02d} {month_g} {dt.year}",
        # Al-Khaleej Al-Jadeed: Eastern-Arabic digits, "الإثنين ١٥ يناير ٢٠٢٤ ٠٨:٣٣ م"
        "thenewkhalij": f"{day} {dt.day} {month_g} {dt.year} {dt.hour % 12 or 12:02d}:{dt.minute:02d} "
                        f"{'م' if dt.hour >= 12 else 'ص'}".translate(EASTERN),
        # Baghdad Today: Iraqi month names, "3 شباط 2025 - 10:12"
        "baghdadtoday": f"{dt.day} {month_l} {dt.year} - {dt:%H:%M}",
        # Independent Arabia: "الجمعة 7 فبراير 2025 9:30"
        "independentarabia": f"{day} {dt.day} {month_g} {dt.year} {dt.hour}:{dt.minute:02d}",
    }[outlet]
    return {"text": visible, "iso": dt.isoformat(), "iso_utc": utc.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "iso_utc_ms": utc.strftime("%Y-%m-%dT%H:%M:%S.000Z"),
            "wp": utc.strftime("%Y-%m-%dT%H:%M:%S+00:00"), "weekday": day,
            "levant": f"{dt.day} {month_l} {dt.year}", "gulf": f"{dt.day} {month_g} {dt.year}"}
