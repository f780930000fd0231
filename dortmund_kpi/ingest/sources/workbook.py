"""Excel workbooks as grids of text cells, one per sheet: ``.xlsx`` through openpyxl,
old ``.xls`` (Excel 97) through xlrd, never parsed by hand.

A cell becomes the text the table readers read: a number in German notation
(``1234,5``, as written, never ``1e-05``), a date ``31.12.2024``, text as it is. A cell
formatted as a percentage shows ``82,3 %`` but holds 0.823: its text is ``82,3`` and the
cell is marked, so that its column gets the unit Prozent (never 0,823). A merged range
(a year over twelve months, a label over two header rows) gives its value to every cell
it covers. Cells holding a typed number are marked too: header rows hold years and
names, data rows numbers.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation

from dortmund_kpi.ingest.sources.model import SourceError

MAX_CELLS = 4_000_000  # per sheet: a sheet formatted to its last row is refused, not read
XLSX, XLS = ".xlsx", ".xls"


@dataclass
class Sheet:
    """One sheet: its rows of text cells (row 1 first) and the cells that are special."""

    name: str
    rows: list[list[str]]
    percent: set[tuple[int, int]] = field(default_factory=set)  # (row, column), 0-based
    numbers: set[tuple[int, int]] = field(default_factory=set)


def is_percent_format(number_format: str | None) -> bool:
    """A number format that shows the value times 100 with ``%`` (``0.0%``)."""
    if not number_format:
        return False
    plain = re.sub(r'"[^"]*"|\[[^\]]*\]|\\.', "", number_format)
    return "%" in plain


def number_text(value: float | int | Decimal, percent: bool = False) -> str:
    """A number as German text, exactly as stored (times 100 for a percent cell)."""
    try:
        number = value if isinstance(value, Decimal) else Decimal(repr(value))
    except InvalidOperation:
        return ""
    if not number.is_finite():
        return ""
    if percent:
        number = number.scaleb(2)
    text = format(number.normalize(), "f")
    return text.replace(".", ",")


def _text(value: object, percent: bool) -> tuple[str, bool]:
    """The text of a cell value and whether it is a typed number."""
    if value is None:
        return "", False
    if isinstance(value, bool):
        return ("WAHR" if value else "FALSCH"), False
    if isinstance(value, int | float):
        return number_text(value, percent), True
    if isinstance(value, datetime | date):
        return f"{value.day:02d}.{value.month:02d}.{value.year}", False
    if isinstance(value, time):
        return value.isoformat(), False
    return str(value).strip(), False


class _Grid:
    def __init__(self, name: str, rows: int, columns: int, file: str) -> None:
        if rows * columns > MAX_CELLS:
            raise SourceError(
                file, 1, f"Blatt „{name}“ hat {rows} Zeilen × {columns} Spalten: zu groß"
            )
        self.sheet = Sheet(name, [[""] * columns for _ in range(rows)])

    def put(self, row: int, column: int, value: object, number_format: str | None) -> None:
        percent = is_percent_format(number_format) and isinstance(value, int | float)
        text, number = _text(value, percent)
        self.sheet.rows[row][column] = text
        if percent and text:
            self.sheet.percent.add((row, column))
        if number and text:
            self.sheet.numbers.add((row, column))

    def merge(self, top: int, bottom: int, left: int, right: int) -> None:
        """Give the top-left cell's value to the range (bounds inclusive, 0-based)."""
        rows = self.sheet.rows
        if top >= len(rows) or not rows or left >= len(rows[0]):
            return
        text = rows[top][left]
        for r in range(top, min(bottom, len(rows) - 1) + 1):
            for c in range(left, min(right, len(rows[0]) - 1) + 1):
                rows[r][c] = text
                for marks in (self.sheet.percent, self.sheet.numbers):
                    if (top, left) in marks:
                        marks.add((r, c))

    def done(self) -> Sheet:
        rows = self.sheet.rows
        while rows and not any(rows[-1]):
            rows.pop()
        return self.sheet


def _xlsx(data: bytes, file: str) -> list[Sheet]:
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    sheets = []
    for ws in book.worksheets:
        grid = _Grid(ws.title, ws.max_row or 0, ws.max_column or 0, file)
        for row in ws.iter_rows():
            for cell in row:
                if cell.value is not None:
                    grid.put(cell.row - 1, cell.column - 1, cell.value, cell.number_format)
        for merged in ws.merged_cells.ranges:
            grid.merge(
                merged.min_row - 1, merged.max_row - 1, merged.min_col - 1, merged.max_col - 1
            )
        sheets.append(grid.done())
    return sheets


def _xls(data: bytes, file: str) -> list[Sheet]:
    import xlrd

    book = xlrd.open_workbook(file_contents=data, formatting_info=True)
    sheets = []
    for sh in book.sheets():
        grid = _Grid(sh.name, sh.nrows, sh.ncols, file)
        for r in range(sh.nrows):
            for c in range(sh.ncols):
                cell = sh.cell(r, c)
                value: object = cell.value
                if cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK, xlrd.XL_CELL_ERROR):
                    continue
                if cell.ctype == xlrd.XL_CELL_DATE:
                    value = xlrd.xldate_as_datetime(cell.value, book.datemode)
                elif cell.ctype == xlrd.XL_CELL_BOOLEAN:
                    value = bool(cell.value)
                xf = book.xf_list[cell.xf_index] if cell.xf_index is not None else None
                shown = book.format_map.get(xf.format_key) if xf is not None else None
                grid.put(r, c, value, shown.format_str if shown is not None else None)
        for top, bottom, left, right in sh.merged_cells:  # bottom and right exclusive
            grid.merge(top, bottom - 1, left, right - 1)
        sheets.append(grid.done())
    return sheets


def load(data: bytes, file: str) -> tuple[str, list[Sheet]]:
    """The kind (``.xlsx`` or ``.xls``) and the sheets of a workbook."""
    kind = XLSX if data.startswith(b"PK\x03\x04") else XLS
    what = "Excel-Arbeitsmappe (.xlsx)" if kind == XLSX else "Excel-97-Arbeitsmappe (.xls)"
    if kind == XLSX and b"opendocument.spreadsheet" in data[:200]:
        raise SourceError(file, 1, "ist eine OpenDocument-Tabelle (.ods): als .xlsx speichern")
    try:
        sheets = _xlsx(data, file) if kind == XLSX else _xls(data, file)
    except SourceError:
        raise
    except Exception as exc:  # a damaged workbook: any error of the reader is a message
        detail = " ".join(str(exc).split())[:120] or type(exc).__name__
        raise SourceError(file, 1, f"ist eine {what}, aber nicht lesbar: {detail}") from exc
    return kind, sheets
