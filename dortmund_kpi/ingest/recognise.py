"""Tell an official table from a file in the import template format, cheaply.

``dortmund-kpi import FILE`` without ``--indikator`` imports a template file as always
and an official table by its remembered mapping. A template file is told by its header
(the first 64 KB of a CSV, the first row of each sheet of a workbook), so a large
template import does not read its file twice; anything else is tried as an official
table, and what is none goes to the template import, which says what is wrong with it.
"""

from __future__ import annotations

from pathlib import Path

from dortmund_kpi.ingest.layouts import (
    MAX_COLUMNS,
    detect_layout,
    header_columns,
    meant_as_template,
)
from dortmund_kpi.ingest.sources.model import SourceError, Table
from dortmund_kpi.ingest.sources.read import read_source
from dortmund_kpi.settings import Settings

HEAD_BYTES = 64 * 1024


def recognise(path: Path, settings: Settings) -> Table | None:
    """The file read as an official table, or None if it is none (a file in the template
    format is told by its header without reading it whole)."""
    if _template_header(path):
        return None
    try:
        return read_source(path, settings.data_dir, settings.max_import_bytes)
    except SourceError:
        return None


def _template_header(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            head = handle.read(HEAD_BYTES)
    except OSError:
        return True  # the template import says what is wrong with the file
    if head.startswith(b"PK\x03\x04"):
        return _xlsx_template(path)
    if b"\x00" in head:
        return False
    text = head.decode("utf-8", errors="replace").lstrip("\ufeff")
    first = next((line for line in text.splitlines() if line.strip()), "")
    cells = next((first.split(d) for d in (";", "\t", ",") if d in first), [first])
    layout = detect_layout(cells)
    return meant_as_template(cells) or not header_columns(cells, str(path), layout)[1]


def _xlsx_template(path: Path) -> bool:
    """A workbook with a sheet whose first row is an import header (read only that row)."""
    import openpyxl  # only workbooks need it

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception:  # the template import names what is wrong
        return True
    try:
        for sheet in book.worksheets:
            first = next(sheet.iter_rows(max_row=1, max_col=MAX_COLUMNS, values_only=True), ())
            cells = ["" if c is None else str(c) for c in first]
            if cells and (
                meant_as_template(cells)
                or not header_columns(cells, str(path), detect_layout(cells))[1]
            ):
                return True
        return False
    finally:
        book.close()
