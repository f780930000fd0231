"""The import's fast path: one plain observation CSV checked column-wise with Arrow and
numpy instead of cell by cell in pandas.

``validate_fast`` only decides "all good". It returns None, and the caller runs the
Python path (``importer.read_and_validate``) unchanged, whenever anything is off: more
than one file, XLSX, a measures file, a file the reader would not read in one go
(quotes, empty lines, rows of another width; see ``readers.plain_rows``), any value
the validator would refuse, value texts with characters other than ASCII digits and
separators after cleaning, long whole numbers. So every problem is still worded by
the Python path, with its file, line and column. When it accepts, the observations
are exactly those of ``validate.validate_frames``
(``tests/unit/test_import_fast_path.py`` compares both).

Work per distinct value wherever the validator's rules allow it: indicator ids,
district names, periods, kinds and texts are judged by the validator's own functions
and spread to the rows by index; numbers by their shape (digits as 0: a few dozen per
file) for the conventions' regular expressions, then Arrow's cast; bounds, district
level and duplicate keys are numpy comparisons. A million rows: about a second."""

from __future__ import annotations

import csv
import hashlib
import re
import stat
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from dortmund_kpi.districts import CITY
from dortmund_kpi.ingest.fast_numbers import (
    MAX_DIGITS,
    cast_numbers,
    digit_shapes,
    number_texts,
    parse_long,
)
from dortmund_kpi.ingest.layouts import OBSERVATIONS, OPTIONAL, REQUIRED
from dortmund_kpi.ingest.numbers import ONLY_PATTERNS, VALID_PATTERNS, choose_convention
from dortmund_kpi.ingest.observations import (
    MAX_TEXT,
    Context,
    free_text,
    kind_columns,
    normalise_ids,
)
from dortmund_kpi.ingest.readers import CsvHead, plain_rows, read_csv_head
from dortmund_kpi.periods import parse_period
from dortmund_kpi.settings import Settings

# Python's str.strip() set (str.isspace), for Arrow's trim: blank rows are skipped.
PY_WHITESPACE = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005"
    "\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class FastImport:
    observations: pa.Table  # columns of validate.OBS_COLUMNS
    skipped_missing: int
    hashes: list[tuple[str, str]]


def validate_fast(
    paths: list[Path], settings: Settings, ctx: Context, progress: Progress | None = None
) -> FastImport | None:
    """The validated observations of a single plain CSV file, or None to fall back."""
    if len(paths) != 1:
        return None  # duplicates across files: left to the Python path
    path = paths[0]
    data = _plain_file(path, settings.max_import_bytes)
    if data is None:
        return None
    # SHA-256 releases the GIL: hash the bytes already read while the checks run.
    with ThreadPoolExecutor(max_workers=1) as pool:
        digest = pool.submit(lambda: hashlib.sha256(data).hexdigest())
        try:
            checked = _check(data, str(path), ctx, progress)
        except Exception:  # anything unexpected: the Python path decides and words it
            checked = None
        hashes = [(path.name, digest.result())]
    if checked is None:
        return None
    observations, skipped = checked
    return FastImport(observations, skipped, hashes)


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


@dataclass(frozen=True)
class Column:
    """A template column as its distinct texts and, per row, the index of its text."""

    texts: pd.Series  # str
    index: np.ndarray  # int, one per row


def _check(
    data: bytes, name: str, ctx: Context, progress: Progress | None
) -> tuple[pa.Table, int] | None:
    head = read_csv_head(data, name)
    if not isinstance(head, CsvHead) or head.layout is not OBSERVATIONS:
        return None
    cells = plain_rows(head.raw, head.width, head.delimiter)
    if cells is None or _too_long(cells):
        return None
    keep = ~_blank_rows(cells)
    if not keep.all():
        cells = cells.filter(pa.array(keep))
    if cells.num_rows == 0:
        return None
    texts = {key: pos for key, pos in head.positions.items() if key != "wert"}  # few each
    columns = {key: _column(cells.column(f"c{pos}")) for key, pos in texts.items()}
    checked = _checked(cells, columns, head, ctx)
    if checked is None:
        return None
    lines = np.arange(2, len(keep) + 2, dtype=np.int64)[keep]  # row i is line i + 2
    if progress:
        progress(name, cells.num_rows, cells.num_rows)  # read and checked in one go
    return _observations(checked, lines, name)


def _too_long(cells: pa.Table) -> bool:
    """A cell the csv module would refuse (its field size limit): the Python path words it."""
    limit = csv.field_size_limit()
    # A cell has at most as many characters as bytes: count characters only if needed.
    return any(
        (pc.max(pc.binary_length(c)).as_py() or 0) >= limit
        and (pc.max(pc.utf8_length(c)).as_py() or 0) >= limit
        for c in cells.columns
    )


def _blank_rows(cells: pa.Table) -> np.ndarray:
    """Rows whose cells are all blank for Python's str.strip (skipped, as by the reader)."""
    blank = np.ones(cells.num_rows, dtype=bool)
    for column in cells.columns:
        if not blank.any():
            break
        stripped = pc.utf8_trim(column, characters=PY_WHITESPACE)
        blank &= pc.equal(stripped, "").to_numpy()
    return blank


def _column(cells: pa.ChunkedArray) -> Column:
    texts = pc.unique(cells)
    index = pc.index_in(cells, value_set=texts).to_numpy()
    return Column(pd.Series(texts.to_pylist(), dtype="str"), index)


@dataclass(frozen=True)
class Checked:
    """A file that passed every check: per distinct text the validator's result, per
    row the index of its text (``columns``) and the parsed value."""

    columns: dict[str, Column]
    ids: pd.Series
    areas: pd.Series
    periods: pd.DataFrame  # period, period_type, period_start, period_end
    official: pd.Series
    notes: list[str | None]
    sources: list[str | None]
    values: np.ndarray
    missing: np.ndarray


def _checked(
    cells: pa.Table, columns: dict[str, Column], head: CsvHead, ctx: Context
) -> Checked | None:
    """Every check of the validator, per distinct text or per row; None on any problem."""
    empty = Column(pd.Series([""], dtype="str"), np.zeros(cells.num_rows, dtype=np.int64))
    col = {key: columns.get(key, empty) for key in (*REQUIRED, *OPTIONAL)}
    ids = _ids(col["indikator"].texts, ctx)
    areas = _areas(col["bezirk"].texts, ctx)
    periods = _periods(col["zeitraum"].texts, ctx)
    official = _kinds(col["datenart"].texts)
    notes, sources = _texts(col["anmerkung"].texts), _texts(col["quelle"].texts)
    if ids is None or areas is None or periods is None or official is None:
        return None
    if notes is None or sources is None:
        return None
    numbers = _values(cells.column(f"c{head.positions['wert']}"), head.delimiter)
    if numbers is None:
        return None
    checked = Checked(col, ids, areas, periods, official, notes, sources, *numbers)
    return checked if _rows_ok(checked, ctx) else None


def _rows_ok(checked: Checked, ctx: Context) -> bool:
    """Numbers, bounds, district level and duplicate keys, row by row (numpy)."""
    col, values, missing, ids = checked.columns, checked.values, checked.missing, checked.ids
    id_rows = col["indikator"].index
    metas = ids.map(ctx.catalog.indicator)  # one per distinct id
    lo = metas.map(lambda i: i.min).astype("float64").to_numpy()[id_rows]
    hi = metas.map(lambda i: i.max).astype("float64").to_numpy()[id_rows]
    city_only = metas.map(lambda i: not i.has_districts).to_numpy(dtype=bool)[id_rows]
    not_city = (checked.areas != CITY).to_numpy(dtype=bool)[col["bezirk"].index]
    if (city_only & not_city).any():
        return False  # a city-only indicator with a district
    if (~missing & ~np.isfinite(values)).any() or (values < lo).any() or (values > hi).any():
        return False
    keys = [
        (ids, id_rows),
        (checked.areas, col["bezirk"].index),
        (checked.periods["period"], col["zeitraum"].index),
    ]
    return not _has_duplicates(keys, ~missing)


def _has_duplicates(keys: list[tuple[pd.Series, np.ndarray]], present: np.ndarray) -> bool:
    """Whether two present rows share (indicator, area, period): one integer per key."""
    combined = np.zeros(int(present.sum()), dtype=np.int64)
    for canonical, index in keys:
        codes, uniques = pd.factorize(canonical)
        combined = combined * max(len(uniques), 1) + codes[index[present]]
    return not pd.Index(combined).is_unique  # a hash table; np.unique sorts or is slower


def _values(wert: pa.ChunkedArray, delimiter: str) -> tuple[np.ndarray, np.ndarray] | None:
    """Value and missing flag of every row, as validate's _values reads them.

    The conventions' regular expressions see only digits, separators and signs, and
    treat every digit alike: they are decided once per *shape* (the text with every
    digit as 0; a few dozen per file) instead of once per cell."""
    texts = number_texts(wert)
    if texts is None:
        return None
    num_text, missing = texts
    present = ~missing
    counts = pc.value_counts(pc.filter(digit_shapes(num_text), pa.array(present)))
    shapes = dict(
        zip(counts.field("values").to_pylist(), counts.field("counts").to_pylist(), strict=True)
    )
    german = sum(n for shape, n in shapes.items() if re.match(ONLY_PATTERNS["de"], shape))
    english = sum(n for shape, n in shapes.items() if re.match(ONLY_PATTERNS["en"], shape))
    convention = choose_convention(german, english, delimiter)
    if not all(re.match(VALID_PATTERNS[convention], shape) for shape in shapes):
        return None  # a text that is no number in the file's convention
    values = cast_numbers(num_text, present, convention)
    long = [s for s in shapes if s.count("0") > MAX_DIGITS]
    if long and not parse_long(values, num_text, present, convention):
        return None
    return values, missing


def _observations(checked: Checked, lines: np.ndarray, name: str) -> tuple[pa.Table, int]:
    """The validated observations (validate.OBS_COLUMNS) and the count of missing values."""
    present = ~checked.missing
    rows = int(present.sum())

    def spread(per_text: list | pd.Series, key: str, kind: pa.DataType) -> pa.Array:
        values = pa.array(list(per_text), kind)
        return values.take(pa.array(checked.columns[key].index[present]))

    periods = checked.periods
    table = pa.table(
        {
            "indicator_id": spread(checked.ids, "indikator", pa.string()),
            "area": spread(checked.areas, "bezirk", pa.string()),
            "period": spread(periods["period"], "zeitraum", pa.string()),
            "period_type": spread(periods["period_type"], "zeitraum", pa.string()),
            "period_start": spread(periods["period_start"], "zeitraum", pa.date32()),
            "period_end": spread(periods["period_end"], "zeitraum", pa.date32()),
            "value": pa.array(checked.values[present], pa.float64()),
            "note": spread(checked.notes, "anmerkung", pa.string()),
            "source": spread(checked.sources, "quelle", pa.string()),
            "is_official": spread(checked.official, "datenart", pa.bool_()),
            "file": pa.DictionaryArray.from_arrays(
                pa.array(np.zeros(rows, dtype=np.int32)), pa.array([name])
            ).cast(pa.string()),
            "line": pa.array(lines[present], pa.int64()),
        }
    )
    return table, int(checked.missing.sum())


def _ids(raw: pd.Series, ctx: Context) -> pd.Series | None:
    ids = normalise_ids(raw)
    return ids if ids.isin(set(ctx.catalog.ids)).all() else None


def _areas(raw: pd.Series, ctx: Context) -> pd.Series | None:
    areas = raw.map(ctx.districts.match)
    return None if areas.isna().any() else areas.astype("str")


def _periods(raw: pd.Series, ctx: Context) -> pd.DataFrame | None:
    parsed = [parse_period(text) for text in raw]
    good = [p for p in parsed if p is not None and p.start <= ctx.today]
    if len(good) != len(parsed):
        return None  # invalid or in the future
    return pd.DataFrame(
        {
            "period": [p.label for p in good],
            "period_type": [p.kind for p in good],
            "period_start": [p.start for p in good],
            "period_end": [p.end for p in good],
        }
    )


def _kinds(raw: pd.Series) -> pd.Series | None:
    official = kind_columns(raw)["official"]
    return None if official.isna().any() else official.astype("bool")


def _texts(raw: pd.Series) -> list[str | None] | None:
    if raw.str.strip().str.len().gt(MAX_TEXT).any():
        return None  # refused, never cut
    text = free_text(raw)
    return [None if pd.isna(t) else str(t) for t in text]
