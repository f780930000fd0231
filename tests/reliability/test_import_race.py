"""Two imports of one measure's status race: the older status must never win.

The bug this keeps out: the check that a status report does not go back in time ran
before the writer lock. An import of the status of 15.10. checked against 01.06., then
waited for the lock while an import of 01.12. was published, then wrote 15.10. over it.

The race is forced, not hoped for: the older import is held just before it takes the
real writer lock (``Store.lock``, an ``flock``) until the newer import has published.
"""

from __future__ import annotations

import contextlib
import csv
import threading
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from dortmund_kpi.db import measures as measure_db
from dortmund_kpi.db.store import Store
from dortmund_kpi.ingest.importer import rejected_log_path, run_import
from dortmund_kpi.ingest.issues import ImportFailed
from dortmund_kpi.settings import Settings
from tests.conftest import MEASURES_FIXTURE

MEASURE = "t_v1"  # status of 01.06.2024 in the fixture


def _status_file(folder: Path, day: str, status: str) -> Path:
    with MEASURES_FIXTURE.open(encoding="utf-8-sig", newline="") as handle:
        header, *rows = list(csv.reader(handle, delimiter=";"))
    row = next(r for r in rows if r[0] == MEASURE)
    row[header.index("statusdatum")] = day
    row[header.index("status")] = status
    path = folder / f"status_{day}.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, delimiter=";").writerows([header, row])
    return path


def _stored(db: Path) -> tuple[str, date]:
    with Store(db).connect_read() as con:
        rows = measure_db.measure_export_rows(con)
    row = rows[rows["id"] == MEASURE].iloc[0]
    return row["status"], row["status_date"].date()


def test_the_older_status_loses_a_race_for_the_lock(
    db_copy: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    older = _status_file(tmp_path, "15.10.2024", "in Umsetzung")
    newer = _status_file(tmp_path, "01.12.2024", "abgeschlossen")
    at_lock, newer_published = threading.Event(), threading.Event()
    real_lock = Store.lock

    @contextlib.contextmanager
    def lock(self: Store) -> Iterator[None]:
        if threading.current_thread().name == "older":
            at_lock.set()  # validated (and, before the fix, checked): now wait for the newer
            assert newer_published.wait(timeout=300)
        with real_lock(self):
            yield

    monkeypatch.setattr(Store, "lock", lock)
    outcome: list[BaseException | None] = []

    def import_older() -> None:
        try:
            run_import([older], db_copy, user="older")
            outcome.append(None)
        except BaseException as exc:  # handed to the test thread
            outcome.append(exc)

    thread = threading.Thread(target=import_older, name="older")
    thread.start()
    try:
        assert at_lock.wait(timeout=300)
        run_import([newer], db_copy, user="newer")
    finally:
        newer_published.set()
        thread.join(timeout=300)
    assert not thread.is_alive()

    assert _stored(db_copy.db_path) == ("abgeschlossen", date(2024, 12, 1))
    [failed] = outcome
    assert isinstance(failed, ImportFailed), failed
    [issue] = failed.issues
    assert issue.column == "statusdatum"
    assert "15.10.2024 ist älter als der gespeicherte Stand vom 01.12.2024" in issue.message
    assert "status_15.10.2024.csv" in rejected_log_path(db_copy).read_text(encoding="utf-8")


def test_a_stale_status_is_still_refused_in_a_dry_run(db_copy: Settings, tmp_path: Path) -> None:
    run_import([_status_file(tmp_path, "01.12.2024", "abgeschlossen")], db_copy, user="newer")
    version = Store(db_copy.db_path).version()
    with pytest.raises(ImportFailed) as failed:
        run_import([_status_file(tmp_path, "15.10.2024", "in Umsetzung")], db_copy, dry_run=True)
    assert "älter als der gespeicherte Stand" in failed.value.issues[0].message
    assert Store(db_copy.db_path).version() == version
