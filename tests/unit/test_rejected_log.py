"""Rejected imports are listed for the data page, without touching the database."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
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


def _logged_hashes(settings: Settings) -> list[str]:
    lines = rejected_log_path(settings).read_text(encoding="utf-8").splitlines()
    return json.loads(lines[-1])["sha256"]


def test_a_refused_file_past_the_size_limit_is_not_read_for_the_log(
    db_copy: Settings, tmp_path: Path
) -> None:
    """A 3 GB file cost 3.2 GB of memory before its size refusal: never hashed now."""
    small = Settings(db_copy.data_dir, db_copy.db_path, max_import_bytes=1000)
    big = tmp_path / "gross.csv"
    with big.open("wb") as handle:
        handle.truncate(small.max_import_bytes + 1)  # sparse: nothing is written to disk
    ok = tmp_path / "klein.csv"
    ok.write_bytes(b"indikator;bezirk;zeitraum;wert\nfoo;Dortmund;2023;1\n")
    with pytest.raises(ImportFailed):
        run_import([ok, big], small, user="pytest")
    assert _logged_hashes(small) == [hashlib.sha256(ok.read_bytes()).hexdigest(), ""]


@pytest.mark.parametrize("kind", ["fifo", "device"])
def test_a_refused_fifo_or_device_is_not_read_for_the_log(
    kind: str, db_copy: Settings, tmp_path: Path
) -> None:
    """A FIFO without a writer blocked forever; /dev/zero never ended. Run in a child process
    so that, should it regress, the test fails (hang guard) instead of hanging the suite."""
    if kind == "fifo":
        target = tmp_path / "werte.csv"
        os.mkfifo(target)
    else:
        target = Path("/dev/zero")
    code = (
        "import sys; from pathlib import Path; from dortmund_kpi.ingest.importer import _sha256;"
        "print(repr(_sha256(Path(sys.argv[1]), 50 * 2**20)))"
    )
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run(
        [sys.executable, "-c", code, str(target)],
        env=os.environ | {"PYTHONPATH": str(root)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.stdout.strip() == "''", done.stderr


def test_a_directory_or_a_missing_file_is_refused_in_german_and_logged(
    db_copy: Settings, tmp_path: Path
) -> None:
    """A folder given for a file opened for the log's hash and then crashed the import
    ("unerwarteter Fehler: IsADirectoryError"); a missing file was "No such file or
    directory"."""
    folder = tmp_path / "ordner"
    folder.mkdir()
    with pytest.raises(ImportFailed) as refused:
        run_import([folder, tmp_path / "fehlt.csv"], db_copy, user="pytest")
    assert [i.message for i in refused.value.issues] == [
        "keine normale Datei (erwartet eine CSV- oder XLSX-Datei)",
        "nicht lesbar: Datei nicht gefunden",
    ]
    assert _logged_hashes(db_copy) == ["", ""]
