"""The versioned store: readers never see a half-written version, failures publish nothing."""

from __future__ import annotations

import os
from pathlib import Path

import duckdb
import pytest

from dortmund_kpi.db import read
from dortmund_kpi.db.store import KEEP_VERSIONS, Store, StoreError, StoreExists
from dortmund_kpi.ingest.importer import run_import
from dortmund_kpi.settings import Settings
from dortmund_kpi.share.template_files import to_csv


def export_bytes(settings: Settings) -> bytes:
    with Store(settings.db_path).connect_read() as con:
        return to_csv(read.export_rows(con))


def write_csv(path: Path, rows: list[str]) -> Path:
    path.write_text("indikator;bezirk;zeitraum;wert\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_publish_switches_symlink_and_keeps_old_reader_consistent(
    db_copy: Settings, tmp_path: Path
):
    store = Store(db_copy.db_path)
    before = store.version()
    reader = store.connect_read()
    old_value = reader.execute(
        "SELECT value FROM current_observations WHERE indicator_id = 'online_antraege' "
        "AND area = 'hoerde' AND period = '2024'"
    ).fetchall()[0][0]
    run_import([write_csv(tmp_path / "a.csv", ["online_antraege;Hörde;2024;99999"])], db_copy)
    assert store.db_path.is_symlink()
    assert store.version() != before
    # The open reader still sees its own complete version.
    still = reader.execute(
        "SELECT value FROM current_observations WHERE indicator_id = 'online_antraege' "
        "AND area = 'hoerde' AND period = '2024'"
    ).fetchall()[0][0]
    assert still == old_value
    reader.close()
    with store.connect_read() as fresh:
        new = fresh.execute(
            "SELECT value FROM current_observations WHERE indicator_id = 'online_antraege' "
            "AND area = 'hoerde' AND period = '2024'"
        ).fetchall()[0][0]
    assert new == 99999


def test_failed_write_publishes_nothing_and_leaves_no_files(db_copy: Settings):
    store = Store(db_copy.db_path)
    before_version, before_export = store.version(), export_bytes(db_copy)
    with pytest.raises(RuntimeError, match="boom"), store.write() as con:
        con.execute("DELETE FROM observations")
        raise RuntimeError("boom")
    assert store.version() == before_version
    assert export_bytes(db_copy) == before_export
    assert not list(store.versions_dir.glob("*.tmp*"))


def test_leftovers_of_a_killed_writer_are_removed(db_copy: Settings):
    store = Store(db_copy.db_path)
    store.versions_dir.mkdir(exist_ok=True)
    junk = store.versions_dir / "20200101T000000000000-1.duckdb.tmp"
    junk.write_bytes(b"half written")
    with store.write():
        pass
    assert not junk.exists()


def test_old_versions_are_pruned(db_copy: Settings):
    store = Store(db_copy.db_path)
    for _ in range(KEEP_VERSIONS + 2):
        with store.write():
            pass
    versions = sorted(store.versions_dir.glob("*.duckdb"))
    assert len(versions) == KEEP_VERSIONS
    assert store.current_file() == versions[-1]


def test_reader_connection_cannot_read_files(fixture_db: Settings, tmp_path: Path):
    secret = tmp_path / "secret.csv"
    secret.write_text("a\n1\n", encoding="utf-8")
    with Store(fixture_db.db_path).connect_read() as con, pytest.raises(duckdb.Error):
        con.execute("SELECT * FROM read_csv(?)", [str(secret)]).fetchall()


def test_missing_database_is_a_clear_error(tmp_path: Path):
    with pytest.raises(StoreError, match="dortmund-kpi init"):
        Store(tmp_path / "none.duckdb").current_file()


def test_create_only_refuses_existing(db_copy: Settings):
    with pytest.raises(StoreExists), Store(db_copy.db_path).write(create_only=True):
        pass


def test_revision_history_keeps_old_values(db_copy: Settings, tmp_path: Path):
    first = write_csv(tmp_path / "1.csv", ["digitalisierungsbudget;Dortmund;2023;70"])
    second = write_csv(tmp_path / "2.csv", ["digitalisierungsbudget;Dortmund;2023;75"])
    result1 = run_import([first], db_copy)
    result2 = run_import([second], db_copy)
    assert (result1.inserted + result1.changed, result2.changed) == (1, 1)
    with Store(db_copy.db_path).connect_read() as con:
        rows = con.execute(
            "SELECT value, valid_to IS NULL FROM observations "
            "WHERE indicator_id = 'digitalisierungsbudget' AND period = '2023' ORDER BY valid_from"
        ).fetchall()
        log = con.execute("SELECT count(*) FROM import_log WHERE files LIKE '%.csv'").fetchall()
    assert rows[-2:] == [(70.0, False), (75.0, True)]
    assert all(not current for _, current in rows[:-1])
    assert log[0][0] >= 2


def test_as_of_query_reproduces_the_earlier_state(db_copy: Settings, tmp_path: Path):
    run_import(
        [write_csv(tmp_path / "1.csv", ["digitalisierungsbudget;Dortmund;2023;70"])], db_copy
    )
    with Store(db_copy.db_path).connect_read() as con:
        moment = con.execute("SELECT max(valid_from) FROM observations").fetchall()[0][0]
    run_import(
        [write_csv(tmp_path / "2.csv", ["digitalisierungsbudget;Dortmund;2023;75"])], db_copy
    )
    with Store(db_copy.db_path).connect_read() as con:
        then = read.series(con, ["digitalisierungsbudget"], ["dortmund"], 2023, 2023, moment)
        now = read.series(con, ["digitalisierungsbudget"], ["dortmund"], 2023, 2023)
    assert then["value"].tolist() == [70.0]
    assert now["value"].tolist() == [75.0]


def test_symlink_target_is_relative(db_copy: Settings):
    store = Store(db_copy.db_path)
    with store.write():
        pass
    assert not os.path.isabs(os.readlink(store.db_path))
