"""The import corpus (tests/fixtures/import) through the real ``dortmund-kpi import`` command.

* ``valid/NAME`` must import with exit code 0 and leave the database holding
  exactly its previous observations overlaid with ``NAME.expected.json``.
* ``invalid/NAME`` must be rejected with exit code 1, exactly the problem lines
  of ``NAME.expected`` on stderr (``{file}`` stands for the path given on the
  command line, ``{today}`` for today's date), no traceback, and an unchanged
  database. A sidecar without a data file of its own name (``dup_across``)
  names a group of files imported together (``dup_across_a.csv``,
  ``dup_across_b.csv``, placeholders ``{a}`` and ``{b}``).

Every import runs in its own copy of the session's fixture database. The
console command needs about a second to start, so the imports of all selected
tests are started together on a small process pool when the module begins and
each test then waits for its own result; everything else (reading the database,
the export comparison) happens in-process.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

from dortmund_kpi import texts
from dortmund_kpi.catalog import load_catalog
from dortmund_kpi.clock import now_local
from dortmund_kpi.db.read import export_rows
from dortmund_kpi.db.store import Store
from dortmund_kpi.districts import CITY, load_districts
from dortmund_kpi.formatting import counted
from dortmund_kpi.settings import Settings
from dortmund_kpi.share.template_files import to_csv
from tests.conftest import make_settings

CORPUS = Path(__file__).resolve().parents[1] / "fixtures" / "import"
VALID_DIR = CORPUS / "valid"
INVALID_DIR = CORPUS / "invalid"
DATA_SUFFIXES = (".csv", ".txt", ".xlsx")
SUMMARY = re.compile(
    r"neu: (\d+), geändert: (\d+), unverändert: (\d+), ohne Wert übersprungen: (\d+)"
)
Key = tuple[str, str, str]


def console_command() -> str:
    """The installed ``dortmund-kpi`` script next to this interpreter (no pyenv shim)."""
    beside = Path(sys.executable).with_name("dortmund-kpi")
    found = str(beside) if beside.exists() else shutil.which("dortmund-kpi")
    assert found, "console command dortmund-kpi not installed (pip install -e .)"
    return found


# -- the corpus ---------------------------------------------------------------
@dataclass(frozen=True)
class Case:
    name: str
    files: tuple[str, ...]  # relative to CORPUS, exactly as passed on the command line
    sidecar: Path
    placeholders: tuple[tuple[str, str], ...]


def valid_cases() -> list[Case]:
    cases = []
    for sidecar in sorted(VALID_DIR.glob("*.expected.json")):
        name = sidecar.name.removesuffix(".expected.json")
        cases.append(Case(name, (f"valid/{name}",), sidecar, ()))
    return cases


def invalid_cases() -> list[Case]:
    cases = []
    for sidecar in sorted(INVALID_DIR.glob("*.expected")):
        name = sidecar.name.removesuffix(".expected")
        if (INVALID_DIR / name).is_file():
            files = (f"invalid/{name}",)
            placeholders = (("file", files[0]),)
        else:  # a group imported together: NAME_a.csv, NAME_b.csv -> {a}, {b}
            group = sorted(p for p in INVALID_DIR.glob(f"{name}_*") if p.suffix in DATA_SUFFIXES)
            files = tuple(f"invalid/{p.name}" for p in group)
            placeholders = tuple(
                (p.stem.removeprefix(f"{name}_"), f) for p, f in zip(group, files, strict=True)
            )
        cases.append(Case(name, files, sidecar, placeholders))
    return cases


VALID = valid_cases()
INVALID = invalid_cases()


def expected_problems(case: Case) -> list[str]:
    values = dict(case.placeholders) | {"today": now_local().date().strftime("%d.%m.%Y")}
    lines = case.sidecar.read_text(encoding="utf-8").splitlines()
    return [line.format(**values) for line in lines if line.strip()]


def expected_observations(case: Case) -> tuple[dict[Key, float], dict[Key, bool], int]:
    doc = json.loads(case.sidecar.read_text(encoding="utf-8"))
    values: dict[Key, float] = {}
    official: dict[Key, bool] = {}
    for row in doc["observations"]:
        key = (row["indikator"], row["bezirk"], row["zeitraum"])
        assert key not in values, f"{case.sidecar.name}: key {key} listed twice"
        values[key] = float(row["wert"])
        if "datenart" in row:
            official[key] = row["datenart"] == "amtlich"
    return values, official, int(doc["skipped"])


# -- running the command ------------------------------------------------------
@dataclass(frozen=True)
class Job:
    files: tuple[str, ...]
    options: tuple[str, ...] = ()


@dataclass(frozen=True, repr=False)
class Run:
    returncode: int
    stdout: str
    stderr: str
    settings: Settings
    version_before: str

    def __repr__(self) -> str:
        return f"Run(exit {self.returncode}, {self.settings.db_path})"

    @property
    def problem_lines(self) -> list[str]:
        return self.stderr.splitlines()[:-1]

    @property
    def final_line(self) -> str:
        lines = self.stderr.splitlines()
        return lines[-1] if lines else ""

    def summary(self) -> tuple[int, int, int, int]:
        match = SUMMARY.search(self.stdout)
        assert match, f"no summary in output:\n{self.stdout}\n{self.stderr}"
        inserted, changed, unchanged, skipped = (int(g) for g in match.groups())
        return inserted, changed, unchanged, skipped


class ImportRunner:
    """Runs ``dortmund-kpi import`` on private database copies, several at a time."""

    def __init__(self, source: Settings, workdir: Path) -> None:
        self.source = source.db_path.resolve()
        self.workdir = workdir
        self.command = console_command()
        self.env = {k: v for k, v in os.environ.items() if k != "DORTMUND_KPI_DEBUG"}
        self.env |= {"PYTHONIOENCODING": "utf-8", "DORTMUND_KPI_USER": "pytest"}
        self.pool = ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 2))
        self.futures: dict[Job, Future[Run]] = {}

    def submit(self, job: Job) -> None:
        if job not in self.futures:
            self.futures[job] = self.pool.submit(self._run, len(self.futures), job)

    def result(self, job: Job) -> Run:
        self.submit(job)
        return self.futures[job].result()

    def _run(self, number: int, job: Job) -> Run:
        folder = self.workdir / f"run{number:03d}"
        folder.mkdir()
        db = folder / "kpi.duckdb"
        shutil.copyfile(self.source, db)
        before = Store(db).version()
        proc = subprocess.run(
            [self.command, "import", "--db", str(db), *job.options, *job.files],
            cwd=CORPUS,
            env=self.env,
            capture_output=True,
            text=True,
            encoding="utf-8",
            timeout=300,
        )
        return Run(proc.returncode, proc.stdout, proc.stderr, make_settings(db), before)

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)


def job_for(case: Case) -> Job:
    return Job(case.files)


@pytest.fixture(scope="module")
def runner(fixture_db: Settings, tmp_path_factory: pytest.TempPathFactory, request):
    """Starts the imports of every test of this module selected in this session at once."""
    pool = ImportRunner(fixture_db, tmp_path_factory.mktemp("corpus"))
    for item in request.session.items:
        params = getattr(getattr(item, "callspec", None), "params", {})
        if item.module is not request.module:
            continue
        if isinstance(params.get("case"), Case):
            pool.submit(job_for(params["case"]))
        if isinstance(params.get("job"), Job):
            pool.submit(params["job"])
    yield pool
    pool.close()


# -- reading the database -----------------------------------------------------
def current_observations(settings: Settings) -> dict[Key, tuple[float, bool]]:
    # Store.connect_read: the same configuration as every other reader in this process
    # (DuckDB refuses a second connection to one file with a different configuration).
    with Store(settings.db_path).connect_read() as con:
        rows = con.execute(
            "SELECT indicator_id, area, period, value, is_official FROM current_observations"
        ).fetchall()
    return {(i, a, p): (float(v), bool(o)) for i, a, p, v, o in rows}


def export_csv(settings: Settings) -> bytes:
    with Store(settings.db_path).connect_read() as con:
        return to_csv(export_rows(con))


@dataclass(frozen=True)
class Baseline:
    observations: dict[Key, tuple[float, bool]]
    export: bytes

    def __repr__(self) -> str:
        return f"Baseline({len(self.observations)} observations)"


@pytest.fixture(scope="module")
def baseline(fixture_db: Settings) -> Baseline:
    return Baseline(current_observations(fixture_db), export_csv(fixture_db))


def assert_unchanged(run: Run, base: Baseline) -> None:
    assert Store(run.settings.db_path).version() == run.version_before, "a version was published"
    versions = run.settings.db_path.parent / f"{run.settings.db_path.name}.versions"
    assert not versions.exists() or not any(versions.iterdir()), "a version file was written"
    assert export_csv(run.settings) == base.export


def assert_no_traceback(run: Run) -> None:
    assert "Traceback" not in run.stdout + run.stderr, run.stderr


# -- the corpus itself --------------------------------------------------------
def test_corpus_is_complete_and_consistent() -> None:
    """Every data file has a sidecar, and the valid sidecars name real ids and districts."""
    data_files = {
        f"{folder.name}/{p.name}"
        for folder in (VALID_DIR, INVALID_DIR)
        for p in folder.iterdir()
        if p.suffix in DATA_SUFFIXES
    }
    used = [f for case in VALID + INVALID for f in case.files]
    assert sorted(used) == sorted(data_files)
    assert len(VALID) >= 12
    assert len(INVALID) >= 24
    settings = make_settings(Path("unused.duckdb"))
    ids = set(load_catalog(settings.catalog_path).ids)
    areas = {d.slug for d in load_districts(settings.districts_path)} | {CITY}
    for case in VALID:
        values, _, skipped = expected_observations(case)
        assert values or skipped, case.name
        assert {i for i, _, _ in values} <= ids, case.name
        assert {a for _, a, _ in values} <= areas, case.name
    for case in INVALID:
        assert expected_problems(case), f"{case.sidecar.name} is empty"


# -- valid files --------------------------------------------------------------
@pytest.mark.parametrize("case", [pytest.param(c, id=c.name) for c in VALID])
def test_valid_file_is_imported_exactly(case: Case, runner: ImportRunner, baseline: Baseline):
    run = runner.result(job_for(case))
    assert_no_traceback(run)
    assert run.returncode == 0, run.stderr
    assert run.stderr == ""
    values, official, skipped = expected_observations(case)
    # every expected value is new to the fixture database, so an import that wrote
    # nothing (or the wrong thing) cannot pass
    already = {k: v for k, v in values.items() if baseline.observations.get(k, (None,))[0] == v}
    assert already == {}, "expected values already in the fixture database prove nothing"

    after = current_observations(run.settings)
    want = {key: value for key, (value, _) in baseline.observations.items()} | values
    got = {key: value for key, (value, _) in after.items()}
    diff = {
        k: (got.get(k), want.get(k)) for k in got.keys() | want.keys() if got.get(k) != want.get(k)
    }
    assert diff == {}, "(in database, expected)"
    assert {k: after[k][1] for k in official} == official

    inserted, changed, unchanged, skipped_reported = run.summary()
    new_keys = len(values.keys() - baseline.observations.keys())
    assert (inserted, changed + unchanged, skipped_reported) == (
        new_keys,
        len(values) - new_keys,
        skipped,
    )
    rows = f"{len(values) + skipped:,}".replace(",", ".")  # German thousands
    assert f"1 Datei, {rows} Zeilen" in run.stdout
    assert Store(run.settings.db_path).version() != run.version_before


# -- invalid files ------------------------------------------------------------
@pytest.mark.parametrize("case", [pytest.param(c, id=c.name) for c in INVALID])
def test_invalid_file_is_rejected(case: Case, runner: ImportRunner, baseline: Baseline):
    run = runner.result(job_for(case))
    assert_no_traceback(run)
    want = expected_problems(case)
    assert (run.problem_lines, run.final_line, run.returncode) == (
        want,
        f"Abgebrochen: {counted(len(want), *texts.PROBLEMS)}, nichts wurde geschrieben.",
        1,
    )
    assert run.stdout == ""
    assert_unchanged(run, baseline)


# -- all or nothing, dry run --------------------------------------------------
VALID_A, VALID_B = "valid/semikolon_tausenderpunkte.csv", "valid/gesamtstadt.csv"


@pytest.mark.parametrize(
    ("job", "invalid"),
    [
        pytest.param(
            Job((VALID_A, "invalid/unbekannter_bezirk.csv", VALID_B)),
            "unbekannter_bezirk.csv",
            id="bad-row",
        ),
        pytest.param(Job((VALID_A, VALID_B, "invalid/binaer.csv")), "binaer.csv", id="bad-file"),
    ],
)
def test_all_or_nothing(job: Job, invalid: str, runner: ImportRunner, baseline: Baseline):
    """Valid files imported together with an invalid one: nothing of them is written."""
    run = runner.result(job)
    assert_no_traceback(run)
    want = expected_problems(next(c for c in INVALID if c.name == invalid))
    assert (run.problem_lines, run.returncode) == (want, 1)
    assert_unchanged(run, baseline)
    after = current_observations(run.settings)
    for case in VALID:
        if case.files[0] in job.files:
            values, _, _ = expected_observations(case)
            written = {k: v for k, v in values.items() if after.get(k, (None,))[0] == v}
            assert written == {}, f"values of {case.name} were written"


@pytest.mark.parametrize("job", [Job(("valid/zeitraeume.csv",), ("--dry-run",))], ids=["dry-run"])
def test_dry_run(job: Job, runner: ImportRunner, baseline: Baseline) -> None:
    """--dry-run reports what the import would do (the same counts) and writes nothing."""
    run = runner.result(job)
    assert_no_traceback(run)
    assert (run.returncode, run.stderr) == (0, "")
    assert run.stdout.startswith("Prüfung ohne Schreiben (--dry-run): 1 Datei, 12 Zeilen\n")
    assert_unchanged(run, baseline)

    case = next(c for c in VALID if c.files == job.files)
    values, _, skipped = expected_observations(case)
    new_keys = len(values.keys() - baseline.observations.keys())
    inserted, changed, unchanged, skipped_reported = run.summary()
    assert (inserted, changed + unchanged, skipped_reported) == (
        new_keys,
        len(values) - new_keys,
        skipped,
    )
    assert 0 < new_keys < len(values)  # the file both adds and revises values
    # ... and lists them value by value (old → new), changed ones first, as an official
    # table's dry run does: the 12 values are all there, none left over
    listed = [line for line in run.stdout.splitlines() if " → " in line][1:]  # the header
    assert len(listed) == inserted + changed and "weitere" not in run.stdout
    assert all(line.count(" | ") == 3 for line in listed)
    assert [line.split(" | ")[3].startswith("– →") for line in listed] == sorted(
        line.split(" | ")[3].startswith("– →") for line in listed
    )
    real = runner.result(job_for(case))
    assert real.returncode == 0, real.stderr
    assert real.summary() == run.summary()
