"""Measures (Maßnahmen): file validation, import, history, pinned views, export round trip.

Invalid files go through the real ``dortmund-kpi import`` command (exit code,
messages, no traceback, database unchanged); the rest runs the importer in-process
on copies of the session's fixture database (which has tests/fixtures/measures_fixture.csv).
"""

from __future__ import annotations

import hashlib
import subprocess
import time
from datetime import date, datetime, timedelta
from pathlib import Path

import pandas as pd
import pytest

from dortmund_kpi import measure_views, measures
from dortmund_kpi.bootstrap import init_database
from dortmund_kpi.db import read
from dortmund_kpi.db.store import Store
from dortmund_kpi.importer import run_import
from dortmund_kpi.issues import ImportFailed
from dortmund_kpi.readers import MEASURES, read_file
from dortmund_kpi.settings import Settings
from tests.conftest import FIXTURES, KPI_FIXTURE, make_settings
from tests.unit.test_import_corpus import console_command

CORPUS = FIXTURES / "measures"
INVALID = sorted(p for p in (CORPUS / "invalid").glob("*.csv"))


def state(settings: Settings) -> str:
    """A digest of every table the import may touch (observations, measures, import log)."""
    with Store(settings.db_path).connect_read() as con:
        parts = [
            con.execute(f"SELECT * FROM {table} ORDER BY ALL").fetchall()
            for table in ("observations", "measures", "import_log")
        ]
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def current(settings: Settings) -> pd.DataFrame:
    with Store(settings.db_path).connect_read() as con:
        return read.measures(con).set_index("id")


# -- invalid files: the real command ----------------------------------------------------
@pytest.mark.parametrize("path", INVALID, ids=[p.stem for p in INVALID])
def test_invalid_measures_file_is_rejected(path: Path, db_copy: Settings) -> None:
    before = state(db_copy)
    expected = path.with_name(path.name + ".expected").read_text(encoding="utf-8")
    expected = expected.replace("{file}", str(path)).replace(
        "{today}", date.today().strftime("%d.%m.%Y")
    )
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


def test_mixed_import_is_all_or_nothing(db_copy: Settings, tmp_path: Path) -> None:
    """A valid observation file does not get in when the measures file beside it is bad."""
    values = tmp_path / "werte.csv"
    values.write_text("indikator;bezirk;zeitraum;wert\nonline_dienstleistungen;;2019;77\n")
    before = state(db_copy)
    with pytest.raises(ImportFailed) as failed:
        run_import([values, CORPUS / "invalid" / "status_unbekannt.csv"], db_copy)
    assert [i.column for i in failed.value.issues] == ["status"]
    assert state(db_copy) == before


# -- valid files -------------------------------------------------------------------------
def test_fixture_measures_loaded(fixture_db: Settings) -> None:
    frame = current(fixture_db)
    assert sorted(frame.index) == ["t_b1", "t_b2", "t_v1", "t_v2", "t_w1", "t_w2"]
    assert list(frame.loc["t_v2", "districts"]) == ["eving", "mengede"]
    assert list(frame.loc["t_v1", "districts"]) == []
    assert frame.loc["t_v2", "budget_eur"] == 25000.5
    assert pd.isna(frame.loc["t_w1", "budget_eur"])
    assert list(frame.loc["t_b2", "indicators"]) == [
        "schul_endgeraete",
        "schueler_je_geraet",
        "online_dienstleistungen",
    ]
    assert not frame["is_official"].any()


def test_messy_valid_file(db_copy: Settings) -> None:
    result = run_import([CORPUS / "valid" / "messy.csv"], db_copy)
    assert result.measures is not None
    assert (result.measures.inserted, result.measures.changed) == (1, 1)
    frame = current(db_copy)
    changed = frame.loc["t_v1"]
    assert changed["title"] == "Testmaßnahme Serviceportal, überarbeitet"
    assert changed["status"] == "in Umsetzung"
    assert changed["budget_eur"] == 100000.5
    assert changed["description"] == 'Mehrzeilige\nBeschreibung mit "Anführungszeichen"'
    assert list(changed["indicators"]) == ["online_dienstleistungen", "servicekonten"]
    new = frame.loc["neu-1"]
    assert new["title"] == "=Formel als Titel"  # the export's apostrophe is taken off
    assert new["status"] == "verzögert"
    assert list(new["districts"]) == ["hoerde"]  # "Dortmund" (the city) adds nothing
    assert list(new["indicators"]) == ["schulen_wlan"]
    assert pd.Timestamp(new["start_date"]).date() == date(2024, 2, 1)


def test_bom_semicolon_file_updates_status(db_copy: Settings) -> None:
    run_import([CORPUS / "valid" / "bom_semicolon.csv"], db_copy)
    row = current(db_copy).loc["t_w2"]
    assert row["status"] == "in Umsetzung"
    assert row["description"] == ""  # an omitted optional column is empty, not NULL


def test_xlsx_measures_with_date_cells(db_copy: Settings, tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(list(MEASURES.required))
    sheet.append(
        [
            "x_xlsx",
            "bildung",
            "Aus Excel",
            "Fachbereich Schule",
            datetime(2024, 1, 1),
            datetime(2099, 6, 30),
            "geplant",
            datetime(2024, 1, 2),
            "schulen_wlan",
        ]
    )
    path = tmp_path / "massnahmen.xlsx"
    book.save(path)
    table = read_file(path, 10**7)
    assert not isinstance(table, list) and table.layout is MEASURES
    run_import([path], db_copy)
    row = current(db_copy).loc["x_xlsx"]
    assert pd.Timestamp(row["deadline"]).date() == date(2099, 6, 30)


def test_dry_run_counts_without_writing(db_copy: Settings) -> None:
    before = state(db_copy)
    result = run_import([CORPUS / "valid" / "messy.csv"], db_copy, dry_run=True)
    assert result.measures is not None
    assert (result.measures.inserted, result.measures.changed) == (1, 1)
    assert state(db_copy) == before


def test_export_import_round_trip(fixture_db: Settings, empty_db: Settings, tmp_path: Path):
    target = tmp_path / "massnahmen.csv"
    command = [console_command(), "export", "--measures", "--db", str(fixture_db.db_path)]
    done = subprocess.run([*command, "-o", str(target)], capture_output=True, timeout=120)
    assert done.returncode == 0, done.stderr
    run_import([target], empty_db)
    again = tmp_path / "again.csv"
    command[-1] = str(empty_db.db_path)
    subprocess.run([*command, "-o", str(again)], check=True, capture_output=True, timeout=120)
    assert again.read_bytes() == target.read_bytes()
    assert target.read_bytes().count(b"\r\n") == 7  # header and six measures


def test_template_is_the_measures_header(tmp_path: Path, empty_db: Settings) -> None:
    target = tmp_path / "vorlage.csv"
    command = [console_command(), "template", "--measures", "--db", str(empty_db.db_path)]
    subprocess.run([*command, "-o", str(target)], check=True, timeout=120)
    assert target.read_bytes() == measures.template_csv()
    problems = read_file(target, 10**6)
    assert isinstance(problems, list)
    assert "keine Datenzeilen" in problems[0].message


# -- history and pinned views --------------------------------------------------------------
def test_status_change_keeps_history_and_pinned_view(db_copy: Settings, tmp_path: Path) -> None:
    with Store(db_copy.db_path).connect_read() as con:
        before_change = read.data_stand(con)
    time.sleep(0.01)  # the change must be later than the pinned moment
    export = tmp_path / "m.csv"
    with Store(db_copy.db_path).connect_read() as con:
        names = dict(read.district_list(con)[["slug", "name"]].itertuples(index=False))
        frame = read.measure_export_rows(con)
    frame.loc[frame["id"] == "t_v1", "status"] = "abgeschlossen"
    frame.loc[frame["id"] == "t_v1", "status_date"] = pd.Timestamp(date.today())
    export.write_bytes(measures.to_csv(frame, names))
    result = run_import([export], db_copy)
    assert result.measures is not None
    assert (result.measures.changed, result.measures.unchanged) == (1, 5)

    with Store(db_copy.db_path).connect_read() as con:
        live = read.measures(con).set_index("id")
        pinned = read.measures(con, as_of=before_change).set_index("id")
        versions = read.measure_versions(con, "t_v1")
        old_versions = read.measure_versions(con, "t_v1", as_of=before_change)
        stand = read.data_stand(con)
    assert live.loc["t_v1", "status"] == "abgeschlossen"
    assert pinned.loc["t_v1", "status"] == "verzögert"
    assert list(measures.status_history(versions)["status"]) == ["verzögert", "abgeschlossen"]
    assert list(measures.status_history(old_versions)["status"]) == ["verzögert"]
    assert stand > before_change  # a measures import moves the data version on


def test_reimport_of_same_file_changes_nothing(db_copy: Settings) -> None:
    result = run_import([FIXTURES / "measures_fixture.csv"], db_copy)
    assert result.measures is not None
    assert (result.measures.inserted, result.measures.changed, result.measures.unchanged) == (
        0,
        0,
        6,
    )


# -- domain rules -------------------------------------------------------------------------
def test_overdue_only_for_open_measures(fixture_db: Settings) -> None:
    frame = current(fixture_db).reset_index()
    late = frame.loc[measures.overdue(frame, date(2026, 1, 1)), "id"]
    assert sorted(late) == ["t_b2", "t_v1"]  # t_w1 closed, t_b1 stopped, others not due
    assert measures.overdue(frame, date(2020, 6, 1)).sum() == 0


def test_status_counts_per_masterplan(fixture_db: Settings) -> None:
    frame = current(fixture_db).reset_index()
    counts = measures.status_counts(frame, date(2026, 1, 1)).set_index("masterplan")
    assert counts.loc["verwaltung", "verzögert"] == 1
    assert counts.loc["verwaltung", "in Umsetzung"] == 1
    assert counts.loc["bildung", "gestoppt"] == 1
    assert counts.loc["verwaltung", "überfällig"] == 1
    assert counts["gesamt"].sum() == 6


def test_view_filters(fixture_db: Settings) -> None:
    frame = measure_views.prepare(current(fixture_db).reset_index(), date(2026, 1, 1))
    assert set(measure_views.for_indicator(frame, "online_dienstleistungen")["id"]) == {
        "t_v1",
        "t_b2",
    }
    # Eving: its own measure and every citywide one, not Hörde's.
    assert set(measure_views.for_district(frame, "eving")["id"]) == {"t_v1", "t_v2", "t_w1", "t_b1"}
    assert list(measure_views.overdue_only(frame)["label"].str.startswith("⚠")) == [True, True]


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("In Umsetzung", "in Umsetzung"),
        ("in_umsetzung", "in Umsetzung"),
        ("VERZOEGERT", "verzögert"),
        (" geplant ", "geplant"),
        ("erledigt", "abgeschlossen"),
        ("irgendwas", None),
        ("", None),
    ],
)
def test_status_spellings(text: str, status: str | None) -> None:
    assert measures.normalise_status(text) == status


def test_init_loads_demo_measures(tmp_path: Path) -> None:
    settings = make_settings(tmp_path / "kpi.duckdb")
    result = init_database(settings)
    frame = current(settings).reset_index()
    assert result.measures == len(frame)
    per_plan = frame.groupby("masterplan").size()
    assert (per_plan >= 6).all() and len(per_plan) == 3
    assert not frame["is_official"].any()  # demo measures are marked as demo
    assert set(frame["status"]) <= set(measures.STATUSES)
    assert (pd.to_datetime(frame["deadline"]) >= pd.to_datetime(frame["start_date"])).all()
    assert (pd.to_datetime(frame["status_date"]).dt.date <= date.today()).all()


def test_init_without_demo_has_no_measures(empty_db: Settings) -> None:
    assert current(empty_db).empty


def test_kpi_fixture_is_not_a_measures_file() -> None:
    table = read_file(KPI_FIXTURE, 10**8)
    assert not isinstance(table, list) and table.layout is not MEASURES


def test_reference_day_is_the_pinned_day() -> None:
    moment = datetime(2024, 5, 1, 23, 59)
    assert measure_views.reference_day(moment) == date(2024, 5, 1)
    assert abs(measure_views.reference_day(None) - date.today()) <= timedelta(days=1)
