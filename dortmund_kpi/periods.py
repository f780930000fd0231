"""Periods: parse what city departments write, store one canonical label.

Canonical labels: ``2023`` (year), ``2023-Q2`` (quarter), ``2023-05`` (month)
and ``2023-12-31`` (a reference day, "Stichtag").
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime

from dortmund_kpi.formatting import MONTHS

MIN_YEAR, MAX_YEAR = 1990, 2100
EXPECTED = "2023, 2023-Q2, Q2/2023, 2023-05 oder 31.12.2023"


@dataclass(frozen=True)
class Period:
    label: str
    kind: str  # "Y", "Q", "M" or "D"
    start: date
    end: date

    @property
    def template_text(self) -> str:
        """The period as written in the import template (German day format)."""
        if self.kind == "D":
            return self.start.strftime("%d.%m.%Y")
        return self.label

    @property
    def display(self) -> str:
        """German display text: 2023, Q2 2023, Mai 2023, 31.12.2023."""
        if self.kind == "Q":
            return f"Q{self.label[-1]} {self.label[:4]}"
        if self.kind == "M":
            return f"{MONTHS[self.start.month - 1]} {self.start.year}"
        return self.template_text


def year_period(year: int) -> Period:
    return Period(str(year), "Y", date(year, 1, 1), date(year, 12, 31))


def quarter_period(year: int, quarter: int) -> Period:
    first = 3 * (quarter - 1) + 1
    last_day = calendar.monthrange(year, first + 2)[1]
    return Period(f"{year}-Q{quarter}", "Q", date(year, first, 1), date(year, first + 2, last_day))


def month_period(year: int, month: int) -> Period:
    last_day = calendar.monthrange(year, month)[1]
    return Period(f"{year}-{month:02d}", "M", date(year, month, 1), date(year, month, last_day))


def day_period(day: date) -> Period:
    return Period(day.isoformat(), "D", day, day)


_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^(\d{4})$"), "Y"),
    (re.compile(r"^(\d{4})\s*[-/ ]?\s*q([1-4])$"), "YQ"),
    (re.compile(r"^q([1-4])\s*[-/ ]?\s*(\d{4})$"), "QY"),
    (re.compile(r"^([1-4])\.\s*quartal\s*(\d{4})$"), "QY"),
    (re.compile(r"^(\d{4})-(\d{1,2})$"), "YM"),
    (re.compile(r"^(\d{1,2})[/.](\d{4})$"), "MY"),
    (re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$"), "DMY"),
    (re.compile(r"^(\d{4})-(\d{2})-(\d{2})$"), "YMD"),
)


def _build(kind: str, groups: tuple[str, ...]) -> Period | None:
    nums = [int(g) for g in groups]
    if kind == "Y":
        year, rest = nums[0], None
    elif kind == "YQ":
        year, rest = nums[0], nums[1]
    elif kind == "QY":
        year, rest = nums[1], nums[0]
    elif kind in ("YM", "MY"):
        year, rest = (nums[0], nums[1]) if kind == "YM" else (nums[1], nums[0])
        if not 1 <= rest <= 12:
            return None
    else:
        year, month, day = (nums[2], nums[1], nums[0]) if kind == "DMY" else tuple(nums)
        if not MIN_YEAR <= year <= MAX_YEAR:
            return None
        try:
            return day_period(date(year, month, day))
        except ValueError:
            return None
    if not MIN_YEAR <= year <= MAX_YEAR:
        return None
    if kind == "Y":
        return year_period(year)
    return quarter_period(year, rest) if kind in ("YQ", "QY") else month_period(year, rest)


def parse_period(text: str) -> Period | None:
    """Parse a period as written by people; None if it is not one."""
    cleaned = " ".join(str(text).strip().lower().split())
    if cleaned.endswith(".0") and cleaned[:-2].isdigit():
        cleaned = cleaned[:-2]  # a year typed into a spreadsheet number cell: 2023.0
    for pattern, kind in _PATTERNS:
        match = pattern.match(cleaned)
        if match:
            return _build(kind, match.groups())
    return None


def period_from_cell(value: object) -> Period | None:
    """A spreadsheet cell: a date/datetime becomes a reference day, an int a year."""
    if isinstance(value, datetime):
        return day_period(value.date())
    if isinstance(value, date):
        return day_period(value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        if float(value).is_integer() and MIN_YEAR <= value <= MAX_YEAR:
            return year_period(int(value))
        return None
    return parse_period(str(value))


def period_from_label(label: str) -> Period:
    """Rebuild a Period from its canonical label (as stored in the database)."""
    period = parse_period(label)
    if period is None:
        raise ValueError(f"not a canonical period label: {label!r}")
    return period
