"""Open a published statistics file, recognise its family and read it into a ``Table``.

Recognised, in this order: Excel workbooks (``.xlsx``, ``.xls``, by their first bytes:
``excel``), JSON record exports of Opendatasoft portals (``opendatasoft``), GENESIS flat
files (``ffcsv``, by their header), GENESIS table CSVs (by the table code in the title
or the © line of a statistics office), the Breitbandatlas (``breitband``: ``AGS`` and
technology × bandwidth columns), Opendatasoft CSV exports (technical field names such
as ``stadtbezirk_nr``) and, last, any wide table with one header row (``wide``).
Anything else is refused with ``SourceError`` saying what it is, if that is clear (a
GeoJSON file, a PDF, a file in the import template format), and what was expected.

``assign_period`` applies ``--zeitraum``: records without a period get it; records whose
period lies within it (the Stichtag 31.12.2024 within the year 2024) take its label.
"""

from __future__ import annotations

import json
import re
import stat
from dataclasses import replace
from pathlib import Path

from dortmund_kpi import os_text
from dortmund_kpi.ingest.sources import (
    breitband,
    excel,
    ffcsv,
    ffcsv_columns,
    genesis_table,
    opendatasoft,
    publishers,
    wide,
)
from dortmund_kpi.ingest.sources.model import RecordColumns, SourceError, Table
from dortmund_kpi.ingest.sources.regions import Regions, regions_for
from dortmund_kpi.ingest.sources.signs import is_value_text
from dortmund_kpi.ingest.sources.table_shape import looks_like_table
from dortmund_kpi.ingest.sources.text import (
    BOM,
    TEMPLATE_MESSAGE,
    Row,
    decode,
    decode_named,
    first_row,
    head_lines,
    is_template,
    read_rows,
    sniff_delimiter,
    trimmed,
)
from dortmund_kpi.ingest.sources.times import When, read_period
from dortmund_kpi.periods import parse_period

EXPECTED = (
    "erwartet eine amtliche Tabelle: GENESIS-Tabelle als CSV oder Excel (Titelzeilen wie "
    "„Tabelle: 22811-01i“, Kopfzeilen, Gebietsschlüssel und -namen, ©-Zeile), "
    "GENESIS-Flatfile (ffcsv) mit der Kopfzeile statistics_code;…;time;…;1_variable_code;…, "
    "eine breite Tabelle mit einer Kopfzeile (Zeiträume oder Kennzahlen als Spalten) oder "
    "einen Opendatasoft-Export (CSV, JSON)"
)


def read_source(path: Path, data_dir: Path, max_bytes: int, blatt: str | None = None) -> Table:
    """Read one published file; ``SourceError`` if it is not an official table."""
    name = str(path)
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            raise SourceError(name, 1, f"keine normale Datei ({EXPECTED})")
        if info.st_size > max_bytes:
            size = f"{info.st_size / 2**20:.1f}".replace(".", ",")
            raise SourceError(name, 1, f"Datei ist {size} MB groß: bitte aufteilen")
        data = path.read_bytes()
    except IsADirectoryError as exc:
        raise SourceError(name, 1, f"ist ein Verzeichnis ({EXPECTED})") from exc
    except FileNotFoundError as exc:
        raise SourceError(name, 1, "Datei nicht gefunden") from exc
    except OSError as exc:
        raise SourceError(name, 1, f"nicht lesbar: {os_text.reason(exc)}") from exc
    return read_source_bytes(data, name, data_dir, blatt)


def _is_json(text: str) -> bool:
    """Text that begins as JSON does (an object or a list), not a CSV's first cell."""
    stripped = text.lstrip()
    if not stripped.startswith(("{", "[")):
        return False
    try:
        json.loads(stripped)
    except ValueError:
        return bool(re.match(r'^(\{\s*("|\})|\[\s*[\[{"\]\d-]|\[\s*$)', stripped))
    return True


def read_source_bytes(data: bytes, name: str, data_dir: Path, blatt: str | None = None) -> Table:
    """Read the bytes of one published file (``name`` for messages and the table code)."""
    if data.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):
        return excel.read(data, name, regions_for(data_dir), blatt)
    if data.startswith(b"%PDF"):
        raise SourceError(name, 1, f"ist ein PDF-Dokument, keine Tabelle ({EXPECTED})")
    text, encoding = decode_named(data, name, EXPECTED)
    if not text or text.isspace():
        raise SourceError(name, 1, f"Datei ist leer ({EXPECTED})")
    if _is_json(text):
        return opendatasoft.read_json(text.lstrip("\ufeff"), name, regions_for(data_dir))
    delimiter = sniff_delimiter(head_lines(text, 12))
    found = first_row(text, name, delimiter)
    if found is None:
        raise SourceError(name, 1, f"Datei ist leer ({EXPECTED})")
    regions = regions_for(data_dir)
    first = (found[0], trimmed(found[1]))
    if ffcsv.is_header(first[1]):
        utf8 = encoding == "utf-8"  # the file's own bytes, else the text in UTF-8
        raw = data if utf8 else text.encode("utf-8")
        del text  # the columns are read from the bytes: the text need not stay in memory
        start = len(BOM) if utf8 and data.startswith(BOM) else 0
        table = _read_flat_columns(raw, start, found, delimiter, name, regions)
        if table is not None:
            return table
        text = decode(data, name, EXPECTED)
    rows = read_rows(text, name, delimiter)
    if ffcsv.is_header(first[1]):
        start = next(i for i, (line, _) in enumerate(rows) if line == first[0])
        return ffcsv.read(rows[start:], name, regions)
    if is_template(first[1]):
        raise SourceError(name, first[0], TEMPLATE_MESSAGE)
    if looks_like_table(rows):
        return genesis_table.read(rows, name, regions)
    return _read_wide(rows, first, name, regions)


def _read_flat_columns(
    raw: bytes, start: int, header: Row, delimiter: str, name: str, regions: Regions
) -> Table | None:
    """A flat file of plain rows (``raw``: in UTF-8, its text from byte ``start``) read
    column by column (None: read it row by row)."""
    for _ in range(header[0] - 1):  # the lines before the header (blank ones)
        start = raw.find(b"\n", start) + 1
    return ffcsv_columns.read(raw, start, header, delimiter, name, regions)


def _read_wide(rows: list[Row], first: Row, name: str, regions: Regions) -> Table:
    """A table with one header row (after title lines of one cell)."""
    start = next(i for i, (line, _) in enumerate(rows) if line == first[0])
    title = []
    for line, cells in rows[start:]:
        filled = [c for c in cells if c.strip()]
        if len(filled) > 1:
            header = (line, cells)
            break
        if filled:
            title.append(filled[0].strip())
    else:
        raise SourceError(name, first[0], f"keine amtliche Tabelle erkannt ({EXPECTED})")
    body = [row for row in rows if row[0] > header[0]]
    cells = trimmed(header[1])
    if breitband.is_header(cells):
        return breitband.read([header, *body], name, regions)
    if opendatasoft.is_header(cells):
        return opendatasoft.read_csv([header, *body], name, regions)
    if sum(map(is_value_text, cells)) > sum(_is_period(c) for c in cells) + 1:
        raise SourceError(
            name, header[0], f"keine Kopfzeile: die erste Zeile hält Zahlenwerte ({EXPECTED})"
        )
    try:
        family = wide.Family(wide.KIND, publishers.UNNAMED)
        return wide.read(header, body, name, regions, family, " ".join(title))
    except SourceError as exc:
        raise SourceError(name, exc.line, f"{exc.message} ({EXPECTED})") from exc


def _is_period(text: str) -> bool:
    return isinstance(read_period(text), When)


def parse_assigned(text: str) -> When | None:
    """A period given on the command line (``--zeitraum``): any form ``read_period`` or
    the import template reads."""
    found = read_period(text)
    if isinstance(found, When):
        return found
    period = parse_period(text)
    return When(period.label, "Zeitraum") if period else None


def _bounds(label: str) -> tuple[str, str] | None:
    """First and last day of a product period label, as ISO text (None: no such label)."""
    period = parse_period(label)
    if period is None:
        return None
    return period.start.isoformat(), period.end.isoformat()


def assign_period(table: Table, when: When) -> Table:
    """Records without a period get ``when``; those within it take its label; others go."""
    outer = _bounds(when.label)

    def within(label: str) -> bool:
        if not label or label == when.label:
            return True
        inner = _bounds(label)
        return bool(outer and inner and outer[0] <= inner[0] and inner[1] <= outer[1])

    if isinstance(table.records, RecordColumns):  # decided once per period
        assigned = (when.label, when.kind)
        return replace(
            table,
            records=table.records.with_periods(lambda label: assigned if within(label) else None),
        )
    kept = [
        replace(record, zeitraum=when.label, zeitart=when.kind)
        for record in table.records
        if within(record.zeitraum)
    ]
    return replace(table, records=kept)
