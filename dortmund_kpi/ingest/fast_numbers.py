"""The fast path's number column in Arrow: the work of ``numbers.py`` on whole columns.

``fast_path._values`` chooses the file's convention from the texts' shapes; these are
the column kernels it uses: clean the value texts (only the few odd ones through
``numbers.py`` itself), write digits as 0 to get a text's shape, and cast. Where Arrow
and pandas could disagree (more than ``MAX_DIGITS`` digits), pandas parses.
"""

from __future__ import annotations

import re
from collections.abc import Collection

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from dortmund_kpi.ingest.numbers import (
    MISSING,
    PLAIN_NUMBER,
    clean_number_text,
    is_missing,
    parse_numbers,
)

# pandas' to_numeric and Arrow's cast agree on every text of up to 15 digits (both
# exact there); longer ones are parsed by pandas (``parse_long``).
MAX_DIGITS = 15


def number_texts(
    wert: pa.ChunkedArray,
) -> tuple[pa.ChunkedArray, np.ndarray, pa.ChunkedArray] | None:
    """Cleaned number text, missing flag and shape (``digit_shapes``) per row: cells of
    digits and separators only are their own cleaned text; the few others go through
    numbers.py itself."""
    missing_plain = pa.array(sorted(m for m in MISSING if re.fullmatch(PLAIN_NUMBER, m)))
    plain_missing = pc.is_in(wert, value_set=missing_plain)
    wert_shapes = digit_shapes(wert)
    shapes = pc.unique(wert_shapes).to_pylist()
    odd_shapes = [s for s in shapes if not re.fullmatch(PLAIN_NUMBER, s)]
    if not odd_shapes:
        return wert, plain_missing.to_numpy(zero_copy_only=False), wert_shapes
    is_odd = pc.is_in(wert_shapes, value_set=pa.array(odd_shapes, pa.string()))
    odd = pc.unique(pc.filter(wert, is_odd))
    cleaned = clean_number_text(pd.Series(odd.to_pylist(), dtype="str"))
    missing = is_missing(cleaned)
    # Only ASCII digits and separators are left to the shape rules and Arrow's cast
    # (Python's \d also matches other digits): anything else goes the Python way.
    if (~missing & ~cleaned.str.fullmatch(PLAIN_NUMBER)).any():
        return None
    where = pc.index_in(wert, value_set=odd)
    num_text = pc.if_else(is_odd, pc.take(pa.array(cleaned.tolist(), pa.string()), where), wert)
    flag = pc.if_else(is_odd, pc.take(pa.array(missing.tolist(), pa.bool_()), where), plain_missing)
    return num_text, flag.to_numpy(zero_copy_only=False), digit_shapes(num_text)


_DIGITS_TO_ZERO = np.arange(256, dtype=np.uint8)
_DIGITS_TO_ZERO[ord("1") : ord("9") + 1] = ord("0")


def digit_shapes(texts: pa.ChunkedArray) -> pa.ChunkedArray:
    """Every text with its digits 1-9 written as 0 (same offsets; other bytes kept)."""
    chunks = []
    for chunk in texts.chunks:
        validity, offsets, data = chunk.buffers()
        raw = np.frombuffer(data, dtype=np.uint8) if data is not None else np.empty(0, np.uint8)
        shaped = pa.py_buffer(_DIGITS_TO_ZERO[raw].tobytes())
        chunks.append(
            pa.StringArray.from_buffers(
                len(chunk), offsets, shaped, validity, chunk.null_count, chunk.offset
            )
        )
    return pa.chunked_array(chunks, pa.string())


def cast_numbers(
    num_text: pa.ChunkedArray, present: np.ndarray, convention: str, shapes: Collection[str]
) -> np.ndarray:
    """numbers.parse_numbers' replacements and cast (Arrow's cast rounds correctly, as
    pandas does for up to MAX_DIGITS digits); NaN for missing values. ``shapes``: those
    of the present texts (``digit_shapes``): without a group separator in any, there is
    none to remove."""
    group, decimal = (".", ",") if convention == "de" else (",", ".")
    every = bool(present.all())  # mostly: no filter and no copy into place
    text = num_text if every else pc.filter(num_text, pa.array(present))
    if any(group in shape for shape in shapes):
        text = pc.replace_substring(text, group, "")
    if decimal != ".":
        text = pc.replace_substring(text, decimal, ".")
    cast = pc.cast(text, pa.float64()).to_numpy()
    if every:
        return cast
    values = np.full(len(present), np.nan)
    values[present] = cast
    return values


def parse_long(
    values: np.ndarray, num_text: pa.ChunkedArray, present: np.ndarray, convention: str
) -> bool:
    """Numbers with more than MAX_DIGITS digits, parsed by pandas itself (in place).

    pandas rounds those differently from Arrow, and a column of only whole numbers
    differently from one with a decimal mark. With a decimal mark in every long text,
    both this small column and the file's column are parsed as decimals, text by text:
    the same values. Long whole numbers go the Python way (False)."""
    digits = pc.utf8_length(pc.replace_substring_regex(num_text, "[^0-9]", ""))
    long = pc.unique(
        pc.filter(num_text, pc.and_(pa.array(present), pc.greater(digits, MAX_DIGITS)))
    )
    texts = pd.Series(long.to_pylist(), dtype="str")
    decimal = "," if convention == "de" else "."
    if not texts.str.contains(decimal, regex=False).all():
        return False
    parsed = parse_numbers(texts, convention)
    if parsed.isna().any():
        return False
    where = pc.index_in(num_text, value_set=long).to_numpy(zero_copy_only=False)
    rows = ~np.isnan(where)
    values[rows] = parsed.to_numpy()[where[rows].astype(np.int64)]
    return True
