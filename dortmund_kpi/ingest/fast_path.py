"""The import's fast path: one plain observation CSV checked column-wise with Arrow and
numpy instead of cell by cell in pandas.

``validate_fast`` only decides "all good". It returns None, and the caller runs the
Python path (``importer.read_and_validate``) unchanged, whenever anything is off: more
than one file, XLSX, a measures file, a file the reader would not read in one go
(quotes, empty lines, rows of another width; see ``plain_csv.plain_rows``), any value
the validator would refuse, value texts with characters other than ASCII digits and
separators after cleaning, long whole numbers. So every problem is still worded by
the Python path, with its file, line and column. When it accepts, the observations
are exactly those of ``validate.validate_frames``
(``tests/unit/test_import_fast_path.py`` compares both).

Work per distinct value wherever the validator's rules allow it: indicator ids,
district names, periods, kinds and texts are judged by the validator's own functions
and spread to the rows by index; numbers by their shape (digits as 0: a few dozen per
file) for the conventions' regular expressions, then Arrow's cast; bounds, district
level and duplicate keys are numpy comparisons. A million rows: under half a second.

Memory stays a small multiple of the file: the file's bytes and decoded text are gone
once pyarrow has parsed them, the template's text columns are dictionary-encoded by the
parser (one entry per distinct text, an index per row) and stay so up to DuckDB, which
reads them as VARCHAR. Only the value column is held as text until it is cast."""

from __future__ import annotations

import re
from collections.abc import Callable
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
    number_texts,
    parse_long,
)
from dortmund_kpi.ingest.fast_read import Read, read_plain
from dortmund_kpi.ingest.layouts import OPTIONAL, REQUIRED
from dortmund_kpi.ingest.numbers import ONLY_PATTERNS, VALID_PATTERNS, choose_convention
from dortmund_kpi.ingest.observations import (
    MAX_TEXT,
    Context,
    free_text,
    kind_columns,
    normalise_ids,
)
from dortmund_kpi.periods import parse_period
from dortmund_kpi.settings import Settings

# Python's str.strip() set (str.isspace), for Arrow's trim: blank rows are skipped.
PY_WHITESPACE = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005"
    "\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
Progress = Callable[[str, int, int], None]
# Up to this many possible (indicator, area, period) keys per row, duplicates are counted
# in an array of one integer per possible key (at most 32 bytes per row).
DENSE_KEYS_PER_ROW = 4


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
    try:
        read = read_plain(path, settings.max_import_bytes)
        checked = None if read is None else _check(read, str(path), ctx, progress)
    except Exception:  # anything unexpected: the Python path decides and words it
        return None
    if checked is None or read is None:
        return None
    observations, skipped = checked
    return FastImport(observations, skipped, [(path.name, read.sha256)])


@dataclass(frozen=True)
class Column:
    """A template column as its distinct texts and, per row, the index of its text."""

    texts: pd.Series  # str
    index: np.ndarray  # int32, one per row

    @staticmethod
    def of(cells: pa.ChunkedArray) -> Column:
        """The column of dictionary-encoded cells (``plain_rows(encoded=...)``)."""
        unified = cells.unify_dictionaries()
        dictionary = (
            unified.chunk(0).dictionary if unified.num_chunks else pa.array([], pa.string())
        )
        index = np.concatenate(
            [c.indices.to_numpy(zero_copy_only=False) for c in unified.chunks] or [[]]
        ).astype(np.int32, copy=False)
        return Column(pd.Series(dictionary.to_pylist(), dtype="str"), index)

    def only(self, keep: np.ndarray) -> Column:
        """The rows in ``keep``, with only the texts they use."""
        used, index = np.unique(self.index[keep], return_inverse=True)
        texts = self.texts.iloc[used].reset_index(drop=True)
        return Column(texts, index.astype(np.int32))


def _check(
    read: Read, name: str, ctx: Context, progress: Progress | None
) -> tuple[pa.Table, int] | None:
    cells, positions = read.cells, read.header.positions
    texts = {key: pos for key, pos in positions.items() if key != "wert"}
    columns = {key: Column.of(cells.column(f"c{pos}")) for key, pos in texts.items()}
    wert = cells.column(f"c{positions['wert']}")
    keep = ~_blank_rows(columns, wert)
    if not keep.any():
        return None
    if not keep.all():
        columns = {key: column.only(keep) for key, column in columns.items()}
        wert = wert.filter(pa.array(keep))
    rows = int(keep.sum())
    checked = _checked(rows, columns, wert, read.header.delimiter, ctx)
    if checked is None:
        return None
    lines = np.arange(2, len(keep) + 2, dtype=np.int64)[keep]  # row i is line i + 2
    if progress:
        progress(name, rows, rows)  # read and checked in one go
    observations = _observations(checked, lines, name)
    # what the checks freed goes back to the system before DuckDB writes the rows
    pa.default_memory_pool().release_unused()
    return observations


def _blank_rows(columns: dict[str, Column], wert: pa.ChunkedArray) -> np.ndarray:
    """Rows whose cells are all blank for Python's str.strip (skipped, as by the reader)."""
    blank = pc.equal(pc.utf8_trim(wert, characters=PY_WHITESPACE), "").to_numpy()
    for column in columns.values():
        if not blank.any():
            break
        blank &= column.texts.str.strip(PY_WHITESPACE).eq("").to_numpy()[column.index]
    return blank


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
    rows: int, columns: dict[str, Column], wert: pa.ChunkedArray, delimiter: str, ctx: Context
) -> Checked | None:
    """Every check of the validator, per distinct text or per row; None on any problem."""
    empty = Column(pd.Series([""], dtype="str"), np.zeros(rows, dtype=np.int32))
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
    numbers = _values(wert, delimiter)
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
    rows = _only(present)
    combined = np.zeros(int(present.sum()), dtype=np.int64)
    size = 1
    for canonical, index in keys:
        codes, uniques = pd.factorize(canonical)
        n = max(len(uniques), 1)
        combined *= n  # in place: each new array of a million rows costs its page faults
        combined += codes[index[rows]]
        size *= n
    if size <= DENSE_KEYS_PER_ROW * max(len(combined), 1 << 14):
        # a count per possible key: about half the hash table's time at a million rows
        return bool(np.bincount(combined).max(initial=0) > 1)
    return not pd.Index(combined).is_unique  # a hash table; np.unique sorts or is slower


def _only(present: np.ndarray) -> slice | np.ndarray:
    """An index of the rows in ``present``: mostly every row, then a slice (no copies)."""
    return slice(None) if present.all() else present


def _values(wert: pa.ChunkedArray, delimiter: str) -> tuple[np.ndarray, np.ndarray] | None:
    """Value and missing flag of every row, as validate's _values reads them.

    The conventions' regular expressions see only digits, separators and signs, and
    treat every digit alike: they are decided once per *shape* (the text with every
    digit as 0; a few dozen per file) instead of once per cell."""
    texts = number_texts(wert)
    if texts is None:
        return None
    num_text, missing, text_shapes = texts
    present = ~missing
    if not present.all():
        text_shapes = pc.filter(text_shapes, pa.array(present))
    counts = pc.value_counts(text_shapes)
    shapes = dict(
        zip(counts.field("values").to_pylist(), counts.field("counts").to_pylist(), strict=True)
    )
    german = sum(n for shape, n in shapes.items() if re.match(ONLY_PATTERNS["de"], shape))
    english = sum(n for shape, n in shapes.items() if re.match(ONLY_PATTERNS["en"], shape))
    convention = choose_convention(german, english, delimiter)
    if not all(re.match(VALID_PATTERNS[convention], shape) for shape in shapes):
        return None  # a text that is no number in the file's convention
    values = cast_numbers(num_text, present, convention, shapes)
    long = [s for s in shapes if s.count("0") > MAX_DIGITS]
    if long:
        values = np.array(values)  # writable (Arrow's may not be): set in place
        if not parse_long(values, num_text, present, convention):
            return None
    return values, missing


def _observations(checked: Checked, lines: np.ndarray, name: str) -> tuple[pa.Table, int]:
    """The validated observations (validate.OBS_COLUMNS) and the count of missing values.

    Texts stay dictionary-encoded (per row the index of its text): a million rows hold
    a few dozen distinct indicators, areas, periods and sources, and DuckDB reads the
    dictionaries as VARCHAR without a million Python or Arrow strings in between."""
    present = _only(~checked.missing)
    rows = len(checked.values) - int(checked.missing.sum())

    def spread(per_text: list | pd.Series, key: str, kind: pa.DataType) -> pa.Array:
        index = checked.columns[key].index[present]
        if kind != pa.string():
            return pa.array(list(per_text), kind).take(pa.array(index))
        # One dictionary entry per distinct result (two texts may give one id); a text
        # without value (an empty note) is a null row (code -1), not a null entry
        codes, texts = pd.factorize(pd.Series(list(per_text), dtype="object"))
        rows = codes.astype(np.int32)[index]
        indices = pa.array(rows, pa.int32(), mask=rows < 0 if (codes < 0).any() else None)
        return pa.DictionaryArray.from_arrays(indices, pa.array(list(texts), kind))

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
            ),
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
