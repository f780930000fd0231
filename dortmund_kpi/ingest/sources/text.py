"""Bytes of a published CSV file as text and rows, each with its physical line number.

Statistics offices write ISO-8859-1 (IT.NRW, the Landesdatenbanken), Windows-1252 or
UTF-8 with a byte order mark (GENESIS flat files); all three are read. UTF-16 and
binary files are refused with a message.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from dortmund_kpi.ingest.sources.model import SourceError

Row = tuple[int, list[str]]  # (first physical line of the record, cells)
MAX_FIELD = 2**24
BOM = b"\xef\xbb\xbf"


def decode(data: bytes, name: str, expected: str) -> str:
    """The text of a file: UTF-8 (BOM stripped), else Windows-1252, else ISO-8859-1."""
    return decode_named(data, name, expected)[0]


def decode_named(data: bytes, name: str, expected: str) -> tuple[str, str]:
    """The text of a file and the encoding it was read in (see ``decode``)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise SourceError(name, 1, f"Zeichenkodierung UTF-16 nicht unterstützt ({expected})")
    if b"\x00" in data:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        raise SourceError(name, line, f"enthält NUL-Bytes: keine Textdatei ({expected})")
    start = len(BOM) if data.startswith(BOM) else 0
    for encoding in ("utf-8", "cp1252"):
        try:
            return str(memoryview(data)[start:], encoding), encoding
        except UnicodeDecodeError:
            continue
    return str(memoryview(data)[start:], "latin-1"), "latin-1"


def head_lines(text: str, count: int) -> list[str]:
    """``text.splitlines()[:count]`` without splitting the whole text."""
    size = 4096
    while True:
        lines = text[:size].splitlines()
        # more lines than asked: the first ``count`` end inside the prefix, as in the text
        if len(lines) > count or size >= len(text):
            return lines[:count]
        size *= 4


def sniff_delimiter(lines: list[str]) -> str:
    """``;`` unless tab or comma is clearly what the first lines are split by."""
    counts = {d: sum(line.count(d) for line in lines) for d in (";", "\t", ",")}
    if counts[";"]:
        return ";"
    return "\t" if counts["\t"] >= counts[","] and counts["\t"] else ","


def read_rows(text: str, name: str, delimiter: str) -> list[Row]:
    """Every record of the text with the line it starts on (quoted fields may span lines)."""
    return list(iter_rows(text, name, delimiter))


def iter_rows(text: str, name: str, delimiter: str) -> Iterator[Row]:
    """The records of ``read_rows`` one by one (a file's first rows without the rest)."""
    csv.field_size_limit(MAX_FIELD)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    start = 1
    try:
        for cells in reader:
            yield start, cells
            start = reader.line_num + 1
    except csv.Error as exc:
        raise SourceError(name, reader.line_num or start, f"nicht lesbar als CSV: {exc}") from exc


def first_row(text: str, name: str, delimiter: str) -> Row | None:
    """The first record with a cell that is not empty (None: there is none), read from as
    little of the text as holds it whole: a large file is not parsed twice."""
    size = 1 << 16
    while True:
        whole = size >= len(text)
        found = None
        try:
            for row in iter_rows(text if whole else text[:size], name, delimiter):
                if found is not None:
                    return found  # a record follows: the one found ends within the part
                if trimmed(row[1]):
                    found = row
        except SourceError:
            if whole:
                raise
        if whole:
            return found
        size *= 8


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
