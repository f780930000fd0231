"""``dortmund-kpi backup``, ``restore`` and ``check`` (dortmund_kpi.ops.backup).

Backups are taken of private copies of the session's fixture database; broken
databases for ``check`` are built by changing a copy with DuckDB directly.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest

from dortmund_kpi.db import materialise
from dortmund_kpi.db.schema import LATEST_VERSION
from dortmund_kpi.db.store import Store, in_utc
from dortmund_kpi.ingest.importer import run_import
from dortmund_kpi.ops.backup import DB_FILE, MANIFEST, sha256
from dortmund_kpi.ops.check import AGGREGATES, CHECKS
from dortmund_kpi.settings import Settings
from tests.conftest import make_settings
from tests.reliability.conftest import Result
from tests.reliability.helpers import copy_db, export_csv, leftovers, version, versions_dir

Run = Callable[..., Result]


def _manifest(folder: Path) -> dict:
    return json.loads((folder / MANIFEST).read_text(encoding="utf-8"))


def _counts(db: Path) -> dict[str, int]:
    with Store(db).connect_read() as con:
        names = [
            r[0]
            for r in con.execute(
                "SELECT table_name FROM information_schema.tables "
                "WHERE table_type = 'BASE TABLE' ORDER BY 1"
            ).fetchall()
        ]
        return {n: con.execute(f'SELECT count(*) FROM "{n}"').fetchall()[0][0] for n in names}


def _rows(db: Path, sql: str) -> list[tuple]:
    with Store(db).connect_read() as con:
        return con.execute(sql).fetchall()


@pytest.fixture
def source(db_copy: Settings) -> Settings:
    """A private database with a versions folder and a published symlink (as in production)."""
    with Store(db_copy.db_path).write():
        pass
    assert db_copy.db_path.is_symlink()
    return db_copy


@pytest.fixture
def backup_dir(source: Settings, tmp_path: Path, dk: Run) -> Path:
    folder = tmp_path / "sicherung"
    result = dk("backup", "--db", source.db_path, folder)
    assert result.code == 0, result.err
    return folder


# -- backup -------------------------------------------------------------------
def test_backup_is_a_complete_versioned_copy(source: Settings, backup_dir: Path, dk: Run):
    manifest = _manifest(backup_dir)
    published = source.db_path.resolve()
    assert (backup_dir / DB_FILE).read_bytes() == published.read_bytes()
    assert manifest["format"] == "dortmund-kpi-backup"
    assert manifest["format_version"] == 1
    assert manifest["schema_version"] == LATEST_VERSION
    assert manifest["source"]["version"] == version(source.db_path)
    assert manifest["tool_version"]
    assert manifest["created_at"][:2] == "20"
    assert manifest["tables"] == _counts(source.db_path)
    assert manifest["tables"]["observations"] > 1000
    for entry in manifest["files"]:
        assert entry["sha256"] == sha256(backup_dir / entry["name"])
        assert entry["bytes"] == (backup_dir / entry["name"]).stat().st_size
    assert sorted(p.name for p in backup_dir.iterdir()) == [DB_FILE, MANIFEST]


def test_backup_refuses_a_non_empty_directory(source: Settings, tmp_path: Path, dk: Run):
    folder = tmp_path / "belegt"
    folder.mkdir()
    (folder / "notiz.txt").write_text("fremde Datei", encoding="utf-8")
    refused = dk("backup", "--db", source.db_path, folder)
    assert refused.code == 1
    assert "ist nicht leer" in refused.err and "--force" in refused.err
    assert sorted(p.name for p in folder.iterdir()) == ["notiz.txt"]

    forced = dk("backup", "--db", source.db_path, folder, "--force")
    assert forced.code == 0, forced.err
    assert (folder / "notiz.txt").read_text(encoding="utf-8") == "fremde Datei"
    assert _manifest(folder)["tables"] == _counts(source.db_path)


def test_backup_without_database_fails_cleanly(tmp_path: Path, dk: Run):
    result = dk("backup", "--db", tmp_path / "fehlt.duckdb", tmp_path / "ziel")
    assert result.code == 1
    assert "Keine Datenbank" in result.err and "Traceback" not in result.err


def test_backup_includes_geometry_and_rejected_log(source: Settings, tmp_path: Path, dk: Run):
    source.official_geometry_path.write_text('{"type": "FeatureCollection"}', encoding="utf-8")
    log = source.db_path.parent / f"{source.db_path.name}.abgelehnte-importe.jsonl"
    log.write_text('{"probleme": 1}\n', encoding="utf-8")
    folder = tmp_path / "sicherung"
    assert dk("backup", "--db", source.db_path, folder).code == 0
    roles = {e["role"]: e["name"] for e in _manifest(folder)["files"]}
    assert set(roles) == {"database", "geometry", "rejected_log"}

    target = make_settings(tmp_path / "neu" / "kpi.duckdb")
    assert dk("restore", "--db", target.db_path, folder).code == 0
    assert target.official_geometry_path.read_text(encoding="utf-8") == (
        '{"type": "FeatureCollection"}'
    )


# -- restore ------------------------------------------------------------------
def test_backup_restore_export_round_trip(source: Settings, backup_dir: Path, tmp_path: Path, dk):
    before = export_csv(source.db_path)
    target = make_settings(tmp_path / "frisch" / "kpi.duckdb")
    result = dk("restore", "--db", target.db_path, backup_dir)
    assert result.code == 0, result.err
    assert "wiederhergestellt als neue Version" in result.out
    assert target.db_path.is_symlink()
    assert export_csv(target.db_path) == before

    exported = dk("export", "--db", target.db_path)
    assert exported.code == 0
    original = dk("export", "--db", source.db_path)
    assert exported.out == original.out
    assert _counts(target.db_path) == _counts(source.db_path)
    log = "SELECT * FROM import_log ORDER BY import_id"
    assert _rows(target.db_path, log) == _rows(source.db_path, log)
    history = "SELECT * FROM observations ORDER BY ALL"
    assert _rows(target.db_path, history) == _rows(source.db_path, history)
    measures = "SELECT * FROM measures ORDER BY ALL"
    assert _rows(target.db_path, measures) == _rows(source.db_path, measures)
    assert len(_rows(source.db_path, measures)) == 6
    meta = "SELECT * FROM schema_meta ORDER BY version"
    assert _rows(target.db_path, meta) == _rows(source.db_path, meta)
    assert dk("check", "--db", target.db_path).code == 0


def test_restore_publishes_a_new_version_over_newer_data(
    source: Settings, backup_dir: Path, tmp_path: Path, dk: Run
):
    before = export_csv(source.db_path)
    change = tmp_path / "aenderung.csv"
    change.write_text(
        "indikator;bezirk;zeitraum;wert\ndigitalisierungsbudget;Dortmund;2023;123,4\n",
        encoding="utf-8",
    )
    run_import([change], source, user="pytest")
    changed_version = version(source.db_path)
    assert export_csv(source.db_path) != before

    result = dk("restore", "--db", source.db_path, backup_dir)
    assert result.code == 0, result.err
    assert export_csv(source.db_path) == before
    assert version(source.db_path) != changed_version
    assert changed_version in result.out  # the version it replaced is named and kept
    assert (versions_dir(source.db_path) / changed_version).exists()
    assert leftovers(source.db_path) == []


def _assert_refused(result: Result, target: Settings, before: tuple[str, bytes], text: str):
    assert result.code == 1, result.out
    assert text in result.err, result.err
    assert "Traceback" not in result.err
    assert (version(target.db_path), export_csv(target.db_path)) == before
    assert leftovers(target.db_path) == []
    assert not list(target.db_path.parent.glob(".restore-*"))


@pytest.fixture
def target(fixture_db: Settings, tmp_path: Path) -> Settings:
    """A second database that a refused restore must leave alone."""
    return copy_db(fixture_db, tmp_path / "ziel")


def test_restore_refuses_a_flipped_byte(backup_dir: Path, target: Settings, dk: Run):
    before = (version(target.db_path), export_csv(target.db_path))
    data = bytearray((backup_dir / DB_FILE).read_bytes())
    data[len(data) // 2] ^= 0x01
    (backup_dir / DB_FILE).write_bytes(bytes(data))
    result = dk("restore", "--db", target.db_path, backup_dir)
    _assert_refused(result, target, before, "Prüfsumme stimmt nicht")
    assert "nichts wurde geändert" in result.err


def _drop_manifest(folder: Path) -> None:
    (folder / MANIFEST).unlink()


def _garble_manifest(folder: Path) -> None:
    (folder / MANIFEST).write_text('{"format": "dortmund-kpi-backup", ', encoding="utf-8")


def _edit_manifest(change: Callable[[dict], None]) -> Callable[[Path], None]:
    def edit(folder: Path) -> None:
        manifest = _manifest(folder)
        change(manifest)
        (folder / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")

    return edit


def _drop_database(folder: Path) -> None:
    (folder / DB_FILE).unlink()


def _truncate_database(folder: Path) -> None:
    path = folder / DB_FILE
    path.write_bytes(path.read_bytes()[:4096])


BROKEN_BACKUPS = {
    "manifest-fehlt": (_drop_manifest, "manifest.json fehlt"),
    "manifest-kaputt": (_garble_manifest, "nicht lesbar"),
    "fremdes-format": (
        _edit_manifest(lambda m: m.update(format="etwas-anderes")),
        "keine Sicherung von dortmund-kpi",
    ),
    "formatversion": (
        _edit_manifest(lambda m: m.update(format_version=99)),
        "Sicherungsformat 99 unbekannt",
    ),
    "pfad-ausbruch": (
        _edit_manifest(lambda m: m["files"][0].update(name="../../etc/passwd")),
        "ungültiger Dateiname",
    ),
    "datenbank-fehlt": (_drop_database, "fehlt oder nicht lesbar"),
    "abgeschnitten": (_truncate_database, "Prüfsumme stimmt nicht"),
    "schema-version": (
        _edit_manifest(lambda m: m.update(schema_version=1)),
        f"Schema-Version der Sicherung {LATEST_VERSION} passt nicht",
    ),
    "zeilenzahl": (
        _edit_manifest(lambda m: m["tables"].update(observations=1)),
        "Zeilenzahlen der Sicherung passen nicht",
    ),
}


@pytest.mark.parametrize(
    ("damage", "message"),
    [pytest.param(*v, id=k) for k, v in BROKEN_BACKUPS.items()],
)
def test_restore_refuses_a_broken_backup(
    backup_dir: Path, target: Settings, damage, message: str, dk: Run
):
    before = (version(target.db_path), export_csv(target.db_path))
    damage(backup_dir)
    _assert_refused(dk("restore", "--db", target.db_path, backup_dir), target, before, message)


def _rewrite_backup(folder: Path, sql: str) -> None:
    """Change the backed-up database and fix the manifest (a consistent, newer backup)."""
    with duckdb.connect(str(folder / DB_FILE)) as con:
        con.execute(sql)
        con.execute("CHECKPOINT")
    manifest = _manifest(folder)
    entry = manifest["files"][0]
    entry["sha256"] = sha256(folder / DB_FILE)
    entry["bytes"] = (folder / DB_FILE).stat().st_size
    with duckdb.connect(str(folder / DB_FILE), read_only=True) as con:
        manifest["schema_version"] = con.execute("SELECT max(version) FROM schema_meta").fetchall()[
            0
        ][0]
        for name in manifest["tables"]:
            manifest["tables"][name] = con.execute(f"SELECT count(*) FROM {name}").fetchall()[0][0]
    (folder / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")


def test_restore_refuses_a_newer_schema(backup_dir: Path, target: Settings, dk: Run):
    before = (version(target.db_path), export_csv(target.db_path))
    _rewrite_backup(backup_dir, "INSERT INTO schema_meta VALUES (99, 'Zukunft', now())")
    result = dk("restore", "--db", target.db_path, backup_dir)
    _assert_refused(result, target, before, "Schema-Version 99")


def test_restore_refuses_an_inconsistent_backup(backup_dir: Path, target: Settings, dk: Run):
    before = (version(target.db_path), export_csv(target.db_path))
    _rewrite_backup(backup_dir, "UPDATE observations SET import_id = 4711")
    result = dk("restore", "--db", target.db_path, backup_dir)
    _assert_refused(result, target, before, "nicht konsistent")
    assert "import_id ohne Eintrag im Importprotokoll" in result.err


def test_restore_into_a_missing_directory_fails_cleanly(tmp_path: Path, dk: Run):
    result = dk("restore", "--db", tmp_path / "kpi.duckdb", tmp_path / "gibt-es-nicht")
    assert result.code == 1
    assert "kein Verzeichnis" in result.err
    assert not (tmp_path / "kpi.duckdb").exists()


# -- check --------------------------------------------------------------------
ROW = "FROM observations WHERE valid_to IS NULL AND indicator_id = '{id}' LIMIT 1"
FIRST = "(SELECT min(rowid) FROM observations WHERE valid_to IS NULL AND indicator_id = '{id}')"

# name -> (SQL that breaks the database, the check that must report it)
# Values deleted from the file behind the store's back: the aggregates no longer match.
STALE_AGGREGATES = "DELETE FROM observations WHERE indicator_id = 'online_antraege'"
INJECTIONS = {
    "veraltete-kennzahlen": (STALE_AGGREGATES, AGGREGATES),
    "schema-version": (
        "DELETE FROM schema_meta WHERE version = (SELECT max(version) FROM schema_meta)",
        "Schema-Version",
    ),
    "unbekannter-indikator": (
        "INSERT INTO observations SELECT * REPLACE ('gibt_es_nicht' AS indicator_id) "
        + ROW.format(id="online_antraege"),
        "Indikator des Katalogs",
    ),
    "unbekanntes-gebiet": (
        "INSERT INTO observations SELECT * REPLACE ('atlantis' AS area) "
        + ROW.format(id="online_antraege"),
        "ein Stadtbezirk",
    ),
    "gesamtstadt-indikator-im-bezirk": (
        "INSERT INTO observations SELECT * REPLACE ('hoerde' AS area) "
        + ROW.format(id="digitalisierungsbudget"),
        "gesamtstädtische Indikatoren",
    ),
    "import-fehlt-im-protokoll": (
        "INSERT INTO observations SELECT * REPLACE (period || 'x' AS period, 9999 AS import_id) "
        + ROW.format(id="online_antraege"),
        "protokollierten Import",
    ),
    "masterplan-fehlt": (
        "UPDATE indicators SET masterplan = 'finanzen' WHERE id = 'online_antraege'",
        "Masterplan",
    ),
    "zwei-aktuelle-werte": (
        "INSERT INTO observations SELECT * REPLACE (value + 1 AS value) "
        + ROW.format(id="online_antraege"),
        "höchstens ein aktueller Wert",
    ),
    "valid-to-vor-valid-from": (
        "INSERT INTO observations SELECT * REPLACE (valid_from - INTERVAL 1 DAY AS valid_to) "
        + ROW.format(id="online_antraege"),
        "valid_from liegt vor valid_to",
    ),
    "gleiche-zeitpunkte": (
        "INSERT INTO observations SELECT * REPLACE (valid_from AS valid_to) "
        + ROW.format(id="online_antraege"),
        "valid_from liegt vor valid_to",
    ),
    "ueberlappende-revisionen": (
        "INSERT INTO observations SELECT * REPLACE (valid_from - INTERVAL 10 DAY AS valid_from, "
        "valid_from + INTERVAL 1 DAY AS valid_to) " + ROW.format(id="online_antraege"),
        "überschneiden sich nicht",
    ),
    "nan": (
        f"UPDATE observations SET value = 'NaN'::DOUBLE WHERE rowid = {FIRST}".format(
            id="online_antraege"
        ),
        "endliche Zahlen",
    ),
    "unendlich": (
        f"UPDATE observations SET value = '-inf'::DOUBLE WHERE rowid = {FIRST}".format(
            id="servicekonten"
        ),
        "endliche Zahlen",
    ),
    "anteil-ueber-100": (
        f"UPDATE observations SET value = 134.5 WHERE rowid = {FIRST}".format(
            id="glasfaser_haushalte"
        ),
        "zulässigen Bereich",
    ),
    "anteil-negativ": (
        f"UPDATE observations SET value = -0.5 WHERE rowid = {FIRST}".format(
            id="anteil_online_antraege"
        ),
        "zulässigen Bereich",
    ),
    "massnahme-unbekannter-indikator": (
        "UPDATE measures SET indicators = ['gibt_es_nicht'] WHERE id = 't_v1'",
        "nur Indikatoren des Katalogs",
    ),
    "massnahme-unbekannter-bezirk": (
        "UPDATE measures SET districts = ['atlantis'] WHERE id = 't_v2'",
        "bekannte Stadtbezirke",
    ),
    "massnahme-frist-vor-beginn": (
        "UPDATE measures SET deadline = start_date - 1 WHERE id = 't_w1'",
        "Frist nicht vor Beginn",
    ),
    "massnahme-zwei-aktuelle-staende": (
        "INSERT INTO measures SELECT * FROM measures WHERE id = 't_b1'",
        "höchstens ein aktueller Stand",
    ),
    "massnahme-import-fehlt-im-protokoll": (
        "UPDATE measures SET import_id = 9999 WHERE id = 't_b2'",
        "Maßnahmenstand stammt",
    ),
    "zeitraum-verdreht": (
        f"UPDATE observations SET period_start = period_end + 1 WHERE rowid = {FIRST}".format(
            id="online_antraege"
        ),
        "Zeiträume sind gültig",
    ),
}


def _broken_copy(fixture_db: Settings, folder: Path, sql: str, rebuild: bool = False) -> Settings:
    settings = copy_db(fixture_db, folder)
    with in_utc(duckdb.connect(str(settings.db_path))) as con:
        con.execute(sql)
        if rebuild:  # the aggregates of the changed values, as a write builds them
            materialise.rebuild(con)
    return settings


def _failed_lines(out: str) -> list[str]:
    return [line.strip() for line in out.splitlines() if line.strip().startswith("FEHLER")]


def test_check_passes_on_the_fixture_database(fixture_db: Settings, dk: Run):
    result = dk("check", "--db", fixture_db.db_path)
    assert result.code == 0, result.out
    assert result.out.splitlines()[-1] == f"Ergebnis: in Ordnung ({len(CHECKS) + 2} Prüfungen)."
    assert _failed_lines(result.out) == []
    assert version(fixture_db.db_path) in result.out.splitlines()[0]


@pytest.mark.parametrize(("sql", "check"), [pytest.param(*v, id=k) for k, v in INJECTIONS.items()])
def test_check_reports_each_injected_inconsistency(
    fixture_db: Settings, tmp_path: Path, sql: str, check: str, dk: Run
):
    # Only the injected inconsistency is reported: the aggregates follow the changed
    # values, except in the case of stale aggregates.
    broken = _broken_copy(fixture_db, tmp_path, sql, rebuild=sql != STALE_AGGREGATES)
    result = dk("check", "--db", broken.db_path)
    assert result.code == 1, result.out
    failed = _failed_lines(result.out)
    assert len(failed) == 1, result.out  # exactly the check for this inconsistency
    assert check in failed[0], result.out
    assert result.out.splitlines()[-1].startswith("Ergebnis: 1 von ")
    assert "Traceback" not in result.out + result.err


TREND = "(SELECT min(id) FROM trends WHERE valid_to IS NULL)"
TREND_INJECTIONS = {
    "trend-unbekannter-indikator": (
        f"UPDATE trends SET indicators = ['gibt_es_nicht'] WHERE id = {TREND}",
        "jeder Trend nennt nur bekannte",
    ),
    "trend-unbekannter-ring": (
        f"UPDATE trends SET ring = 'irgendwo' WHERE id = {TREND} AND valid_to IS NULL",
        "gültigen Ring",
    ),
    "trend-zwei-aktuelle": (
        f"INSERT INTO trends SELECT * FROM trends WHERE id = {TREND} AND valid_to IS NULL",
        "höchstens ein aktueller Stand je Trend",
    ),
    "trend-ohne-import": (
        f"UPDATE trends SET import_id = 9999 WHERE id = {TREND}",
        "Trendstand stammt",
    ),
}


def test_check_passes_with_trends(trends_db: Settings, dk: Run):
    result = dk("check", "--db", trends_db.db_path)
    assert result.code == 0, result.out
    assert any("jeder Trendstand" in line for line in result.out.splitlines()), result.out


@pytest.mark.parametrize(
    ("sql", "check"), [pytest.param(*v, id=k) for k, v in TREND_INJECTIONS.items()]
)
def test_check_reports_each_trend_inconsistency(
    trends_db: Settings, tmp_path: Path, sql: str, check: str, dk: Run
):
    result = dk("check", "--db", _broken_copy(trends_db, tmp_path, sql).db_path)
    failed = _failed_lines(result.out)
    assert result.code == 1 and len(failed) == 1, result.out
    assert check in failed[0], result.out


def test_check_names_examples(fixture_db: Settings, tmp_path: Path, dk: Run):
    sql, _ = INJECTIONS["anteil-ueber-100"]
    broken = _broken_copy(fixture_db, tmp_path, sql)
    failed = _failed_lines(dk("check", "--db", broken.db_path).out)
    assert "1 Wert(e) außerhalb des zulässigen Bereichs" in failed[0]
    assert "glasfaser_haushalte/" in failed[0] and "= 134,5 (erlaubt 0 bis 100 %)" in failed[0]


def test_check_without_database_or_with_garbage(tmp_path: Path, dk: Run):
    missing = dk("check", "--db", tmp_path / "fehlt.duckdb")
    assert missing.code == 1 and "Keine Datenbank" in missing.err
    garbage = tmp_path / "kaputt.duckdb"
    garbage.write_bytes(b"das ist keine Datenbank" * 1000)
    result = dk("check", "--db", garbage)
    assert result.code == 1
    assert "Datenbank nicht lesbar" in result.err
    assert "Traceback" not in result.err


def test_check_reports_missing_tables(fixture_db: Settings, tmp_path: Path, dk: Run):
    broken = _broken_copy(
        fixture_db, tmp_path, "DROP VIEW current_observations; DROP TABLE import_log"
    )
    result = dk("check", "--db", broken.db_path)
    assert result.code == 1
    assert any("Prüfung nicht möglich" in line for line in _failed_lines(result.out))


def test_backup_of_a_plain_file_database(fixture_db: Settings, tmp_path: Path, dk: Run):
    """A database that is a plain file (no versions folder) is backed up as it is."""
    plain = copy_db(fixture_db, tmp_path / "plain")
    assert not plain.db_path.is_symlink()
    folder = tmp_path / "sicherung"
    assert dk("backup", "--db", plain.db_path, folder).code == 0
    assert (folder / DB_FILE).read_bytes() == plain.db_path.read_bytes()
    shutil.rmtree(folder)


def test_a_damaged_geometry_refuses_the_restore_before_anything_is_published(
    source: Settings, tmp_path: Path, dk: Run
):
    """The geometry is verified with the database, before publishing: a damaged one leaves
    the target as it was (it used to restore the data, then fail saying nothing changed)."""
    source.official_geometry_path.write_text('{"type": "FeatureCollection"}', encoding="utf-8")
    folder = tmp_path / "sicherung"
    assert dk("backup", "--db", source.db_path, folder).code == 0
    target = make_settings(tmp_path / "ziel" / "kpi.duckdb")
    assert dk("restore", "--db", target.db_path, folder).code == 0  # a first, good version
    target.official_geometry_path.unlink()
    before = Store(target.db_path).current_file()
    (folder / _manifest_name(folder, "geometry")).write_text('{"kaputt": 1}', encoding="utf-8")
    result = dk("restore", "--db", target.db_path, folder)
    assert result.code == 1 and "Prüfsumme" in result.err and "nichts wurde geändert" in result.err
    assert Store(target.db_path).current_file() == before
    assert not target.official_geometry_path.exists()


def _manifest_name(folder: Path, role: str) -> str:
    return next(e["name"] for e in _manifest(folder)["files"] if e["role"] == role)


def test_a_killed_restore_leaves_no_copy_behind(source: Settings, backup_dir: Path, dk: Run):
    """A killed restore's working copy (a full copy of the backup) is removed by the next
    restore; a running restore's copy (its process alive) is left alone."""
    folder = source.db_path.parent
    gone = folder / ".restore-999999999-abcd"  # no such process
    (gone / "sub").mkdir(parents=True)
    (gone / "dortmund_kpi.duckdb").write_bytes(b"x" * 1000)
    running = folder / f".restore-{os.getpid()}-efgh"
    running.mkdir()
    assert dk("restore", "--db", source.db_path, backup_dir).code == 0
    assert not gone.exists()
    assert running.is_dir()
    running.rmdir()
