"""Numbered migrations: an old database is brought up to date without losing data."""

from __future__ import annotations

from pathlib import Path

import duckdb

from dortmund_kpi.db.mappings import find_mappings
from dortmund_kpi.db.schema import LATEST_VERSION, MIGRATIONS, migrate, schema_version
from dortmund_kpi.db.store import Store


def test_migrations_are_numbered_consecutively():
    assert [m[0] for m in MIGRATIONS] == list(range(1, len(MIGRATIONS) + 1))


def test_upgrade_from_version_1_keeps_data(tmp_path: Path):
    path = tmp_path / "old.duckdb"
    with duckdb.connect(str(path)) as con:
        assert migrate(con, target=1) == [1]
        con.execute(
            "INSERT INTO observations VALUES ('x', 'dortmund', '2020', 'Y', DATE '2020-01-01', "
            "DATE '2020-12-31', 42, NULL, NULL, true, 1, TIMESTAMP '2021-01-01', NULL)"
        )
        assert schema_version(con) == 1
    store = Store(path)  # a plain file, as a user might hand us
    assert store.ensure_schema() is True
    assert store.db_path.is_symlink()
    with store.connect_read() as con:
        assert schema_version(con) == LATEST_VERSION
        assert con.execute("SELECT value FROM current_observations").fetchall() == [(42.0,)]
    assert store.ensure_schema() is False


def test_migrate_is_idempotent(tmp_path: Path):
    with duckdb.connect(str(tmp_path / "x.duckdb")) as con:
        assert migrate(con) == list(range(1, LATEST_VERSION + 1))
        assert migrate(con) == []


def _observation_indexes(con: duckdb.DuckDBPyConnection) -> list[str]:
    return [
        row[0]
        for row in con.execute(
            "SELECT index_name FROM duckdb_indexes() WHERE table_name = 'observations'"
        ).fetchall()
    ]


def test_upgrade_drops_the_unused_observation_index(tmp_path: Path):
    """DuckDB never read observations through ``observations_key`` (a key of three
    columns); every import paid for it. A version-7 database loses it, keeps its rows,
    and revises values as before."""
    path = tmp_path / "v7.duckdb"
    with duckdb.connect(str(path)) as con:
        migrate(con, target=7)
        con.execute(
            "INSERT INTO observations VALUES ('x', 'dortmund', '2020', 'Y', DATE '2020-01-01', "
            "DATE '2020-12-31', 42, NULL, NULL, true, 1, TIMESTAMPTZ '2021-01-01 00:00Z', NULL)"
        )
        assert _observation_indexes(con) == ["observations_key"]
    store = Store(path)
    assert store.ensure_schema() is True
    with store.connect_read() as con:
        assert _observation_indexes(con) == []
        plan = con.execute(
            "EXPLAIN SELECT value FROM observations "
            "WHERE indicator_id = 'x' AND area = 'dortmund' AND period = '2020'"
        ).fetchall()[0][1]
        assert con.execute("SELECT value FROM current_observations").fetchall() == [(42.0,)]
    assert "Seq Scan" in plan  # how DuckDB reads a key, with or without the index


def test_mappings_remembered_before_the_licence_column_are_read_and_kept(tmp_path: Path):
    """A database of version 9 (read before its next import) has remembered mappings
    without a licence; upgraded, they are kept, still without one."""
    path = tmp_path / "v9.duckdb"
    with duckdb.connect(str(path)) as con:
        migrate(con, target=9)
        con.execute(
            "INSERT INTO import_mappings VALUES ('22811-01i', 's', 'quote', NULL, ['Insg'], "
            "'containing', 'GENESIS', 'IT.NRW', TIMESTAMPTZ '2025-01-01 00:00+00', 'cio')"
        )
        [old] = find_mappings(con, "22811-01i", "s")
    assert (old.indicator_id, old.filters, old.licence) == ("quote", ("Insg",), None)
    store = Store(path)
    assert store.ensure_schema() is True
    with store.connect_read() as con:
        assert find_mappings(con, "22811-01i", "s") == [old]
