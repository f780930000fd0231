"""GENESIS flat files read column by column: the table ``ffcsv.read`` gives, fast.

A flat file holds one value a row, and its other columns repeat a few texts: regions,
attribute values, periods, units. So pyarrow parses the rows (``plain_csv.plain_rows``),
each dimension is judged once per distinct combination of its four cells by
``ffcsv.dimension_value``, each period once per distinct ``time`` and parts of the
year by ``ffcsv.period_of``, and the results reach the rows by index. Value cells that
are plain numbers (``603462``, ``280,71``) are cast by Arrow; every other value cell
(GENESIS signs, notes, anything odd) goes through ``signs.read_cell`` once per distinct
text. The records stay in columns (``model.RecordColumns``); the skipped cells are
listed with line and reason as ``ffcsv.read`` lists them.

``read`` returns None, and the caller reads row by row with ``ffcsv.read``, whenever
the file is not plain (quotes, lone CRs, empty lines, rows of another width, a field
above the csv module's limit): that path words each problem with its line.
``tests/unit/test_ffcsv_columns.py`` checks that both paths give the same table.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from dortmund_kpi.ingest.plain_csv import plain_rows
from dortmund_kpi.ingest.sources.ffcsv import (
    Rows,
    column_name,
    dimension_value,
    long_spalte,
    note_sign,
    period_of,
    skip_reason,
    table,
)
from dortmund_kpi.ingest.sources.model import RecordColumns, Table
from dortmund_kpi.ingest.sources.regions import Place, Regions
from dortmund_kpi.ingest.sources.signs import Cell, choose_convention, read_cell
from dortmund_kpi.ingest.sources.text import MAX_FIELD, Row
from dortmund_kpi.ingest.sources.times import Part

# Value texts that ``read_cell`` reads as nothing but the number (no blanks, no sign,
# no note, ASCII digits): Arrow casts them after the separators are taken out. Up to
# 15 characters, so Arrow and Python's float() agree to the last bit.
PLAIN = {
    "de": r"^-?(?:[0-9]{1,3}(?:\.[0-9]{3})+|[0-9]+)(?:,[0-9]+)?$",
    "en": r"^-?(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]+)?$",
}
SEPARATORS = {"de": (".", ","), "en": (",", ".")}  # (thousands, decimal)
MAX_PLAIN = 15
SAMPLE_ROWS = 2000  # rows that decide the number convention, as in ffcsv.read
NO_PLACE = ("", None, None)


def read(
    raw: bytes, header_at: int, header: Row, delimiter: str, name: str, regions: Regions
) -> Table | None:
    """The flat file in ``raw`` (UTF-8; its header row ``header`` begins at byte
    ``header_at``), or None when it must be read row by row."""
    header_line, header_cells = header
    reader = Rows([column_name(c) for c in header_cells], name, regions)
    cells = plain_rows(raw, len(header_cells), delimiter, header_at)
    # what the parser freed goes back to the system (Arrow's pool would keep it)
    pa.default_memory_pool().release_unused()
    if cells is None or cells.num_rows == 0 or _too_long(cells):
        return None
    columns = _Columns(cells)
    lines = np.arange(cells.num_rows, dtype=np.int64) + header_line + 1
    keep = ~_blank_rows(columns)
    sample = [
        text
        for v in reader.values
        for text in cells.column(v.index).slice(0, SAMPLE_ROWS).to_pylist()
    ]
    rows = _RowValues.of(reader, columns, regions)
    records, skipped = _values(reader, columns, rows, choose_convention(sample), keep, lines)
    statistic = _first_filled(columns, reader.where.get("statistics_code"), keep)
    label = reader.where.get("statistics_label")  # the title: that of the first row
    title = "" if label is None else cells.column(label)[0].as_py().strip()
    return table(name, header_line, statistic, title, records, skipped)


def _too_long(cells: pa.Table) -> bool:
    """A field the csv module refuses (its size limit): the row path words it."""
    return any(
        (pc.max(pc.binary_length(c)).as_py() or 0) >= MAX_FIELD
        and (pc.max(pc.utf8_length(c)).as_py() or 0) >= MAX_FIELD
        for c in cells.columns
    )


@dataclass(frozen=True)
class _Texts:
    """A column as its distinct texts, stripped, and per row the index of its text."""

    codes: np.ndarray
    distinct: list[str]

    def text(self, row: int) -> str:
        return self.distinct[int(self.codes[row])]


class _Columns:
    """The parsed cells, each column made distinct once (only when asked for)."""

    def __init__(self, cells: pa.Table) -> None:
        self.cells = cells
        self.rows = cells.num_rows
        self.made: dict[int | None, _Texts] = {}

    def texts(self, index: int | None) -> _Texts:
        if index not in self.made:
            if index is None:  # the column is not in the file: empty, as in ffcsv.read
                found = _Texts(np.zeros(self.rows, dtype=np.int32), [""])
            else:
                column = self.cells.column(index)
                encoded = pc.dictionary_encode(column).combine_chunks()
                codes = encoded.indices.to_numpy(zero_copy_only=False)
                found = _Texts(codes, [t.strip() for t in encoded.dictionary.to_pylist()])
            self.made[index] = found
        return self.made[index]


def _blank_rows(columns: _Columns) -> np.ndarray:
    """Rows whose every cell is blank (skipped, as ``ffcsv.read`` skips them)."""
    blank = np.ones(columns.rows, dtype=bool)
    for index in range(columns.cells.num_columns):
        if not blank.any():
            break
        texts = columns.texts(index)
        empty = np.array([not text for text in texts.distinct], dtype=bool)
        blank &= empty[texts.codes]
    return blank


def _first_filled(columns: _Columns, index: int | None, keep: np.ndarray) -> str:
    """The first text that is not empty in a column, among the kept rows."""
    texts = columns.texts(index)
    filled = np.array([bool(text) for text in texts.distinct], dtype=bool)[texts.codes] & keep
    return texts.text(int(np.argmax(filled))) if filled.any() else ""


def _groups(parts: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Per row the index of its distinct combination of ``parts`` (codes per row, from
    0), numbered in the order of first appearance; and each combination's first row."""
    key = np.zeros(len(parts[0]), dtype=np.int64)
    span = 1  # key < span
    for codes in parts:
        size = int(codes.max()) + 1 if len(codes) else 1
        if span * size >= 2**62:  # would overflow: number the combinations so far anew
            key = pd.factorize(key)[0].astype(np.int64)
            span = int(key.max()) + 1 if len(key) else 1
        key, span = key * size + codes, span * size
    group = pd.factorize(key)[0].astype(np.int64)
    # numbered in order of appearance: a row is the first of its group where the
    # running maximum of the numbers grows
    running = np.maximum.accumulate(group) if len(group) else group
    grows = np.ones(len(group), dtype=bool)
    grows[1:] = running[1:] > running[:-1]
    return group, np.flatnonzero(grows)


@dataclass(frozen=True)
class _RowValues:
    """What every row says besides its values: place, period, attributes, as indices
    into the tables of the distinct ones."""

    places: list[tuple[str, str | None, str | None]]
    place: np.ndarray
    periods: list[tuple[str, str | None]]
    period: np.ndarray
    merkmale: list[dict[str, str]]
    merkmal: np.ndarray

    @staticmethod
    def of(reader: Rows, columns: _Columns, regions: Regions) -> _RowValues:
        places = {NO_PLACE: 0}
        place = np.zeros(columns.rows, dtype=np.int64)
        parts: list[Part] = []
        part_rows, named_rows, names = [], [], []
        for dim in reader.dims.values():
            found = [columns.texts(i) for i in (dim.code, dim.label, dim.attr_code, dim.attr_label)]
            group, first = _groups([t.codes for t in found])
            per_group = [
                dimension_value(tuple(t.text(row) for t in found), regions) for row in first
            ]
            region = np.full(len(per_group), -1, dtype=np.int64)
            part = np.full(len(per_group), -1, dtype=np.int64)
            named = np.full(len(per_group), -1, dtype=np.int64)
            for i, value in enumerate(per_group):
                if isinstance(value, Place):
                    area = (value.gebiet, value.schluessel, value.bezirk)
                    region[i] = places.setdefault(area, len(places))
                elif isinstance(value, Part):
                    part[i] = len(parts)
                    parts.append(value)
                else:
                    named[i] = len(names)
                    names.append(value)
            here = region[group]
            place = np.where(here >= 0, here, place)  # the last region dimension counts
            part_rows.append(part[group])
            named_rows.append(named[group])
        periods, period = _periods(reader, columns, parts, part_rows)
        merkmale, merkmal = _merkmale(names, named_rows, columns.rows)
        return _RowValues(list(places), place, periods, period, merkmale, merkmal)


def _periods(
    reader: Rows, columns: _Columns, parts: list[Part], part_rows: list[np.ndarray]
) -> tuple[list[tuple[str, str | None]], np.ndarray]:
    """Per row its period, judged once per distinct ``time`` and parts of the year."""
    time = columns.texts(reader.where.get("time"))
    group, first = _groups([time.codes, *(p + 1 for p in part_rows)])
    found = [
        period_of(time.text(row), [parts[p[row]] for p in part_rows if p[row] >= 0])
        for row in first.tolist()
    ]
    return found, group


def _merkmale(
    names: list[tuple[str, str]], named_rows: list[np.ndarray], rows: int
) -> tuple[list[dict[str, str]], np.ndarray]:
    """Per row its attributes, one dict per distinct combination (later dimensions of
    the same name win, as in ``ffcsv.read``)."""
    if not named_rows:
        return [{}], np.zeros(rows, dtype=np.int64)
    group, first = _groups([n + 1 for n in named_rows])
    found = []
    for row in first.tolist():
        merkmale: dict[str, str] = {}
        for named in named_rows:
            if named[row] >= 0:
                key, value = names[named[row]]
                merkmale[key] = value
        found.append(merkmale)
    return found, group


@dataclass(frozen=True)
class _Cells:
    """One value column read: per row its number (NaN: none), its sign (an index into
    ``signs``, 0: none), whether it is a record and whether it is listed as skipped;
    ``odd`` (-1: a plain number) points into ``read``, the cells ``read_cell`` read."""

    wert: np.ndarray
    sign: np.ndarray
    record: np.ndarray
    skip: np.ndarray
    odd: np.ndarray
    read: list[Cell]


def _cells(text: pa.ChunkedArray, convention: str, signs: dict[str | None, int]) -> _Cells:
    """Plain numbers cast by Arrow, every other distinct text read by ``read_cell``."""
    plain = pc.and_(
        pc.less_equal(pc.binary_length(text), MAX_PLAIN),
        pc.match_substring_regex(text, PLAIN[convention]),
    )
    is_plain = plain.to_numpy(zero_copy_only=False)
    wert = np.full(len(text), np.nan)
    thousands, decimal = SEPARATORS[convention]
    numbers = pc.replace_substring(pc.filter(text, plain), thousands, "")
    if decimal != ".":
        numbers = pc.replace_substring(numbers, decimal, ".")
    wert[is_plain] = pc.cast(numbers, pa.float64()).to_numpy()
    odd_texts = pc.unique(pc.filter(text, pc.invert(plain)))
    read = [read_cell(t, convention) for t in odd_texts.to_pylist()]
    odd = pc.fill_null(pc.index_in(text, value_set=odd_texts), -1).to_numpy(zero_copy_only=False)
    odd = odd.astype(np.int64)
    odd_wert = np.array([np.nan if c.wert is None else c.wert for c in read] + [np.nan])
    odd_sign = np.array([signs.setdefault(c.zeichen, len(signs)) for c in read] + [0])
    odd_record = np.array([c.wert is not None or c.zeichen is not None for c in read] + [True])
    odd_skip = np.array([c.wert is None for c in read] + [False])
    wert = np.where(is_plain, wert, odd_wert[odd])  # odd -1: the extra last entry
    return _Cells(wert, odd_sign[odd], odd_record[odd], odd_skip[odd], odd, read)


def _spalten(reader: Rows, columns: _Columns, spalten: dict[str, int]) -> list[np.ndarray]:
    """Per value column, per row the index of its column name in ``spalten``."""
    found = []
    for value in reader.values:
        if value.spalte:  # the wide form: the column's own name
            index = spalten.setdefault(value.spalte, len(spalten))
            found.append(np.full(columns.rows, index, dtype=np.int64))
            continue
        names = ("value_variable_label", "value_variable_code", "value_unit")
        texts = [columns.texts(reader.where.get(n)) for n in names]
        group, first = _groups([t.codes for t in texts])
        index = np.array(
            [
                spalten.setdefault(long_spalte(*(t.text(row) for t in texts)), len(spalten))
                for row in first.tolist()
            ],
            dtype=np.int64,
        )
        found.append(index[group])
    return found


def _values(
    reader: Rows,
    columns: _Columns,
    rows: _RowValues,
    convention: str,
    keep: np.ndarray,
    lines: np.ndarray,
) -> tuple[RecordColumns, list[tuple[int, str]]]:
    """The records and skipped cells of every value column, row by row."""
    signs: dict[str | None, int] = {None: 0}
    spalten: dict[str, int] = {}
    spalte_rows = _spalten(reader, columns, spalten)
    read = []
    for value in reader.values:
        cells = _cells(columns.cells.column(value.index), convention, signs)
        quality = columns.texts(value.quality)
        noted = [signs.setdefault(note_sign(None, q.lower()), len(signs)) for q in quality.distinct]
        sign = np.where(cells.sign > 0, cells.sign, np.array(noted)[quality.codes])
        read.append((cells, sign))
    # one entry per row and value column, row by row as the file has them
    width = len(read)
    wert = np.column_stack([c.wert for c, _ in read]).ravel()
    sign = np.column_stack([s for _, s in read]).ravel()
    spalte = np.column_stack(spalte_rows).ravel()
    record = (np.column_stack([c.record for c, _ in read]) & keep[:, None]).ravel()
    skip = (np.column_stack([c.skip for c, _ in read]) & keep[:, None]).ravel()
    row = np.repeat(np.arange(columns.rows), width)
    table = RecordColumns(
        rows.places,
        rows.periods,
        rows.merkmale,
        list(spalten),
        list(signs),
        rows.place[row],
        rows.period[row],
        rows.merkmal[row],
        spalte,
        sign,
        wert,
        lines[row],
    )
    skipped = _skipped(rows, read, list(spalten), spalte, np.flatnonzero(skip), lines)
    return table.take(record), skipped


def _skipped(
    rows: _RowValues,
    read: list[tuple[_Cells, np.ndarray]],
    spalten: list[str],
    spalte: np.ndarray,
    where: np.ndarray,
    lines: np.ndarray,
) -> list[tuple[int, str]]:
    """(line, reason) of each skipped cell (``where``: row * value columns + column)."""
    found = []
    for flat in where.tolist():
        row, column = divmod(flat, len(read))
        cells = read[column][0]
        gebiet, key, _ = rows.places[rows.place[row]]
        why = skip_reason(gebiet or key, spalten[spalte[flat]], cells.read[cells.odd[row]])
        found.append((int(lines[row]), why))
    return found
