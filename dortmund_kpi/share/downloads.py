"""Downloads of what a view shows: XLSX with a metadata sheet, chart images (PNG/SVG).

Chart images are rendered by kaleido with the system Chromium (``BROWSER_PATH``,
default ``/usr/bin/chromium``); one browser is kept running per process, since
starting it costs seconds and each image then takes a fraction of one.
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import threading
import warnings
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from dortmund_kpi import texts
from dortmund_kpi.formatting import BOM, neutralise
from dortmund_kpi.share.template_files import check_xlsx_rows
from dortmund_kpi.views import picture

IMAGE_WIDTH, IMAGE_HEIGHT = 1400, 700
# White around an exported chart, in px of the requested size. On the page a chart sits in
# a padded box; an image alone had its title and y-axis labels at the very edge (cut off
# in a slide or a document). plotly has no outer padding (automargin sizes a margin to fit
# the tick labels, flush with the edge), so the chart is drawn smaller and framed.
IMAGE_BORDER = 24
_lock = threading.Lock()
_server_started = False


class ExportError(RuntimeError):
    """An export cannot be made here; the message says what to install."""


def chromium_path() -> str | None:
    configured = os.environ.get("BROWSER_PATH")
    if configured and os.path.exists(configured):
        return configured
    return shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("chrome")


def image_export_available() -> bool:
    return chromium_path() is not None


def figure_image(
    fig: go.Figure, fmt: str, width: int = IMAGE_WIDTH, height: int = IMAGE_HEIGHT
) -> bytes:
    """PNG (scale 2) or SVG of a figure, with its title, footer and markers, framed in
    white (``IMAGE_BORDER``) at the requested size."""
    global _server_started
    path = chromium_path()
    if path is None:
        raise ExportError(
            "Bildexport braucht Chromium (Installation: sudo apt-get install chromium)"
        )
    os.environ.setdefault("BROWSER_PATH", path)
    import kaleido

    inner = (width - 2 * IMAGE_BORDER, height - 2 * IMAGE_BORDER)
    drawn = picture.fitted(fig, *inner)  # a map's zoom, the footer's lines (a copy)
    scale = 2 if fmt == "png" else 1

    with _lock, warnings.catch_warnings():
        # plotly warns that its default browser options are unused with a running server
        warnings.filterwarnings("ignore", message="The kopts argument is ignored")
        if not _server_started:
            kaleido.start_sync_server(silence_warnings=True)
            _server_started = True
        image = drawn.to_image(format=fmt, scale=scale, width=inner[0], height=inner[1])
    return _framed_png(image, scale) if fmt == "png" else _framed_svg(image, width, height)


def _framed_png(image: bytes, scale: int) -> bytes:
    from PIL import Image  # python-pptx's dependency; only exports need it

    chart = Image.open(io.BytesIO(image))
    border = IMAGE_BORDER * scale
    framed = Image.new(chart.mode, (chart.width + 2 * border, chart.height + 2 * border), "white")
    framed.paste(chart, (border, border))
    out = io.BytesIO()
    framed.save(out, format="PNG")
    return out.getvalue()


def _framed_svg(image: bytes, width: int, height: int) -> bytes:
    """The chart's own ``<svg>`` nested at the border's offset in a white one of full size."""
    chart = image.decode("utf-8").replace(
        "<svg ", f'<svg x="{IMAGE_BORDER}" y="{IMAGE_BORDER}" ', 1
    )
    frame = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}"><rect width="{width}" height="{height}" fill="#fff"/>'
    )
    return (frame + chart + "</svg>").encode("utf-8")


def stop_image_server() -> None:
    global _server_started
    import kaleido

    with _lock:
        if _server_started:
            kaleido.stop_sync_server(silence_warnings=True)
            _server_started = False


def xlsx_with_metadata(
    table: pd.DataFrame,
    metadata: list[tuple[str, str]],
    extra: dict[str, pd.DataFrame] | None = None,
) -> bytes:
    """Sheet "Daten" (the table as shown, numbers as numbers), sheet "Metadaten", and
    any ``extra`` sheets (e.g. the linked measures) by title.

    Text that a spreadsheet would run as a formula gets a leading apostrophe.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    data = book.active
    data.title = "Daten"
    data.append([neutralise(c) for c in table.columns])
    for row in table.itertuples(index=False):
        data.append([_cell(v) for v in row])
    for cell in data[1]:
        cell.font = Font(bold=True)
    for sheet_title, frame in (extra or {}).items():
        sheet = book.create_sheet(sheet_title)
        sheet.append([neutralise(c) for c in frame.columns])
        for row in frame.itertuples(index=False):
            sheet.append([_cell(v) for v in row])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
    _metadata_sheet(book, metadata)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _metadata_sheet(book: Any, metadata: list[tuple[str, str]]) -> None:
    """The sheet "Metadaten": field and value per row, wide enough to read a link (a
    write-only workbook takes column widths before its rows, and no cell styles)."""
    meta = book.create_sheet(texts.METADATA_SHEET)
    meta.column_dimensions["A"].width = 22
    meta.column_dimensions["B"].width = 100
    meta.append(list(texts.METADATA_COLUMNS))
    for label, value in metadata:
        meta.append([neutralise(label), neutralise(value)])


def _cell(value: object) -> object:
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return None if pd.isna(value) else value
    return neutralise(value)


def rows_csv(header: list[str], rows: list[list]) -> bytes:
    """Rows as German Excel CSV (UTF-8 with BOM, ``;``), as the importer reads them back."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return (BOM + buffer.getvalue()).encode("utf-8")


def rows_xlsx(
    sheet_name: str,
    header: list[str],
    rows: list[list],
    metadata: list[tuple[str, str]] | None = None,
) -> bytes:
    """Rows as one sheet of an XLSX workbook (refused above Excel's row limit); with
    ``metadata`` a sheet "Metadaten" after it (the importer reads only the sheet whose
    first row is an import header, so the workbook imports as before)."""
    from openpyxl import Workbook

    check_xlsx_rows(len(rows))
    book = Workbook(write_only=True)
    sheet = book.create_sheet(sheet_name)
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    if metadata:
        _metadata_sheet(book, metadata)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
