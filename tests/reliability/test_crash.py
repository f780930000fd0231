"""Crash safety: the importer killed with SIGKILL at many points of an import.

Two kinds of kill points:

* timed: ``dortmund-kpi import`` of a generated file of ``BIG_ROWS`` rows, killed
  at fractions of its measured reading time (from the start), of its writing time
  (from the moment the new version's ``.tmp`` file appears), and right after the
  symlink swap; anchoring to these moments keeps the kills spread over the import
  however loaded the machine is;
* deterministic: a driver script (written to a temporary folder) runs the import in
  forked children whose ``os.replace``, ``os.symlink``, ``shutil.copyfile``, DuckDB
  ``COMMIT``/``CHECKPOINT`` and a few store/loader steps are wrapped to SIGKILL the
  child right before or after them. The package itself is not changed.

After every kill the published version still opens, ``export`` equals the state
before the killed import (or the fully imported state when the kill came after
the publish), and the next import succeeds and leaves no temporary files.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pandas as pd
import pytest

from dortmund_kpi.db.read import export_rows
from dortmund_kpi.db.store import Store
from dortmund_kpi.ingest.importer import run_import
from dortmund_kpi.settings import Settings
from tests.conftest import build_fixture_db, make_settings
from tests.reliability.helpers import (
    ROOT,
    clean_env,
    console,
    export_csv,
    leftovers,
    report_line,
    version,
    versions_dir,
)

pytestmark = pytest.mark.slow

BIG_ROWS = 120_000
# Timed kill points, anchored to what the import is doing so that they stay spread
# over it under any machine load: a fraction of the reading/validating time (from
# the start), of the writing time (from the moment the new version's .tmp file
# appears), or right after the published symlink changed.
KILLS = (
    *(("lesen", f) for f in (0.1, 0.3, 0.5, 0.7, 0.9)),
    *(("schreiben", f) for f in (0.0, 0.2, 0.4, 0.6, 0.8, 0.95)),
    ("veröffentlicht", 0.0),
)
AREAS = (
    "Dortmund",
    "Innenstadt-West",
    "Innenstadt-Nord",
    "Innenstadt-Ost",
    "Eving",
    "Scharnhorst",
    "Brackel",
    "Aplerbeck",
    "Hörde",
    "Hombruch",
    "Lütgendortmund",
    "Huckarde",
    "Mengede",
)
# Deterministic kill points in the order an import reaches them; the ones from
# PUBLISHED_FROM on come after the atomic symlink swap.
HOOK_POINTS = (
    "after-lock",
    "after-copy",
    "after-apply",
    "after-commit",
    "after-checkpoint",
    "before-check",
    "before-replace-version",
    "after-replace-version",
    "before-symlink",
    "after-symlink",
    "before-replace-link",
    "after-replace-link",
    "before-prune",
)
PUBLISHED_FROM = HOOK_POINTS.index("after-replace-link")
PHASES_BASE_FILES = ("init", "fixture")  # the base store holds two versions

DRIVER = textwrap.dedent(
    '''
    """Import a file once per kill point, each time in a forked child that SIGKILLs itself there.

    Usage: driver.py FILE POINT=DB [POINT=DB ...]; prints "KILLPOINT POINT STATUS" per child
    (STATUS: "killed" or the exit code). Forking after the imports keeps each run short.
    """
    import os
    import shutil
    import signal
    import sys

    import duckdb

    from dortmund_kpi.ops import cli
    from dortmund_kpi.db import store, write

    POINT = None


    def die(point):
        if point == POINT:
            os.kill(os.getpid(), signal.SIGKILL)


    def around(name, call):
        def wrapped(*args, **kwargs):
            die("before-" + name)
            result = call(*args, **kwargs)
            die("after-" + name)
            return result
        return wrapped


    real_replace = os.replace


    def replace(src, dst, *args, **kwargs):
        kind = "version" if str(src).endswith(".tmp") else "link"
        return around("replace-" + kind, real_replace)(src, dst, *args, **kwargs)


    class Connection:
        """A DuckDB connection that can die around COMMIT and CHECKPOINT."""

        def __init__(self, con):
            self._con = con

        def execute(self, sql, *args, **kwargs):
            name = sql.strip().split()[0].lower() if sql.strip() else ""
            if name in ("commit", "checkpoint"):
                return around(name, self._con.execute)(sql, *args, **kwargs)
            return self._con.execute(sql, *args, **kwargs)

        def __getattr__(self, name):
            return getattr(self._con, name)

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return self._con.__exit__(*exc)


    class DuckDB:
        @staticmethod
        def connect(*args, **kwargs):
            return Connection(duckdb.connect(*args, **kwargs))


    store.duckdb = DuckDB
    os.replace = replace
    os.symlink = around("symlink", os.symlink)
    shutil.copyfile = around("copy", shutil.copyfile)
    store.Store._remove_leftovers = around("lock", store.Store._remove_leftovers)
    store.Store._check = around("check", store.Store._check)
    store.Store._prune = around("prune", store.Store._prune)
    write.apply_observations = around("apply", write.apply_observations)

    data = sys.argv[1]
    for job in sys.argv[2:]:
        point, db = job.split("=", 1)
        pid = os.fork()
        if pid == 0:
            POINT = point
            code = cli.main(["import", "--db", db, data])
            sys.stdout.flush()
            os._exit(code)
        _, status = os.waitpid(pid, 0)
        killed = os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL
        outcome = "killed" if killed else os.waitstatus_to_exitcode(status)
        print("KILLPOINT", point, outcome, flush=True)
    '''
)


@dataclass(frozen=True)
class Base:
    """A published store before the killed import, and what an import would make of it."""

    folder: Path
    version: str
    export: bytes


@dataclass(frozen=True)
class Imported:
    file: Path
    export: pd.DataFrame  # export rows after a complete import of ``file`` into the base
    reading: float  # seconds from the start until the new version's .tmp file appears
    writing: float  # seconds from then until the symlink names the new version


def _export_frame(db: Path) -> pd.DataFrame:
    """The rows ``export`` writes (compared as a frame: 200k rows of CSV text are slow)."""
    with Store(db).connect_read() as con:
        return export_rows(con)


def _big_file(path: Path) -> Path:
    lines = ["indikator;bezirk;zeitraum;wert"]
    start = date(2000, 1, 1)
    for n in range(BIG_ROWS):
        indicator = "wlan_hotspots" if n < BIG_ROWS // 2 else "online_termine"
        day = start + timedelta(days=(n % (BIG_ROWS // 2)) // len(AREAS))
        lines.append(f"{indicator};{AREAS[n % len(AREAS)]};{day:%d.%m.%Y};{n % 997 + 1}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _marker_file(path: Path, value: int) -> Path:
    path.write_text(
        f"indikator;bezirk;zeitraum;wert\ndigitalisierungsbudget;Dortmund;2023;{value}\n",
        encoding="utf-8",
    )
    return path


def _clone(base: Base, folder: Path) -> Settings:
    shutil.copytree(base.folder, folder, symlinks=True)
    return make_settings(folder / "kpi.duckdb")


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Base:
    folder = tmp_path_factory.mktemp("crash_base")
    settings = build_fixture_db(folder / "kpi.duckdb")
    assert settings.db_path.is_symlink()
    return Base(folder, version(settings.db_path), export_csv(settings.db_path))


def _import_command(db: Path, *files: Path) -> list[str]:
    return [console(), "import", "--db", str(db), *(str(f) for f in files)]


@pytest.fixture(scope="module")
def big(base: Base, tmp_path_factory: pytest.TempPathFactory) -> Imported:
    """The large file, imported once completely: how long its phases take, and the export."""
    folder = tmp_path_factory.mktemp("crash_big")
    file = _big_file(folder / "gross.csv")
    settings = _clone(base, folder / "db")
    proc = subprocess.Popen(
        _import_command(settings.db_path, file),
        env=clean_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    started = time.monotonic()
    _wait_for(proc, lambda: _writing(settings.db_path))
    reading = time.monotonic() - started
    _wait_for(proc, lambda: version(settings.db_path) != base.version)
    writing = time.monotonic() - started - reading
    out, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err
    assert f"{BIG_ROWS:,} Zeilen".replace(",", ".") in out  # 120.000, German
    return Imported(file, _export_frame(settings.db_path), reading, writing)


def _writing(db: Path) -> bool:
    return any(versions_dir(db).glob("*.tmp"))


def _wait_for(proc: subprocess.Popen, condition, timeout: float = 300) -> None:
    deadline = time.monotonic() + timeout
    while not condition() and proc.poll() is None:
        assert time.monotonic() < deadline, "import did not get there in time"
        time.sleep(0.002)


# -- after a kill -------------------------------------------------------------
def _assert_recovered(settings: Settings, base: Base, complete: pd.DataFrame, marker: int) -> str:
    """The checks after every kill; returns 'vorher' or 'nachher' (which state survived)."""
    db = settings.db_path
    published = version(db)
    with Store(db).connect_read() as con:  # the published version still opens
        assert con.execute("SELECT count(*) FROM observations").fetchall()[0][0] > 0
    if published == base.version:
        assert export_csv(db) == base.export, "a killed import changed the published data"
        state = "vorher"
    else:
        exported = _export_frame(db)
        assert exported.equals(complete), "a new version was published, but not complete"
        state = "nachher"
    # the next import succeeds and cleans up what the killed one left behind
    result = run_import([_marker_file(db.parent / f"marker{marker}.csv", marker)], settings)
    assert result.changed == 1
    assert leftovers(db) == [], "temporary files of the killed import were not removed"
    with Store(db).connect_read() as con:
        value = con.execute(
            "SELECT value FROM current_observations WHERE indicator_id = "
            "'digitalisierungsbudget' AND area = 'dortmund' AND period = '2023'"
        ).fetchall()
    assert value == [(float(marker),)]
    return state


def _kill_at(proc: subprocess.Popen, db: Path, anchor: str, fraction: float, big: Imported) -> str:
    """SIGKILL ``proc`` at a kill point; return the phase it was in just before."""
    before = version(db)
    start = time.monotonic()
    if anchor == "lesen":
        delay = fraction * big.reading
    elif anchor == "schreiben":
        _wait_for(proc, lambda: _writing(db))
        start, delay = time.monotonic(), fraction * big.writing
    else:
        _wait_for(proc, lambda: version(db) != before)
        delay = 0.0
    while time.monotonic() - start < delay and proc.poll() is None:
        time.sleep(0.002)
    phase = _phase(proc, db, before)
    if proc.poll() is None:
        proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=60)
    return phase


def _phase(proc: subprocess.Popen, db: Path, before: str) -> str:
    """Where the import was when it was killed (sampled just before the signal)."""
    if proc.poll() is not None:
        return "beendet"
    if version(db) != before:
        return "veröffentlicht"
    names = [p.name for p in versions_dir(db).iterdir()] if versions_dir(db).exists() else []
    if any(".tmp" in name for name in names):
        return "schreiben"
    if len(names) > len(PHASES_BASE_FILES):
        return "veröffentlichen"
    return "lesen/prüfen"


# -- timed kills of the real command ------------------------------------------
@pytest.mark.parametrize(
    ("anchor", "fraction"), [pytest.param(*k, id=f"{k[0]}-{k[1]}") for k in KILLS]
)
def test_sigkill_during_a_large_import(
    anchor: str, fraction: float, base: Base, big: Imported, tmp_path: Path
):
    settings = _clone(base, tmp_path / "db")
    proc = subprocess.Popen(
        _import_command(settings.db_path, big.file),
        env=clean_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        phase = _kill_at(proc, settings.db_path, anchor, fraction, big)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    state = _assert_recovered(settings, base, big.export, marker=7)
    PHASES.append((f"{anchor}-{fraction}", phase, state))
    if phase == "veröffentlicht":
        assert state == "nachher"
    if anchor == "veröffentlicht":
        assert state == "nachher"


PHASES: list[tuple[str, str, str]] = []  # (kill point, phase, surviving state)


@pytest.fixture(scope="module", autouse=True)
def report_phases(request: pytest.FixtureRequest):
    """After the module: where the timed kills hit the import (shown in the test log)."""
    yield
    if PHASES:
        counts: dict[str, int] = {}
        for _, phase, state in PHASES:
            counts[f"{phase}->{state}"] = counts.get(f"{phase}->{state}", 0) + 1
        summary = ", ".join(f"{k}: {v}" for k, v in sorted(counts.items()))
        report_line(request.config, f"\nSIGKILL im Import ({len(PHASES)} Zeitpunkte): {summary}")


# -- deterministic kill points around the publish -----------------------------
def _run_driver(folder: Path, data: Path, jobs: dict[str, Path]) -> dict[str, str]:
    driver = folder / "driver.py"
    driver.write_text(DRIVER, encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, str(driver), str(data), *(f"{p}={db}" for p, db in jobs.items())],
        cwd=ROOT,
        env=clean_env(),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    found = [line.split()[1:] for line in proc.stdout.splitlines() if line.startswith("KILLPOINT ")]
    return {point: outcome for point, outcome in found}


@pytest.fixture(scope="module")
def hooked_runs(base: Base, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Run the import once per kill point; point -> its database."""
    folder = tmp_path_factory.mktemp("crash_hooks")
    jobs = {point: _clone(base, folder / point).db_path for point in HOOK_POINTS}
    outcome = _run_driver(folder, _marker_file(folder / "import.csv", 424), jobs)
    assert outcome == dict.fromkeys(HOOK_POINTS, "killed")
    return jobs


@pytest.fixture(scope="module")
def small_import_export(base: Base, tmp_path_factory: pytest.TempPathFactory) -> pd.DataFrame:
    folder = tmp_path_factory.mktemp("crash_small")
    settings = _clone(base, folder / "db")
    run_import([_marker_file(folder / "import.csv", 424)], settings)
    return _export_frame(settings.db_path)


@pytest.mark.parametrize("point", HOOK_POINTS)
def test_sigkill_at_a_defined_point(
    point: str, hooked_runs: dict[str, Path], base: Base, small_import_export: pd.DataFrame
):
    settings = make_settings(hooked_runs[point])
    state = _assert_recovered(settings, base, small_import_export, marker=8)
    expected = "nachher" if HOOK_POINTS.index(point) >= PUBLISHED_FROM else "vorher"
    assert state == expected


def test_the_driver_kills_nothing_without_a_point(base: Base, tmp_path: Path):
    """Control: the wrapped import works when no kill point matches."""
    settings = _clone(base, tmp_path / "db")
    data = _marker_file(tmp_path / "import.csv", 99)
    assert _run_driver(tmp_path, data, {"none": settings.db_path}) == {"none": "0"}
    assert version(settings.db_path) != base.version
    assert leftovers(settings.db_path) == []
    assert os.path.islink(settings.db_path)
