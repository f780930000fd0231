"""Periods as official tables write them, as the product's period labels where possible.

Years (``2023``), quarters (``2. Quartal 2023``, ``Q2/2023`` → ``2023-Q2``), months
(``Januar 2014``, ``Jan. 2014``, ``01/2014`` → ``2014-01``) and Stichtag dates
(``31.12.2024``, ``2024-12-31`` → ``2024-12-31``) become the labels of
``dortmund_kpi.periods``; a Stichtag stays a day: that 31.12.2024 is the year 2024 of a
yearly indicator is decided when it is mapped onto an indicator, not here. School years
(``2018/19``) and half-years (``1. Halbjahr 2023`` → ``2023-H1``) keep labels of their
own. A month, quarter or half-year without its year (``Januar``, ``Januar (31.)``,
``1. Quartal``: GENESIS puts the year in another dimension) is a ``Part`` that
``combine`` joins with the year.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from dortmund_kpi.formatting import MONTHS
from dortmund_kpi.periods import day_period, month_period, parse_period, quarter_period

MIN_YEAR, MAX_YEAR = 1800, 2200
KIND_NAMES = {"Y": "Jahr", "Q": "Quartal", "M": "Monat", "D": "Stichtag"}
_MONTH_WORDS = {
    **{name.lower(): n for n, name in enumerate(MONTHS, 1)},
    **{name.lower()[:3]: n for n, name in enumerate(MONTHS, 1)},
    "maerz": 3,
    "mrz": 3,
    "sept": 9,
}
_YEAR = re.compile(r"^(?:(?:berichts|kalender|haushalts)?jahr\s+)?(\d{4})$")
_DATE_DE = re.compile(r"^(?:stichtag\s+|stand\s+|am\s+)?(\d{1,2})\.(\d{1,2})\.(\d{4})$")
_DATE_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_SCHOOL = re.compile(r"^(?:schuljahr\s+)?(\d{4})\s*/\s*(\d{2}|\d{4})$")
_HALF = re.compile(
    r"^(?:([12])\.\s*(?:halbjahr|hj\.?)|h([12]))(?:\s*[-/ ]?\s*(\d{4}))?$"
    r"|^(\d{4})\s*[-/ ]?\s*(?:h([12])|([12])\.\s*(?:halbjahr|hj\.?))$"
)
_QUARTER_PART = re.compile(r"^(?:([1-4])\.\s*quartal|quartal\s*([1-4])|q([1-4]))$")
_MONTH = re.compile(r"^([a-zä]+)\.?(?:\s*\((\d{1,2})\.?\))?(?:\s+(\d{4}))?$")


@dataclass(frozen=True)
class When:
    """A period: its label and its kind in German (``Jahr``, ``Stichtag``, …)."""

    label: str
    kind: str


@dataclass(frozen=True)
class Part:
    """A month, quarter or half-year of a year named elsewhere (``Januar (31.)``)."""

    kind: str  # "Monat", "Quartal" or "Halbjahr"
    number: int
    day: int | None = None


def _year_ok(year: int) -> bool:
    return MIN_YEAR <= year <= MAX_YEAR


def _day(year: int, month: int, day: int) -> When | None:
    if not _year_ok(year):
        return None
    try:
        return When(day_period(date(year, month, day)).label, "Stichtag")
    except ValueError:
        return None


def _month_or_part(text: str) -> When | Part | None:
    match = _MONTH.match(text)
    if not match or match.group(1) not in _MONTH_WORDS:
        return None
    month = _MONTH_WORDS[match.group(1)]
    day, year = match.group(2), match.group(3)
    if year is None:
        return Part("Monat", month, int(day) if day else None)
    if day:
        return _day(int(year), month, int(day))
    return When(month_period(int(year), month).label, "Monat") if _year_ok(int(year)) else None


def _half(match: re.Match[str]) -> When | Part | None:
    groups = match.groups()
    half = int(groups[0] or groups[1] or groups[4] or groups[5])
    year = groups[2] or groups[3]
    if year is None:
        return Part("Halbjahr", half)
    return When(f"{year}-H{half}", "Halbjahr") if _year_ok(int(year)) else None


def read_period(text: str) -> When | Part | None:
    """A period (or a part of a year) as written in a table; None if it is none."""
    cleaned = " ".join(str(text).strip().lower().split())
    if not cleaned:
        return None
    if match := _YEAR.match(cleaned):
        year = int(match.group(1))
        return When(str(year), "Jahr") if _year_ok(year) else None
    if match := _DATE_DE.match(cleaned):
        day, month, year = (int(g) for g in match.groups())
        return _day(year, month, day)
    if match := _DATE_ISO.match(cleaned):
        year, month, day = (int(g) for g in match.groups())
        return _day(year, month, day)
    if match := _SCHOOL.match(cleaned):
        first, second = int(match.group(1)), int(match.group(2))
        if _year_ok(first) and second % 100 == (first + 1) % 100:
            return When(f"{first}/{(first + 1) % 100:02d}", "Schuljahr")
        return None
    if match := _HALF.match(cleaned):
        return _half(match)
    if match := _QUARTER_PART.match(cleaned):
        return Part("Quartal", int(next(g for g in match.groups() if g)))
    found = _month_or_part(cleaned)
    if found is not None:
        return found
    period = parse_period(cleaned)  # quarters and months in the import's forms
    return When(period.label, KIND_NAMES[period.kind]) if period else None


def combine(year: When, part: Part) -> When | None:
    """A month, quarter or half-year joined with the year of another dimension."""
    if year.kind != "Jahr":
        return None
    number = int(year.label)
    if part.kind == "Quartal":
        return When(quarter_period(number, part.number).label, "Quartal")
    if part.kind == "Halbjahr":
        return When(f"{number}-H{part.number}", "Halbjahr")
    if part.day is not None:
        last = calendar.monthrange(number, part.number)[1]
        return _day(number, part.number, min(part.day, last))
    return When(month_period(number, part.number).label, "Monat")
