"""Excel workbooks of official and city tables (``.xlsx``, old ``.xls``): the sheet that
holds the table is read like the CSV of the same table.

``workbook`` turns each sheet into rows of text cells (merged ranges filled, percent
cells times 100 and marked). Here a sheet's parts are found: title rows (one cell, row 1
on), header rows (names, years, months, units: no cell holds a value) and data rows (the
first row with a number that is not a year). A single header row is a wide table
(``wide``); several header rows (year × month × sex, merged) are read as a GENESIS table
(``table_shape``, ``genesis_table``), each level an attribute or the period. A column of
percent cells has the unit Prozent.

The sheet: the one named (``blatt``), else the one holding the most of Dortmund and its
Stadtbezirke (a workbook with a Länder, a Kreise and a Stadtbezirke sheet gives the
Stadtbezirke), else the first with a table. The layout names the sheet. A sheet in the
import template format is refused as the CSV would be.
"""

from __future__ import annotations

from dataclasses import replace

from dortmund_kpi.ingest.sources import genesis_table, publishers, wide, workbook
from dortmund_kpi.ingest.sources.model import SourceError, Table
from dortmund_kpi.ingest.sources.regions import Regions
from dortmund_kpi.ingest.sources.signs import is_value_text
from dortmund_kpi.ingest.sources.table_shape import shape_of, table_code
from dortmund_kpi.ingest.sources.text import TEMPLATE_MESSAGE, Row, is_template, trimmed
from dortmund_kpi.ingest.sources.times import When, read_period

KIND = "Excel-Tabelle"


def _is_data_cell(text: str) -> bool:
    """A value (or GENESIS sign) that no header holds: not a year, not a period."""
    return is_value_text(text) and not isinstance(read_period(text), When)


def _parts(rows: list[Row]) -> tuple[list[Row], list[Row], int | None]:
    """Title rows, header rows and the line of the first data row."""
    title: list[Row] = []
    header: list[Row] = []
    for line, cells in rows:
        filled = [c for c in cells if c.strip()]
        if not filled:
            continue
        if any(_is_data_cell(c) for c in cells):
            return title, header, line
        if not header and len(filled) == 1:
            title.append((line, cells))
        else:
            header.append((line, cells))
    return title, header, None


def read_sheet(sheet: workbook.Sheet, name: str, regions: Regions) -> Table:
    rows: list[Row] = [(i + 1, cells) for i, cells in enumerate(sheet.rows)]
    first = next(((line, cells) for line, cells in rows if any(c.strip() for c in cells)), None)
    if first is None:
        raise SourceError(name, 1, "Blatt ist leer")
    title, header, data_line = _parts(rows)
    for line, cells in [*title, *header][:3]:
        if is_template(cells):
            raise SourceError(name, line, TEMPLATE_MESSAGE)
    if data_line is None:
        raise SourceError(name, first[0], "keine Zeile mit Zahlenwerten")
    if not header:
        raise SourceError(name, data_line, "keine Kopfzeile über den Zahlenwerten")
    percent_columns = {c for r, c in sheet.percent if r + 1 >= data_line}
    title_text = [trimmed(cells)[0].strip() for _, cells in title if trimmed(cells)]
    footer = [" ".join(c for c in cells if c.strip()) for _, cells in rows[data_line:]][-12:]
    publisher = next((p for f in footer if "©" in f and (p := publishers.by_copyright(f))), None)
    code = table_code(title_text)
    publisher = publisher or publishers.by_code(code)
    if len(header) == 1:
        _, source = publishers.describe(KIND, code, publisher)
        units = dict.fromkeys(percent_columns, wide.PERCENT)
        family = wide.Family(KIND, source, convention="de", units=units)
        data = [(line, cells) for line, cells in rows if line >= data_line]
        return wide.read(header[0], data, name, regions, family, " ".join(title_text))
    shape = shape_of(rows, name, first_data=data_line)
    shape.units = [
        wide.PERCENT if shape.labels + j in percent_columns else ""
        for j in range(shape.width - shape.labels)
    ]
    kind = genesis_table.KIND if shape.code else KIND
    return genesis_table.read_shape(shape, regions, kind)


def _score(table: Table) -> tuple[int, int]:
    ours = {r.bezirk for r in table.records if r.bezirk}
    return len(ours), sum(1 for r in table.records if r.bezirk and r.wert is not None)


def read(data: bytes, name: str, regions: Regions, blatt: str | None = None) -> Table:
    """Read the table of a workbook (of the sheet ``blatt``, if named)."""
    kind, sheets = workbook.load(data, name)
    if blatt is not None:
        named = [s for s in sheets if s.name.strip().lower() == blatt.strip().lower()]
        if not named:
            listed = ", ".join(f"„{s.name}“" for s in sheets)
            raise SourceError(name, 1, f"kein Blatt „{blatt}“ (Blätter: {listed})")
        sheets = named
    found: list[tuple[workbook.Sheet, Table]] = []
    errors: list[SourceError] = []
    for sheet in sheets:
        try:
            found.append((sheet, read_sheet(sheet, name, regions)))
        except SourceError as exc:
            if exc.message == TEMPLATE_MESSAGE:
                raise
            errors.append(SourceError(name, exc.line, f"Blatt „{sheet.name}“: {exc.message}"))
    if not found:
        if errors:
            raise errors[0]
        raise SourceError(name, 1, f"Arbeitsmappe ({kind}) ohne Blätter")
    sheet, table = max(found, key=lambda pair: _score(pair[1]))
    of = f" von {len(sheets)}" if len(sheets) > 1 else ""
    return replace(table, layout=f"{table.layout}, {kind}-Blatt „{sheet.name}“{of}")
