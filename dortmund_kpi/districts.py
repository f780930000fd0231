"""The 12 Stadtbezirke: reference table and forgiving name matching.

Departments write district names in many ways (``Hörde``, ``Hoerde``,
``HOERDE``, ``Horde``, ``Stadtbezirk Hörde``). We match by name, slug or an
explicit code from the district table, never by position: the city's own
datasets number the districts inconsistently (Innenstadt-Nord is 2 and 20).
"""

from __future__ import annotations

import csv
import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

CITY = "dortmund"
CITY_NAME = "Dortmund"
CITY_ALIASES = frozenset(
    {
        "",
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
_NON_ALNUM = re.compile(r"[^a-z0-9]")
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


def name_keys(text: str) -> set[str]:
    """Comparable spellings of a name: umlauts as 'ae' and as 'a', only a-z0-9 kept."""
    lowered = str(text).strip().lower()
    keys = {_NON_ALNUM.sub("", lowered.translate(table)) for table in (_UMLAUTS_AE, _UMLAUTS_A)}
    for key in list(keys):
        for prefix in _PREFIXES:
            if key.startswith(prefix) and len(key) > len(prefix):
                keys.add(key[len(prefix) :])
    return keys


class DistrictMatcher:
    """Maps written district names to slugs; the city as a whole maps to ``CITY``."""

    def __init__(self, districts: list[District]) -> None:
        self.districts = districts
        self._index: dict[str, str] = {}
        for district in districts:
            for text in (district.slug, district.name, district.code or ""):
                for key in name_keys(text) if text else ():
                    self._index.setdefault(key, district.slug)

    def match(self, text: str) -> str | None:
        keys = name_keys(text)
        raw = _NON_ALNUM.sub("", str(text).strip().lower().translate(_UMLAUTS_AE))
        if raw in CITY_ALIASES:
            return CITY
        for key in sorted(keys, key=len, reverse=True):
            if key in self._index:
                return self._index[key]
        return None

    def suggestion(self, text: str) -> list[str]:
        names = [d.name for d in self.districts]
        return difflib.get_close_matches(str(text).strip(), names, n=3, cutoff=0.5)

    @property
    def valid_names(self) -> str:
        return ", ".join(d.name for d in self.districts)
