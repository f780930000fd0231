"""A bounded cache that computes each key once, shared by every thread of the process.

``ui.data`` keeps each page's data and the reference data per data version in one. It
was ``st.cache_resource``, whose key is a hash of the arguments made anew on every call
(the function's signature inspected, each argument serialised): 8 % of a warm overview
run at scale M, which asks about a dozen times (sampled with py-spy). Here the key is a
plain tuple, looked up by Python's own hash.

A key being computed is computed once: a second thread asking for it waits for the
first (a visitor asking for a view the server is building on a new version,
``ui.prebuild``). A failure is not kept: the next call tries again.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

T = TypeVar("T")


class OnceCache:
    """At most ``size`` values, the least recently used dropped first."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._items: OrderedDict[Hashable, Any] = OrderedDict()
        self._computing: dict[Hashable, threading.Lock] = {}
        self._lock = threading.Lock()

    def get(self, key: Hashable, make: Callable[[], T]) -> T:
        """The value of ``key``, made by ``make()`` if nobody has made it yet."""
        with self._lock:
            if key in self._items:
                return self._kept(key)
            computing = self._computing.setdefault(key, threading.Lock())
        with computing:  # one thread makes it; the others wait here, then find it
            with self._lock:
                if key in self._items:
                    return self._kept(key)
            try:
                value = make()
            except BaseException:
                with self._lock:
                    self._computing.pop(key, None)
                raise
            with self._lock:  # kept and no longer computing in one step: never made twice
                self._items[key] = value
                self._computing.pop(key, None)
                while len(self._items) > self._size:
                    self._items.popitem(last=False)
            return value

    def _kept(self, key: Hashable) -> Any:
        """A kept value, now the most recently used (called under the lock)."""
        self._items.move_to_end(key)
        return self._items[key]

    def clear(self) -> None:
        with self._lock:
            self._items.clear()

    def __contains__(self, key: Hashable) -> bool:
        with self._lock:
            return key in self._items

    def __len__(self) -> int:
        return len(self._items)
