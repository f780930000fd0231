"""Revision times are instants: imports across the autumn clock change and after an NTP
step back keep every revision in order, so ``check``, pinned links and restore keep working.

The database is built through the real ``init`` and importer with an injected clock
(``clock.injected``). On 25 October 2026 Berlin's clocks go back from 03:00 CEST to
02:00 CET, so the wall-clock hour 02:00-03:00 happens twice:

- init at 01:50 CEST (23:50 UTC the day before);
- import 1 at 02:30 CEST (00:30 UTC), first pass of the repeated hour;
- import 2 at 02:10 CET (01:10 UTC), second pass: an earlier wall time, a later instant;
- import 3 at 02:40 CET (01:40 UTC);
- import 4 after an NTP step back of ten minutes: the clock says 02:30 CET (01:30 UTC),
  before import 3.

With naive Berlin wall-clock times, import 2 closed import 1's value at 02:10, before it
was opened at 02:30: ``check`` failed and ``restore`` refused every later backup.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from dortmund_kpi import clock
from dortmund_kpi.db import read
from dortmund_kpi.db.store import Store
from dortmund_kpi.ingest.bootstrap import init_database
from dortmund_kpi.ingest.importer import run_import
from dortmund_kpi.ops import backup as ops_backup
from dortmund_kpi.ops.check import run_checks
from dortmund_kpi.settings import Settings
from dortmund_kpi.share.stand import format_stand, parse_stand
from dortmund_kpi.views import tables
from tests.conftest import make_settings

ID = "online_dienstleistungen"
PERIOD = "2024-Q1"
INIT = datetime(2026, 10, 24, 23, 50, tzinfo=UTC)  # 01:50 CEST
IMPORTS = (  # (value, what the system clock says)
    (101, datetime(2026, 10, 25, 0, 30, tzinfo=UTC)),  # 02:30 CEST
    (102, datetime(2026, 10, 25, 1, 10, tzinfo=UTC)),  # 02:10 CET
    (103, datetime(2026, 10, 25, 1, 40, tzinfo=UTC)),  # 02:40 CET
    (104, datetime(2026, 10, 25, 1, 30, tzinfo=UTC)),  # NTP step back: 02:30 CET
)


@dataclass
class SteppingClock:
    """The system clock of the test: whatever it was last set to."""

    now: datetime

    def __call__(self) -> datetime:
        return self.now


@dataclass(frozen=True)
class Built:
    settings: Settings
    links: tuple[str, ...]  # the pinned link (``stand=``) shared right after each import


def _csv(folder: Path, value: int) -> Path:
    path = folder / f"wert_{value}.csv"
    path.write_text(
        "indikator;bezirk;zeitraum;wert;anmerkung;quelle;datenart\n"
        f"{ID};Dortmund;{PERIOD};{value};;Test;demo\n",
        encoding="utf-8",
    )
    return path


def _value(settings: Settings, as_of: datetime | None) -> float:
    with Store(settings.db_path).connect_read() as con:
        frame = read.series(con, [ID], ["dortmund"], 2024, 2024, as_of=as_of)
    return float(frame.loc[frame["period"] == PERIOD, "value"].iloc[0])


def _link_after_import(settings: Settings) -> str:
    """What the share dialog pins: the moment of the version on screen, as URL text."""
    with Store(settings.db_path).connect_read() as con:
        return format_stand(read.data_stand(con))


def _import_with(ticking: SteppingClock, settings: Settings, folder: Path) -> list[str]:
    links = []
    with clock.injected(ticking):
        for value, moment in IMPORTS:
            ticking.now = moment
            run_import([_csv(folder, value)], settings, user="test")
            links.append(_link_after_import(settings))
    return links


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    folder = tmp_path_factory.mktemp("clock_step")
    settings = make_settings(folder / "kpi.duckdb")
    ticking = SteppingClock(INIT)
    with clock.injected(ticking):
        init_database(settings, demo=False)
    return Built(settings, tuple(_import_with(ticking, settings, folder)))


def _failed(settings: Settings) -> list[str]:
    with Store(settings.db_path).connect_read() as con:
        return [str(f) for f in run_checks(con) if not f.ok]


def test_check_passes_after_imports_in_the_repeated_hour_and_a_step_back(built: Built):
    assert _failed(built.settings) == []


def test_every_revision_ends_after_it_began(built: Built):
    with Store(built.settings.db_path).connect_read() as con:
        rows = con.execute(
            "SELECT valid_from, valid_to FROM observations "
            "WHERE indicator_id = ? AND area = 'dortmund' AND period = ? ORDER BY import_id",
            [ID, PERIOD],
        ).fetchall()
    assert len(rows) == len(IMPORTS)
    starts = [start for start, _ in rows]
    assert starts == sorted(starts) and len(set(starts)) == len(starts)
    # each revision is closed exactly when the next one opens
    assert [end for _, end in rows] == [*starts[1:], None]


def test_each_pinned_link_shows_the_value_of_its_import(built: Built):
    shown = [_value(built.settings, parse_stand(link)) for link in built.links]
    assert shown == [value for value, _ in IMPORTS]
    assert _value(built.settings, None) == IMPORTS[-1][0]


def test_as_of_an_instant_between_two_imports_gives_the_earlier_value(built: Built):
    half_past_two_cest = IMPORTS[0][1] + timedelta(minutes=20)  # 02:50 CEST
    quarter_past_two_cet = IMPORTS[1][1] + timedelta(minutes=5)  # 02:15 CET
    assert _value(built.settings, half_past_two_cest) == IMPORTS[0][0]
    assert _value(built.settings, quarter_past_two_cet) == IMPORTS[1][0]
    # the step back: import 4 is recorded after import 3, never before it
    assert _value(built.settings, IMPORTS[2][1]) == IMPORTS[2][0]


def test_backups_made_after_the_step_back_are_restored(built: Built, tmp_path: Path):
    copy = make_settings(tmp_path / "kpi.duckdb")
    shutil.copyfile(built.settings.db_path.resolve(), copy.db_path)
    ticking = SteppingClock(IMPORTS[-1][1] + timedelta(minutes=1))
    with clock.injected(ticking):
        ops_backup.backup(copy, tmp_path / "sicherung-1")
        ops_backup.restore(copy, tmp_path / "sicherung-1")
        run_import([_csv(tmp_path, 105)], copy, user="test")  # a later import, a later backup
        ops_backup.backup(copy, tmp_path / "sicherung-2")
        ops_backup.restore(copy, tmp_path / "sicherung-2")
    assert _failed(copy) == []
    assert _value(copy, None) == 105


def test_import_log_shows_berlin_local_time(built: Built):
    with Store(built.settings.db_path).connect_read() as con:
        shown = tables.import_log_table(read.import_log(con))
    newest_first = list(shown["Zeitpunkt"])
    assert newest_first[:4] == [
        "25.10.2026, 02:40 Uhr MEZ",  # import 4 is recorded after import 3 (the step back)
        "25.10.2026, 02:40 Uhr MEZ",
        "25.10.2026, 02:10 Uhr MEZ",
        "25.10.2026, 02:30 Uhr MESZ",  # the repeated hour says which pass it was
    ]
    assert set(newest_first[4:]) == {"25.10.2026, 01:50 Uhr"}  # init, before the change
