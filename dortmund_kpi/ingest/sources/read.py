"""Open a published statistics file, recognise its family and read it into a ``Table``.

Recognised: GENESIS flat files (``ffcsv``, by their header) and GENESIS table CSVs (by
the table code in the title or the © line of a statistics office). Anything else is
refused with ``SourceError`` saying what it is, if that is clear (an Excel workbook, a
JSON or GeoJSON file, a file in the import template format), and what was expected.

``assign_period`` applies ``--zeitraum``: records without a period get it; records whose
period lies within it (the Stichtag 31.12.2024 within the year 2024) take its label.
"""

from __future__ import annotations

import json
import stat
from dataclasses import replace
from pathlib import Path

from dortmund_kpi.ingest.sources import ffcsv, genesis_table
from dortmund_kpi.ingest.sources.model import SourceError, Table
from dortmund_kpi.ingest.sources.regions import regions_for
from dortmund_kpi.ingest.sources.table_shape import looks_like_table
from dortmund_kpi.ingest.sources.text import decode, read_rows, sniff_delimiter, trimmed
from dortmund_kpi.ingest.sources.times import When, read_period
from dortmund_kpi.periods import parse_period

EXPECTED = (
    "erwartet eine amtliche Tabelle: GENESIS-Tabelle als CSV (Titelzeilen wie "
    "„Tabelle: 22811-01i“, Kopfzeilen, Gebietsschlüssel und -namen, ©-Zeile) oder "
    "GENESIS-Flatfile (ffcsv) mit der Kopfzeile statistics_code;…;time;…;1_variable_code;…"
)
_TEMPLATE = {"indikator", "bezirk", "zeitraum", "wert"}


def read_source(path: Path, data_dir: Path, max_bytes: int) -> Table:
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
        raise SourceError(name, 1, f"nicht lesbar: {exc.strerror}") from exc
    return read_source_bytes(data, name, data_dir)


def _what_binary(data: bytes) -> str | None:
    if data.startswith(b"PK\x03\x04"):
        return "eine Excel-Arbeitsmappe (.xlsx) oder ein ZIP-Archiv"
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        return "eine Excel-97-Arbeitsmappe (.xls)"
    if data.startswith(b"%PDF"):
        return "ein PDF-Dokument"
    return None


def _what_json(text: str) -> str | None:
    stripped = text.lstrip()
    if not stripped.startswith(("{", "[")):
        return None
    try:
        content = json.loads(stripped)
    except ValueError:
        return None
    if isinstance(content, dict) and content.get("type") in ("FeatureCollection", "Feature"):
        return "eine GeoJSON-Datei"
    return "eine JSON-Datei"


def read_source_bytes(data: bytes, name: str, data_dir: Path) -> Table:
    """Read the bytes of one published file (``name`` for messages and the table code)."""
    what = _what_binary(data)
    if what:
        raise SourceError(name, 1, f"ist {what}, keine CSV-Tabelle ({EXPECTED})")
    text = decode(data, name, EXPECTED)
    if not text.strip():
        raise SourceError(name, 1, f"Datei ist leer ({EXPECTED})")
    what = _what_json(text)
    if what:
        raise SourceError(name, 1, f"ist {what}, keine Tabelle ({EXPECTED})")
    delimiter = sniff_delimiter(text.splitlines()[:12])
    rows = read_rows(text, name, delimiter)
    first = next(((line, trimmed(cells)) for line, cells in rows if trimmed(cells)), None)
    if first is None:
        raise SourceError(name, 1, f"Datei ist leer ({EXPECTED})")
    regions = regions_for(data_dir)
    if ffcsv.is_header(first[1]):
        start = next(i for i, (line, _) in enumerate(rows) if line == first[0])
        return ffcsv.read(rows[start:], name, regions)
    header = {c.strip().lower().lstrip("\ufeff") for c in first[1]}
    if header >= _TEMPLATE:
        raise SourceError(
            name,
            first[0],
            "Datei im Format der Importvorlage (indikator;bezirk;zeitraum;wert): "
            "mit „dortmund-kpi import DATEI“ einlesen",
        )
    if looks_like_table(rows):
        return genesis_table.read(rows, name, regions)
    plain = ""
    if len(first[1]) > 1 and first[0] == 1:
        plain = (
            f": eine CSV-Tabelle mit einer Kopfzeile aus {len(first[1])} Spalten "
            "(breite Tabellen und Open-Data-Exporte liest dieser Befehl noch nicht)"
        )
    raise SourceError(name, first[0], f"keine amtliche Tabelle erkannt{plain} ({EXPECTED})")


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
    kept = []
    for record in table.records:
        if not record.zeitraum or record.zeitraum == when.label:
            kept.append(replace(record, zeitraum=when.label, zeitart=when.kind))
            continue
        inner = _bounds(record.zeitraum)
        if outer and inner and outer[0] <= inner[0] and inner[1] <= outer[1]:
            kept.append(replace(record, zeitraum=when.label, zeitart=when.kind))
    return replace(table, records=kept)
