"""Map the records of an official table onto one indicator: the rows of an import.

A ``Mapping`` names the indicator, the value column (``--spalte``: part of its header
text), filters on the records' dimension values (``--filter``, all must match; case and
umlauts forgiven: ``Maenner`` finds ``Männer``) and how periods are read: as the file
writes them (a Stichtag at the end of a period of the indicator's frequency is that
period), a period given on the command line (``--zeitraum``), or the remembered rule
``containing`` (each record's period becomes the period of the indicator's frequency
that holds it; so a mapping remembered with ``--zeitraum 2024`` for the Stichtag
30.06.2024 reads next year's 30.06.2025 as 2025).

``selection.select`` applies a mapping to a table; ``rows`` turns the selected records
into rows of the import template, so the template's validation and write path take them
from there.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from dortmund_kpi.ingest.sources.model import Record, Table
from dortmund_kpi.ingest.sources.signs import MISSING, NOTES
from dortmund_kpi.ingest.sources.times import When
from dortmund_kpi.periods import Period, month_period, parse_period, quarter_period, year_period

CONTAINING = "containing"  # the remembered period rule (see the module text)
FREQUENCY_KIND = {"yearly": "Y", "quarterly": "Q", "monthly": "M"}
FREQUENCY_NAME = {"yearly": "jährlich", "quarterly": "vierteljährlich", "monthly": "monatlich"}
_CODE = re.compile(r"\b(\d{5}-[0-9A-Za-z]+(?:-[0-9A-Za-z]+)*)\b")
_FOLD = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "é": "e", "è": "e"})


@dataclass(frozen=True)
class Mapping:
    """How the records of one table become values of one indicator."""

    indicator: str
    spalte: str | None = None
    filters: tuple[str, ...] = ()
    zeitraum: When | None = None  # --zeitraum as given on the command line
    rule: str | None = None  # CONTAINING, or None: periods as the file writes them

    def describe(self) -> str:
        """German one-liner for the summary and the import log."""
        parts = [f"Indikator {self.indicator}"]
        parts.append(f"Spalte „{self.spalte}“" if self.spalte else "Spalte: die einzige")
        parts.append("Filter: " + (", ".join(f"„{f}“" for f in self.filters) or "keine"))
        if self.zeitraum:
            parts.append(f"Zeitraum {self.zeitraum.label}")
        elif self.rule == CONTAINING:
            parts.append("Zeitraum: der Stichtag im Zeitraum des Indikators")
        return ", ".join(parts)


def fold(text: str) -> str:
    """Case, umlauts and spacing forgiven: ``Männer`` and ``maenner`` are the same."""
    return " ".join(str(text).lower().translate(_FOLD).split())


def table_code(table: Table) -> str | None:
    """The publisher's table code (``22811-01i``, ``12411-01-01-4``), if the file has one."""
    for text in (table.source, table.layout):
        found = _CODE.search(text or "")
        if found:
            return found.group(1)
    return None


def shape(table: Table) -> str:
    """The file's shape: layout family, value columns and dimension names (for a table
    without a code, so next year's file of the same shape finds its mapping)."""
    family = (table.layout or "").split(" ")[0]
    columns = sorted({fold(c) for c in table.columns})
    dimensions = sorted(fold(d) for d in table.dimensions())
    return f"{family}|{';'.join(columns)}|{';'.join(dimensions)}"


def containing(period: Period, kind: str) -> Period | None:
    """The period of ``kind`` (Y, Q, M) that holds ``period`` whole, if there is one."""
    start = period.start
    if kind == "Y":
        outer = year_period(start.year)
    elif kind == "Q":
        outer = quarter_period(start.year, (start.month - 1) // 3 + 1)
    else:
        outer = month_period(start.year, start.month)
    return outer if period.end <= outer.end else None


def fit_period(label: str, frequency: str, rule: str | None) -> str | None:
    """The stored period of a record's period for an indicator of ``frequency``, or None
    if it does not fit: the same kind, a Stichtag at the end of a period of that kind,
    or with ``CONTAINING`` any period within one of that kind."""
    kind = FREQUENCY_KIND.get(frequency)
    period = parse_period(label) if label else None
    if kind is None or period is None:
        return None
    if period.kind == kind:
        return period.label
    outer = containing(period, kind)
    if outer is None:
        return None
    if rule == CONTAINING or (period.kind == "D" and period.end == outer.end):
        return outer.label
    return None


def note_of(record: Record) -> str | None:
    """The GENESIS sign kept with a value as a note (``()``: uncertain, ``p``: provisional)."""
    sign = record.zeichen
    if not sign or sign == "-":
        return None
    texts = []
    if sign.startswith("()"):
        texts.append(NOTES["()"])
        sign = sign[2:]
    texts += [NOTES[s] for s in sign if s in NOTES]
    return "; ".join(texts) or None


def skip_reason(record: Record) -> str:
    why = MISSING.get(record.zeichen or "", "kein Zahlenwert")
    sign = f"„{record.zeichen}“ " if record.zeichen else ""
    return f"{record.gebiet}, {record.zeitraum or '–'}, {record.spalte}: {sign}{why}"


def rows(indicator: str, picked: list[tuple[Record, str]], source: str, file: str) -> pd.DataFrame:
    """The selected records (each with the period stored) as rows of the import template,
    values kept as numbers."""
    values = [r.wert for r, _ in picked]
    return pd.DataFrame(
        {
            "indikator": pd.Series([indicator] * len(picked), dtype="str"),
            "bezirk": pd.Series([r.bezirk or "" for r, _ in picked], dtype="str"),
            "zeitraum": pd.Series([label for _, label in picked], dtype="str"),
            "wert": pd.Series(["" if v is None else repr(v) for v in values], dtype="str"),
            "anmerkung": pd.Series([note_of(r) or "" for r, _ in picked], dtype="str"),
            "quelle": pd.Series([source] * len(picked), dtype="str"),
            "datenart": pd.Series(["amtlich"] * len(picked), dtype="str"),
            "line": pd.Series([r.line for r, _ in picked], dtype="int64"),
            "file": pd.Series([file] * len(picked), dtype="str"),
            "wert_num": pd.Series(values, dtype="float64"),
        }
    )
