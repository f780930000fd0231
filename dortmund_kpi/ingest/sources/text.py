"""Bytes of a published CSV file as text and rows, each with its physical line number.

Statistics offices write ISO-8859-1 (IT.NRW, the Landesdatenbanken), Windows-1252 or
UTF-8 with a byte order mark (GENESIS flat files); all three are read. UTF-16 and
binary files are refused with a message.
"""

from __future__ import annotations

import csv
import io

from dortmund_kpi.ingest.sources.model import SourceError

Row = tuple[int, list[str]]  # (first physical line of the record, cells)
MAX_FIELD = 2**24


def decode(data: bytes, name: str, expected: str) -> str:
    """The text of a file: UTF-8 (BOM stripped), else Windows-1252, else ISO-8859-1."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise SourceError(name, 1, f"Zeichenkodierung UTF-16 nicht unterstützt ({expected})")
    if b"\x00" in data:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        raise SourceError(name, line, f"enthält NUL-Bytes: keine Textdatei ({expected})")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    for encoding in ("utf-8", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def sniff_delimiter(lines: list[str]) -> str:
    """``;`` unless tab or comma is clearly what the first lines are split by."""
    counts = {d: sum(line.count(d) for line in lines) for d in (";", "\t", ",")}
    if counts[";"]:
        return ";"
    return "\t" if counts["\t"] >= counts[","] and counts["\t"] else ","


def read_rows(text: str, name: str, delimiter: str) -> list[Row]:
    """Every record of the text with the line it starts on (quoted fields may span lines)."""
    csv.field_size_limit(MAX_FIELD)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[Row] = []
    start = 1
    try:
        for cells in reader:
            rows.append((start, cells))
            start = reader.line_num + 1
    except csv.Error as exc:
        raise SourceError(name, reader.line_num or start, f"nicht lesbar als CSV: {exc}") from exc
    return rows


def trimmed(cells: list[str]) -> list[str]:
    """The cells without the empty ones at the end of the row."""
    end = len(cells)
    while end and not cells[end - 1].strip():
        end -= 1
    return cells[:end]


TEMPLATE_COLUMNS = frozenset({"indikator", "bezirk", "zeitraum", "wert"})
TEMPLATE_MESSAGE = (
    "Datei im Format der Importvorlage (indikator;bezirk;zeitraum;wert): "
    "mit „dortmund-kpi import DATEI“ einlesen"
)


def is_template(cells: list[str]) -> bool:
    """A header row of the import template (not an official table)."""
    return {c.strip().lower().lstrip("\ufeff") for c in cells} >= TEMPLATE_COLUMNS
