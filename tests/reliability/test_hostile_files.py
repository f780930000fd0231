"""Hostile input (tests/fixtures/hostile) through ``dortmund-kpi import``.

* ``invalid/NAME`` (and the large files generated at test time by
  ``make_hostile.py``) must be rejected: exit code 1, exactly the problem lines of
  ``NAME.expected`` (each ``FILE:LINE: column: message``), no traceback, no
  control characters, and the database unchanged (version and export bytes).
  The whole corpus runs in-process (``cli.main``, fast); a sample also runs
  through the installed console command.
* ``valid/NAME`` holds text that only looks dangerous (formula characters, SQL):
  it imports, is stored verbatim and is neutralised with an apostrophe on export.
* Property-based tests (hypothesis) feed malformed rows, random bytes and odd
  spreadsheets to ``dortmund_kpi.ingest.importer.run_import``: the outcome is either a
  clean ``ImportFailed`` with well-formed problems and an unchanged database, or a
  successful import whose values round-trip through export and re-import.
"""

from __future__ import annotations

import csv
import io
import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from dortmund_kpi.db.read import export_rows
from dortmund_kpi.db.store import Store
from dortmund_kpi.formatting import counted
from dortmund_kpi.ingest.importer import ImportResult, run_import
from dortmund_kpi.ingest.issues import ImportFailed, Issue
from dortmund_kpi.settings import Settings
from dortmund_kpi.share.template_files import to_xlsx
from dortmund_kpi.texts import PROBLEMS
from tests.fixtures.hostile import make_hostile
from tests.reliability.conftest import Result
from tests.reliability.helpers import (
    HOSTILE,
    copy_db,
    export_csv,
    report_line,
    run_console,
    version,
)

INVALID_DIR = HOSTILE / "invalid"
VALID_DIR = HOSTILE / "valid"
COLUMNS = ("datei", "kopfzeile", "zeile", "indikator", "bezirk", "zeitraum", "wert")
COLUMNS += ("anmerkung", "quelle", "datenart", "datenbank")
CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f\x9b]")  # everything but the line break
Run = Callable[..., Result]


# -- the corpus ---------------------------------------------------------------
def invalid_names() -> list[str]:
    return sorted(p.name.removesuffix(".expected") for p in INVALID_DIR.glob("*.expected"))


INVALID = invalid_names()


@pytest.fixture(scope="module")
def large_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return make_hostile.write_large(tmp_path_factory.mktemp("hostile_large"))


def _location(name: str, large: dict[str, Path]) -> tuple[Path, str]:
    """Working directory and the file argument as typed there (``{file}`` in sidecars)."""
    if name in make_hostile.LARGE:
        return large[name].parent, name
    return HOSTILE, f"invalid/{name}"


def _matches(lines: list[str], patterns: list[str], file: str) -> bool:
    """Sidecar lines: exact text, ``re:`` one line, ``re+:`` one or more lines."""
    remaining = list(lines)
    for pattern in patterns:
        if pattern.startswith(("re:", "re+:")):
            many = pattern.startswith("re+:")
            regex = re.compile(pattern.split(":", 1)[1].replace("{file}", re.escape(file)))
            taken = 0
            while remaining and regex.fullmatch(remaining[0]) and (many or taken == 0):
                remaining.pop(0)
                taken += 1
            if taken == 0:
                return False
        elif not remaining or remaining.pop(0) != pattern.replace("{file}", file):
            return False
    return not remaining


def test_corpus_is_complete():
    """Every file has a sidecar, the committed files are what make_hostile.py builds."""
    assert len(INVALID) >= 40
    assert set(INVALID) == set(make_hostile.INVALID) | set(make_hostile.LARGE)
    committed = {p for p in HOSTILE.rglob("*") if p.is_file() and p.suffix != ".expected"}
    assert committed - {HOSTILE / "make_hostile.py"} == set(make_hostile.committed())
    for path, build in make_hostile.committed().items():
        assert path.read_bytes() == build(), f"{path.name}: run make_hostile.py again"
        assert path.stat().st_size < 300_000, f"{path.name} is too big to commit"


def _assert_rejected(result: Result, name: str, file: str) -> None:
    assert "Traceback" not in result.out + result.err
    assert "unerwarteter Fehler" not in result.err, result.err
    assert CONTROL.search(result.err) is None, f"control characters in the output: {result.err!r}"
    lines = result.err.splitlines()
    assert result.code == 1 and result.out == "", result.out + result.err
    problems, final = lines[:-1], lines[-1]
    counts = counted(len(problems), *PROBLEMS)
    assert final == f"Abgebrochen: {counts}, nichts wurde geschrieben."
    form = re.compile(rf"{re.escape(file)}:[1-9]\d*: ({'|'.join(COLUMNS)}): \S.*")
    assert all(form.fullmatch(line) for line in problems), problems
    expected = (INVALID_DIR / f"{name}.expected").read_text(encoding="utf-8").splitlines()
    assert _matches(problems, [p for p in expected if p.strip()], file), (problems, expected)


@dataclass(frozen=True)
class Before:
    version: str
    export: bytes


def _snapshot(db: Settings) -> Before:
    return Before(version(db.db_path), export_csv(db.db_path))


def _assert_unchanged(db: Settings, before: Before) -> None:
    assert version(db.db_path) == before.version, "a version was published"
    assert not Store(db.db_path).versions_dir.exists(), "a version file was written"
    assert export_csv(db.db_path) == before.export


@pytest.mark.parametrize("name", INVALID)
def test_hostile_file_is_rejected(
    name: str,
    large_files: dict[str, Path],
    fixture_db: Settings,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    dk: Run,
):
    db = copy_db(fixture_db, tmp_path / "db")
    before = _snapshot(db)
    cwd, file = _location(name, large_files)
    monkeypatch.chdir(cwd)
    for key, value in make_hostile.ENV.get(name, {}).items():
        monkeypatch.setenv(key, value)
    result = dk("import", "--db", db.db_path, file)
    _assert_rejected(result, name, file)
    _assert_unchanged(db, before)


CONSOLE_SAMPLE = (
    "zufallsbytes.bin",
    "sql_alle_felder.csv",
    "xlsx_xml_bombe.xlsx",
    "xlsx_zip_bombe.xlsx",
    "zehntausend_spalten.csv",
    "zu_gross.csv",
)


@pytest.mark.slow
@pytest.mark.parametrize("name", CONSOLE_SAMPLE)
def test_hostile_file_through_the_console_command(
    name: str, large_files: dict[str, Path], fixture_db: Settings, tmp_path: Path
):
    db = copy_db(fixture_db, tmp_path / "db")
    before = _snapshot(db)
    cwd, file = _location(name, large_files)
    proc = run_console(
        "import", "--db", db.db_path, file, cwd=cwd, **make_hostile.ENV.get(name, {})
    )
    _assert_rejected(Result(proc.returncode, proc.stdout, proc.stderr), name, file)
    _assert_unchanged(db, before)


# -- valid files with hostile-looking text ------------------------------------
def _notes(db: Path, indicator: str, period: str) -> dict[str, tuple[float, str, str]]:
    with Store(db).connect_read() as con:
        rows = con.execute(
            "SELECT area, value, note, source FROM current_observations "
            "WHERE indicator_id = ? AND period = ?",
            [indicator, period],
        ).fetchall()
    return {area: (value, note, source) for area, value, note, source in rows}


def _exported_rows(db: Path) -> list[list[str]]:
    text = export_csv(db).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))


def _reimport_is_unchanged(db: Settings, folder: Path) -> None:
    """export -> import into the same database: nothing changes, the export is identical."""
    exported = export_csv(db.db_path)
    path = folder / "export.csv"
    path.write_bytes(exported)
    result = run_import([path], db, user="pytest")
    assert (result.inserted, result.changed) == (0, 0)
    assert export_csv(db.db_path) == exported


def test_formula_notes_are_kept_and_neutralised_on_export(
    fixture_db: Settings, tmp_path: Path, dk: Run
):
    db = copy_db(fixture_db, tmp_path / "db")
    result = dk("import", "--db", db.db_path, VALID_DIR / "formeln_in_anmerkung.csv")
    assert result.code == 0, result.err
    stored = _notes(db.db_path, "online_antraege", "2019")
    notes = {note for _, note, _ in stored.values()}
    sources = {source for _, _, source in stored.values()}
    assert set(make_hostile.FORMULA_NOTES) <= notes
    assert set(make_hostile.FORMULA_NOTES) <= sources

    rows = _exported_rows(db.db_path)
    cells = [c for r in rows if r[0] == "online_antraege" and r[2] == "2019" for c in r[4:6]]
    for text in make_hostile.FORMULA_NOTES:
        assert "'" + text in cells, text
        assert text not in cells, f"{text!r} exported without apostrophe"
    exported = dk("export", "--db", db.db_path)
    assert "'=HYPERLINK(" in exported.out and ";=" not in exported.out

    book = load_workbook(io.BytesIO(_xlsx_export(db.db_path)), read_only=False)
    values = [c for row in book.active.iter_rows() for c in row if isinstance(c.value, str)]
    assert not [c.coordinate for c in values if c.data_type == "f"], "formula cell in XLSX"
    assert "'=1+1" in {c.value for c in values}
    _reimport_is_unchanged(db, tmp_path)


def _xlsx_export(db: Path) -> bytes:
    with Store(db).connect_read() as con:
        return to_xlsx(export_rows(con))


def test_sql_in_notes_is_stored_verbatim(fixture_db: Settings, tmp_path: Path, dk: Run):
    db = copy_db(fixture_db, tmp_path / "db")
    tables = "SELECT count(*) FROM information_schema.tables"
    with Store(db.db_path).connect_read() as con:
        before = con.execute(tables).fetchall()
        log_before = con.execute("SELECT count(*) FROM import_log").fetchall()[0][0]
    result = dk("import", "--db", db.db_path, VALID_DIR / "sql_in_anmerkung.csv")
    assert result.code == 0, result.err
    stored = _notes(db.db_path, "online_antraege", "2019")
    assert stored["hoerde"] == (4321.0, make_hostile.SQL, make_hostile.SQL)
    assert stored["eving"][1:] == ("x'); DELETE FROM import_log; --", "1 OR 1=1")
    with Store(db.db_path).connect_read() as con:
        assert con.execute(tables).fetchall() == before
        assert con.execute("SELECT count(*) FROM import_log").fetchall()[0][0] == log_before + 1
    _reimport_is_unchanged(db, tmp_path)


def test_xlsx_formula_text_and_cached_formula_values(fixture_db: Settings, tmp_path: Path, dk):
    db = copy_db(fixture_db, tmp_path / "db")
    result = dk("import", "--db", db.db_path, VALID_DIR / "xlsx_formeltext_und_formel.xlsx")
    assert result.code == 0, result.err
    stored = _notes(db.db_path, "online_antraege", "2019")
    assert stored["hoerde"][:2] == (4001.0, '=HYPERLINK("x")')  # the cached value, as text
    assert stored["eving"][:2] == (3999.0, "@SUMME(A1:A2)")
    assert '\'=HYPERLINK(""x"")' in dk("export", "--db", db.db_path).out


# -- property-based -----------------------------------------------------------
HEADER = ["indikator", "bezirk", "zeitraum", "wert", "anmerkung", "quelle", "datenart"]
IDS = ("online_antraege", "anteil_online_antraege", "digitalisierungsbudget", "wlan_hotspots")
NAMES = ("Hörde", "Eving", "dortmund", "HOERDE", "Lütgendortmund", "", "gesamt")
PERIODS = ("2019", "2020-Q3", "Q2/2021", "2022-05", "31.12.2020", "2021")
KINDS = ("", "amtlich", "demo")
HOSTILE_TEXT = (
    "=1+1",
    "+49",
    "-",
    "@x",
    "'=A1",
    make_hostile.SQL,
    make_hostile.DDE,
    '"',
    ";",
    "\t",
    "\r\n",
    "\n",
    "\x00",
    "\x1b[31m",
    "\ufeff",
    "١٢",
    "1e400",
    "NaN",
    "inf",
    "1.234,5",
    "1,234.5",
    "12 %",
    "9" * 30,
    "Hö" * 40,
)
texts = st.one_of(
    st.sampled_from(HOSTILE_TEXT),
    st.text(max_size=20),
    st.text(alphabet="0123456789.,-+ e%€'\"=@;\t\n", max_size=12),
)
# two decimals at most: "12,345" could be read as 12345 in an English-convention file
values = st.floats(min_value=0, max_value=100, allow_nan=False).map(lambda v: round(v, 2))


@dataclass(frozen=True)
class Row:
    cells: tuple[str, ...]
    value: float | None  # the value the ``wert`` cell means, when generated from a number


# (indicator, area) pairs that are valid together: district indicators anywhere,
# a city-only indicator only for the whole city
VALID_PLACES = [(i, n) for i in IDS if i != "digitalisierungsbudget" for n in NAMES]
VALID_PLACES += [("digitalisierungsbudget", n) for n in ("Dortmund", "gesamt", "")]


@st.composite
def rows(draw, clean: bool) -> Row:
    """A template row; ``clean`` keeps the key cells valid (hostile text in notes only)."""
    value = None
    if clean or draw(st.booleans()):
        value = draw(values)
        wert = f"{value}".replace(".", ",")
    else:
        wert = draw(texts)
    if clean:
        indicator, area = draw(st.sampled_from(VALID_PLACES))
        period, kind = draw(st.sampled_from(PERIODS)), draw(st.sampled_from(KINDS))
    else:
        indicator = draw(st.one_of(st.sampled_from(IDS), texts))
        area = draw(st.one_of(st.sampled_from(NAMES), texts))
        period = draw(st.one_of(st.sampled_from(PERIODS), texts))
        kind = draw(st.one_of(st.sampled_from(KINDS), texts))
    notes = draw(st.one_of(st.just(""), texts)), draw(st.one_of(st.just(""), texts))
    return Row((indicator, area, period, wert, *notes, kind), value)


@st.composite
def files(draw) -> list[Row]:
    clean = draw(st.booleans())
    return draw(st.lists(rows(clean), min_size=1, max_size=6))


OUTCOMES = {"abgelehnt": 0, "importiert": 0}


@pytest.fixture(scope="module", autouse=True)
def report_outcomes(request: pytest.FixtureRequest):
    yield
    if sum(OUTCOMES.values()):
        summary = ", ".join(f"{k}: {v}" for k, v in OUTCOMES.items())
        report_line(request.config, f"\nhypothesis-Beispiele ({sum(OUTCOMES.values())}): {summary}")


# Bounded and without shrinking: a failure is reported as found (shrinking an import
# that takes a second can take minutes), nothing is stored in .hypothesis/examples.
PROPERTY = settings(
    max_examples=50,
    deadline=None,
    database=None,
    phases=(Phase.explicit, Phase.generate),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
_counter = itertools.count()


@pytest.fixture(scope="module")
def property_db(fixture_db: Settings, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """One database for all examples (failed imports leave it alone, others add versions)."""
    return copy_db(fixture_db, tmp_path_factory.mktemp("property_db"))


def _new_file(db: Settings, suffix: str) -> Path:
    folder = db.db_path.parent / "examples"
    folder.mkdir(exist_ok=True)
    return folder / f"beispiel_{next(_counter):04d}{suffix}"


def _import_outcome(db: Settings, path: Path, data: bytes) -> ImportResult | list[Issue]:
    """Import ``path``; a failure must be clean, well-formed and change nothing."""
    before = version(db.db_path)
    try:
        result = run_import([path], db, user="hypothesis")
        OUTCOMES["importiert"] += 1
        return result
    except ImportFailed as failed:
        OUTCOMES["abgelehnt"] += 1
        assert failed.issues, "ImportFailed without problems"
        lines = data.count(b"\n") + data.count(b"\r") + 2
        for issue in failed.issues:
            assert issue.file == str(path)
            assert 1 <= issue.line <= lines, issue
            assert issue.column in COLUMNS, issue
            text = str(issue)
            assert issue.message.strip() and "\n" not in text and "\r" not in text, repr(text)
            assert CONTROL.search(text) is None, repr(text)
        assert version(db.db_path) == before
        return failed.issues


def _stored(db: Settings) -> dict[tuple[str, str, str], tuple[float, str | None]]:
    with Store(db.db_path).connect_read() as con:
        rows_ = con.execute(
            "SELECT indicator_id, area, period, value, note FROM current_observations"
        ).fetchall()
    return {(i, a, p): (v, n) for i, a, p, v, n in rows_}


def _assert_round_trip(db: Settings, path: Path) -> None:
    exported = export_csv(db.db_path)
    again = path.with_name(path.stem + "_export.csv")
    again.write_bytes(exported)
    result = run_import([again], db, user="hypothesis")
    assert (result.inserted, result.changed) == (0, 0)
    assert export_csv(db.db_path) == exported


@PROPERTY
@given(files(), st.sampled_from([";", ",", "\t"]))
def test_malformed_rows_fail_cleanly_or_round_trip(property_db: Settings, rows_, delimiter):
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(HEADER)
    writer.writerows(r.cells for r in rows_)
    data = buffer.getvalue().encode("utf-8", errors="surrogatepass")
    path = _new_file(property_db, ".csv")
    path.write_bytes(data)
    outcome = _import_outcome(property_db, path, data)
    if isinstance(outcome, list):
        return
    stored = _stored(property_db)
    for row in rows_:
        if row.value is not None:
            key = _stored_key(property_db, row)
            assert stored[key][0] == row.value, (row, stored[key])
    _assert_round_trip(property_db, path)


def _stored_key(db: Settings, row: Row) -> tuple[str, str, str]:
    """Where a row that imported fine is stored (the importer's own mapping)."""
    from dortmund_kpi.ingest.importer import load_context
    from dortmund_kpi.periods import parse_period

    ctx = load_context(db)
    indicator = re.sub(r"[\s-]+", "_", row.cells[0].strip().lower())
    period = parse_period(row.cells[2])
    assert period is not None
    return (indicator, ctx.districts.match(row.cells[1]), period.label)


@settings(PROPERTY, max_examples=150)
@given(st.binary(max_size=2000), st.sampled_from([".csv", ".txt", ".xlsx"]), st.booleans())
def test_random_bytes_fail_cleanly(property_db: Settings, data: bytes, suffix: str, zipped):
    if zipped:  # looks like a ZIP (so like an XLSX) from the first bytes on
        data = b"PK\x03\x04" + data
    path = _new_file(property_db, suffix)
    path.write_bytes(data)
    outcome = _import_outcome(property_db, path, data)
    if not isinstance(outcome, list):
        _assert_round_trip(property_db, path)


cell_values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**12), max_value=10**12),
    st.floats(allow_nan=True, allow_infinity=True),
    st.datetimes(min_value=datetime(1900, 3, 1), max_value=datetime(2100, 1, 1)),
    st.sampled_from(IDS + NAMES + PERIODS + HOSTILE_TEXT[:8]),
    st.text(max_size=15),
)


@PROPERTY
@given(st.lists(st.lists(cell_values, min_size=1, max_size=7), min_size=1, max_size=5))
def test_odd_spreadsheets_fail_cleanly_or_round_trip(property_db: Settings, table):
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for cells in table:
        sheet.append([_cell(v) for v in cells])
    buffer = io.BytesIO()
    book.save(buffer)
    data = buffer.getvalue()
    path = _new_file(property_db, ".xlsx")
    path.write_bytes(data)
    outcome = _import_outcome(property_db, path, b"\n" * 10)
    if not isinstance(outcome, list):
        _assert_round_trip(property_db, path)


def _cell(value: object) -> object:
    """openpyxl refuses control characters in strings; a real Excel file cannot hold them."""
    if isinstance(value, str):
        return re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", "?", value)
    return value


def test_property_database_is_still_consistent(property_db: Settings, dk: Run):
    """After all the examples above, ``dortmund-kpi check`` finds nothing wrong."""
    result = dk("check", "--db", property_db.db_path)
    assert result.code == 0, result.out
    with duckdb.connect(str(property_db.db_path.resolve()), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM observations").fetchall()[0][0] > 0
