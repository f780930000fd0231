"""The import's fast path (``dortmund_kpi.ingest.fast_path``) against the Python path.

The fast path may only say "all good": whatever the Python path rejects, it must
decline (so every message keeps its wording), and whatever it accepts must give the
same validated observations and the same database rows as the Python path.
Checked on every file of the import corpus, the hostile corpus, the fixture and on
generated files (both decimal conventions, BOM, CRLF, blank rows, missing values,
odd spellings, and one problem planted at a time).
"""

from __future__ import annotations

import random
import shutil
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from dortmund_kpi.db.store import Store
from dortmund_kpi.ingest import importer
from dortmund_kpi.ingest.fast_path import PY_WHITESPACE, validate_fast
from dortmund_kpi.ingest.importer import ImportResult, load_context, read_and_validate, run_import
from dortmund_kpi.ingest.issues import ImportFailed, Issue
from dortmund_kpi.ingest.observations import OBS_COLUMNS, Context, Validated
from dortmund_kpi.settings import Settings
from tests.conftest import KPI_FIXTURE, make_settings
from tests.fixtures.hostile import make_hostile

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
CORPUS = FIXTURES / "import"
HOSTILE = FIXTURES / "hostile"
DATA_SUFFIXES = (".csv", ".txt", ".xlsx", ".bin")


@pytest.fixture(scope="module")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return make_settings(tmp_path_factory.mktemp("fast") / "none.duckdb")


@pytest.fixture(scope="module")
def ctx(settings: Settings) -> Context:
    return load_context(settings)


# -- comparing both paths -------------------------------------------------------
def normal(frame: pd.DataFrame) -> pd.DataFrame:
    """Both paths' observations in one set of dtypes (values untouched)."""
    out = pd.DataFrame(index=pd.RangeIndex(len(frame)))
    for name in ("indicator_id", "area", "period", "period_type", "file"):
        out[name] = frame[name].astype("str").to_numpy()
    for name in ("period_start", "period_end"):
        out[name] = pd.to_datetime(frame[name]).astype("datetime64[ns]").to_numpy()
    out["value"] = frame["value"].astype("float64").to_numpy()
    for name in ("note", "source"):
        out[name] = [None if pd.isna(v) else str(v) for v in frame[name]]
    out["is_official"] = frame["is_official"].astype("bool").to_numpy()
    out["line"] = frame["line"].astype("int64").to_numpy()
    return out


def as_frame(observations: pd.DataFrame | pa.Table) -> pd.DataFrame:
    if isinstance(observations, pa.Table):
        return normal(observations.to_pandas())
    return normal(observations)


def python_path(
    paths: list[Path], settings: Settings, ctx: Context
) -> tuple[Validated, list] | list[Issue]:
    try:
        return read_and_validate(paths, settings, ctx)
    except ImportFailed as failed:
        return failed.issues


def assert_same_or_declined(paths: list[Path], settings: Settings, ctx: Context) -> bool:
    """The fast path declines what Python rejects and matches what it accepts.
    Returns whether the fast path accepted."""
    fast = validate_fast(paths, settings, ctx)
    slow = python_path(paths, settings, ctx)
    if isinstance(slow, list):
        assert fast is None, f"fast path accepted a file the Python path rejects: {slow[:3]}"
        return False
    if fast is None:
        return False
    validated, hashes = slow
    assert list(fast.observations.column_names) == OBS_COLUMNS
    expected, got = as_frame(validated.observations), as_frame(fast.observations)
    pd.testing.assert_frame_equal(got, expected, check_exact=True)  # no float tolerance
    # -0.0 and 0.0 compare equal: the sign must match too
    assert (np.signbit(got["value"]) == np.signbit(expected["value"])).all()
    assert fast.skipped_missing == validated.skipped_missing
    assert fast.hashes == hashes
    return True


def test_whitespace_is_pythons() -> None:
    assert "".join(c for c in map(chr, range(0x110000)) if c.isspace()) == PY_WHITESPACE


# -- the corpus -----------------------------------------------------------------
def _data_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.suffix in DATA_SUFFIXES)


VALID_FILES = [KPI_FIXTURE, *_data_files(CORPUS / "valid"), *_data_files(HOSTILE / "valid")]


@pytest.mark.parametrize("path", VALID_FILES, ids=lambda p: p.name)
def test_valid_files_take_the_fast_path_with_identical_results(
    path: Path, settings: Settings, ctx: Context
) -> None:
    taken = assert_same_or_declined([path], settings, ctx)
    plain = path.suffix in (".csv", ".txt") and b'"' not in path.read_bytes()
    assert taken == plain  # every plain valid file goes the fast way, no other


def _invalid_groups() -> list[list[Path]]:
    files = _data_files(CORPUS / "invalid") + _data_files(HOSTILE / "invalid")
    together = sorted((CORPUS / "invalid").glob("dup_across_*.csv"))  # valid one by one
    return [[p] for p in files if p not in together] + [together]


@pytest.mark.parametrize("paths", _invalid_groups(), ids=lambda ps: "+".join(p.name for p in ps))
def test_invalid_files_fall_back(paths: list[Path], settings: Settings, ctx: Context) -> None:
    limit = make_hostile.ENV.get(paths[0].name, {}).get("DORTMUND_KPI_MAX_IMPORT_MB")
    if limit:
        settings = Settings(settings.data_dir, settings.db_path, int(limit) * 2**20)
    assert isinstance(python_path(paths, settings, ctx), list), "corpus file is not invalid"
    assert validate_fast(paths, settings, ctx) is None


def test_large_hostile_files_fall_back(tmp_path: Path, settings: Settings, ctx: Context) -> None:
    for path in make_hostile.write_large(tmp_path).values():
        assert isinstance(python_path([path], settings, ctx), list), path.name
        assert validate_fast([path], settings, ctx) is None, path.name


def test_rejected_import_reports_the_python_paths_issues(db_copy: Settings, ctx: Context) -> None:
    path = CORPUS / "invalid" / "ueber_maximum.csv"
    expected = python_path([path], db_copy, ctx)
    with pytest.raises(ImportFailed) as failed:
        run_import([path], db_copy)
    assert failed.value.issues == expected


# -- generated files ------------------------------------------------------------
@dataclass(frozen=True)
class Shape:
    delimiter: str
    convention: str
    bom: bool
    crlf: bool


DISTRICT_SPELLINGS = ["Hörde", "Hoerde", "HOERDE", "Stadtbezirk Hörde", " Eving ", "Mengede"]
CITY_SPELLINGS = ["Dortmund", "", "gesamt", "Gesamtstadt"]
MISSING_TEXTS = ["-", "", "k.A.", "x", " - ", "n/a"]
NOTES = [  # no delimiter inside: the generator does not quote
    "",
    "vorläufig",
    "'=SUMME(A1)",
    "  Hinweis  ",
    "Schätzung (Amt 12)",
]


def _number(rng: random.Random, lo: float, hi: float, shape: Shape) -> str:
    value = rng.uniform(lo, hi)
    grouped = shape.delimiter != "," and rng.random() < 0.3
    text = f"{value:,.{rng.choice([0, 1, 2, 3])}f}" if grouped else f"{value:.2f}"
    if shape.convention == "de":
        text = text.replace(",", "_").replace(".", ",").replace("_", ".")
    if rng.random() < 0.05:
        text = f" {text} "
    return text


def _period(rng: random.Random, n: int) -> tuple[str, str]:
    """A period text and its key (distinct keys for distinct n)."""
    year = 1990 + (n // 12) % 36  # never in the future
    month = n % 12 + 1
    kind = rng.choice(["month", "day", "dotted"])
    if kind == "month":
        return f"{year}-{month:02d}", f"M{year}{month}"
    if kind == "day":
        return f"28.{month:02d}.{year}", f"D{year}{month}"
    return f"{month:02d}/{year}", f"M{year}{month}"


def generated_file(rng: random.Random, ctx: Context, shape: Shape, rows: int) -> bytes:
    indicators = [i for i in ctx.catalog.indicators if i.min is not None or i.max is not None]
    header = ["indikator", "bezirk", "zeitraum", "wert", "anmerkung", "quelle", "datenart"]
    lines = [shape.delimiter.join(header)]
    seen: set[tuple[str, str, str]] = set()
    for _ in range(rows):
        ind = rng.choice(indicators)
        lo = ind.min if ind.min is not None else 0.0
        hi = ind.max if ind.max is not None else lo + 5000.0
        district = ind.has_districts and rng.random() < 0.6
        area = rng.choice(DISTRICT_SPELLINGS if district else CITY_SPELLINGS)
        period, key = _period(rng, rng.randrange(rows * 3))
        slug = ctx.districts.match(area)
        if (ind.id, str(slug), key) in seen:
            continue
        seen.add((ind.id, str(slug), key))
        value = rng.choice(MISSING_TEXTS) if rng.random() < 0.05 else None
        value = value if value is not None else _number(rng, lo, hi, shape)
        ident = ind.id if rng.random() < 0.9 else ind.id.upper().replace("_", "-")
        cells = [ident, area, period, value, rng.choice(NOTES), "Amt", rng.choice(["", "amtlich"])]
        lines.append(shape.delimiter.join(cells))
        if rng.random() < 0.02:
            lines.append(shape.delimiter.join(["", " ", "", "", "", "", ""]))  # blank row
    text = ("\r\n" if shape.crlf else "\n").join(lines) + ("\r\n" if shape.crlf else "\n")
    return (b"\xef\xbb\xbf" if shape.bom else b"") + text.encode("utf-8")


PLANTED = {
    "keine Zahl": lambda c: c.__setitem__(3, "12,3,4.5"),
    "Unicode-Ziffern": lambda c: c.__setitem__(3, "١٢"),
    "lange Ganzzahl": lambda c: c.__setitem__(3, "12345678901234567890"),
    "lange Dezimalzahl": lambda c: c.__setitem__(3, "0,12345678901234567"),
    "zu groß": lambda c: c.__setitem__(3, "99999999"),
    "Zukunft": lambda c: c.__setitem__(2, "2999"),
    "kein Zeitraum": lambda c: c.__setitem__(2, "2023-13"),
    "unbekannter Bezirk": lambda c: c.__setitem__(1, "Atlantis"),
    "unbekannter Indikator": lambda c: c.__setitem__(0, "gibt_es_nicht"),
    "Datenart": lambda c: c.__setitem__(6, "geschätzt"),
    "langer Text": lambda c: c.__setitem__(4, "x" * 2001),
    "Anführungszeichen": lambda c: c.__setitem__(4, '"zitiert"'),
    "Prozent": lambda c: c.__setitem__(3, c[3] + " %"),
    "Leerzeichen": lambda c: c.__setitem__(3, "\u00a0" + c[3]),
}


def _plant(data: bytes, shape: Shape, rng: random.Random, problem: str) -> bytes:
    """The file with one row changed (or, for 'doppelt', one row repeated; for
    'Leerzeile', an empty line put before it)."""
    newline = b"\r\n" if shape.crlf else b"\n"
    lines = data.split(newline)
    row = rng.randrange(1, len(lines) - 1)
    if problem in ("doppelt", "Leerzeile"):  # a row repeated / an empty line (valid)
        lines.insert(row, lines[row] if problem == "doppelt" else b"")
        return newline.join(lines)
    cells = lines[row].decode("utf-8").split(shape.delimiter)
    if len(cells) == 7 and any(c.strip() for c in cells):
        encoding = "utf-8"
        if problem == "Windows-1252":  # one row so in a UTF-8 file: mixed encodings
            cells[4], encoding = "Straße", "cp1252"
        else:
            PLANTED[problem](cells)
        lines[row] = shape.delimiter.join(cells).encode(encoding)
    return newline.join(lines)


SHAPES = [
    Shape(d, c, bom, crlf)
    for d, c in ((";", "de"), ("\t", "de"), (",", "en"), (";", "en"))
    for bom in (False, True)
    for crlf in (False, True)
]


@pytest.mark.parametrize("shape", SHAPES, ids=repr)
def test_generated_files(shape: Shape, tmp_path: Path, settings: Settings, ctx: Context) -> None:
    rng = random.Random(repr(shape))
    taken = 0
    for n in range(4):
        path = tmp_path / f"gen{n}.csv"
        path.write_bytes(generated_file(rng, ctx, shape, rows=rng.choice([5, 60, 400])))
        taken += assert_same_or_declined([path], settings, ctx)
    assert taken >= 3  # the generated files are meant to pass: most go the fast way


@pytest.mark.parametrize("problem", [*PLANTED, "doppelt", "Leerzeile", "Windows-1252"])
def test_planted_problems(problem: str, tmp_path: Path, settings: Settings, ctx: Context) -> None:
    for shape in SHAPES[::3]:
        rng = random.Random(problem + repr(shape))
        data = generated_file(rng, ctx, shape, rows=80)
        path = tmp_path / "planted.csv"
        path.write_bytes(_plant(data, shape, rng, problem))
        taken = assert_same_or_declined([path], settings, ctx)
        if problem == "Leerzeile":
            assert not taken  # pyarrow would skip the line: the csv module reads the file


def test_long_decimals_are_parsed_like_pandas(
    tmp_path: Path, settings: Settings, ctx: Context
) -> None:
    """More than 15 digits: pandas parses them itself (with a sign, not correctly rounded)."""
    wide = next(
        i
        for i in ctx.catalog.indicators
        if (i.min is None or i.min <= 0) and (i.max is None or i.max >= 100)
    )
    texts = ["54,700000000000004", "+6,2129972200332245", "+97,34891712729993215", "7", "-0,0"]
    rows = [f"{wide.id};Dortmund;{2000 + i};{v}" for i, v in enumerate(texts)]
    path = tmp_path / "lang.csv"
    path.write_text("indikator;bezirk;zeitraum;wert\n" + "\n".join(rows) + "\n", encoding="utf-8")
    assert assert_same_or_declined([path], settings, ctx)


# -- the import as a whole ------------------------------------------------------
def _revised_fixture(tmp_path: Path) -> Path:
    """The fixture file again (CRLF), some rows left out and every fifth value replaced
    by an earlier value of the same indicator (so it stays within bounds)."""
    lines = KPI_FIXTURE.read_text(encoding="utf-8-sig").splitlines()
    out, last = [lines[0]], {}
    for n, line in enumerate(lines[1:]):
        cells = line.split(";")
        earlier = last.get(cells[0])
        last[cells[0]] = cells[3]
        if n % 7 == 3:
            continue
        if n % 5 == 0 and earlier is not None:
            cells[3] = earlier
        out.append(";".join(cells))
    path = tmp_path / "revidiert.csv"
    path.write_text("\r\n".join(out) + "\r\n", encoding="utf-8")
    return path


def _rows(settings: Settings) -> pd.DataFrame:
    with Store(settings.db_path).connect_read() as con:
        return con.execute(
            "SELECT * EXCLUDE (valid_from, valid_to), valid_to IS NULL AS current "
            "FROM observations ORDER BY ALL"
        ).df()


def _both_paths(
    path: Path, settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> tuple[ImportResult, ImportResult, Settings]:
    """Import ``path`` into ``settings`` (fast path) and into a copy of its database with
    the fast path switched off; returns both results and the copy's settings."""
    other_dir = tmp_path / "python"
    other_dir.mkdir()
    shutil.copyfile(settings.db_path.resolve(), other_dir / "kpi.duckdb")
    python_db = make_settings(other_dir / "kpi.duckdb")
    fast = run_import([path], settings, user="test")
    with monkeypatch.context() as patch:
        patch.setattr(importer, "validate_fast", lambda *args: None)
        slow = run_import([path], python_db, user="test")
    assert fast.fast_path and not slow.fast_path
    return fast, slow, python_db


def test_database_rows_are_identical(
    db_copy: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _revised_fixture(tmp_path)
    fast, slow, python_db = _both_paths(path, db_copy, tmp_path, monkeypatch)
    assert fast.changed > 0 and fast.unchanged > 0
    counts = ("rows_read", "skipped_missing", "inserted", "changed", "unchanged", "files")
    assert [getattr(fast, c) for c in counts] == [getattr(slow, c) for c in counts]
    pd.testing.assert_frame_equal(_rows(db_copy), _rows(python_db), check_exact=True)


def test_plain_file_uses_the_fast_path(
    db_copy: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A plain file never reaches the Python path; a quoted one does."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("Python path used")

    monkeypatch.setattr(importer, "read_and_validate", refuse)
    result = run_import([_revised_fixture(tmp_path)], db_copy, user="test")
    assert result.fast_path and result.inserted + result.changed > 0
    with pytest.raises(AssertionError, match="Python path used"):
        run_import([CORPUS / "valid" / "alles_quotiert.csv"], db_copy, user="test")


def test_texts_reach_duckdb_dictionary_encoded(
    settings: Settings, ctx: Context, tmp_path: Path
) -> None:
    """A million rows hold a few dozen distinct indicators, areas, periods, notes and
    sources: the checked observations keep each text once and an index per row (no
    million strings between the parser and DuckDB); an empty note is a null row."""
    rows = [
        f"{ind};{area};{2015 + n % 7};{n % 50},5;{'' if n % 3 else 'vorläufig'};Amt {n % 2}"
        for n, (ind, area) in enumerate(
            [("online_antraege", "Hörde"), ("online_antraege", "Dortmund")] * 7
        )
    ]
    path = tmp_path / "texte.csv"
    path.write_text(
        "indikator;bezirk;zeitraum;wert;anmerkung;quelle\n" + "\n".join(rows) + "\n",
        encoding="utf-8",
    )
    assert assert_same_or_declined([path], settings, ctx)  # the Python path's values
    fast = validate_fast([path], settings, ctx)
    assert fast is not None
    table = fast.observations
    distinct = {"indicator_id": 1, "area": 2, "period": 7, "period_type": 1}
    distinct |= {"note": 1, "source": 2, "file": 1}
    for name, count in distinct.items():
        column = table.column(name).combine_chunks()
        assert pa.types.is_dictionary(column.type), name
        assert len(column.dictionary) == count, name
    assert table.column("note").null_count == sum(1 for n in range(len(rows)) if n % 3)


def test_dry_run_counts_match(db_copy: Settings, tmp_path: Path) -> None:
    path = _revised_fixture(tmp_path)
    preview = run_import([path], db_copy, dry_run=True)
    done = run_import([path], db_copy)
    assert preview.fast_path and done.fast_path
    assert (preview.inserted, preview.changed, preview.unchanged) == (
        done.inserted,
        done.changed,
        done.unchanged,
    )


def test_first_import_rows_are_identical(
    empty_db: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No key stored yet: both paths insert the frame as it is (no revision step)."""
    fast, slow, python_db = _both_paths(KPI_FIXTURE, empty_db, tmp_path, monkeypatch)
    assert fast.inserted == slow.inserted > 3000 and fast.changed == fast.unchanged == 0
    pd.testing.assert_frame_equal(_rows(empty_db), _rows(python_db), check_exact=True)


def test_an_error_in_the_fast_path_falls_back(
    db_copy: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An unexpected error never fails an import the Python path accepts."""
    from dortmund_kpi.ingest import fast_path as fast_import

    def broken(*args: object) -> None:
        raise RuntimeError("kaputt")

    monkeypatch.setattr(fast_import, "_values", broken)
    result = run_import([_revised_fixture(tmp_path)], db_copy, user="test")
    assert not result.fast_path and result.changed > 0
