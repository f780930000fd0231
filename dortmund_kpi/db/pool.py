"""Read connections shared by the sessions of one process, one per database version.

A connection is closed only when nobody uses it any more. A plain cache that closes
the connection it evicts breaks the sessions still querying on it: DuckDB refuses
``close()`` on a busy connection (``ResourceInUseException`` in the session that
caused the eviction) and every later cursor of the other sessions fails with
"Connection already closed". So each use is a lease: an evicted connection leaves the
pool at once (new leases open a fresh one) and is closed when its last lease ends.

After an import, the first session on the new version would also pay opening its
connection: ``follow`` opens it as soon as the version is published, and hands it to
``on_open`` (the app builds the views being looked at there: ``ui.prebuild``).
"""

from __future__ import annotations

import contextlib
import threading
import time
import weakref
from collections import OrderedDict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb


@dataclass(eq=False)
class _Entry:
    con: duckdb.DuckDBPyConnection
    leases: int = 0
    retired: bool = False  # left the pool: close when the last lease ends


class ReadPool:
    """At most ``size`` idle-or-busy connections kept; retired ones close when free."""

    def __init__(self, connect: Callable[[Path], duckdb.DuckDBPyConnection], size: int = 2):
        self._connect = connect
        self._size = size
        self._entries: OrderedDict[str, _Entry] = OrderedDict()
        self._lock = threading.Lock()

    @contextlib.contextmanager
    def cursor(self, file: str | Path) -> Iterator[duckdb.DuckDBPyConnection]:
        """A cursor on the version ``file``, valid inside the ``with`` block."""
        entry = self._lease(str(file))
        try:
            with entry.con.cursor() as cursor:  # one cursor per use: thread-safe
                yield cursor
        finally:
            self._release(entry)

    def clear(self) -> None:
        """Retire every connection (each closes when its last lease ends)."""
        with self._lock:
            retired = list(self._entries.values())
            self._entries.clear()
            for entry in retired:
                entry.retired = True
        for entry in retired:
            self._close_if_free(entry)

    def prepare(self, file: str | Path) -> bool:
        """Open ``file``'s connection before a session asks, if the pool serves an earlier
        version of its database (a file in the same folder); True if it opened one."""
        key = str(file)
        with self._lock:
            known = list(self._entries)
        if key in known or not any(Path(k).parent == Path(key).parent for k in known):
            return False
        with self.cursor(key):
            return True

    def follow(
        self,
        current: Callable[[], Path],
        every_s: float = 1.0,
        on_open: Callable[[str], object] | None = None,
    ) -> None:
        """Check ``current()`` (the published version) every ``every_s`` seconds in a
        daemon thread and ``prepare`` it, then call ``on_open(file)`` in that thread when
        it opened one; the thread ends with the pool."""
        thread = threading.Thread(
            target=_follow, args=(weakref.ref(self), current, every_s, on_open), daemon=True
        )
        thread.start()

    def open_files(self) -> list[str]:
        """The versions with a pooled connection, oldest first (tests, diagnostics)."""
        with self._lock:
            return list(self._entries)

    def _lease(self, key: str) -> _Entry:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                # Opened under the lock: two sessions must not open one version twice.
                entry = _Entry(self._connect(Path(key)))
                self._entries[key] = entry
            self._entries.move_to_end(key)
            entry.leases += 1
            evicted = self._evict()
        for old in evicted:
            self._close_if_free(old)
        return entry

    def _evict(self) -> list[_Entry]:
        evicted = []
        while len(self._entries) > self._size:
            _, old = self._entries.popitem(last=False)
            old.retired = True
            evicted.append(old)
        return evicted

    def _release(self, entry: _Entry) -> None:
        with self._lock:
            entry.leases -= 1
        self._close_if_free(entry)

    def _close_if_free(self, entry: _Entry) -> None:
        with self._lock:
            if not entry.retired or entry.leases > 0:
                return
            entry.leases = -1  # closed: never twice
        entry.con.close()


def _follow(
    ref: weakref.ref[ReadPool],
    current: Callable[[], Path],
    every_s: float,
    on_open: Callable[[str], object] | None,
) -> None:
    while (pool := ref()) is not None:
        # A database being replaced or missing now is checked again on the next round.
        with contextlib.suppress(OSError, RuntimeError, duckdb.Error):
            file = str(current())
            if pool.prepare(file) and on_open is not None:
                on_open(file)
        del pool  # no reference while sleeping: a pool nobody uses can go
        time.sleep(every_s)
