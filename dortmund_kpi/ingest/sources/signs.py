"""Value cells of official statistics: numbers and the GENESIS signs ("Zeichenerklärung").

``-`` means nothing is there: the value is exactly 0. ``.`` (unknown or secret),
``x`` (not applicable), ``/`` (too uncertain) and ``...`` (not yet available) are
missing values with their meaning. A value in parentheses ``(12,3)`` is uncertain and
the suffixes ``p`` (provisional), ``r`` (revised) and ``s`` (estimated) mark a number:
the number is read and the sign kept as a note. Numbers are German (``1.234,5``) unless
the file decides otherwise (``convention`` "en": ``1,234.5``).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from dortmund_kpi.ingest.numbers import ONLY_PATTERNS, VALID_PATTERNS

ZERO = "-"
MISSING = {
    ".": "Zahlenwert unbekannt oder geheim zu halten",
    "x": "Tabellenfach gesperrt, weil Aussage nicht sinnvoll",
    "/": "keine Angabe, da Zahlenwert nicht sicher genug",
    "...": "Angabe fällt später an",
}
NOTES = {
    "()": "Aussagewert eingeschränkt (Zahlenwert statistisch unsicher)",
    "p": "vorläufige Zahl",
    "r": "berichtigte Zahl",
    "s": "geschätzte Zahl",
}
_DASHES = {"-", "–", "—"}  # the hyphen, and the en and em dash of office software
_ELLIPSES = {"...", "…"}
_SUFFIX = re.compile(r"^(.*?[\d)])\s*([prs])$")
_BLANKS = re.compile(r"[\s\u00a0\u202f]")
_VALID = {name: re.compile(pattern) for name, pattern in VALID_PATTERNS.items()}
_ONLY = {name: re.compile(pattern) for name, pattern in ONLY_PATTERNS.items()}


@dataclass(frozen=True)
class Cell:
    """A value cell read: the number (None if missing), the sign, why it is missing."""

    wert: float | None
    zeichen: str | None = None
    missing: str | None = None  # the reason, when ``wert`` is None


EMPTY = Cell(None, None, "leere Zelle")


def _number(text: str, convention: str) -> float | None:
    compact = _BLANKS.sub("", text)
    if not _VALID[convention].match(compact):
        return None
    if convention == "de":
        plain = compact.replace(".", "").replace(",", ".")
    else:
        plain = compact.replace(",", "")
    try:
        value = float(plain)
    except ValueError:  # pragma: no cover - the pattern admits only numbers
        return None
    return value if math.isfinite(value) else None


def read_cell(text: str, convention: str = "de") -> Cell:
    """One value cell: a number, a sign, or a number with a note."""
    raw = str(text).strip()
    if not raw:
        return EMPTY
    if raw in _DASHES:
        return Cell(0.0, ZERO)
    if raw in _ELLIPSES:
        return Cell(None, "...", MISSING["..."])
    sign = raw.lower()
    if sign in MISSING:
        return Cell(None, sign, MISSING[sign])
    notes: list[str] = []
    match = _SUFFIX.match(raw)
    if match:
        raw, suffix = match.group(1).strip(), match.group(2)
        notes.append(suffix)
    if raw.startswith("(") and raw.endswith(")") and len(raw) > 2:
        raw = raw[1:-1].strip()
        notes.insert(0, "()")
    value = _number(raw, convention)
    if value is None:
        return Cell(None, None, f"kein Zahlenwert: „{str(text).strip()[:40]}“")
    return Cell(value, "".join(notes) or None)


def is_value_text(text: str) -> bool:
    """A cell that holds a value or a GENESIS sign (not a label)."""
    raw = str(text).strip()
    if not raw:
        return False
    return read_cell(raw).missing is None or raw.lower() in MISSING or raw in _ELLIPSES


def choose_convention(texts: list[str], delimiter: str = ";") -> str:
    """'de' or 'en' from the values that can be read only one way; ';' files are German."""
    german = english = 0
    for text in texts:
        compact = _BLANKS.sub("", text.strip())
        german += bool(_ONLY["de"].match(compact))
        english += bool(_ONLY["en"].match(compact))
    if german != english:
        return "de" if german > english else "en"
    return "en" if delimiter == "," else "de"
