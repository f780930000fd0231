"""The SQL behind backup, restore and check, now in ``dortmund_kpi.db``.

Why these tests: all SQL lives in ``db/`` with bound parameters, so the check
queries are tested here on their own, and backup/restore are run through
folders whose names would break SQL if a path were ever pasted into it.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import duckdb
import pytest

from dortmund_kpi.db import checks
from dortmund_kpi.db.read import export_rows
from dortmund_kpi.db.schema import migrate
from dortmund_kpi.db.store import (
    Store,
    StoreError,
    load_backup,
    quote_ident,
    scratch,
    table_counts,
)
from dortmund_kpi.ops import backup as ops_backup
from dortmund_kpi.ops import check as ops_check
from dortmund_kpi.ops import cli
from dortmund_kpi.settings import Settings
from dortmund_kpi.share.template_files import to_csv
from tests.conftest import make_settings

HOSTILE = "it's; DROP TABLE x -- Größe äöü ß"
PACKAGE = Path(__file__).resolve().parents[2] / "dortmund_kpi"


def _export(db_path: Path) -> bytes:
    with Store(db_path).connect_read() as con:
        return to_csv(export_rows(con))


def _published(fixture_db: Settings, folder: Path) -> Settings:
    """A private copy of the fixture in ``folder``, published as a version (as in production)."""
    folder.mkdir(parents=True)
    target = folder / "kpi.duckdb"
    shutil.copyfile(fixture_db.db_path.resolve(), target)
    settings = make_settings(target)
    with Store(target).write():
        pass
    return settings


# -- the house rule ------------------------------------------------------------
def test_only_the_db_package_executes_sql():
    pattern = re.compile(r"\.execute\(|\.sql\(|duckdb\.connect")
    offenders = [
        f"{path.relative_to(PACKAGE.parent)}:{number}"
        for path in sorted(PACKAGE.rglob("*.py"))
        if path.parent.name != "db" or path.parent.parent != PACKAGE
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if pattern.search(line)
    ]
    assert offenders == []


# -- check queries -------------------------------------------------------------
def test_every_query_belongs_to_exactly_one_check():
    used = [check.query for check in ops_check.CHECKS]
    assert sorted(used) == sorted(checks.QUERIES)


def test_no_query_finds_a_problem_in_the_fixture(fixture_db: Settings):
    with Store(fixture_db.db_path).connect_read() as con:
        found = {key: checks.problems(con, key) for key in checks.QUERIES}
    assert found == {key: checks.Problems(0, ()) for key in checks.QUERIES}


def test_problems_counts_all_and_names_the_first_few_sorted(fixture_db: Settings):
    with duckdb.connect() as con:
        con.execute(
            "ATTACH $path AS fixture (READ_ONLY)", {"path": str(fixture_db.db_path.resolve())}
        )
        con.execute("COPY FROM DATABASE fixture TO memory")
        con.execute(
            "INSERT INTO observations SELECT o.* REPLACE ('gibt_es_nicht_' || t.i AS indicator_id) "
            "FROM (SELECT * FROM observations WHERE valid_to IS NULL LIMIT 1) o, range(7) t(i)"
        )
        found = checks.problems(con, "unknown_indicator", examples=3)
        assert found.count == 7
        assert len(found.examples) == 3
        assert list(found.examples) == sorted(found.examples)
        assert all(e.startswith("gibt_es_nicht_") for e in found.examples)


def test_a_check_that_cannot_run_raises_and_leaves_the_connection_usable():
    with duckdb.connect() as con:
        with pytest.raises(duckdb.CatalogException):
            checks.problems(con, "unknown_indicator")
        migrate(con)
        assert checks.problems(con, "unknown_indicator") == checks.Problems(0, ())


# -- copying tables ------------------------------------------------------------
def test_table_counts_quote_any_table_name():
    with duckdb.connect() as con:
        con.execute(f"CREATE TABLE {quote_ident(HOSTILE)} (x INTEGER)")
        con.execute(f"INSERT INTO {quote_ident(HOSTILE)} VALUES (1), (2)")
        assert table_counts(con) == {HOSTILE: 2}


def test_scratch_is_an_empty_database_with_the_current_schema():
    with scratch() as con:
        counts = table_counts(con)
    assert counts["observations"] == 0 and counts["schema_meta"] > 0


def test_load_backup_refuses_a_table_this_schema_does_not_know(tmp_path: Path):
    folder = tmp_path / HOSTILE
    folder.mkdir()
    foreign = folder / "fremd.duckdb"
    with duckdb.connect(str(foreign)) as con:
        con.execute("CREATE TABLE fremd (x INTEGER)")
    with scratch() as con, pytest.raises(StoreError, match="unbekannte Tabelle fremd"):
        load_backup(con, foreign)


def test_load_backup_takes_a_relative_path(fixture_db: Settings, tmp_path: Path, monkeypatch):
    folder = tmp_path / HOSTILE
    folder.mkdir()
    shutil.copyfile(fixture_db.db_path.resolve(), folder / "b.duckdb")
    monkeypatch.chdir(tmp_path)
    with scratch() as con:
        load_backup(con, Path(HOSTILE) / "b.duckdb")
        restored = table_counts(con)
    with Store(fixture_db.db_path).connect_read() as con:
        assert restored == table_counts(con)


# -- backup and restore through hostile folder names ---------------------------
def test_backup_and_restore_through_folders_with_quotes_and_umlauts(
    fixture_db: Settings, tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    source = _published(fixture_db, tmp_path / HOSTILE / "quelle")
    folder = tmp_path / HOSTILE / f"sicherung {HOSTILE}"
    manifest = ops_backup.backup(source, folder)
    assert (folder / ops_backup.MANIFEST).is_file()

    target = make_settings(tmp_path / f"ziel {HOSTILE}" / "kpi.duckdb")
    result = ops_backup.restore(target, folder)

    assert target.db_path.is_symlink()
    assert result.version == target.db_path.resolve().name
    assert _export(target.db_path) == _export(source.db_path)
    with Store(target.db_path).connect_read() as con:
        assert table_counts(con) == manifest["tables"]
    capsys.readouterr()
    assert cli.main(["check", "--db", str(target.db_path)]) == 0
    assert "Ergebnis: in Ordnung" in capsys.readouterr().out
    # the restore's private copy is gone, and nothing but our files is in the folders
    assert not list(target.db_path.parent.glob(".restore-*"))
