"""Migration 5: the moments of a database of schema version 4 (naive Berlin wall-clock
times) become instants (TIMESTAMPTZ), read as Berlin time whatever the server's zone.

The version-4 databases are made by the real migrations 1-4 (``migrate(target=4)``):
once with hand-picked moments (the repeated and the skipped hour), once with every row
of the fixture database (built by the real importer) written back as the old code
stored it. A backup of such a database is restored through ``restore``.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pytest

from dortmund_kpi import clock
from dortmund_kpi.db.schema import LATEST_VERSION, migrate, schema_version
from dortmund_kpi.db.store import Store, table_names
from dortmund_kpi.ops import backup as ops_backup
from dortmund_kpi.ops.check import run_checks
from dortmund_kpi.settings import Settings
from tests.conftest import make_settings

MOMENTS = (  # table, column: every moment a version-4 database holds
    ("observations", "valid_from"),
    ("observations", "valid_to"),
    ("measures", "valid_from"),
    ("measures", "valid_to"),
    ("import_log", "started_at"),
    ("import_log", "finished_at"),
    ("import_mappings", "saved_at"),
    ("schema_meta", "applied_at"),
)
WALL_TO_UTC = {  # naive Berlin wall-clock time -> the instant migration 5 reads in it
    "2025-01-15 09:00:00": datetime(2025, 1, 15, 8, 0, tzinfo=UTC),  # winter, CET
    "2025-03-31 14:05:00.000001": datetime(2025, 3, 31, 12, 5, 0, 1, tzinfo=UTC),  # CEST
    # skipped when the clocks went forward: read as standard time, i.e. 03:30 CEST
    "2026-03-29 02:30:00": datetime(2026, 3, 29, 1, 30, tzinfo=UTC),
    # repeated when the clocks went back: read as the second pass (CET)
    "2026-10-25 02:30:00": datetime(2026, 10, 25, 1, 30, tzinfo=UTC),
}


def _column_types(con: duckdb.DuckDBPyConnection) -> dict[tuple[str, str], str]:
    rows = con.execute(
        "SELECT table_name, column_name, data_type FROM information_schema.columns"
    ).fetchall()
    return {(t, c): d for t, c, d in rows if (t, c) in MOMENTS}


def _observations_at(path: Path, walls: list[str]) -> None:
    """A version-4 database with one revision per wall-clock time, made in New York: the
    old code's session time zone must not matter to what the migration reads."""
    with duckdb.connect(str(path)) as con:
        con.execute("SET GLOBAL TimeZone = 'America/New_York'")
        assert migrate(con, target=4) == [1, 2, 3, 4]
        for number, wall in enumerate(walls, 1):
            con.execute(
                "INSERT INTO observations VALUES ('x', 'dortmund', ?, 'Y', DATE '2020-01-01', "
                "DATE '2020-12-31', 42, NULL, NULL, true, 1, CAST(? AS TIMESTAMP), NULL)",
                [str(2000 + number), wall],
            )


def test_naive_times_are_read_as_berlin_wall_clock(tmp_path: Path):
    path = tmp_path / "v4.duckdb"
    _observations_at(path, list(WALL_TO_UTC))
    store = Store(path)
    assert store.ensure_schema() is True
    with store.connect_read() as con:
        assert schema_version(con) == LATEST_VERSION >= 5
        assert set(_column_types(con).values()) == {"TIMESTAMP WITH TIME ZONE"}
        assert len(_column_types(con)) == len(MOMENTS)
        naive = con.execute(  # later tables too: every moment of the schema is an instant
            "SELECT table_name, column_name FROM information_schema.columns "
            "WHERE data_type = 'TIMESTAMP'"
        ).fetchall()
        assert naive == []
        stored = con.execute("SELECT valid_from FROM observations ORDER BY period").fetchall()
        indexes = {r[0] for r in con.execute("SELECT index_name FROM duckdb_indexes()").fetchall()}
        current = con.execute("SELECT count(*) FROM current_observations").fetchall()[0][0]
    assert [row[0] for row in stored] == list(WALL_TO_UTC.values())
    # measures_key dropped and made again (5, 7); trends_key new in 7; observations_key
    # made again in 5 and dropped in 8
    assert indexes == {"measures_key", "trends_key"}
    assert current == len(WALL_TO_UTC)


def test_the_migration_reads_wall_times_as_typed_links_do():
    """clock.from_wall (a typed ``stand=``) and migration 5 agree, hour by hour."""
    for wall, instant in WALL_TO_UTC.items():
        assert clock.from_wall(datetime.fromisoformat(wall)) == instant


def _as_version_4(source: Path, target: Path) -> None:
    """The rows of ``source`` as the code of schema version 4 stored them: every moment as
    naive Berlin wall-clock time, in tables made by the real migrations 1-4."""
    with duckdb.connect(str(target)) as con:
        migrate(con, target=4)
        con.execute("ATTACH ? AS src (READ_ONLY)", [str(source)])
        for table in table_names(con):
            if table == "schema_meta":
                continue
            columns = [c for t, c in _all_columns(con, table)]
            select = ", ".join(
                f"timezone('Europe/Berlin', {c})" if (table, c) in MOMENTS else c for c in columns
            )
            con.execute(f"INSERT INTO {table} SELECT {select} FROM src.{table}")
        con.execute("DETACH src")
        assert schema_version(con) == 4


def _all_columns(con: duckdb.DuckDBPyConnection, table: str) -> list[tuple[str, str]]:
    rows = con.execute(
        "SELECT table_name, column_name FROM information_schema.columns "
        "WHERE table_catalog = current_database() AND table_name = ? ORDER BY ordinal_position",
        [table],
    ).fetchall()
    return [(t, c) for t, c in rows]


def _moments(path: Path) -> dict[tuple[str, str], list[object]]:
    with Store(path).connect_read() as con:
        return {
            (table, column): [
                row[0]
                for row in con.execute(
                    f"SELECT {column} FROM {table} ORDER BY ALL NULLS FIRST"
                ).fetchall()
            ]
            for table, column in MOMENTS
            if table != "schema_meta"
        }


@pytest.fixture
def version_4(fixture_db: Settings, tmp_path: Path) -> Settings:
    settings = make_settings(tmp_path / "alt" / "kpi.duckdb")
    settings.db_path.parent.mkdir()
    _as_version_4(fixture_db.db_path.resolve(), settings.db_path)
    return settings


def test_every_row_of_a_real_database_keeps_its_moments(fixture_db: Settings, version_4):
    assert Store(version_4.db_path).ensure_schema() is True
    assert _moments(version_4.db_path) == _moments(fixture_db.db_path)
    with Store(version_4.db_path).connect_read() as con:
        assert [str(f) for f in run_checks(con) if not f.ok] == []


def test_a_backup_of_version_4_is_restored_with_its_moments(
    fixture_db: Settings, version_4, tmp_path: Path
):
    ops_backup.backup(version_4, tmp_path / "sicherung")  # a plain version-4 file
    target = make_settings(tmp_path / "neu" / "kpi.duckdb")
    target.db_path.parent.mkdir()
    ops_backup.restore(target, tmp_path / "sicherung")
    with Store(target.db_path).connect_read() as con:
        assert schema_version(con) == LATEST_VERSION
    # not read in the session's time zone (UTC): the same instants as the original
    assert _moments(target.db_path) == _moments(fixture_db.db_path)
