"""A demo value never replaces an official one (found while loading real data by default:
the frozen demo fixture would have silently replaced the Breitbandatlas values)."""

from __future__ import annotations

from pathlib import Path

import pytest

from dortmund_kpi.db.store import Store
from dortmund_kpi.ingest.importer import run_import
from dortmund_kpi.ingest.issues import ImportFailed
from dortmund_kpi.settings import Settings

HEADER = "indikator;bezirk;zeitraum;wert;anmerkung;quelle;datenart\n"


def _value(settings: Settings, indicator: str, period: str) -> tuple[float, bool]:
    with Store(settings.db_path).connect_read() as con:
        return con.execute(
            "SELECT value, is_official FROM current_observations "
            "WHERE indicator_id = ? AND area = 'dortmund' AND period = ?",
            [indicator, period],
        ).fetchone()


@pytest.mark.parametrize("dry_run", [False, True])
def test_a_demo_row_over_an_official_value_is_refused(
    db_copy: Settings, tmp_path: Path, dry_run: bool
) -> None:
    before = _value(db_copy, "gigabit_haushalte", "2021")
    assert before[1], "the Breitbandatlas value is official"
    version = Store(db_copy.db_path).version()
    path = tmp_path / "demo.csv"
    path.write_text(
        HEADER
        + "online_termine;Dortmund;2024;1;;Test;demo\n"
        + "gigabit_haushalte;Dortmund;2021;12,5;;Test;demo\n",
        encoding="utf-8",
    )
    with pytest.raises(ImportFailed) as failed:
        run_import([path], db_copy, dry_run=dry_run)
    issue = failed.value.issues[0]
    assert (issue.line, issue.column) == (3, "datenart")
    assert "66,65" in issue.message and "Breitbandatlas" in issue.message
    assert Store(db_copy.db_path).version() == version
    assert _value(db_copy, "gigabit_haushalte", "2021") == before


def test_an_official_row_still_replaces_an_official_value(db_copy: Settings, tmp_path: Path):
    path = tmp_path / "amtlich.csv"
    path.write_text(
        HEADER + "gigabit_haushalte;Dortmund;2021;70;;Bundesnetzagentur;amtlich\n",
        encoding="utf-8",
    )
    run_import([path], db_copy)
    assert _value(db_copy, "gigabit_haushalte", "2021") == (70.0, True)
