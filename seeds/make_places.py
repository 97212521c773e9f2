"""Write seeds/places.tsv: every governorate of Iraq, Syria, Jordan, Lebanon, Yemen and
Palestine (Gaza and the West Bank) and their major cities, and the countries the news names most,
in Arabic and English.

    uv run python seeds/make_places.py      # rewrites seeds/places.tsv

Sources: the subdivisions, their codes, kinds, parents and official romanizations come from
ISO 3166-2 as shipped by pycountry (LGPL-2.1, https://github.com/pycountry/pycountry, the
version pinned in uv.lock); the Arabic names, the English names in use and the cities are
hand-checked in seeds/places_names.tsv (written for rasid). A subdivision missing from that
file stops the script: every governorate must have its Arabic name.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from pathlib import Path

import pycountry

HERE = Path(__file__).resolve().parent
COUNTRIES = ("IQ", "SY", "JO", "LB", "YE", "PS")
WEIGHTS = {"country": 0.1, "region": 0.4, "governorate": 0.6, "province": 0.6, "municipality": 0.6, "city": 0.8}
HEADER = """# Places for story grouping (extractors/places.py): written by seeds/make_places.py, do not edit.
# Subdivisions: ISO 3166-2 via pycountry {version} (LGPL-2.1); names and cities: seeds/places_names.tsv;
# countries: ISO 3166-1 codes via pycountry, names and adjectives: seeds/countries_names.tsv.
# id	iso	country	kind	parent	weight	ar	en
"""


def fold(name: str) -> str:
    """ISO's romanization without diacritics and ayn/hamza marks: «Al Başrah» -> "Al Basrah"."""
    name = re.sub(r"\s*\[.*?\]", "", name)
    plain = "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))
    return re.sub(r"[‘’ʻʼ'`]", "", plain).strip()


def slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", fold(name).lower()).strip("-")


def read_names(path: Path) -> dict[str, tuple[str, list[str], list[str]]]:
    rows = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        key, parent, ar, en = line.split("\t")
        rows[key] = (parent, [n for n in ar.split("|") if n], [n for n in en.split("|") if n])
    return rows


def build(names: dict[str, tuple[str, list[str], list[str]]]) -> list[tuple[str, ...]]:
    subdivisions = {s.code: s for c in COUNTRIES for s in pycountry.subdivisions.get(country_code=c)}
    missing = sorted(set(subdivisions) - set(names))
    if missing:
        sys.exit(f"no names in places_names.tsv for {missing}")
    ids = {key: (slug(names[key][2][0]) if key in subdivisions else key) for key in names}
    taken = {n.lower() for _parent, _ar, en in names.values() for n in en}
    rows = []
    for key, (parent, ar, en) in names.items():
        sub = subdivisions.get(key)
        if sub is not None:
            kind = sub.type.lower()
            parent = parent or (sub.parent_code or "")
            official = fold(sub.name)
            en = en + ([official] if official.lower() not in taken else [])  # ISO's "Gaza" is the city
            iso, country = key, sub.country_code
        else:
            kind = "region" if not parent else "city"
            iso, country = "", _country(key, names, subdivisions)
        rows.append((ids[key], iso, country, kind, ids.get(parent, parent), str(WEIGHTS[kind]),
                     "|".join(ar), "|".join(en)))
    return rows


def countries(path: Path) -> list[tuple[str, ...]]:
    """Country rows: kind "country", their own ISO 3166-1 code (checked against pycountry) as country."""
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        iso, ar, en = line.split("\t")
        if pycountry.countries.get(alpha_2=iso) is None:
            sys.exit(f"{iso} in countries_names.tsv is no ISO 3166-1 code")
        rows.append((f"country-{iso.lower()}", iso, iso, "country", "", str(WEIGHTS["country"]), ar, en))
    return rows


def _country(key: str, names, subdivisions) -> str:
    """A city's country: its parent's, up to the subdivision (a city inside a city, «the US embassy»
    in the Green Zone, took the first part of "green-zone" for a country)."""
    seen = set()
    while key not in subdivisions and key not in seen:
        seen.add(key)
        parent = names[key][0]
        if not parent:
            return "PS"  # regions without a parent in the names file are Palestine's (Gaza, West Bank)
        key = parent
    return subdivisions[key].country_code if key in subdivisions else "PS"


def main() -> None:
    rows = countries(HERE / "countries_names.tsv") + build(read_names(HERE / "places_names.tsv"))
    version = getattr(pycountry, "__version__", None) or "(see uv.lock)"
    text = HEADER.format(version=version) + "".join("\t".join(row) + "\n" for row in rows)
    (HERE / "places.tsv").write_text(text, encoding="utf-8")
    print(f"{len(rows)} places written to {HERE / 'places.tsv'}")


if __name__ == "__main__":
    main()
