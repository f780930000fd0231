"""The import assistant's tables and command line (``views.importing``), on a real table
read by the real reader and a dry run of the real import."""

from __future__ import annotations

import shlex
from pathlib import Path
from types import SimpleNamespace

import pandas as pd

from dortmund_kpi import texts
from dortmund_kpi.ingest.issues import Issue
from dortmund_kpi.ingest.official import Options, area_names, run_official_import
from dortmund_kpi.ingest.sources.read import parse_assigned, read_source
from dortmund_kpi.settings import Settings
from dortmund_kpi.views import importing

ROOT = Path(__file__).resolve().parents[2]
TABLE = ROOT / "tests" / "fixtures" / "assistant" / "itnrw_13111-07iz_shape.csv"
ITNRW = ROOT / "tests" / "fixtures" / "official" / "itnrw_22811-01i_mindestsicherungsquote_2023.csv"


def read(path: Path, settings: Settings):
    return read_source(path, settings.data_dir, settings.max_import_bytes)


def test_preview_shows_dortmunds_records_with_their_signs(db_copy: Settings):
    table = read(TABLE, db_copy)
    records = importing.preview_records(table)
    assert {r.gebiet for r in records} == {"Dortmund"}  # not Bochum, not NRW
    frame = importing.preview_frame(records)
    assert list(frame.columns) == list(texts.ASSIST_PREVIEW_COLUMNS)
    last = frame.iloc[-1].tolist()
    assert last == [
        "Dortmund",
        "05913",
        "2024",
        "Zeilenmerkmal 1: J Information und Kommunikation",
        "Sozialversicherungspflichtig Beschäftigte (Anzahl)",
        "21.034 [p]",
        10,
    ]
    assert importing.filter_choices(records) == {
        "Zeilenmerkmal 1": ["Insgesamt", "J Information und Kommunikation"]
    }
    # One value a year per area: nothing to filter in 22811-01i.
    assert importing.filter_choices(importing.preview_records(read(ITNRW, db_copy))) == {}


def test_change_table_of_a_dry_run(db_copy: Settings):
    options = Options("ikt_beschaeftigte", filters=("Information",), dry_run=True)
    trial = run_official_import(TABLE, db_copy, options)
    frame = importing.change_frame(trial.changes, area_names(db_copy))
    assert list(frame.columns) == list(texts.ASSIST_CHANGE_COLUMNS)
    assert frame[["Änderung", "Gebiet", "Zeitraum", "alt", "neu"]].values.tolist() == [
        ["Konflikt", "Dortmund", "2022", "19.526", "19.512"],
        ["geändert", "Dortmund", "2023", "19.502,4", "20.118"],
        ["geändert", "Dortmund", "2024", "21.297,2", "21.034"],
    ]
    assert frame["Quelle neu"].unique().tolist() == [
        "IT.NRW, Landesdatenbank NRW, Tabelle 13111-07iz"
    ]


def test_skipped_cells_name_the_file_not_its_folder():
    skipped = [("/tmp/x/a.csv", n, f"Grund {n}") for n in range(30)]
    frame = importing.skipped_frame(skipped)
    assert len(frame) == importing.SHOWN_SKIPPED
    assert frame.iloc[0].tolist() == ["a.csv", 0, "Grund 0"]


def test_issues_without_the_temporary_folder():
    issue = Issue("/tmp/abc/t.csv", 3, "gebiet", "siehe dortmund-kpi inspect /tmp/abc/t.csv --alle")
    shown = importing.without_folder(issue, "/tmp/abc")
    assert str(shown) == "t.csv:3: gebiet: siehe dortmund-kpi inspect t.csv --alle"


def test_the_command_line_of_a_mapping_parses_back():
    options = Options(
        "ikt_beschaeftigte",
        spalte="Beschäftigte (Anzahl)",
        filters=("J Information und Kommunikation", "Insgesamt"),
        zeitraum=parse_assigned("2024"),
        remember=True,
        replace_official=True,
    )
    command = importing.cli_command("/tmp/x/13111-07iz.csv", options)
    assert shlex.split(command) == [
        "dortmund-kpi",
        "import",
        "13111-07iz.csv",
        "--indikator",
        "ikt_beschaeftigte",
        "--spalte",
        "Beschäftigte (Anzahl)",
        "--filter",
        "J Information und Kommunikation",
        "--filter",
        "Insgesamt",
        "--zeitraum",
        "2024",
        "--merken",
        "--ersetzen",
    ]
    assert importing.cli_command("t.csv", Options()) == "dortmund-kpi import t.csv"


def test_a_dry_runs_value_list_names_how_many_more_there_are() -> None:
    """Twenty values are listed (old → new, German numbers, district names), the rest
    counted; a missing old value is "–"."""
    rows = pd.DataFrame(
        {
            "indicator_id": ["online_antraege"] * 20,
            "area": ["mengede"] * 20,
            "period": [str(2000 + i) for i in range(20)],
            "old_value": [6650.0] + [float("nan")] * 19,
            "new_value": [12.345] + [1234.5] * 19,
        }
    )
    result = SimpleNamespace(changes=rows, inserted=24, changed=1)
    lines = importing.preview_lines(result, {"mengede": "Mengede"})
    assert lines[1] == "  online_antraege | Mengede | 2000 | 6.650 → 12,345"
    assert lines[2] == "  online_antraege | Mengede | 2001 | – → 1.234,5"
    assert lines[-1] == "  … und 5 weitere" and len(lines) == 22
    assert importing.preview_lines(SimpleNamespace(changes=rows, inserted=0, changed=0), {}) == []
