"""The versioned DuckDB store: many readers, one writer, never both on one file.

DuckDB lets one process write a file or many processes read it, never both.
So a write never touches the file the dashboard has open: the writer copies
the current version to a new file, changes it in one transaction, checks it,
and publishes it by atomically swapping a symlink (``os.replace``). Readers
resolve the symlink, so a new version has a new file name; that also avoids
DuckDB handing back a cached instance of a replaced file.

Layout for ``data/dortmund_kpi.duckdb``::

    data/dortmund_kpi.duckdb            -> symlink to the published version
    data/dortmund_kpi.duckdb.versions/  20261121T120000123456-4711.duckdb ...
    data/.dortmund_kpi.duckdb.lock      writer lock (flock)
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from dortmund_kpi.db import materialise
from dortmund_kpi.db.schema import LATEST_VERSION, migrate, schema_version
from dortmund_kpi.db.scope import public_connection
from dortmund_kpi.os_text import first_line as first_line  # its callers import it here
from dortmund_kpi.settings import get_settings

KEEP_VERSIONS = 3
COPY_CHUNK = 1024 * 1024
READ_CONFIG = {
    "enable_external_access": False,
    "autoinstall_known_extensions": False,
    "autoload_known_extensions": False,
    # A ceiling for DuckDB's working memory (it spills to disk above it): at 10 million
    # observations single queries took the app to 2.5 GB; the target is under 1 GB.
    "memory_limit": "512MB",
}


class StoreError(RuntimeError):
    """The database is missing, locked or inconsistent; the message says what to do."""


class StoreExists(StoreError):
    """A database was to be created, but one is already published."""


class Store:
    """Access to one published database path and its versions."""

    def __init__(self, db_path: Path) -> None:
        self.db_path = Path(db_path)
        self.versions_dir = self.db_path.parent / f"{self.db_path.name}.versions"
        self.lock_path = self.db_path.parent / f".{self.db_path.name}.lock"

    # -- reading -------------------------------------------------------------
    def exists(self) -> bool:
        return self.db_path.exists()

    def current_file(self) -> Path:
        """The file of the published version (the symlink resolved)."""
        if not self.exists():
            raise StoreError(
                f"Keine Datenbank unter {self.db_path}. Anlegen mit: dortmund-kpi init"
            )
        return Path(os.path.realpath(self.db_path))

    def version(self) -> str:
        """A cheap token that changes with every publish (the version's file name)."""
        current = self.current_file()
        if self.db_path.is_symlink():
            return current.name
        stat = current.stat()  # a plain file (not made by us): its identity and mtime
        return f"{current.name}:{stat.st_ino}:{stat.st_mtime_ns}"

    def connect_read(
        self, file: Path | None = None, public: bool | None = None
    ) -> duckdb.DuckDBPyConnection:
        """A read-only connection with file access from SQL switched off; in public mode
        (``public``, by default the setting) only public items (``db.scope``)."""
        return connect_file(file or self.current_file(), public)

    @contextlib.contextmanager
    def read_published(self) -> Iterator[tuple[duckdb.DuckDBPyConnection, Path]]:
        """A read-only connection to the published version, and its file.

        Retried when the version was pruned between resolving the symlink and
        opening the file (a newer one has been published meanwhile).
        """
        for attempt in range(3):
            file = self.current_file()
            try:
                con = self.connect_read(file)
            except duckdb.IOException as exc:
                if file.exists() or attempt == 2:
                    raise StoreError(f"{file}: Datenbank nicht lesbar ({first_line(exc)})") from exc
                continue
            except duckdb.Error as exc:
                raise StoreError(f"{file}: Datenbank nicht lesbar ({first_line(exc)})") from exc
            with con:
                yield con, file
            return

    def copy_published(self, destination: Path) -> str:
        """Copy the published version's file to ``destination``; return its version name.

        No lock is needed: a version's file never changes once published. It can
        only be pruned, and then a newer one is published, so that one is copied.
        """
        for _ in range(3):
            file = self.current_file()
            try:
                source = open(file, "rb")  # noqa: SIM115 - closed below; retried if pruned
            except FileNotFoundError:
                continue  # pruned between resolving and opening: a newer one is published
            with source, open(destination, "wb") as out:
                shutil.copyfileobj(source, out, COPY_CHUNK)
                out.flush()
                os.fsync(out.fileno())
            return file.name
        raise StoreError(f"{self.db_path}: veröffentlichte Version nicht lesbar, bitte wiederholen")

    # -- writing -------------------------------------------------------------
    @contextlib.contextmanager
    def lock(self) -> Iterator[None]:
        """Cross-process writer lock; released by the OS even if the writer is killed."""
        self.lock_path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.lock_path, "a+") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    @contextlib.contextmanager
    def write(
        self,
        *,
        fresh: bool = False,
        create_only: bool = False,
        verify: Callable[[duckdb.DuckDBPyConnection], None] | None = None,
    ) -> Iterator[duckdb.DuckDBPyConnection]:
        """Yield a read-write connection to a new version; publish it if the block succeeds.

        ``fresh`` starts from an empty database instead of a copy of the current
        one; ``create_only`` refuses (StoreExists) if a version is already
        published, checked under the lock. If the block raises, nothing is
        published and the new file is removed.
        """
        with self.lock():
            if create_only and self.exists():
                raise StoreExists(
                    f"Datenbank {self.db_path} existiert bereits. Zum Neuanlegen (die bisherigen "
                    "Daten werden ersetzt): dortmund-kpi init --force"
                )
            self._remove_leftovers()
            self.versions_dir.mkdir(parents=True, exist_ok=True)
            final = self.versions_dir / f"{_stamp()}.duckdb"
            tmp = final.with_name(final.name + ".tmp")
            try:
                if self.exists() and not fresh:
                    shutil.copyfile(self.current_file(), tmp)
                con = in_utc(duckdb.connect(str(tmp)))
                try:
                    con.execute("BEGIN TRANSACTION")
                    migrate(con)
                    yield con
                    materialise.rebuild(con)  # the aggregates of exactly this version
                    con.execute("COMMIT")
                    con.execute("CHECKPOINT")
                finally:
                    con.close()
                self._check(tmp, verify)
                os.replace(tmp, final)
                self._publish(final)
            except BaseException:
                _unlink(tmp)
                _unlink(Path(str(tmp) + ".wal"))
                _unlink(final)
                raise
            self._prune(keep=final)

    def ensure_schema(self) -> bool:
        """Migrate the published database if it is older than this code; True if it did."""
        with self.connect_read(public=False) as con:
            if schema_version(con) >= LATEST_VERSION:
                return False
        with self.write():
            pass  # write() migrates the copy before publishing it
        return True

    def _check(
        self, file: Path, verify: Callable[[duckdb.DuckDBPyConnection], None] | None
    ) -> None:
        with in_utc(duckdb.connect(str(file), read_only=True)) as con:
            if schema_version(con) != LATEST_VERSION:
                raise StoreError(f"{file}: Schema-Version stimmt nicht, nicht veröffentlicht")
            con.execute("SELECT count(*) FROM observations").fetchall()[0]
            if verify:
                verify(con)

    def _publish(self, final: Path) -> None:
        link_tmp = self.db_path.parent / f".{self.db_path.name}.link-{os.getpid()}"
        _unlink(link_tmp)
        os.symlink(os.path.relpath(final, self.db_path.parent), link_tmp)
        os.replace(link_tmp, self.db_path)  # atomic: readers see old or new, never neither
        fsync_dir(self.db_path.parent)

    def _remove_leftovers(self) -> None:
        """Files of writers that died before publishing (we hold the lock, so none is live)."""
        for pattern in ("*.tmp", "*.tmp.wal"):
            for leftover in self.versions_dir.glob(pattern):
                _unlink(leftover)
        for link in self.db_path.parent.glob(f".{self.db_path.name}.link-*"):
            _unlink(link)

    def _prune(self, keep: Path) -> None:
        versions = sorted(self.versions_dir.glob("*.duckdb"))
        for old in versions[:-KEEP_VERSIONS]:
            if old != keep:
                _unlink(old)  # open readers keep their inode until they close it


def connect_file(file: Path, public: bool | None = None) -> duckdb.DuckDBPyConnection:
    """A read-only connection to any database file, with file access from SQL switched off.

    For files that are not (yet) a published version, too: a backup being
    described is only read, and SQL inside it must not reach other files. In public
    mode (``public``, by default the setting) it shows only public items (``db.scope``).
    """
    if get_settings().public if public is None else public:
        return in_utc(public_connection(file, dict(READ_CONFIG)))
    return in_utc(duckdb.connect(str(file), read_only=True, config=dict(READ_CONFIG)))


def in_utc(con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    """``con`` with its session time zone set to UTC, for it and every cursor of it.

    The session time zone decides how a TIMESTAMPTZ turns into text or a naive
    timestamp and how a naive one is read; left alone it is the server's, so the
    same query could give another answer on another machine. Moments leave the
    database as instants; only ``formatting`` shows them in Berlin time. GLOBAL:
    a cursor does not inherit a plain SET of its connection. (The ICU extension that
    provides time zones is built into DuckDB's Python wheel: no download.)
    """
    con.execute("SET GLOBAL TimeZone = 'UTC'")
    return con


@contextlib.contextmanager
def scratch() -> Iterator[duckdb.DuckDBPyConnection]:
    """An empty in-memory database with the current schema, closed afterwards.

    A dry run (the import preview) loads into this, so it never writes a database file.
    """
    with in_utc(duckdb.connect()) as con:
        migrate(con)
        yield con


# -- copying whole databases (backup and restore) -------------------------------
RESTORE_SOURCE = "restore_source"  # the alias the backup is attached under


def upgrade_copy(file: Path) -> None:
    """Migrate a private copy of an older database (a backup being restored) to this
    schema, so that ``load_backup`` copies like for like: its naive times become
    instants by migration 5, not by an implicit cast in the session's time zone."""
    config = {key: READ_CONFIG[key] for key in ("enable_external_access", "memory_limit")}
    with in_utc(duckdb.connect(str(file), config=config)) as con:
        con.execute("BEGIN TRANSACTION")
        migrate(con)
        con.execute("COMMIT")


def table_counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Row count of every base table of the connection's database, by table name.

    Table names are SQL identifiers, which cannot be bound: they are taken
    from the database's own catalog (never from a manifest or the user) and
    quoted, so any name, even one with a quote, stays one identifier.
    """
    return {
        name: int(con.execute(f"SELECT count(*) FROM {quote_ident(name)}").fetchall()[0][0])
        for name in table_names(con)
    }


def table_names(con: duckdb.DuckDBPyConnection, catalog: str | None = None) -> list[str]:
    """Base tables in schema ``main`` of ``catalog`` (default: the connection's database)."""
    rows = con.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' "
        "AND table_type = 'BASE TABLE' AND table_catalog = coalesce($c, current_database()) "
        "ORDER BY table_name",
        {"c": catalog},
    ).fetchall()
    return [row[0] for row in rows]


def load_backup(con: duckdb.DuckDBPyConnection, file: Path) -> None:
    """Fill the fresh (migrated, empty) version of ``con`` with every table of ``file``.

    The file's path is a bound parameter of ATTACH, never SQL text, so a folder
    called ``it's; DROP TABLE x --`` is just a name. It is made absolute so that
    no part of it can read as a storage prefix (``md:``, ``s3://``), and
    ``TYPE duckdb`` says the same explicitly. Only tables this schema knows are
    copied, so every identifier in the copy statements is one of ours.
    """
    con.execute(
        f"ATTACH $path AS {RESTORE_SOURCE} (TYPE duckdb, READ_ONLY)",
        {"path": str(Path(file).absolute())},
    )
    known = set(table_names(con))
    for name in table_names(con, RESTORE_SOURCE):
        if name not in known:
            raise StoreError(f"Sicherung enthält die unbekannte Tabelle {name}")
        source = f"{RESTORE_SOURCE}.main.{quote_ident(name)}"
        if name == "schema_meta":  # keep the original migration dates
            con.execute(f"DELETE FROM schema_meta WHERE version IN (SELECT version FROM {source})")
        con.execute(f"INSERT INTO main.{quote_ident(name)} BY NAME SELECT * FROM {source}")


def quote_ident(name: str) -> str:
    """``name`` as one quoted SQL identifier; only for names from a database's catalog."""
    return '"' + name.replace('"', '""') + '"'


def _stamp() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f") + f"-{os.getpid()}"


def _unlink(path: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        path.unlink()


def fsync_dir(directory: Path) -> None:
    """Make a rename or new file in ``directory`` durable (the directory entry itself)."""
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
