"""Read an XLSX workbook in one of the import layouts into a table of text cells.

The one sheet whose first row is an import header is read; a workbook that
unpacks to more than ``MAX_XLSX_UNPACKED`` bytes (a zip bomb), merged cells and
formulas saved without their result are refused rather than guessed at. Like the
CSV reader it never interprets values, except that number cells of the layout's
value column are kept as numbers next to their text.
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import datetime

from dortmund_kpi.ingest.issues import Issue
from dortmund_kpi.ingest.layouts import (
    HEADER_HINT,
    MAX_COLUMNS,
    OBSERVATIONS,
    detect_layout,
    header_columns,
)
from dortmund_kpi.ingest.readers import Progress, RawTable, require_rows
from dortmund_kpi.periods import period_from_cell

MAX_XLSX_UNPACKED = 200 * 1024 * 1024


def _xlsx_guard(data: bytes, name: str) -> list[Issue]:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile:
        return [
            Issue(
                name,
                1,
                "datei",
                "keine gültige XLSX-Datei (erwartet eine Excel-Arbeitsmappe oder eine CSV-Datei)",
            )
        ]
    if unpacked > MAX_XLSX_UNPACKED:
        return [
            Issue(
                name,
                1,
                "datei",
                f"XLSX entpackt {unpacked // 2**20} MB groß "
                f"(erlaubt {MAX_XLSX_UNPACKED // 2**20} MB): Datei prüfen oder als CSV speichern",
            )
        ]
    return []


def read_xlsx_bytes(
    data: bytes, name: str, progress: Progress | None = None
) -> RawTable | list[Issue]:
    issues = _xlsx_guard(data, name)
    if issues:
        return issues
    import openpyxl  # imported here: only XLSX imports need it

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for broken archives
        return [
            Issue(
                name,
                1,
                "datei",
                f"XLSX nicht lesbar ({type(exc).__name__}): Datei in "
                "Excel öffnen und neu speichern",
            )
        ]
    try:
        found = _find_sheet(book, name)
        if isinstance(found, list):
            return found
        sheet, positions, width, layout = found
        issues = _merged_cells(data, sheet._worksheet_path, name)
        if issues:
            return issues
        table = _sheet_table(sheet, positions, width, name, progress, layout)
        if isinstance(table, RawTable) and layout is OBSERVATIONS:
            issues = _formulas_without_result(data, sheet.title, positions, table, name)
        return issues or table
    finally:
        book.close()


def _find_sheet(book, name: str) -> tuple | list[Issue]:
    found = []
    header_problems: list[Issue] = []
    for sheet in book.worksheets:
        first = next(sheet.iter_rows(min_row=1, max_row=1, values_only=True), None)
        cells = [str(c) if c is not None else "" for c in (first or ())][:MAX_COLUMNS]
        layout = detect_layout(cells)
        positions, issues = header_columns(cells, name, layout)
        if not issues:
            found.append((sheet, positions, len(cells), layout))
        elif layout is not OBSERVATIONS:
            header_problems = header_problems or issues
    if not found and header_problems:
        return header_problems  # a measures or trends sheet with a missing or unknown column
    if not found:
        return [Issue(name, 1, "kopfzeile", f"kein Tabellenblatt mit der Kopfzeile {HEADER_HINT}")]
    if len(found) > 1:
        titles = ", ".join(s.title for s, _, _, _ in found)
        return [
            Issue(
                name,
                1,
                "datei",
                f"mehrere Tabellenblätter mit Daten ({titles}): bitte nur ein Blatt je Datei",
            )
        ]
    return found[0]


_MERGE = re.compile(rb'<mergeCell ref="([A-Z]+)(\d+):([A-Z]+)(\d+)"')


def _merged_cells(data: bytes, sheet_path: str, name: str) -> list[Issue]:
    """Merged cells hide values from every row but the first: refuse, never guess.

    openpyxl's read-only mode does not report them, so read the sheet's XML.
    """
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        xml = archive.read(sheet_path.lstrip("/"))
    ranges = _MERGE.findall(xml)
    if not ranges:
        return []
    refs = ", ".join(
        f"{a.decode()}{b.decode()}:{c.decode()}{d.decode()}" for a, b, c, d in ranges[:5]
    )
    first_row = min(int(b) for _, b, _, _ in ranges)
    return [
        Issue(
            name,
            first_row,
            "datei",
            f"verbundene Zellen ({refs}): bitte den Zellverbund "
            "aufheben und jede Zeile vollständig ausfüllen",
        )
    ]


def _formulas_without_result(
    data: bytes, title: str, positions: dict[str, int], table: RawTable, name: str
) -> list[Issue]:
    """A formula cell saved without its result reads as empty: that is not a missing value."""
    empty = {
        line
        for line, text, num in zip(
            table.lines, table.columns["wert"], table.numeric_values or [], strict=False
        )
        if not str(text).strip() and num is None
    }
    if not empty:
        return []
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    try:
        issues = []
        column = positions["wert"]
        for number, row in enumerate(book[title].iter_rows(min_row=2, values_only=True), start=2):
            raw = row[column] if column < len(row) else None
            if number in empty and isinstance(raw, str) and raw.startswith("="):
                issues.append(
                    Issue(
                        name,
                        number,
                        "wert",
                        "Formel ohne gespeichertes Ergebnis "
                        "(erwartet eine Zahl: Datei in Excel öffnen, neu berechnen "
                        "und speichern)",
                    )
                )
        return issues
    finally:
        book.close()


def _cell_text(key: str, value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime) and key in ("beginn", "frist", "statusdatum", "bewertet_am"):
        return value.strftime("%d.%m.%Y")  # a date cell of a measures sheet
    if key == "zeitraum" and not isinstance(value, str):
        period = period_from_cell(value)
        return period.template_text if period else str(value)
    return str(value)


def _sheet_table(
    sheet, positions, width, name, progress, layout=OBSERVATIONS
) -> RawTable | list[Issue]:
    table = RawTable(file=name, delimiter="xlsx", columns={k: [] for k in positions}, layout=layout)
    value_pos = positions.get(layout.value_column or "")
    table.numeric_values = [] if value_pos is not None else None
    for number, row in enumerate(sheet.iter_rows(min_row=2, values_only=True), start=2):
        if not any(c is not None and str(c).strip() for c in row):
            continue
        for key, pos in positions.items():
            value = row[pos] if pos < len(row) else None
            table.columns[key].append(_cell_text(key, value))
        if table.numeric_values is not None and value_pos is not None:
            wert = row[value_pos] if value_pos < len(row) else None
            numeric = isinstance(wert, int | float) and not isinstance(wert, bool)
            table.numeric_values.append(float(wert) if numeric else None)
        table.lines.append(number)
        if progress and len(table.lines) % 50_000 == 0:
            progress(len(table.lines), sheet.max_row or 0)
    return require_rows(table, name)
