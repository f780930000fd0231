"""The views being looked at, built on a new data version before anyone asks again.

Page data and reference data are cached per published version (``ui.data``), so after
an import the first visitor of each view used to pay for building it: 1.5-3x a warm run
at scale M (``docs/performance.md``). Every such cached call remembers how to make itself
on another version; when the read pool's follow thread opens a newly published version
(``db.pool``), the calls used recently are made there, most recent first, in that thread.
A visitor who comes while one is being made waits for it (``ui.once`` computes a key
once) rather than making it a second time.

Only calls of the last ``within_s`` seconds and at most ``size`` of them: a view nobody
has looked at lately is not built. No Streamlit here; ``ui.data`` wires it up.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable

LOG = logging.getLogger(__name__)

Make = Callable[[str], object]  # makes a cached call on the version file it is given


class Recent:
    """The cached calls made lately (by key), each with how to make it on a version."""

    def __init__(
        self, size: int = 32, within_s: float = 900.0, now: Callable[[], float] = time.monotonic
    ) -> None:
        self._size = size
        self._within_s = within_s
        self._now = now
        self._items: OrderedDict[Hashable, tuple[float, Make]] = OrderedDict()
        self._lock = threading.Lock()

    def remember(self, key: Hashable, make: Make) -> None:
        """``key`` was just used; ``make(file)`` makes it on version ``file``."""
        with self._lock:
            self._items[key] = (self._now(), make)
            self._items.move_to_end(key)
            while len(self._items) > self._size:
                self._items.popitem(last=False)

    def due(self) -> list[Make]:
        """The calls used within ``within_s`` seconds, most recent first."""
        oldest = self._now() - self._within_s
        with self._lock:
            entries = list(self._items.values())
        return [make for used, make in reversed(entries) if used >= oldest]

    def prepare(self, file: str) -> int:
        """Make the due calls on ``file``; returns how many succeeded. A failing one is
        logged and skipped: its visitor makes it (and sees its error) as without this."""
        made = 0
        for make in self.due():
            try:
                make(file)
            except Exception:  # a background thread must not die of one view
                LOG.warning("Vorberechnung auf %s fehlgeschlagen", file, exc_info=True)
                continue
            made += 1
        return made

    def clear(self) -> None:
        with self._lock:
            self._items.clear()

    def __len__(self) -> int:
        return len(self._items)
