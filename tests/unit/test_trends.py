"""Trends (Technologiescout): the import corpus, revisions, movement since the last review,
pinned radars, the template and the export round trip.

Invalid files go through the real ``dortmund-kpi import`` command (exit code, line-precise
messages, no traceback, database unchanged); the rest runs the importer in-process on
copies of the fixture database.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from dortmund_kpi import trends
from dortmund_kpi.clock import now_local
from dortmund_kpi.db import trends as trend_db
from dortmund_kpi.db.store import Store
from dortmund_kpi.ingest.bootstrap import init_database
from dortmund_kpi.ingest.importer import run_import
from dortmund_kpi.ingest.issues import ImportFailed
from dortmund_kpi.settings import Settings
from dortmund_kpi.share import trend_files
from tests.conftest import FIXTURES, TREND_REVIEWS, make_settings
from tests.unit.test_import_corpus import console_command

CORPUS = FIXTURES / "trends"
INVALID = sorted((CORPUS / "invalid").glob("*.csv"))


def state(settings: Settings) -> str:
    """A digest of every table an import may touch."""
    with Store(settings.db_path).connect_read() as con:
        parts = [
            con.execute(f"SELECT * FROM {table} ORDER BY ALL").fetchall()
            for table in ("observations", "measures", "trends", "import_log")
        ]
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def radar(settings: Settings, as_of: object = None) -> pd.DataFrame:
    with Store(settings.db_path).connect_read() as con:
        current = trend_db.trends(con, as_of=as_of)
        versions = trend_db.trend_versions(con, as_of=as_of)
    return trends.with_movement(current, versions).set_index("id")


@pytest.fixture
def trends_copy(trends_db: Settings, tmp_path: Path) -> Settings:
    target = tmp_path / "kpi.duckdb"
    shutil.copyfile(trends_db.db_path.resolve(), target)
    return make_settings(target)


# -- invalid files: the real command ---------------------------------------------------
@pytest.mark.parametrize("path", INVALID, ids=[p.stem for p in INVALID])
def test_invalid_trends_file_is_rejected(path: Path, db_copy: Settings) -> None:
    before = state(db_copy)
    expected = path.with_name(path.name + ".expected").read_text(encoding="utf-8")
    expected = expected.replace("{today}", now_local().date().strftime("%d.%m.%Y"))
    done = subprocess.run(
        [console_command(), "import", "--db", str(db_copy.db_path), str(path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1, done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    problems = [line for line in done.stderr.splitlines() if line.startswith(str(path))]
    wanted = [line.replace(path.name, str(path), 1) for line in expected.splitlines()]
    assert len(problems) == len(wanted), done.stderr
    for got, want in zip(problems, wanted, strict=True):
        assert got.startswith(want), f"{got!r} does not start with {want!r}"
    assert state(db_copy) == before


def test_mixed_import_is_all_or_nothing(db_copy: Settings) -> None:
    """Valid trends do not get in when a measures file beside them is bad."""
    before = state(db_copy)
    bad = FIXTURES / "measures" / "invalid" / "status_unbekannt.csv"
    with pytest.raises(ImportFailed) as failed:
        run_import([TREND_REVIEWS[0], bad], db_copy)
    assert [i.column for i in failed.value.issues] == ["status"]
    assert state(db_copy) == before


def test_older_assessment_is_refused(trends_copy: Settings) -> None:
    """Importing the first review again would move trends back: refused, line by line."""
    before = state(trends_copy)
    with pytest.raises(ImportFailed) as failed:
        run_import([TREND_REVIEWS[0]], trends_copy)
    assert [(i.line, i.column) for i in failed.value.issues] == [
        (2, "bewertet_am"),
        (5, "bewertet_am"),
    ]
    assert "älter als die gespeicherte Bewertung vom 01.09.2024" in str(failed.value.issues[0])
    assert state(trends_copy) == before


# -- valid files -------------------------------------------------------------------------
def test_reviews_keep_history_and_mark_movement(trends_db: Settings) -> None:
    shown = radar(trends_db)
    assert sorted(shown.index) == [
        "tr_block",
        "tr_daten",
        "tr_ki_chat",
        "tr_lernen",
        "tr_netz",
        "tr_sensor",
    ]
    assert shown.loc["tr_ki_chat", "ring"] == "erproben"
    assert shown.loc["tr_ki_chat", "movement"] == trends.MOVED_IN
    assert shown.loc["tr_lernen", "movement"] == trends.MOVED_OUT
    assert shown.loc["tr_daten", "movement"] == trends.NEW
    assert shown.loc["tr_netz", "movement"] == trends.UNCHANGED  # not in the last review
    assert shown.loc["tr_block", "ring"] == trends.DISCARDED
    assert list(shown.loc["tr_ki_chat", "sources"]) == ["Quelle A", "https://example.org/a,b"]
    assert list(shown.loc["tr_netz", "masterplans"]) == ["wirtschaft", "bildung"]
    assert shown.loc["tr_daten", "visibility"] == trends.INTERNAL  # empty cell: internal
    assert shown.loc["tr_sensor", "visibility"] == trends.INTERNAL
    with Store(trends_db.db_path).connect_read() as con:
        versions = trend_db.trend_versions(con)
    history = trends.assessment_history(versions[versions["id"] == "tr_ki_chat"])
    assert list(history["ring"]) == ["bewerten", "erproben"]
    assert [d.date() for d in pd.to_datetime(history["assessed_on"])] == [
        date(2024, 3, 1),
        date(2024, 9, 1),
    ]
    assert list(history["reason"]) == ["Erste Bewertung des Chats.", "Pilot gestartet."]


def test_pinned_radar_shows_the_day_it_was_pinned(trends_copy: Settings) -> None:
    """``stand`` before a review shows the rings of then, and that review's marks."""
    with Store(trends_copy.db_path).connect_read() as con:
        moment = con.execute("SELECT max(valid_from) FROM trends").fetchall()[0][0]
    changed = trends_copy.db_path.parent / "review_3.csv"
    text = TREND_REVIEWS[1].read_text(encoding="utf-8").splitlines()
    row = text[1].replace(";erproben;01.09.2024;Pilot gestartet.", ";einführen;02.09.2024;Läuft.")
    changed.write_text(f"{text[0]}\n{row}\n", encoding="utf-8")
    run_import([changed], trends_copy)
    assert radar(trends_copy).loc["tr_ki_chat", "ring"] == "einführen"
    pinned = radar(trends_copy, as_of=moment)
    assert pinned.loc["tr_ki_chat", "ring"] == "erproben"
    assert pinned.loc["tr_ki_chat", "movement"] == trends.MOVED_IN
    assert pinned.loc["tr_daten", "movement"] == trends.NEW
    live = radar(trends_copy)
    assert live.loc["tr_ki_chat", "movement"] == trends.MOVED_IN
    assert live.loc["tr_daten", "movement"] == trends.UNCHANGED  # review 3 left it alone


def test_a_review_after_the_clock_stepped_back_stays_in_order(trends_copy: Settings) -> None:
    """The system clock went back (NTP) before a review: the new assessment's version
    still begins after the one it replaces, and a link pinned before it shows the old ring."""
    from datetime import timedelta

    from dortmund_kpi import clock

    with Store(trends_copy.db_path).connect_read() as con:
        newest = con.execute("SELECT max(valid_from) FROM trends").fetchall()[0][0]
    changed = trends_copy.db_path.parent / "review_3.csv"
    text = TREND_REVIEWS[1].read_text(encoding="utf-8").splitlines()
    row = text[1].replace(";erproben;01.09.2024;Pilot gestartet.", ";einführen;02.09.2024;Läuft.")
    changed.write_text(f"{text[0]}\n{row}\n", encoding="utf-8")
    with clock.injected(lambda: newest - timedelta(hours=1)):
        run_import([changed], trends_copy)
    with Store(trends_copy.db_path).connect_read() as con:
        rows = con.execute(
            "SELECT ring, valid_from, valid_to FROM trends WHERE id = 'tr_ki_chat' "
            "ORDER BY valid_from"
        ).fetchall()
    assert [r[0] for r in rows[-2:]] == ["erproben", "einführen"]
    assert rows[-1][1] > newest and rows[-2][2] == rows[-1][1]
    assert radar(trends_copy, as_of=newest).loc["tr_ki_chat", "ring"] == "erproben"
    assert radar(trends_copy).loc["tr_ki_chat", "ring"] == "einführen"


def test_messy_valid_file(trends_copy: Settings) -> None:
    """BOM, CRLF, header in other spellings, ISO date, ``Einfuehren``, ``Öffentlich``."""
    result = run_import([CORPUS / "valid" / "messy.csv"], trends_copy)
    assert result.trends is not None
    assert (result.trends.inserted, result.trends.changed) == (1, 0)
    row = radar(trends_copy).loc["tr_neu"]
    assert row["field"] == "KI"
    assert row["ring"] == "einführen"
    assert row["visibility"] == trends.PUBLIC
    assert row["reason"] == "Mehrzeilige\nBegründung"
    assert pd.Timestamp(row["assessed_on"]).date() == date(2024, 5, 2)
    assert bool(row["is_official"])  # no datenart column: official, like measures


def test_same_file_again_changes_nothing(trends_copy: Settings) -> None:
    result = run_import([TREND_REVIEWS[1]], trends_copy)
    assert result.trends is not None
    assert (result.trends.inserted, result.trends.changed, result.trends.unchanged) == (0, 0, 4)


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_export_imports_again_unchanged(trends_copy: Settings, kind: str) -> None:
    with Store(trends_copy.db_path).connect_read() as con:
        frame = trend_db.current_trends(con)
    write = trend_files.to_xlsx if kind == "xlsx" else trend_files.to_csv
    path = trends_copy.db_path.parent / f"trends.{kind}"
    path.write_bytes(write(frame))
    before = state(trends_copy)
    result = run_import([path], trends_copy)
    assert result.trends is not None
    assert (result.trends.changed, result.trends.unchanged) == (0, len(frame))
    assert state(trends_copy) != before  # only the import log grew
    assert len(radar(trends_copy)) == len(frame)


def test_template_command_writes_the_trends_header(tmp_path: Path) -> None:
    done = subprocess.run(
        [console_command(), "template", "--trends"], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    header = done.stdout.strip().split(";")
    assert header[:7] == [
        "id",
        "name",
        "feld",
        "ring",
        "bewertet_am",
        "begruendung",
        "verantwortlich",
    ]
    assert "sichtbarkeit" in header


def test_init_loads_labelled_demo_trends(tmp_path: Path) -> None:
    settings = make_settings(tmp_path / "kpi.duckdb")
    result = init_database(settings)
    assert result.trends == 17
    with Store(settings.db_path).connect_read() as con:
        log = con.execute("SELECT message FROM import_log ORDER BY import_id").fetchall()
    assert [m for (m,) in log].count("Demo-Trends (keine Bewertungen der Stadt)") == 2
    shown = radar(settings)
    assert not shown["is_official"].any()
    assert set(shown["movement"]) >= {trends.NEW, trends.MOVED_IN, trends.MOVED_OUT}
    assert set(shown["field"]) == set(trends.FIELDS)
    assert set(shown["visibility"]) == {trends.PUBLIC, trends.INTERNAL}


def test_data_stand_counts_the_latest_review(trends_db: Settings) -> None:
    """The Stand on screen (what the share dialog pins) includes trends: a link pinned
    after a review shows that review's radar."""
    from dortmund_kpi.db import read

    with Store(trends_db.db_path).connect_read() as con:
        newest = con.execute("SELECT max(valid_from) FROM trends").fetchall()[0][0]
        assert read.data_stand(con) == newest
        assert read.data_stand(con, as_of=newest) == newest


def test_migration_keeps_measures_and_makes_them_internal(tmp_path: Path) -> None:
    """A database of schema 4 with a measure: after migrating, the measure is still there,
    ``intern`` (nothing becomes public by an upgrade), and trends can be stored."""
    import duckdb

    from dortmund_kpi.db.schema import migrate

    path = tmp_path / "old.duckdb"
    with duckdb.connect(str(path)) as con:
        migrate(con, target=4)
        con.execute(
            "INSERT INTO measures VALUES ('m1', 'verwaltung', 'T', '', 'O', DATE '2024-01-01', "
            "DATE '2025-01-01', 'geplant', DATE '2024-01-01', ['x'], [], NULL, true, 1, "
            "TIMESTAMP '2024-01-01', NULL)"
        )
    Store(path).ensure_schema()
    with Store(path).connect_read(public=False) as con:
        assert con.execute("SELECT id, visibility FROM measures").fetchall() == [("m1", "intern")]
        assert con.execute("SELECT count(*) FROM trends").fetchall() == [(0,)]


def test_serve_oeffentlich_starts_the_dashboard_in_public_mode(
    db_copy: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``serve --oeffentlich`` hands the setting to the Streamlit process it becomes."""
    import os

    from dortmund_kpi.ops import cli
    from dortmund_kpi.settings import ENV_DB, ENV_PUBLIC

    started: dict[str, object] = {}
    monkeypatch.setenv(ENV_PUBLIC, "")  # restored afterwards, like ENV_DB
    monkeypatch.setenv(ENV_DB, str(db_copy.db_path))
    monkeypatch.setattr(os, "chdir", lambda path: None)
    monkeypatch.setattr(
        os, "execv", lambda exe, command: started.update(public=os.environ[ENV_PUBLIC])
    )
    cli.main(["serve", "--db", str(db_copy.db_path)])
    assert started == {"public": ""}
    cli.main(["serve", "--oeffentlich", "--db", str(db_copy.db_path)])
    assert started == {"public": "1"}


def test_invalid_xlsx_is_rejected_with_its_line(db_copy: Settings, tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(trend_files.HEADER)
    sheet.append(["t1", "Eins", "KI", "bewerten", date(2024, 3, 1), "Grund", "CIO"])
    sheet.append(["t2", "Zwei", "KI", "irgendwo", date(2024, 3, 1), "Grund", "CIO"])
    path = tmp_path / "trends.xlsx"
    book.save(path)
    before = state(db_copy)
    with pytest.raises(ImportFailed) as failed:
        run_import([path], db_copy)
    assert [(i.line, i.column) for i in failed.value.issues] == [(3, "ring")]
    assert state(db_copy) == before
