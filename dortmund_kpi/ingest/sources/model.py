"""The common record model of official statistics tables, whatever their layout.

A reader turns one published file into a ``Table``: what layout it recognised, who
published it (and under which licence, when the file says so) and one ``Record`` per
value cell. A record names its region (``gebiet``; ``schluessel`` is the official
key, the AGS, with a leading zero a spreadsheet lost restored), its period, every
other dimension as a named attribute (``merkmale``), the value and the GENESIS sign
written with it. A cell holding only a sign of a missing value (``.``, ``x``, ``/``,
``...``) is a record with ``wert`` None; it and every cell without a value or sign (empty,
not a number) is listed in ``skipped`` with its line and reason.

A file that is no official table, or one broken beyond reading, raises ``SourceError``
naming the file and line: never a traceback.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from dortmund_kpi.ingest.issues import visible


class SourceError(Exception):
    """A file that is not a recognised official table, or not readable as one."""

    def __init__(self, file: str, line: int, message: str) -> None:
        super().__init__(f"{file}:{line}: {message}")
        self.file = file
        self.line = line
        self.message = message

    def __str__(self) -> str:
        return f"{visible(self.file)}:{self.line}: {visible(self.message)}"


@dataclass(frozen=True)
class Record:
    """One value cell of an official table.

    ``zeitraum`` is a product period label where the text allows (``2023``,
    ``2023-Q2``, ``2023-05``, ``2024-12-31``), else a label of its own (``2018/19``,
    ``2023-H1``), or ``""`` when the file names no period; ``zeitart`` says which kind
    it is (``Jahr``, ``Stichtag``, ``Quartal``, …). ``bezirk`` is ``dortmund`` for the
    city, a district slug for a Stadtbezirk, None for any other region.
    """

    gebiet: str
    schluessel: str | None
    zeitraum: str
    merkmale: dict[str, str]
    wert: float | None
    zeichen: str | None
    spalte: str
    line: int
    zeitart: str | None = None
    bezirk: str | None = None

    @property
    def is_dortmund(self) -> bool:
        """The city or one of its Stadtbezirke."""
        return self.bezirk is not None

    def as_json(self) -> dict[str, Any]:
        """The record as ``inspect --json`` prints it (German keys)."""
        wert: float | int | None = self.wert
        if wert is not None and float(wert).is_integer() and abs(wert) < 2**53:
            wert = int(wert)
        return {
            "gebiet": self.gebiet,
            "schluessel": self.schluessel,
            "zeitraum": self.zeitraum,
            "merkmale": dict(self.merkmale),
            "wert": wert,
            "zeichen": self.zeichen,
            "zeitart": self.zeitart,
            "bezirk": self.bezirk,
            "spalte": self.spalte,
            "zeile": self.line,
        }


@dataclass
class Table:
    """What a reader recognised in one file."""

    layout: str  # German, e.g. "GENESIS-Tabelle 22811-01i (IT.NRW)"
    source: str  # publisher and table, e.g. "IT.NRW, Landesdatenbank NRW, Tabelle 22811-01i"
    licence: str | None  # as the file states it, else None
    records: list[Record] = field(default_factory=list)
    skipped: list[tuple[int, str]] = field(default_factory=list)  # (line, reason)
    title: str = ""  # the title lines of the file, joined

    @property
    def periods(self) -> list[str]:
        return sorted({r.zeitraum for r in self.records})

    @property
    def columns(self) -> list[str]:
        return list(dict.fromkeys(r.spalte for r in self.records))

    def dimensions(self) -> dict[str, list[str]]:
        """Each attribute name with its values, in the order of the file."""
        found: dict[str, dict[str, None]] = {}
        for record in self.records:
            for name, value in record.merkmale.items():
                found.setdefault(name, {})[value] = None
        return {name: list(values) for name, values in found.items()}
