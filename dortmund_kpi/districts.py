"""The 12 Stadtbezirke: reference table and forgiving name matching.

Departments write district names in many ways (``Hörde``, ``Hoerde``,
``HOERDE``, ``Horde``, ``Stadtbezirk Hörde``). We match by name, slug or an
explicit code from the district table, never by position: the city's own
datasets number the districts inconsistently (Innenstadt-Nord is 2 and 20).

Forgiving, but never guessing. A cell is first NFKC-normalised (full-width
``Ｈｏｅｒｄｅ`` reads as ``Hoerde``, a decomposed ``Hö`` as the composed one) and
lower-cased; spaces and punctuation are separators and dropped. A character that is
left and is not a-z, 0-9, ä, ö, ü or ß (another script, a symbol, a lone combining mark)
makes the cell no spelling of anything: it is refused, never read as the city. Only an
empty cell or an explicit city spelling (``Dortmund``, ``gesamt``, …) means the city.
"""

from __future__ import annotations

import csv
import difflib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

CITY = "dortmund"
CITY_NAME = "Dortmund"
CITY_ALIASES = frozenset(  # spellings as keys; an empty cell means the city too
    {
        "dortmund",
        "stadtdortmund",
        "gesamt",
        "gesamtstadt",
        "insgesamt",
        "dortmundgesamt",
        "stadtgesamt",
        "dortmundgesamtstadt",
        "city",
    }
)
_UMLAUTS_AE = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})
_UMLAUTS_A = str.maketrans({"ä": "a", "ö": "o", "ü": "u", "ß": "ss"})
_SPELLING_CHARS = re.compile(r"[a-z0-9äöüß]*")
_PREFIXES = ("stadtbezirk", "bezirk", "dortmund")


@dataclass(frozen=True)
class District:
    slug: str
    name: str
    code: str | None
    area_km2: float
    population: int
    population_date: date
    lat: float
    lon: float
    source_url: str


def load_districts(path: Path) -> list[District]:
    """Read ``data/districts.csv``."""
    with path.open(encoding="utf-8", newline="") as handle:
        return [
            District(
                slug=row["slug"],
                name=row["name"],
                code=row.get("code") or None,
                area_km2=float(row["area_km2"]),
                population=int(row["population"]),
                population_date=date.fromisoformat(row["population_date"]),
                lat=float(row["lat"]),
                lon=float(row["lon"]),
                source_url=row.get("source_url") or "",
            )
            for row in csv.DictReader(handle)
        ]


def districts_from_rows(rows: Iterable[Any]) -> list[District]:
    """District objects from table rows (the ``districts`` table of the database)."""
    return [
        District(
            r.slug,
            r.name,
            r.code,
            r.area_km2,
            int(r.population),
            r.population_date,
            r.lat,
            r.lon,
            r.source_url or "",
        )
        for r in rows
    ]


def _letters(text: str) -> str:
    """The cell's letters and digits (NFKC, lower case, separators dropped).

    Empty when a character is left that no spelling has (another script, a symbol, a
    lone combining mark), and for a cell of separators only (``???``, ``–``).
    """
    kept: list[str] = []
    for char in unicodedata.normalize("NFKC", str(text)).lower():
        if _SPELLING_CHARS.fullmatch(char):
            kept.append(char)
        elif not (char.isspace() or unicodedata.category(char)[0] in "PZ"):
            return ""
    return "".join(kept)


def name_keys(text: str) -> set[str]:
    """Comparable spellings of a name: umlauts as 'ae' and as 'a', only a-z0-9 kept.

    Never the empty key: a name without letters or digits has no keys.
    """
    letters = _letters(text)
    if not letters:
        return set()
    keys = {letters.translate(table) for table in (_UMLAUTS_AE, _UMLAUTS_A)}
    for key in list(keys):
        for prefix in _PREFIXES:
            if key.startswith(prefix) and len(key) > len(prefix):
                keys.add(key[len(prefix) :])
    return keys


def is_city(text: str) -> bool:
    """An empty cell or an explicit spelling of the whole city (``Dortmund``, ``gesamt``)."""
    return not str(text).strip() or _letters(text).translate(_UMLAUTS_AE) in CITY_ALIASES


class DistrictMatcher:
    """Maps written district names to slugs; the city as a whole maps to ``CITY``."""

    def __init__(self, districts: list[District]) -> None:
        self.districts = districts
        self._index: dict[str, str] = {}
        for district in districts:
            for text in (district.slug, district.name, district.code or ""):
                for key in name_keys(text):
                    self._index.setdefault(key, district.slug)

    def match(self, text: str) -> str | None:
        """The slug, ``CITY``, or None for a cell that is no known spelling."""
        if is_city(text):
            return CITY
        for key in sorted(name_keys(text), key=len, reverse=True):
            if key in self._index:
                return self._index[key]
        return None

    def suggestion(self, text: str) -> list[str]:
        names = [d.name for d in self.districts]
        return difflib.get_close_matches(str(text).strip(), names, n=3, cutoff=0.5)

    @property
    def valid_names(self) -> str:
        return ", ".join(d.name for d in self.districts)
