"""Read CSV files in one of the import layouts into a table of text cells (``ingest.files``
opens a file and hands it to this reader or the Excel reader).

The layouts (columns, aliases, header detection) are declared in ``layouts``; the
Excel reader is ``xlsx``. Readers never interpret values; they report where each
row came from (file, line) so that every problem can be named precisely.
"""

from __future__ import annotations

import csv
import io
import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import pandas as pd

from dortmund_kpi.ingest.issues import Issue
from dortmund_kpi.ingest.layouts import (
    COLUMNS,
    HEADER_HINT,
    MAX_COLUMNS,
    OBSERVATIONS,
    Layout,
    detect_layout,
    header_columns,
)

Progress = Callable[[int, int], None]  # rows read, rows expected
UTF8_BOM = b"\xef\xbb\xbf"


@dataclass
class RawTable:
    """Text cells of one file; ``lines`` are the physical line (or sheet row) numbers."""

    file: str
    delimiter: str
    columns: dict[str, list[str]] = field(default_factory=dict)
    lines: list[int] = field(default_factory=list)
    numeric_values: list[float | None] | None = None  # XLSX number cells in 'wert'
    layout: Layout = OBSERVATIONS
    cells: pd.DataFrame | None = None  # the fast CSV path's frame (``columns`` stay empty)

    def frame(self) -> pd.DataFrame:
        if self.cells is not None:
            return self.cells
        data = {
            name: pd.Series(self.columns.get(name, [""] * len(self.lines)), dtype="str")
            for name in self.layout.columns
        }
        frame = pd.DataFrame(data)
        frame.attrs["present"] = tuple(self.columns)  # columns the file has (others are "")
        frame["line"] = pd.Series(self.lines, dtype="int64")
        frame["file"] = self.file
        if self.numeric_values is not None:
            frame["wert_num"] = pd.Series(self.numeric_values, dtype="float64")
        return frame


def _decode(data: bytes, name: str) -> tuple[str | None, list[Issue]]:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None, [
            Issue(
                name,
                1,
                "datei",
                "Zeichenkodierung UTF-16 (Excel „Unicode-Text“) "
                "nicht unterstützt (erwartet CSV in UTF-8 oder Windows-1252, oder XLSX)",
            )
        ]
    if b"\x00" in data:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        return None, [
            Issue(
                name,
                line,
                "datei",
                "enthält NUL-Bytes: keine Textdatei "
                "(erwartet CSV in UTF-8 oder Windows-1252, oder XLSX)",
            )
        ]
    data = _without_bom(data)
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError as exc:
        utf8_error = exc
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return None, [
            Issue(
                name,
                line,
                "datei",
                "Zeichenkodierung nicht lesbar (erwartet UTF-8 oder Windows-1252)",
            )
        ]
    if "Ã" in text or "Â" in text:
        # UTF-8 bytes that failed as a whole: the file mixes UTF-8 and Windows-1252.
        line = data[: utf8_error.start].count(b"\n") + 1
        return None, [
            Issue(
                name,
                line,
                "datei",
                "gemischte Zeichenkodierung (UTF-8 und "
                "Windows-1252 in einer Datei): bitte einheitlich als UTF-8 speichern",
            )
        ]
    return text, []


def _without_bom(data: bytes) -> bytes:
    """The bytes after a UTF-8 byte order mark (a copy), or ``data`` itself."""
    return data[len(UTF8_BOM) :] if data.startswith(UTF8_BOM) else data


def _sniff_delimiter(header_line: str) -> str:
    counts = {d: header_line.count(d) for d in (";", "\t", ",")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ";"


@dataclass(frozen=True)
class Header:
    """A CSV file's checked header line."""

    delimiter: str
    width: int
    layout: Layout
    positions: dict[str, int]


@dataclass(frozen=True)
class CsvHead:
    """A CSV file's decoded text and its checked header (see ``read_csv_head``)."""

    text: str
    raw: bytes  # the text in UTF-8 (the file's bytes without a BOM when they are UTF-8)
    header: Header
    recoded: bool = False  # decoded from Windows-1252 (``raw`` written anew as UTF-8)


def read_csv_head(data: bytes, name: str) -> CsvHead | list[Issue]:
    """Decode a CSV file and check its header; the issues if either fails."""
    text, issues = _decode(data, name)
    if text is None:
        return issues
    if not text or text.isspace():  # as ``not text.strip()``, without a copy
        return [Issue(name, 1, "datei", f"Datei ist leer (erwartet Kopfzeile {HEADER_HINT})")]
    header = _check_header(text, name)
    if not isinstance(header, Header):
        return header
    body = _without_bom(data)
    # Decoded from UTF-8 the text is shorter than its bytes or plain ASCII; from
    # Windows-1252 (one byte a character) it is as long: only then encode again.
    utf8 = len(text) < len(body) or text.isascii()
    raw = body if utf8 else text.encode("utf-8")
    return CsvHead(text, raw, header, recoded=not utf8)


def utf8_head(data: bytes, name: str) -> tuple[bytes, Header] | None:
    """The body bytes and checked header of a UTF-8 file whose header line has no quote,
    decoding only that line; None for anything else (``read_csv_head`` decodes the whole
    file and words every problem). The rows' UTF-8 is checked as pyarrow reads them
    (``plain_rows``), exactly as strictly as Python's decoder."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in data:
        return None
    body = _without_bom(data)
    end = body.find(b"\n")
    try:
        first_line = (body if end < 0 else body[:end]).decode("utf-8")
    except UnicodeDecodeError:
        return None
    if '"' in first_line:
        return None
    header = _check_header(first_line, name)
    return (body, header) if isinstance(header, Header) else None


def _check_header(text: str, name: str) -> Header | list[Issue]:
    """The header of a file's text (or of its first line when that has no quote)."""
    end = text.find("\n")
    first_line = text if end < 0 else text[:end]
    delimiter = _sniff_delimiter(first_line)
    csv.field_size_limit(2**24)
    # Without a quote, the header record ends with the first line: parse only that line
    # (the csv module would copy the whole text first).
    source = text if '"' in first_line else first_line
    try:
        # An empty first line is an empty header, as the csv module reads it in the text.
        header = next(_csv_reader(source, delimiter), [])
    except csv.Error as exc:
        return [Issue(name, 1, "kopfzeile", f"nicht lesbar: {exc}")]
    if len(header) > MAX_COLUMNS:
        return [
            Issue(
                name,
                1,
                "kopfzeile",
                f"{len(header)} Spalten (erwartet höchstens {len(COLUMNS)}: {HEADER_HINT})",
            )
        ]
    layout = detect_layout(header)
    positions, issues = header_columns(header, name, layout)
    return issues or Header(delimiter, len(header), layout, positions)


def _csv_reader(text: str, delimiter: str) -> Iterator[list[str]]:
    return csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)


def read_csv_bytes(
    data: bytes, name: str, progress: Progress | None = None
) -> RawTable | list[Issue]:
    head = read_csv_head(data, name)
    if not isinstance(head, CsvHead):
        return head
    text, header = head.text, head.header
    total = text.count("\n")
    fast = _read_rows_fast(head.raw, header, name)
    if fast is not None:
        if progress:
            progress(len(fast.lines), total)
        return require_rows(fast, name)
    reader = _csv_reader(text, header.delimiter)
    next(reader)  # the header (read without error above)
    return _read_rows(reader, header, name, progress, total)


def _read_rows_fast(raw: bytes, header: Header, name: str) -> RawTable | None:
    """The rows of a plain file (``plain_rows``) in one go, or None when the file needs
    the csv module's row-by-row reading to word a problem exactly (also a field above
    the csv module's size limit), so every message keeps its wording and line.
    A million rows: a third of the time of the csv path.
    """
    from dortmund_kpi.ingest.plain_csv import plain_rows  # pyarrow only when needed

    positions, delimiter, layout = header.positions, header.delimiter, header.layout
    table = plain_rows(raw, header.width, delimiter)
    if table is None:
        return None
    names = table.column_names
    cells = {n: pd.Series(table.column(n), dtype="str") for n in names}
    if any(int(c.str.len().max() or 0) >= csv.field_size_limit() for c in cells.values()):
        return None
    # Rows whose cells are all blank are skipped (as by the csv path). Only rows without
    # any ASCII letter or digit can be blank; Python's strip decides for those few.
    maybe_blank = pd.Series(True, index=range(table.num_rows))
    for column in cells.values():
        candidates = maybe_blank[maybe_blank].index
        maybe_blank[candidates] = ~column[candidates].str.contains(r"[0-9A-Za-z]", regex=True)
    blank = pd.Series(False, index=maybe_blank.index)
    for row in maybe_blank[maybe_blank].index:
        blank[row] = not any(str(cells[n].iat[row]).strip() for n in names)
    keep = ~blank.to_numpy()
    lines = (pd.RangeIndex(table.num_rows) + 2)[keep]
    frame = pd.DataFrame(
        {
            key: (
                cells[f"c{positions[key]}"][keep].reset_index(drop=True)
                if key in positions
                else pd.Series([""] * int(keep.sum()), dtype="str")
            )
            for key in layout.columns
        }
    )
    frame.attrs["present"] = tuple(positions)  # columns the file has (others are "")
    frame["line"] = pd.Series(lines, dtype="int64")
    frame["file"] = name
    return RawTable(
        file=name, delimiter=delimiter, lines=lines.tolist(), cells=frame, layout=layout
    )


def _read_rows(reader, header: Header, name, progress, total) -> RawTable | list[Issue]:
    positions, width = header.positions, header.width
    table = RawTable(
        file=name,
        delimiter=header.delimiter,
        columns={k: [] for k in positions},
        layout=header.layout,
    )
    issues: list[Issue] = []
    line = reader.line_num + 1
    try:
        for row in reader:
            start, line = line, reader.line_num + 1
            if not any(cell.strip() for cell in row):
                continue
            if len(row) > width and any(cell.strip() for cell in row[width:]):
                issues.append(Issue(name, start, "zeile", _too_many(row, width, header)))
                continue
            if len(row) < width:
                row = row + [""] * (width - len(row))
            for key, pos in positions.items():
                table.columns[key].append(row[pos])
            table.lines.append(start)
            if progress and len(table.lines) % 50_000 == 0:
                progress(len(table.lines), total)
    except csv.Error as exc:
        message = f"CSV nicht lesbar: {exc}"
        if "expected after" in str(exc):
            message = (
                "Zeichen nach einem schließenden Anführungszeichen "
                '(erwartet das Trennzeichen direkt nach dem ")'
            )
        elif "unexpected end of data" in str(exc):
            message = (
                "Anführungszeichen nicht geschlossen "
                '(erwartet ein schließendes " am Ende des Feldes)'
            )
        issues.append(Issue(name, line, "zeile", message))
    return issues or require_rows(table, name)


def require_rows(table: RawTable, name: str) -> RawTable | list[Issue]:
    """A header without rows is almost always an unfilled template: say so."""
    if table.lines:
        return table
    example = ";".join(table.layout.required[:4]) + (
        ";…" if table.layout is not OBSERVATIONS else ""
    )
    return [
        Issue(
            name,
            1,
            "datei",
            f"keine Datenzeilen unter der Kopfzeile (erwartet mindestens eine Zeile mit {example})",
        )
    ]


def _too_many(row: list[str], width: int, header: Header) -> str:
    """A row with more fields than the header. Separated by commas, with two neighbouring
    fields of digits ("41", "5"), it is most likely a decimal comma splitting its value:
    that is said, with the remedy."""
    text = f"{len(row)} Felder, erwartet {width} wie in der Kopfzeile"
    digits = [cell.strip().lstrip("+-").isdigit() for cell in row]
    if header.delimiter == "," and any(a and b for a, b in itertools.pairwise(digits)):
        text += (
            " (vermutlich trennt ein Dezimalkomma den Wert: Werte in Anführungszeichen setzen "
            "oder die Datei mit ; als Trennzeichen speichern)"
        )
    return text
