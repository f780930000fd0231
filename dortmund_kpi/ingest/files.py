"""Open one import file: refuse what is not a regular file or too large, then hand the
bytes to the Excel reader (a zip archive or an .xlsx name) or the CSV reader."""

from __future__ import annotations

import stat
from pathlib import Path

from dortmund_kpi import os_text
from dortmund_kpi.ingest.issues import Issue
from dortmund_kpi.ingest.readers import Progress, RawTable, read_csv_bytes
from dortmund_kpi.ingest.xlsx import read_xlsx_bytes


def _megabytes(size: int) -> str:
    """1.5 MiB -> '1,5'; 1 MiB -> '1'."""
    text = f"{size / 2**20:.1f}".replace(".", ",")
    return text[:-2] if text.endswith(",0") else text


def read_file(
    path: Path, max_bytes: int, progress: Progress | None = None
) -> RawTable | list[Issue]:
    """Read one import file; a list of issues if it cannot be read at all."""
    name = str(path)
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):  # a FIFO or device would hang or never end
            return [
                Issue(name, 1, "datei", "keine normale Datei (erwartet eine CSV- oder XLSX-Datei)")
            ]
        size = info.st_size
        if size > max_bytes:
            return [
                Issue(
                    name,
                    1,
                    "datei",
                    f"Datei ist {_megabytes(size)} MB groß (erlaubt "
                    f"{_megabytes(max_bytes)} MB): bitte aufteilen",
                )
            ]
        data = path.read_bytes()
    except IsADirectoryError:
        return [Issue(name, 1, "datei", "ist ein Verzeichnis (erwartet eine CSV- oder XLSX-Datei)")]
    except OSError as exc:
        return [Issue(name, 1, "datei", f"nicht lesbar: {os_text.reason(exc)}")]
    if data.startswith(b"PK\x03\x04") or path.suffix.lower() in (".xlsx", ".xlsm"):
        return read_xlsx_bytes(data, name, progress)
    return read_csv_bytes(data, name, progress)
