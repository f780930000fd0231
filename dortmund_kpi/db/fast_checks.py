"""SQL of the import fast path (``dortmund_kpi.fast_import``): the per-cell number work.

The value cells of a plain CSV file (a pyarrow table, scanned in place) are matched
against the conventions' regular expressions and cast to numbers here, on all cores;
everything else of the fast path is Arrow and numpy work on a few distinct texts.
These functions only count and parse: wording problems is the Python path's job
(the fast path falls back to it on any problem).

All statements run on a private in-memory connection. Every value, pattern included,
is a bound parameter; table names are module constants.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import duckdb
import numpy as np
import pandas as pd

if TYPE_CHECKING:
    import pyarrow as pa

CELLS = "fast_values"  # registered pyarrow table: wert
NUMBERS = "fast_numbers"  # registered pyarrow table: row, num_text, missing
LONG = "fast_long"  # registered frame: num_text, value (parsed by pandas)


def odd_values(con: duckdb.DuckDBPyConnection, cells: pa.Table, plain: str) -> list[str]:
    """The distinct value cells that do not consist of ``plain`` characters only."""
    con.register(CELLS, cells)
    rows = con.execute(
        f"SELECT DISTINCT wert FROM {CELLS} WHERE NOT regexp_full_match(wert, $plain)",
        {"plain": plain},
    ).fetchall()
    return [row[0] for row in rows]


def convention_votes(
    con: duckdb.DuckDBPyConnection, numbers: pa.Table, german_only: str, english_only: str
) -> tuple[int, int]:
    """How many present values can only be German, how many only English."""
    con.register(NUMBERS, numbers)
    row = con.execute(
        f"""SELECT count(*) FILTER (WHERE regexp_full_match(num_text, $de)),
                   count(*) FILTER (WHERE regexp_full_match(num_text, $en))
            FROM {NUMBERS} WHERE NOT missing""",
        {"de": german_only, "en": english_only},
    ).fetchall()[0]
    return int(row[0]), int(row[1])


def long_numbers(con: duckdb.DuckDBPyConnection, max_digits: int) -> pd.Series:
    """The distinct present value texts with more than ``max_digits`` digits."""
    frame = con.execute(
        f"""SELECT DISTINCT num_text FROM {NUMBERS}
            WHERE NOT missing AND length(num_text) > $digits
              AND length(regexp_replace(num_text, '[^0-9]', '', 'g')) > $digits""",
        {"digits": max_digits},
    ).df()
    return frame["num_text"].astype("str")


def parse_values(
    con: duckdb.DuckDBPyConnection,
    size: int,
    long_values: pd.DataFrame,
    valid: str,
    group: str,
    decimal: str,
) -> np.ndarray:
    """The value of every row (NaN where missing or not a number in the convention).

    ``group`` is the thousands separator to drop, ``decimal`` the decimal mark: the
    same two replacements as ``numbers.parse_numbers``; ``long_values`` (num_text,
    value) are numbers pandas parsed itself. Rows come back in any order and are put
    in place by their row number.
    """
    con.register(LONG, long_values)
    result = con.sql(
        f"""SELECT n.row, coalesce(l.value, CASE WHEN regexp_full_match(n.num_text, $valid)
                   THEN TRY_CAST(replace(replace(n.num_text, $group, ''), $decimal, '.')
                                 AS DOUBLE) END) AS value
            FROM {NUMBERS} n LEFT JOIN {LONG} l ON l.num_text = n.num_text
            WHERE NOT n.missing""",
        params={"valid": valid, "group": group, "decimal": decimal},
    ).to_arrow_table()
    values = np.full(size, np.nan)
    rows = result.column("row").to_numpy()
    values[rows] = result.column("value").to_numpy(zero_copy_only=False)  # NULL -> NaN
    return values
