"""The common record model of official statistics tables, whatever their layout.

A reader turns one published file into a ``Table``: what layout it recognised, who
published it (and under which licence, when the file says so) and one ``Record`` per
value cell. A record names its region (``gebiet``; ``schluessel`` is the official
key, the AGS, with a leading zero a spreadsheet lost restored), its period, every
other dimension as a named attribute (``merkmale``), the value and the GENESIS sign
written with it. A cell holding only a sign of a missing value (``.``, ``x``, ``/``,
``...``) is a record with ``wert`` None; it and every cell without a value or sign (empty,
not a number) is listed in ``skipped`` with its line and reason.

A large file keeps its records in columns (``RecordColumns``: a sequence of records
made only when asked for), so reading it and selecting Dortmund's records does not
build an object per value; ``Table``'s questions about all records are answered
column by column.

A file that is no official table, or one broken beyond reading, raises ``SourceError``
naming the file and line: never a traceback.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, overload

import numpy as np

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


Area = tuple[str, str | None, str | None]  # gebiet, schluessel, bezirk
When = tuple[str, str | None]  # zeitraum, zeitart


@dataclass(frozen=True, eq=False)
class RecordColumns(Sequence[Record]):
    """Records in columns: per record the index of its place, period, attributes, value
    column and sign in the tables of distinct ones, its value (NaN: none) and line."""

    places: list[Area]
    periods: list[When]
    merkmale: list[dict[str, str]]
    spalten: list[str]
    zeichen: list[str | None]
    place: np.ndarray  # one index per record, and so on
    period: np.ndarray
    merkmal: np.ndarray
    spalte: np.ndarray
    sign: np.ndarray
    wert: np.ndarray  # float64, NaN where the record has no value
    line: np.ndarray  # int64

    def __len__(self) -> int:
        return len(self.line)

    @overload
    def __getitem__(self, index: int) -> Record: ...
    @overload
    def __getitem__(self, index: slice) -> RecordColumns: ...
    def __getitem__(self, index: int | slice) -> Record | RecordColumns:
        if isinstance(index, slice):
            return self.take(np.arange(len(self))[index])
        return next(iter(self.take(np.array([range(len(self))[index]]))))

    def __iter__(self) -> Iterator[Record]:
        rows = zip(
            self.place.tolist(),
            self.period.tolist(),
            self.merkmal.tolist(),
            self.wert.tolist(),
            self.sign.tolist(),
            self.spalte.tolist(),
            self.line.tolist(),
            strict=True,
        )
        for place, period, merkmal, wert, sign, spalte, line in rows:
            gebiet, key, bezirk = self.places[place]
            zeitraum, zeitart = self.periods[period]
            yield Record(
                gebiet,
                key,
                zeitraum,
                dict(self.merkmale[merkmal]),
                None if wert != wert else wert,  # NaN: no value
                self.zeichen[sign],
                self.spalten[spalte],
                line,
                zeitart=zeitart,
                bezirk=bezirk,
            )

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence):
            return NotImplemented
        return len(self) == len(other) and list(self) == list(other)

    __hash__ = None  # type: ignore[assignment]  # a sequence that compares by content

    def take(self, rows: np.ndarray) -> RecordColumns:
        """The records at ``rows`` (indices or a mask), in their order."""
        return RecordColumns(
            self.places,
            self.periods,
            self.merkmale,
            self.spalten,
            self.zeichen,
            *(getattr(self, name)[rows] for name in _PER_RECORD),
        )

    def dortmund(self) -> RecordColumns:
        """The records of the city and its Stadtbezirke."""
        ours = np.array([bezirk is not None for _, _, bezirk in self.places], dtype=bool)
        return self.take(ours[self.place]) if len(self.places) else self

    def used(self, name: str) -> list[Any]:
        """The distinct entries of one table (``places``, …) the records use, in the
        order of their first record."""
        index = getattr(self, _INDEX[name])
        found, first = np.unique(index, return_index=True)
        values = getattr(self, name)
        return [values[i] for i in found[np.argsort(first, kind="stable")].tolist()]

    def period_kinds(self) -> dict[str, str | None]:
        """Each period label with the kind of its last record."""
        found, last = np.unique(self.period[::-1], return_index=True)
        kinds: dict[str, str | None] = {}
        for index in found[np.argsort(-last, kind="stable")].tolist():
            label, kind = self.periods[index]
            kinds[label] = kind
        return kinds

    def with_periods(self, new: Callable[[str], When | None]) -> RecordColumns:
        """Each record's period replaced by ``new(zeitraum)``; records given None go."""
        found = [new(label) for label, _ in self.periods]
        kept = np.array([f is not None for f in found], dtype=bool)
        rows = kept[self.period] if found else np.zeros(0, dtype=bool)
        periods = [f or ("", None) for f in found]
        moved = RecordColumns(
            self.places,
            periods,
            self.merkmale,
            self.spalten,
            self.zeichen,
            *(getattr(self, name) for name in _PER_RECORD),
        )
        return moved.take(rows)


_PER_RECORD = ("place", "period", "merkmal", "spalte", "sign", "wert", "line")
_INDEX = {"places": "place", "periods": "period", "merkmale": "merkmal", "spalten": "spalte"}


@dataclass
class Table:
    """What a reader recognised in one file."""

    layout: str  # German, e.g. "GENESIS-Tabelle 22811-01i (IT.NRW)"
    source: str  # publisher and table, e.g. "IT.NRW, Landesdatenbank NRW, Tabelle 22811-01i"
    licence: str | None  # as the file states it, else None
    # a list, or RecordColumns for a large file
    records: Sequence[Record] = field(default_factory=list)
    skipped: list[tuple[int, str]] = field(default_factory=list)  # (line, reason)
    title: str = ""  # the title lines of the file, joined

    def _columns(self) -> RecordColumns | None:
        return self.records if isinstance(self.records, RecordColumns) else None

    @property
    def periods(self) -> list[str]:
        if (columns := self._columns()) is not None:
            return sorted({label for label, _ in columns.used("periods")})
        return sorted({r.zeitraum for r in self.records})

    @property
    def columns(self) -> list[str]:
        if (columns := self._columns()) is not None:
            return columns.used("spalten")
        return list(dict.fromkeys(r.spalte for r in self.records))

    def dimensions(self) -> dict[str, list[str]]:
        """Each attribute name with its values, in the order of the file."""
        columns = self._columns()
        # the distinct attribute sets in the order of their first record add names and
        # values in the same order as all records do
        sets = (r.merkmale for r in self.records) if columns is None else columns.used("merkmale")
        found: dict[str, dict[str, None]] = {}
        for merkmale in sets:
            for name, value in merkmale.items():
                found.setdefault(name, {})[value] = None
        return {name: list(values) for name, values in found.items()}

    def dortmund(self) -> list[Record]:
        """The records of the city and its Stadtbezirke, in the order of the file."""
        if (columns := self._columns()) is not None:
            return list(columns.dortmund())
        return [r for r in self.records if r.is_dortmund]

    def places(self) -> set[Area]:
        """Every region of the records: (gebiet, schluessel, bezirk)."""
        if (columns := self._columns()) is not None:
            return set(columns.used("places"))
        return {(r.gebiet, r.schluessel, r.bezirk) for r in self.records}

    def period_kinds(self) -> dict[str, str | None]:
        """Each period label with its kind (that of its last record)."""
        if (columns := self._columns()) is not None:
            return columns.period_kinds()
        return {r.zeitraum: r.zeitart for r in self.records}

    def with_value(self) -> int:
        """How many records hold a number."""
        if (columns := self._columns()) is not None:
            return int(np.count_nonzero(~np.isnan(columns.wert)))
        return sum(1 for r in self.records if r.wert is not None)
