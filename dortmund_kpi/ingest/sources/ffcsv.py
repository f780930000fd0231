"""GENESIS flat files ("ffcsv") of Destatis, the Regionaldatenbank and the Länder.

One value per row, ``;``-separated, UTF-8 with BOM (older files ISO-8859-1):
``statistics_code``, ``statistics_label``, ``time_code``, ``time_label``, ``time`` and,
per dimension N, ``N_variable_code``, ``N_variable_label``, ``N_variable_attribute_code``,
``N_variable_attribute_label``; then the value. Two generations of the value part are
read: the long form ``value;value_unit;value_variable_code;value_variable_label``
(optionally ``value_q``, the quality flag) and the older wide form with one column per
value variable, ``BEVSTD__Bevoelkerungsstand__Anzahl``. The older German headers
(``Statistik_Code``, ``Zeit``, ``1_Merkmal_Code``, ``1_Auspraegung_Label``) are read too.

The region dimension (variable codes such as ``KREISE``, ``GEMEINDE``, ``DLAND``,
``GEO…``) gives ``gebiet`` and ``schluessel``; a month, quarter or half-year dimension
(``MONAT``, ``QUARTG``) is joined with the year of ``time``; every other dimension
becomes a named attribute: ``{"Geschlecht": "weiblich"}``.

Not yet: the table code is not in the file, so it is taken from the file name
(``12411-01-01-4_flat.csv``) and the publisher guessed from its form.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from dortmund_kpi.ingest.sources import publishers
from dortmund_kpi.ingest.sources.model import Record, SourceError, Table
from dortmund_kpi.ingest.sources.regions import Place, Regions, looks_like_key
from dortmund_kpi.ingest.sources.signs import Cell, choose_convention, read_cell
from dortmund_kpi.ingest.sources.text import Row
from dortmund_kpi.ingest.sources.times import Part, When, combine, read_period

KIND = "GENESIS-Flatfile"
_GERMAN = {
    "statistik_code": "statistics_code",
    "statistik_label": "statistics_label",
    "zeit_code": "time_code",
    "zeit_label": "time_label",
    "zeit": "time",
}
_GERMAN_DIM = re.compile(r"^(\d+)_(merkmal|auspraegung)_(code|label)$")
_DIM = re.compile(r"^(\d+)_variable_(attribute_)?(code|label)$")
_WIDE_VALUE = re.compile(r"^([A-Za-z0-9]+)__(.+?)__(.+)$")
_REGION_CODE = re.compile(r"^(DG|DINSG|DLAND|REGBEZ|KREISE?|GEMEIN|GEO|GVB|GEMVB)", re.I)
_REGION_LABEL = re.compile(r"kreis|gemeinde|bundesl|regierungsbez|deutschland|länder", re.I)
_PART_CODES = re.compile(r"^(MONAT|QUART|HALBJ)", re.I)


def column_name(header: str) -> str:
    """A header cell in the English form: ``1_Merkmal_Code`` -> ``1_variable_code``."""
    name = header.strip().lstrip("\ufeff").strip()
    lower = name.lower()
    if lower in _GERMAN:
        return _GERMAN[lower]
    match = _GERMAN_DIM.match(lower)
    if match:
        number, what, part = match.groups()
        middle = "variable_attribute" if what == "auspraegung" else "variable"
        return f"{number}_{middle}_{part}"
    return lower if _DIM.match(lower) or lower.startswith("value") else name


def is_header(cells: list[str]) -> bool:
    names = {column_name(c) for c in cells}
    return "statistics_code" in names and "time" in names


@dataclass(frozen=True)
class _Value:
    index: int
    spalte: str
    quality: int | None  # the column of its quality flag


def _value_columns(names: list[str]) -> list[_Value]:
    where = {name: i for i, name in enumerate(names)}
    if "value" in where:
        return [_Value(where["value"], "", where.get("value_q"))]
    found = []
    for i, name in enumerate(names):
        match = _WIDE_VALUE.match(name)
        if match and not name.endswith("_q"):
            label, unit = (match.group(g).replace("_", " ") for g in (2, 3))
            found.append(_Value(i, f"{label} ({unit})", where.get(f"{name}_q")))
    return found


@dataclass(frozen=True)
class _Dim:
    code: int | None
    label: int | None
    attr_code: int | None
    attr_label: int | None


def _dimensions(names: list[str]) -> dict[int, _Dim]:
    where = {name: i for i, name in enumerate(names)}
    numbers = sorted({int(m.group(1)) for n in names if (m := _DIM.match(n))})
    return {
        n: _Dim(
            where.get(f"{n}_variable_code"),
            where.get(f"{n}_variable_label"),
            where.get(f"{n}_variable_attribute_code"),
            where.get(f"{n}_variable_attribute_label"),
        )
        for n in numbers
    }


def _cell(cells: list[str], index: int | None) -> str:
    return cells[index].strip() if index is not None else ""


def _is_region(code: str, label: str, attr_code: str) -> bool:
    if code and _REGION_CODE.match(code):
        return True
    return bool(_REGION_LABEL.search(label)) and looks_like_key(attr_code)


def dimension_value(
    cells: tuple[str, str, str, str], regions: Regions
) -> Place | Part | tuple[str, str]:
    """What one dimension of a row says (its code, label, attribute code and label,
    stripped): the region, a part of the year, or an attribute (name, value)."""
    code, label, attr_code, attr_label = cells
    if _is_region(code, label, attr_code):
        return regions.place(attr_code or None, attr_label)
    part = read_period(attr_label) if _PART_CODES.match(code) else None
    if isinstance(part, Part):
        return part
    return label or code or "Merkmal", attr_label or attr_code


def period_of(text: str, parts: list[Part]) -> tuple[str, str | None]:
    """The period of a row: its ``time`` joined with the parts of the year of its
    dimensions (label and kind; the text itself if it is no period)."""
    when = read_period(text) if text else None
    if isinstance(when, When):
        for part in parts:
            joined = combine(when, part)
            when = joined or when
        return when.label, when.kind
    return text, None


def long_spalte(label: str, code: str, unit: str) -> str:
    """The value column of the long form: ``value_variable_label (value_unit)``."""
    label = label or code
    return f"{label} ({unit})" if unit else (label or "Wert")


def skip_reason(region: str | None, spalte: str, cell: Cell) -> str:
    """Why a value cell has no number: ``Gebiet, Spalte: „.“ Zahlenwert unbekannt …``."""
    sign = f"„{cell.zeichen}“ " if cell.zeichen is not None else ""
    return f"{region}, {spalte}: {sign}{cell.missing}"


def note_sign(zeichen: str | None, quality: str) -> str | None:
    """The sign of a value: its own, else the quality flag (``value_q``) unless ``e``."""
    if quality and quality != "e" and zeichen is None:
        return quality
    return zeichen


class Rows:
    """The reading of the data rows against one header."""

    def __init__(self, names: list[str], name: str, regions: Regions) -> None:
        self.names, self.file, self.regions = names, name, regions
        self.where = {n: i for i, n in enumerate(names)}
        self.values = _value_columns(names)
        self.dims = _dimensions(names)
        if not self.values:
            raise SourceError(
                name,
                1,
                "GENESIS-Flatfile ohne Wertspalte (erwartet value oder CODE__Merkmal__Einheit)",
            )

    def get(self, cells: list[str], name: str) -> str:
        return _cell(cells, self.where.get(name))

    def record(self, line: int, cells: list[str], convention: str, skip: Callable) -> list[Record]:
        gebiet, key, bezirk = "", None, None
        merkmale: dict[str, str] = {}
        parts: list[Part] = []
        for dim in self.dims.values():
            found = dimension_value(
                (
                    _cell(cells, dim.code),
                    _cell(cells, dim.label),
                    _cell(cells, dim.attr_code),
                    _cell(cells, dim.attr_label),
                ),
                self.regions,
            )
            if isinstance(found, Place):
                gebiet, key, bezirk = found.gebiet, found.schluessel, found.bezirk
            elif isinstance(found, Part):
                parts.append(found)
            else:
                merkmale[found[0]] = found[1]
        zeitraum, zeitart = period_of(self.get(cells, "time"), parts)
        found = []
        for value in self.values:
            cell = read_cell(_cell(cells, value.index), convention)
            spalte = value.spalte or self._long_spalte(cells)
            if cell.wert is None:
                skip(line, skip_reason(gebiet or key, spalte, cell))
                if cell.zeichen is None:
                    continue
            zeichen = note_sign(cell.zeichen, _cell(cells, value.quality).lower())
            found.append(
                Record(
                    gebiet,
                    key,
                    zeitraum,
                    dict(merkmale),
                    cell.wert,
                    zeichen,
                    spalte,
                    line,
                    zeitart=zeitart,
                    bezirk=bezirk,
                )
            )
        return found

    def _long_spalte(self, cells: list[str]) -> str:
        return long_spalte(
            self.get(cells, "value_variable_label"),
            self.get(cells, "value_variable_code"),
            self.get(cells, "value_unit"),
        )


def read(rows: list[Row], name: str, regions: Regions) -> Table:
    """Read the rows of a flat file (the first row is its header)."""
    header_line, header = rows[0]
    names = [column_name(c) for c in header]
    reader = Rows(names, name, regions)
    width = len(names)
    sample = [
        cells[v.index] for _, cells in rows[1:2001] if len(cells) == width for v in reader.values
    ]
    convention = choose_convention(sample)
    skipped: list[tuple[int, str]] = []
    records: list[Record] = []
    statistic = ""
    for line, cells in rows[1:]:
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != width:
            raise SourceError(
                name,
                line,
                f"{len(cells)} Felder statt {width} wie in der Kopfzeile (Zeile {header_line})",
            )
        statistic = statistic or reader.get(cells, "statistics_code")
        records += reader.record(line, cells, convention, lambda n, why: skipped.append((n, why)))
    title = next((reader.get(c, "statistics_label") for _, c in rows[1:2] if len(c) == width), "")
    return table(name, header_line, statistic, title, records, skipped)


def table(
    name: str,
    header_line: int,
    statistic: str,
    title: str,
    records: Sequence[Record],
    skipped: list[tuple[int, str]],
) -> Table:
    """The table of a flat file read (publisher and table code from the file's name or
    its statistic)."""
    if not records and not skipped:
        raise SourceError(name, header_line + 1, "GENESIS-Flatfile ohne Datenzeilen")
    code = publishers.code_in(name.rsplit("/", 1)[-1], statistic or None)
    layout, source = publishers.describe(KIND, code or statistic or None, publishers.by_code(code))
    if not code and statistic:
        source = f"{source.split(', Tabelle')[0]}, Statistik {statistic}"
        layout = f"{KIND}, Statistik {statistic}"
    return Table(layout, source, None, records, skipped, title)
