"""Read connections are closed only when no session queries on them (issue 16, item 15).

A session whose page opens a third database version evicts the oldest connection.
When another session is still querying on it, closing it there raised DuckDB's
``ResourceInUseException`` in the evicting session, and the other session's next
cursor failed with "Connection already closed".
"""

from __future__ import annotations

import random
import threading
from pathlib import Path

import duckdb
import pytest
from duckdb.sqltypes import BIGINT

from dortmund_kpi.db.pool import ReadPool
from dortmund_kpi.db.store import Store, connect_file
from dortmund_kpi.ui import data


@pytest.fixture
def versions(tmp_path: Path) -> list[str]:
    files = []
    for n in range(4):
        file = tmp_path / f"v{n}.duckdb"
        with duckdb.connect(str(file)) as con:
            con.execute("CREATE TABLE t AS SELECT ? AS version", [n])
        files.append(str(file))
    return files


class Blocker:
    """A query that stays busy on its connection until released."""

    def __init__(self) -> None:
        self.started = threading.Event()
        self.release = threading.Event()

    def _wait(self, x: int) -> int:
        self.started.set()
        self.release.wait(10)
        return x

    def query(self, cursor: duckdb.DuckDBPyConnection) -> int:
        cursor.create_function("hold", self._wait, [BIGINT], BIGINT)
        return cursor.execute("SELECT hold(version) FROM t").fetchone()[0]


def version_of(cursor: duckdb.DuckDBPyConnection) -> int:
    return cursor.execute("SELECT version FROM t").fetchone()[0]


def in_thread(fn, results: list, errors: list) -> threading.Thread:
    def target() -> None:
        try:
            results.append(fn())
        except Exception as exc:  # the test reports whatever was raised
            errors.append(exc)

    thread = threading.Thread(target=target)
    thread.start()
    return thread


def test_a_new_version_does_not_break_a_query_running_on_the_evicted_one(versions):
    """Through the app's own cache: session A queries on v0, session B opens v1, v2."""
    data.clear()
    blocker, results, errors = Blocker(), [], []
    thread = in_thread(
        lambda: data._cached(versions[0], "hold", (), (), _fn=blocker.query), results, errors
    )
    assert blocker.started.wait(10)
    try:
        for file in versions[1:3]:  # the pool keeps two: v0 is evicted while busy
            assert data._cached(file, "version_of", (), (), _fn=version_of) in (1, 2)
    finally:
        blocker.release.set()
        thread.join(10)
    assert errors == [] and results == [0]
    assert data._pool().open_files() == versions[1:3]
    data.clear()


def test_an_evicted_connection_closes_when_its_last_query_ends(versions):
    opened: list[duckdb.DuckDBPyConnection] = []

    def connect(file: Path) -> duckdb.DuckDBPyConnection:
        opened.append(connect_file(file))
        return opened[-1]

    pool, blocker, results, errors = ReadPool(connect, size=1), Blocker(), [], []

    def busy() -> int:
        with pool.cursor(versions[0]) as cursor:
            return blocker.query(cursor)

    thread = in_thread(busy, results, errors)
    assert blocker.started.wait(10)
    with pool.cursor(versions[1]) as cursor:  # evicts v0, still busy
        assert version_of(cursor) == 1
    opened[0].execute("SELECT 1")  # still open: its query runs
    blocker.release.set()
    thread.join(10)
    assert errors == [] and results == [0]
    with pytest.raises(duckdb.ConnectionException):
        opened[0].execute("SELECT 1")  # closed with its last lease
    pool.clear()
    with pytest.raises(duckdb.ConnectionException):
        opened[1].execute("SELECT 1")


def test_many_sessions_over_changing_versions_never_fail(versions):
    pool = ReadPool(connect_file, size=2)
    errors: list[Exception] = []
    seen: list[tuple[int, int]] = []

    def session(seed: int) -> None:
        rng = random.Random(seed)
        for _ in range(200):
            n = rng.randrange(len(versions))
            try:
                with pool.cursor(versions[n]) as cursor:
                    seen.append((n, version_of(cursor)))
            except Exception as exc:  # collected and asserted below
                errors.append(exc)

    threads = [threading.Thread(target=session, args=(seed,)) for seed in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    assert len(seen) == 1200 and all(n == v for n, v in seen)
    assert len(pool.open_files()) == 2
    pool.clear()
    assert pool.open_files() == []


def test_a_new_version_is_opened_before_its_first_session(tmp_path: Path):
    """After an import the pool opens the new version's connection by itself (``follow``),
    so the first session on it does not pay for opening it."""
    store = Store(tmp_path / "kpi.duckdb")
    with store.write(fresh=True):
        pass
    first = str(store.current_file())
    pool = ReadPool(connect_file, size=2)
    assert pool.prepare(first) is False  # the pool serves no version of this database yet
    with pool.cursor(first) as cursor:
        cursor.execute("SELECT 1").fetchall()
    with store.write():
        pass  # a new version, as an import publishes
    second = str(store.current_file())
    assert pool.prepare(second) is True and pool.open_files() == [first, second]
    assert pool.prepare(second) is False  # already open
    with store.write():
        pass
    third = str(store.current_file())
    opened: list[str] = []
    pool.follow(store.current_file, every_s=0.01, on_open=opened.append)
    for _ in range(3000):  # the follower's thread opens it; no session asks
        if opened:
            break
        threading.Event().wait(0.01)
    assert pool.open_files() == [second, third]
    assert opened == [third]  # handed on once (the app builds recent views there)
    pool.clear()
