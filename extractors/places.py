"""The place table (seeds/places.tsv): governorates and major cities of Iraq, Syria, Jordan,
Lebanon, Yemen, Gaza and the West Bank, in Arabic and English, each with the place it lies in.

Story grouping needs place evidence from any place a story names, not only from the few
bases the gazetteer lists: two roadside bombs in Basra and in Nasiriyah are two stories.
`Gazetteer.with_places` adds these places to a gazetteer; the table says which place lies
inside which, so "Zubair" and "Basra" do not conflict. Parsing is pure: the caller reads
the file (settings.places_file) and passes its text. seeds/make_places.py writes the table.
"""

from __future__ import annotations

from dataclasses import dataclass

from extractors.errors import ConfigError

COLUMNS = ("id", "iso", "country", "kind", "parent", "weight", "ar", "en")


@dataclass(frozen=True)
class Place:
    id: str
    kind: str               # governorate, province, region, municipality, city
    country: str            # ISO 3166-1 alpha-2
    parent: str | None      # id of the place it lies in
    weight: float           # how much naming it says (as in the gazetteer)
    names_ar: tuple[str, ...]
    names_en: tuple[str, ...]
    iso: str = ""           # ISO 3166-2 code of a subdivision


def _place(cells: list[str], source: str, line: int) -> Place:
    if len(cells) != len(COLUMNS):
        raise ConfigError(f"expected {len(COLUMNS)} tab-separated columns ({', '.join(COLUMNS)}), "
                          f"got {len(cells)}", source=source, line=line)
    pid, iso, country, kind, parent, weight, ar, en = (c.strip() for c in cells)
    try:
        value = float(weight)
    except ValueError:
        raise ConfigError(f"weight of {pid} is not a number: {weight!r}", source=source, line=line) from None
    names_ar = tuple(n.strip() for n in ar.split("|") if n.strip())
    names_en = tuple(n.strip() for n in en.split("|") if n.strip())
    if not pid or not (names_ar or names_en):
        raise ConfigError("each place needs an id and a name", source=source, line=line)
    return Place(pid, kind, country, parent or None, value, names_ar, names_en, iso)


def parse_places(text: str, source: str = "places.tsv") -> tuple[Place, ...]:
    """The table's places; "#" lines are comments. A bad line, a duplicate id or a parent
    not in the table raises ConfigError naming the file and line."""
    places: dict[str, Place] = {}
    lines: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        place = _place(line.split("\t"), source, number)
        if place.id in places:
            raise ConfigError(f"duplicate place id {place.id}", source=source, line=number)
        places[place.id] = place
        lines[place.id] = number
    for place in places.values():
        if place.parent and place.parent not in places:
            raise ConfigError(f"parent {place.parent} of {place.id} is not in the table", source=source,
                              line=lines[place.id])
    return tuple(places.values())
