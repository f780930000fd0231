"""Regions in official tables: Dortmund, its Stadtbezirke and every other region.

Dortmund is recognised by its official key (AGS ``05913000``, Kreis key ``05913``,
regional key ``059130000000``, also with the leading zero a spreadsheet lost:
``5913000``, ``5913``) and by its official names ("Dortmund, krfr. Stadt",
"Dortmund, kreisfreie Stadt", "Dortmund, Stadt", "Stadt Dortmund", "Dortmund").
A key decides over a name: "Dortmund" beside another region's key is that region.

Stadtbezirke are recognised by name or slug (``districts.csv``, forgiving umlaut
spellings) or by number through the explicit code table ``stadtbezirke_codes.csv``:
the city numbers them 10 … 120, some exports 1 … 12. The two schemes overlap in
``10`` (Innenstadt-West or Lütgendortmund), so a number is read in the scheme of its
column (``numbering``) and, when a name stands beside it, must agree with the name.
Other regions are kept with their key (for comparisons with peer cities).
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from dortmund_kpi.districts import CITY, CITY_NAME, DistrictMatcher, load_districts
from dortmund_kpi.settings import PROJECT_ROOT

DORTMUND_KEYS = frozenset({"05913", "05913000", "059130000000"})
CODES_FILE = "stadtbezirke_codes.csv"
LONG, SHORT = "nummer", "nummer_kurz"
_NAME_NOISE = frozenset({"krfr", "kreisfreie", "kreisfr", "stadt", "st", "kreisfreiestadt"})
_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})
_LOST_ZERO = {4: 5, 7: 8, 11: 12}  # Kreis, Gemeinde, regional key without the leading 0
_KEY = re.compile(r"^(DG|[0-9]{1,12})$")


def normal_key(text: str | None) -> str | None:
    """An official region key as written, with a lost leading zero restored."""
    key = "".join(str(text or "").split())
    if key.endswith(".0") and key[:-2].isdigit():  # a key typed into a number cell
        key = key[:-2]
    if not key:
        return None
    if key.isdigit() and len(key) in _LOST_ZERO:
        key = key.zfill(_LOST_ZERO[len(key)])
    return key


def looks_like_key(text: str) -> bool:
    """A region key (AGS, regional key, ``DG`` for Germany) rather than a name."""
    return bool(_KEY.match("".join(str(text).split())))


def is_dortmund_name(name: str) -> bool:
    words = re.sub(r"[^a-z]+", " ", str(name).lower().translate(_UMLAUTS)).split()
    return [w for w in words if w not in _NAME_NOISE] == ["dortmund"]


@dataclass(frozen=True)
class Place:
    """A region as recognised: ``bezirk`` is ``dortmund``, a district slug, or None."""

    gebiet: str
    schluessel: str | None
    bezirk: str | None


class Regions:
    """Recognises Dortmund and its Stadtbezirke among the regions of a table."""

    def __init__(self, data_dir: Path) -> None:
        districts = load_districts(data_dir / "districts.csv")
        self.names = {d.slug: d.name for d in districts}
        self.matcher = DistrictMatcher(districts)
        self.numbers: dict[str, dict[str, str]] = {LONG: {}, SHORT: {}}
        codes = data_dir / CODES_FILE
        if not codes.exists():  # a data folder of an older release: the table of the package
            codes = PROJECT_ROOT / "data" / CODES_FILE
        with codes.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle, delimiter=";"):
                self.numbers[LONG][row[LONG]] = row["slug"]
                self.numbers[SHORT][row[SHORT]] = row["slug"]

    def district_by_name(self, name: str) -> str | None:
        slug = self.matcher.match(name) if str(name).strip() else None
        return slug if slug and slug != CITY else None

    def district_by_number(self, text: str, scheme: str) -> str | None:
        number = str(text).strip().lstrip("0")
        return self.numbers[scheme].get(number.removesuffix(".0"))

    def numbering(self, values: list[str]) -> str | None:
        """The scheme of a column of district numbers: 10 … 120 or 1 … 12 (None: neither)."""
        numbers = {str(v).strip().lstrip("0").removesuffix(".0") for v in values}
        numbers.discard("")
        if not numbers or numbers == {"10"}:  # 10 alone fits both schemes
            return None
        if numbers <= set(self.numbers[LONG]):
            return LONG
        return SHORT if numbers <= set(self.numbers[SHORT]) else None

    def place(self, key: str | None, name: str, scheme: str | None = None) -> Place:
        """Recognise one region by its key and name (``scheme``: the key column's district
        numbering, if the column holds district numbers)."""
        shown = " ".join(str(name).split())
        code = normal_key(key)
        if code in DORTMUND_KEYS:
            return Place(CITY_NAME, code, CITY)
        by_name = self.district_by_name(shown) if shown else None
        if code is not None and scheme is not None:
            by_number = self.district_by_number(code, scheme)
            if by_number and (not shown or by_name == by_number):
                return Place(self.names[by_number], code, by_number)
        if code is None or code.startswith("05913"):
            if shown and is_dortmund_name(shown):
                return Place(CITY_NAME, code, CITY)
            if by_name:
                return Place(self.names[by_name], code, by_name)
        return Place(shown or (code or ""), code, None)


@lru_cache(maxsize=4)
def regions_for(data_dir: Path) -> Regions:
    """The recogniser for one data folder (read once)."""
    return Regions(data_dir)
