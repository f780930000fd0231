"""The import fast path's reading: a plain observation CSV's rows as Arrow columns, and
the file's SHA-256 (``fast_path`` checks them).

A UTF-8 file is read without decoding it in Python: only its header line is decoded,
and pyarrow checks the rows' UTF-8 as it reads them. A file that is not UTF-8
(Windows-1252, as Excel writes it) is decoded as a whole, as the reader decodes it, and
read again from its UTF-8.
"""

from __future__ import annotations

import csv
import hashlib
import stat
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

from dortmund_kpi.ingest.layouts import OBSERVATIONS
from dortmund_kpi.ingest.plain_csv import plain_rows
from dortmund_kpi.ingest.readers import CsvHead, Header, read_csv_head, utf8_head


@dataclass(frozen=True)
class Read:
    """A plain observation file's rows: the template columns' texts dictionary-encoded,
    the values as text (``wert``), and the file's SHA-256. The file's bytes are not
    kept: from here on a million rows take a fraction of the file's size."""

    cells: pa.Table
    header: Header  # its positions: template column -> ``c<i>`` of ``cells``
    sha256: str


def read_plain(path: Path, max_bytes: int) -> Read | None:
    """The rows of a regular plain CSV file of the observations layout within the size
    limit, else None (the reader reports or reads it row by row)."""
    data = _plain_file(path, max_bytes)
    if data is None:
        return None
    # SHA-256 releases the GIL: hash the bytes while pyarrow parses them.
    with ThreadPoolExecutor(max_workers=1) as pool:
        digest = pool.submit(lambda: hashlib.sha256(data).hexdigest())
        rows = _rows(data, str(path))
        sha256 = digest.result()
    # what the parser freed goes back to the system (Arrow's pool would keep it)
    pa.default_memory_pool().release_unused()
    if rows is None or _too_long(rows[1]):
        return None
    header, cells = rows
    return Read(cells, header, sha256)


def _rows(data: bytes, name: str) -> tuple[Header, pa.Table] | None:
    """The header and rows of a UTF-8 file, else of the file decoded as a whole."""
    quick = utf8_head(data, name)
    if quick is not None:
        if quick[1].layout is not OBSERVATIONS:
            return None
        cells = _cells(*quick)
        if cells is not None:
            return quick[1], cells
    utf8 = quick is not None
    del quick  # a BOM file's body is a copy of the file: not kept beside its decoded text
    head = read_csv_head(data, name)
    if not isinstance(head, CsvHead) or (utf8 and not head.recoded):
        return None  # a UTF-8 file read once already: the reader words its problem
    if head.header.layout is not OBSERVATIONS:
        return None
    header, raw = head.header, head.raw
    del head  # the decoded text (as large as the file) is not needed: only its UTF-8
    cells = _cells(raw, header)
    return None if cells is None else (header, cells)


def _cells(raw: bytes, header: Header) -> pa.Table | None:
    # Only the value column stays text: the others hold few distinct texts each.
    texts = [pos for key, pos in header.positions.items() if key != "wert"]
    return plain_rows(raw, header.width, header.delimiter, encoded=texts)


def _plain_file(path: Path, max_bytes: int) -> bytes | None:
    """The bytes of a regular CSV file within the size limit (else the reader reports)."""
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode) or info.st_size > max_bytes:
            return None
        if path.suffix.lower() in (".xlsx", ".xlsm"):
            return None
        data = path.read_bytes()
    except OSError:
        return None
    return None if data.startswith(b"PK\x03\x04") else data


def _too_long(cells: pa.Table) -> bool:
    """A cell the csv module would refuse (its field size limit): the Python path words it."""
    limit = csv.field_size_limit()

    def texts(column: pa.ChunkedArray) -> list[pa.Array]:
        if pa.types.is_dictionary(column.type):
            return [chunk.dictionary for chunk in column.chunks]
        return [column]

    # A cell has at most as many characters as bytes: count characters only if needed.
    return any(
        (pc.max(pc.binary_length(t)).as_py() or 0) >= limit
        and (pc.max(pc.utf8_length(t)).as_py() or 0) >= limit
        for c in cells.columns
        for t in texts(c)
    )
