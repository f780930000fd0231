"""German formatting of numbers, dates and units, independent of the browser's locale."""

from __future__ import annotations

import math
from datetime import date, datetime

import numpy as np
import pandas as pd

from dortmund_kpi import clock

MONTHS_SHORT = ("Jan", "Feb", "Mär", "Apr", "Mai", "Jun", "Jul", "Aug", "Sep", "Okt", "Nov", "Dez")
MONTHS = (
    "Januar",
    "Februar",
    "März",
    "April",
    "Mai",
    "Juni",
    "Juli",
    "August",
    "September",
    "Oktober",
    "November",
    "Dezember",
)
DAYS = ("Sonntag", "Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag")
DAYS_SHORT = ("So", "Mo", "Di", "Mi", "Do", "Fr", "Sa")


def number(value: float | int | None, decimals: int = 0) -> str:
    """1234.5 -> '1.234,5'; None/NaN -> '–'."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def counted(n: int, one: str, many: str) -> str:
    """A count with its noun in number: "1 Datei", "2 Dateien", "1.000.000 Zeilen"."""
    return f"{number(n)} {one if n == 1 else many}"


def signed(value: float, decimals: int = 0) -> str:
    """+1.234,5 / −3,2 (with a real minus sign)."""
    text = number(abs(value), decimals)
    if round(value, decimals) == 0:
        return "±" + text
    return ("+" if value > 0 else "−") + text


def with_unit(value: float | None, unit: str, decimals: int = 0) -> str:
    text = number(value, decimals)
    if value is None or text == "–":
        return text
    return f"{text} %" if unit == "%" else f"{text} {unit}"


def missing(value: object) -> bool:
    """None, NaN, NaT or pd.NA: a value a table or query left empty."""
    return value is None or (np.ndim(value) == 0 and bool(pd.isna(value)))


# German names of Berlin's zones, shown only where the wall-clock time alone is ambiguous
ZONE_NAMES = {"CET": "MEZ", "CEST": "MESZ"}


def day(value: date | datetime | None) -> str:
    """'01.12.2024' (a moment's day in Berlin); a missing day (None, NaT) -> '–'."""
    if missing(value):
        return "–"
    if isinstance(value, datetime):
        value = _berlin(value)
    return value.strftime("%d.%m.%Y")  # type: ignore[union-attr]


def timestamp(value: datetime | None) -> str:
    """'01.12.2024, 14:30 Uhr' in Berlin time; a missing moment (None, NaT) -> '–'.

    In the hour repeated when the clocks go back the zone is named ('25.10.2026, 02:30
    Uhr MESZ', then '... 02:10 Uhr MEZ'), else two moments would read as one. A naive
    value is taken as Berlin wall-clock time already (``clock.local``).
    """
    if missing(value):
        return "–"
    moment = _berlin(value)  # type: ignore[arg-type]
    text = moment.strftime("%d.%m.%Y, %H:%M Uhr")
    if clock.is_ambiguous(moment):
        zone = moment.tzname() or ""
        text += " " + ZONE_NAMES.get(zone, zone)
    return text


NBSP = "\u00a0"


def chart_timestamp(value: datetime | None) -> str:
    """``timestamp`` for a chart's footer: no-break spaces inside the date-time and before
    "Uhr", so wrapping the footer never leaves "Uhr" (or the time) alone on a line."""
    return timestamp(value).replace(" ", NBSP)


def _berlin(value: datetime) -> datetime:
    if isinstance(value, pd.Timestamp):
        value = value.to_pydatetime()
    return clock.local(value)


def change_unit(unit: str) -> str:
    """The unit of a difference: a change of a share is in percentage points."""
    return "Prozentpunkte" if unit == "%" else unit


# -- text for files (CSV, XLSX) --------------------------------------------------
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"


def format_number_plain(value: float) -> str:
    """Shortest exact text with decimal comma, no grouping: 1234,5 (for files that round-trip)."""
    text = np.format_float_positional(value, unique=True, trim="-")
    return text.replace(".", ",")


def number_text(value: float) -> str:
    """Exact German text with thousands dots, for messages: 1.500.000, 104,5, -0,3."""
    plain = format_number_plain(float(value))
    sign, plain = ("-", plain[1:]) if plain.startswith("-") else ("", plain)
    whole, _, fraction = plain.partition(",")
    grouped = f"{int(whole):,}".replace(",", ".")
    return sign + grouped + ("," + fraction if fraction else "")


def neutralise(text: object) -> str:
    """Text a spreadsheet would run as a formula gets a leading apostrophe (read back by import)."""
    if text is None or (isinstance(text, float) and pd.isna(text)) or text is pd.NA:
        return ""
    value = str(text)
    return "'" + value if value.startswith(FORMULA_PREFIXES) else value
