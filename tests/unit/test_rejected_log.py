"""Rejected imports are listed for the data page, without touching the database."""

from __future__ import annotations

from pathlib import Path

import pytest

from dortmund_kpi.db.store import Store
from dortmund_kpi.ingest.importer import rejected_imports, rejected_log_path, run_import
from dortmund_kpi.ingest.issues import ImportFailed
from dortmund_kpi.settings import Settings


def test_rejected_import_is_logged_beside_the_database(db_copy: Settings, tmp_path: Path):
    bad = tmp_path / "falsch.csv"
    bad.write_text("indikator;bezirk;zeitraum;wert\nfoo;Dortmund;2023;1\n", encoding="utf-8")
    version = Store(db_copy.db_path).version()
    with pytest.raises(ImportFailed):
        run_import([bad], db_copy, user="Test Person")
    with pytest.raises(ImportFailed):
        run_import([bad], db_copy, dry_run=True)  # a dry run is not an import: not logged
    assert Store(db_copy.db_path).version() == version
    log = rejected_imports(db_copy)
    assert log["dateien"].tolist() == ["falsch.csv"]
    assert log["person"].tolist() == ["Test Person"]
    assert "unbekannter Indikator 'foo'" in log["erstes_problem"].iloc[0]
    rejected_log_path(db_copy).write_text(
        rejected_log_path(db_copy).read_text("utf-8") + '{"cut off', encoding="utf-8"
    )
    assert len(rejected_imports(db_copy)) == 1  # a torn last line is skipped
