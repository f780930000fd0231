"""GENESIS table CSVs ("Tabelle" exports) of IT.NRW's Landesdatenbank and the other
statistics offices: every value cell becomes a ``Record``.

``table_shape`` finds title block, header, label columns and footer. Here the label
columns are read as the row dimensions: a column of region keys (AGS) with the names
beside it (indented by level, the indent is dropped) gives ``gebiet`` and
``schluessel``; a column whose cells are periods gives the period; every other label
column is a named attribute (named by the header where it names it, else
``Zeilenmerkmal N``). A label left empty under a filled one repeats the one above.
The dimensions of the column header (``Jahr``/``2023``, ``Geschlecht``/``weiblich``)
are attributes too, or the period. Publisher and licence come from the © footer.

Not yet: Excel workbooks of the same tables, and tables whose region names have no
key column and are not Dortmund's (such a name column is read as an attribute).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from dortmund_kpi.ingest.sources import publishers
from dortmund_kpi.ingest.sources.model import Record, Table
from dortmund_kpi.ingest.sources.regions import Place, Regions, looks_like_key
from dortmund_kpi.ingest.sources.signs import read_cell
from dortmund_kpi.ingest.sources.table_shape import (
    Shape,
    column_dimensions,
    is_period_dimension,
    label_names,
    shape_of,
)
from dortmund_kpi.ingest.sources.text import Row
from dortmund_kpi.ingest.sources.times import Part, When, combine, read_period

KIND = "GENESIS-Tabelle"


@dataclass(frozen=True)
class LabelColumns:
    """What each label column is."""

    key: int | None  # region keys
    name: int | None  # region names
    period: int | None
    attributes: list[tuple[int, str]]  # (column, attribute name)


def _filled_down(data: list[Row], labels: int) -> list[tuple[int, list[str], list[str]]]:
    """(line, label cells, value cells) with empty labels under filled ones repeated."""
    out = []
    above = [""] * labels
    for line, cells in data:
        row = (cells + [""] * labels)[:labels]
        last = max((i for i, c in enumerate(row) if c.strip()), default=-1)
        if last < 0:
            continue  # no labels: a stray line, not a value row
        row = [c if c.strip() or i > last else above[i] for i, c in enumerate(row)]
        above = row
        out.append((line, row, cells[labels:]))
    return out


def _is_periods(values: list[str]) -> bool:
    texts = [v.strip() for v in values if v.strip()]
    return bool(texts) and all(read_period(t) is not None for t in texts)


def _is_key_column(texts: list[str], beside: tuple[str, ...] | None) -> bool:
    """Region keys (mostly), and not years unless names stand beside them."""
    if not texts or sum(map(looks_like_key, texts)) < 0.8 * len(texts):
        return False
    return not _is_periods(texts) or (beside is not None and not _is_periods(list(beside)))


def label_columns(rows: list[tuple[int, list[str], list[str]]], shape: Shape, regions: Regions):
    names = label_names(shape)
    columns = list(zip(*(labels for _, labels, _ in rows), strict=True)) if rows else []
    key = name = period = None
    for i, column in enumerate(columns):
        texts = [c.strip() for c in column if c.strip()]
        if key is None and _is_key_column(texts, columns[i + 1] if i + 1 < len(columns) else None):
            key = i
            name = i + 1 if i + 1 < len(columns) else None
            continue
        if i == name:
            continue
        if period is None and is_period_dimension(names[i], texts):
            period = i
            continue
    if key is None and name is None:
        for i, column in enumerate(columns):
            if i != period and any(regions.place(None, c).bezirk for c in column if c.strip()):
                name = i
                break
    attributes = []
    for i in range(len(columns)):
        if i not in (key, name, period):
            attributes.append((i, names[i] or f"Zeilenmerkmal {len(attributes) + 1}"))
    return LabelColumns(key, name, period, attributes)


def _period(texts: list[str]) -> tuple[str, str | None]:
    """The period of a value cell from its period texts (a year and a part joined)."""
    whole: When | None = None
    parts: list[Part] = []
    raw = ""
    for text in texts:
        found = read_period(text)
        if isinstance(found, When):
            whole = whole or found
        elif isinstance(found, Part):
            parts.append(found)
        elif text:
            raw = raw or text
    if whole is None:
        return raw, None
    for part in parts:
        whole = combine(whole, part) or whole
    return whole.label, whole.kind


@dataclass(frozen=True)
class ValueColumn:
    """What a value column is: its header (``spalte``), the attributes its header gives
    and the period texts of its header (joined with the row's period)."""

    spalte: str
    merkmale: dict[str, str]
    period: list[str]


LabelRow = tuple[int, list[str], list[str]]  # (line, label cells, value cells)


def records_of(
    rows: list[LabelRow],
    cols: LabelColumns,
    values: list[ValueColumn],
    place_of: Callable[[list[str]], Place],
    convention: str = "de",
) -> tuple[list[Record], list[tuple[int, str]]]:
    """One record per value cell of each row (the shared core of the table readers)."""
    records: list[Record] = []
    skipped: list[tuple[int, str]] = []
    for line, labels, cells in rows:
        place = place_of(labels)
        row_attrs = {attr: labels[i].strip() for i, attr in cols.attributes}
        row_period = [labels[cols.period].strip()] if cols.period is not None else []
        for j, column in enumerate(values):
            cell = read_cell(cells[j] if j < len(cells) else "", convention)
            where = f"{place.gebiet}, {column.spalte}"
            if cell.wert is None and cell.zeichen is None:
                skipped.append((line, f"{where}: {cell.missing}"))
                continue
            if cell.wert is None:
                skipped.append((line, f"{where}: „{cell.zeichen}“ {cell.missing}"))
            zeitraum, zeitart = _period(row_period + column.period)
            records.append(
                Record(
                    place.gebiet,
                    place.schluessel,
                    zeitraum,
                    row_attrs | column.merkmale,
                    cell.wert,
                    cell.zeichen,
                    column.spalte,
                    line,
                    zeitart=zeitart,
                    bezirk=place.bezirk,
                )
            )
    return records, skipped


def read(rows: list[Row], name: str, regions: Regions) -> Table:
    """Read the rows of a GENESIS table CSV."""
    return read_shape(shape_of(rows, name), regions)


def read_shape(shape: Shape, regions: Regions, kind: str = KIND) -> Table:
    """Read a table whose parts ``table_shape`` (or an Excel sheet) found."""
    header = column_dimensions(shape)
    dims, period_dims = header.dims, header.periods
    values = [
        ValueColumn(
            spalte,
            {n: v[j] for i, (n, v) in enumerate(dims) if i not in period_dims},
            [dims[i][1][j] for i in period_dims],
        )
        for j, spalte in enumerate(header.spalten)
    ]
    data = _filled_down(shape.data, shape.labels)
    cols = label_columns(data, shape, regions)
    if cols.key is not None and cols.name is not None:
        # a row naming a region of its own does not take the key of the row above
        raw = {line: cells + [""] * shape.labels for line, cells in shape.data}
        for line, labels, _ in data:
            if raw[line][cols.name].strip():
                labels[cols.key] = raw[line][cols.key]
    key_values = [labels[cols.key] for _, labels, _ in data] if cols.key is not None else []
    scheme = regions.numbering(key_values) if key_values else None
    records, skipped = records_of(
        data, cols, values, lambda labels: _place(labels, cols, regions, scheme)
    )
    copyright_lines = [line for line in shape.footer if "©" in line or "(c)" in line.lower()]
    publisher = next(filter(None, map(publishers.by_copyright, copyright_lines)), None)
    publisher = publisher or publishers.by_code(shape.code)
    layout, source = publishers.describe(kind, shape.code, publisher)
    licence = publishers.licence_in(shape.footer)
    return Table(layout, source, licence, records, skipped, " ".join(shape.title))


def _place(labels: list[str], cols: LabelColumns, regions: Regions, scheme: str | None) -> Place:
    key = labels[cols.key].strip() if cols.key is not None else None
    name = labels[cols.name].strip() if cols.name is not None else ""
    if key is None and not name:
        return Place("", None, None)
    return regions.place(key, name, scheme)
