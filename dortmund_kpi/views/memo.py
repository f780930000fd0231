"""Results kept by the content of their inputs, not by the data version they came from.

Page data are cached per published version (``ui.data.page_data``), so after every
import every page builds its figures anew, although an import usually changes a few
indicators only. A chart whose values, catalog row and statistics are the same in the
new version is the same chart: ``ContentMemo`` hands out the one built before. The key
is a digest of everything the chart is drawn from, so a changed value, a revised source
or Stand (a column of the values) or a new target always builds a new one.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any, TypeVar

import pandas as pd

T = TypeVar("T")


def digest(*parts: Any) -> str | None:
    """A digest of data frames, series and plain values (None: not digestible, so the
    caller builds without the memo rather than risk a wrong hit)."""
    h = hashlib.blake2b(digest_size=20)
    try:
        for part in parts:
            h.update(_bytes(part))
    except (TypeError, ValueError):
        return None
    return h.hexdigest()


# DuckDB's parallel aggregation sums in no fixed order: a sum, mean or slope of the same
# values differs in the last bits from one version to the next. Numbers are compared at
# 10 significant digits (beyond any shown), so such noise is no change.
DIGITS = 10


def _number(value: Any) -> Any:
    return float(f"{value:.{DIGITS}g}") if isinstance(value, float) else value


def _bytes(part: Any) -> bytes:
    if isinstance(part, pd.DataFrame):
        columns = repr((list(part.columns), [str(t) for t in part.dtypes])).encode()
        floats = {c: [_number(v) for v in part[c]] for c in part.columns if part[c].dtype == float}
        steady = part.assign(**floats) if floats else part
        try:
            values = pd.util.hash_pandas_object(steady, index=False)
        except TypeError:  # list cells (a measure's indicators, districts): by their text
            values = pd.util.hash_pandas_object(steady.astype(str), index=False)
        return b"F" + columns + values.to_numpy().tobytes()
    if isinstance(part, pd.Series):
        return b"S" + repr([(k, _number(v)) for k, v in part.items()]).encode()
    return b"V" + repr(part).encode()


class ContentMemo:
    """At most ``size`` results by content digest, the least recently used dropped;
    shared by every thread (the results must never be changed: frozen figures)."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._items: OrderedDict[str, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str | None, build: Callable[[], T]) -> T:
        if key is None:
            return build()
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        value = build()  # outside the lock: two threads may build one chart, never wait
        with self._lock:
            self._items[key] = value
            while len(self._items) > self._size:
                self._items.popitem(last=False)
        return value

    def __len__(self) -> int:
        return len(self._items)
