"""Export current observations in the import template format (plus data kind and source).

``export -> import into an empty database -> export`` gives the identical file:
values are written exactly (shortest round-trip text, decimal comma, no
grouping), periods in template form, districts by name.
"""

from __future__ import annotations

import csv
import io

import pandas as pd

from dortmund_kpi.formatting import BOM, format_number_plain, neutralise
from dortmund_kpi.periods import period_from_label

EXPORT_HEADER = ["indikator", "bezirk", "zeitraum", "wert", "anmerkung", "quelle", "datenart"]


def template_rows(frame: pd.DataFrame) -> list[list[object]]:
    """Rows in template order; ``wert`` stays a float (the writer formats it)."""
    periods = {label: period_from_label(label).template_text for label in frame["period"].unique()}
    return [
        [
            r.indicator_id,
            r.area_name,
            periods[r.period],
            float(r.value),
            neutralise(r.note),
            neutralise(r.source),
            "amtlich" if r.is_official else "demo",
        ]
        for r in frame.itertuples(index=False)
    ]


def to_csv(frame: pd.DataFrame) -> bytes:
    """German Excel CSV: UTF-8 with BOM, ``;``, decimal comma."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(EXPORT_HEADER)
    for row in template_rows(frame):
        row[3] = format_number_plain(row[3])
        writer.writerow(row)
    return (BOM + buffer.getvalue()).encode("utf-8")


EXCEL_MAX_ROWS = 1_048_576  # rows of a worksheet, the header included (Excel's limit)


class TooManyRows(ValueError):
    """More rows than one Excel worksheet holds: refused, never cut off."""


def check_xlsx_rows(rows: int) -> None:
    """Refuse a sheet of ``rows`` data rows (plus the header) that Excel cannot open whole."""
    if rows + 1 > EXCEL_MAX_ROWS:
        raise TooManyRows(
            f"{rows:,} Zeilen passen nicht in ein Excel-Tabellenblatt (höchstens "
            f"{EXCEL_MAX_ROWS - 1:,} Zeilen unter der Kopfzeile); bitte --format csv".replace(
                ",", "."
            )
        )


def to_xlsx(frame: pd.DataFrame, sheet_title: str = "Daten") -> bytes:
    """XLSX with one data sheet in template columns; values as numbers."""
    from openpyxl import Workbook

    check_xlsx_rows(len(frame))
    book = Workbook(write_only=True)
    sheet = book.create_sheet(sheet_title)
    sheet.append(EXPORT_HEADER)
    for row in template_rows(frame):
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def template_csv() -> bytes:
    """The empty import template (header only), German Excel CSV."""
    return (BOM + ";".join(EXPORT_HEADER[:6]) + "\r\n").encode("utf-8")
