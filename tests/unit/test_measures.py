"""Measures (Maßnahmen): file validation, import, history, pinned views, export round trip.

Invalid files go through the real ``dortmund-kpi import`` command (exit code,
messages, no traceback, database unchanged); the rest runs the importer in-process
on copies of the session's fixture database (which has tests/fixtures/measures_fixture.csv).
"""

from __future__ import annotations

import hashlib
import subprocess
import time
from datetime import date, datetime
from pathlib import Path

import pandas as pd
import pytest

from dortmund_kpi import measures
from dortmund_kpi.clock import now_local
from dortmund_kpi.db import measures as measure_db
from dortmund_kpi.db import read
from dortmund_kpi.db.store import Store
from dortmund_kpi.ingest.bootstrap import init_database
from dortmund_kpi.ingest.files import read_file
from dortmund_kpi.ingest.importer import run_import
from dortmund_kpi.ingest.issues import ImportFailed
from dortmund_kpi.ingest.layouts import MEASURES
from dortmund_kpi.ingest.measures import budget_value
from dortmund_kpi.settings import Settings
from dortmund_kpi.share import measure_files
from dortmund_kpi.views import measures as measure_views
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
        return measure_db.measures(con).set_index("id")


# -- invalid files: the real command ----------------------------------------------------
@pytest.mark.parametrize("path", INVALID, ids=[p.stem for p in INVALID])
def test_invalid_measures_file_is_rejected(path: Path, db_copy: Settings) -> None:
    before = state(db_copy)
    expected = path.with_name(path.name + ".expected").read_text(encoding="utf-8")
    expected = expected.replace("{file}", str(path)).replace(
        "{today}", now_local().date().strftime("%d.%m.%Y")
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
    assert list(new["districts"]) == ["eving", "hoerde"]  # any spelling, in table order
    assert list(new["indicators"]) == ["schulen_wlan"]
    assert pd.Timestamp(new["start_date"]).date() == date(2024, 2, 1)


def test_short_status_update_keeps_the_other_fields(db_copy: Settings) -> None:
    """A file with only the required columns changes the status and nothing it leaves out:
    description, districts, budget and the demo marker stay."""
    before = current(db_copy).loc["t_w2"]
    run_import([CORPUS / "valid" / "bom_semicolon.csv"], db_copy)
    row = current(db_copy).loc["t_w2"]
    assert row["status"] == "in Umsetzung"
    assert row["description"] == before["description"] == "Geplante Testmaßnahme in der Innenstadt."
    assert list(row["districts"]) == ["innenstadt-west"]
    assert not row["is_official"]  # still demo


def test_new_measure_without_optional_columns(empty_db: Settings, tmp_path: Path) -> None:
    path = tmp_path / "neu.csv"
    header = ";".join(MEASURES.required)
    row = "n1;bildung;Neu;Fachbereich Schule;01.01.2024;31.12.2099;geplant;01.01.2024;schulen_wlan"
    path.write_text(f"{header}\n{row}\n", encoding="utf-8")
    run_import([path], empty_db)
    new = current(empty_db).loc["n1"]
    assert new["description"] == "" and list(new["districts"]) == []
    assert pd.isna(new["budget_eur"]) and new["is_official"]  # no datenart: amtlich


def test_older_status_report_is_refused(db_copy: Settings, tmp_path: Path) -> None:
    path = tmp_path / "alt.csv"
    header = ";".join(MEASURES.required)
    row = "t_v1;verwaltung;T;CIO;01.01.2019;31.12.2020;geplant;01.01.2024;online_dienstleistungen"
    path.write_text(f"{header}\n{row}\n", encoding="utf-8")
    before = state(db_copy)
    with pytest.raises(ImportFailed) as failed:
        run_import([path], db_copy)
    assert [str(i) for i in failed.value.issues] == [
        f"{path}:2: statusdatum: 01.01.2024 ist älter als der gespeicherte Stand vom 01.06.2024 "
        "(„verzögert“) (erwartet die aktuelle Liste: dortmund-kpi export --measures)"
    ]
    assert state(db_copy) == before


@pytest.mark.parametrize(
    ("text", "euros"),
    [
        ("250.000", 250000.0),
        ("1.234.567,50", 1234567.5),
        ("1,234.5 EUR", 1234.5),
        ("250,000", 250000.0),
        ("2500.5", 2500.5),
        ("1234,5", 1234.5),
        ("250 000 €", 250000.0),
        ("12", 12.0),
        ("-5", None),
        ("viel", None),
    ],
)
def test_budget_cells_are_read_one_by_one(text: str, euros: float | None) -> None:
    assert budget_value(text) == euros


def test_mixed_budget_formats_in_one_file(empty_db: Settings, tmp_path: Path) -> None:
    """Each cell is read on its own: one cell never changes how another is read."""
    header = ";".join(MEASURES.required) + ";budget_eur"
    rows = [
        f"b{n};bildung;T{n};FB;01.01.2024;31.12.2099;geplant;01.01.2024;schulen_wlan;{budget}"
        for n, budget in enumerate(["250.000", "1,234.5 EUR", "99,5"])
    ]
    path = tmp_path / "budgets.csv"
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    run_import([path], empty_db)
    assert list(current(empty_db).sort_index()["budget_eur"]) == [250000.0, 1234.5, 99.5]


def test_xlsx_budget_number_cells_are_taken_as_numbers(empty_db: Settings, tmp_path: Path):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append([*MEASURES.required, "budget_eur"])
    base = ["bildung", "T", "FB", "01.01.2024", "31.12.2099", "geplant", "01.01.2024"]
    sheet.append(["x1", *base, "schulen_wlan", 123.456])
    sheet.append(["x2", *base, "schulen_wlan", "1.500.000"])
    path = tmp_path / "budget.xlsx"
    book.save(path)
    run_import([path], empty_db)
    assert list(current(empty_db).sort_index()["budget_eur"]) == [123.456, 1500000.0]


def test_measures_workbook_missing_a_column_says_which(tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(list(MEASURES.required[:-1]))  # no "indikatoren"
    path = tmp_path / "m.xlsx"
    book.save(path)
    problems = read_file(path, 10**7)
    assert isinstance(problems, list)
    assert problems[0].message.startswith("Spalte 'indikatoren' fehlt")


def test_observations_header_with_a_stray_column_stays_observations(tmp_path: Path) -> None:
    path = tmp_path / "werte.csv"
    path.write_text("indikator;bezirk;zeitraum;wert;verantwortlich\nx;;2020;1;y\n", "utf-8")
    problems = read_file(path, 10**6)
    assert isinstance(problems, list)
    assert problems[0].message.startswith("unbekannte Spalte 'verantwortlich' (erwartet indikator")


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
    assert target.read_bytes() == measure_files.template_csv()
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
        names = read.district_names(con)
        frame = measure_db.measure_export_rows(con)
    frame.loc[frame["id"] == "t_v1", "status"] = "abgeschlossen"
    frame.loc[frame["id"] == "t_v1", "status_date"] = pd.Timestamp(now_local().date())
    export.write_bytes(measure_files.to_csv(frame, names))
    result = run_import([export], db_copy)
    assert result.measures is not None
    assert (result.measures.changed, result.measures.unchanged) == (1, 5)

    with Store(db_copy.db_path).connect_read() as con:
        live = measure_db.measures(con).set_index("id")
        pinned = measure_db.measures(con, as_of=before_change).set_index("id")
        versions = measure_db.measure_versions(con, "t_v1")
        old_versions = measure_db.measure_versions(con, "t_v1", as_of=before_change)
        stand = read.data_stand(con)
    assert live.loc["t_v1", "status"] == "abgeschlossen"
    assert pinned.loc["t_v1", "status"] == "verzögert"
    assert list(measures.status_history(versions)["status"]) == ["verzögert", "abgeschlossen"]
    assert list(measures.status_history(old_versions)["status"]) == ["verzögert"]
    assert stand > before_change  # a measures import moves the data version on


def test_districts_in_another_order_are_no_change(db_copy: Settings, tmp_path: Path) -> None:
    source = (FIXTURES / "measures_fixture.csv").read_text(encoding="utf-8")
    path = tmp_path / "umgestellt.csv"
    path.write_text(source.replace(";Eving, Mengede;", ";Mengede, eving;"), encoding="utf-8")
    result = run_import([path], db_copy)
    assert result.measures is not None and result.measures.changed == 0


def test_duplicates_are_reported_with_the_other_problems(db_copy: Settings, tmp_path: Path):
    header = ";".join(MEASURES.required)
    row = "d1;bildung;T;FB;01.01.2024;31.12.2099;{status};01.01.2024;schulen_wlan"
    path = tmp_path / "doppelt.csv"
    path.write_text(
        "\n".join([header, row.format(status="kaputt"), row.format(status="geplant")]) + "\n",
        encoding="utf-8",
    )
    with pytest.raises(ImportFailed) as failed:
        run_import([path], db_copy)
    assert [(i.line, i.column) for i in failed.value.issues] == [(2, "status"), (3, "id")]


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
    assert (pd.to_datetime(frame["status_date"]).dt.date <= now_local().date()).all()


def test_init_without_demo_has_no_measures(empty_db: Settings) -> None:
    assert current(empty_db).empty


def test_kpi_fixture_is_not_a_measures_file() -> None:
    table = read_file(KPI_FIXTURE, 10**8)
    assert not isinstance(table, list) and table.layout is not MEASURES


def test_reference_day_is_the_pinned_day() -> None:
    moment = datetime(2024, 5, 1, 23, 59)
    assert measure_views.reference_day(moment) == date(2024, 5, 1)
    assert measure_views.reference_day(None) == now_local().date()


def test_timeline_shows_titles_and_owners_as_text(fixture_db: Settings) -> None:
    """A title or owner from a file reaches the timeline as text: no markup of its own (a
    foreign link, a banner), and a quote stays a quote (it showed as &quot;)."""
    frame = measure_views.prepare(current(fixture_db).reset_index(), date(2026, 1, 1)).head(1)
    frame = frame.assign(
        title='Portal "DO" <b>neu</b>',
        owner='<a href="https://evil.example">Amt</a><img src=x style="height:60px">',
    )
    frame = measure_views.prepare(frame.drop(columns=["label", "owner_text"]), date(2026, 1, 1))
    fig = measure_views.timeline(frame, "Titel", "–", date(2026, 1, 1))
    bars = [t for t in fig.data if t.type == "bar"]
    label = bars[0].y[0]
    owner = bars[0].customdata[0][2]
    assert '"DO"' in label and "&quot;" not in label and "<b>" not in label
    assert "<a" not in owner and "<img" not in owner and "&lt;a href=" in owner
