"""The ``dortmund-kpi`` console command, run as a real subprocess."""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from dortmund_kpi.catalog import load_catalog
from dortmund_kpi.db.read import export_rows
from dortmund_kpi.db.store import Store
from dortmund_kpi.ingest.demo import DEMO_SOURCE
from dortmund_kpi.ingest.numbers import parse_numbers
from dortmund_kpi.ingest.readers import RawTable, read_csv_bytes
from dortmund_kpi.ops.cli import build_parser
from dortmund_kpi.settings import get_settings
from dortmund_kpi.share.template_files import EXPORT_HEADER, to_csv

SUBCOMMANDS = ("init", "import", "template", "indicators", "export", "geometry", "serve")
OFFICIAL_CSV = get_settings().official_dir / "digitale_kennzahlen_dortmund.csv"
# the figures in template format, plus the published tables init maps (data/official/
# sources.yaml): the Breitbandatlas 2021 gives Dortmund's gigabit and FTTH/B availability,
# INKAR 2023 its Beschäftigtenquote
PUBLISHED_ROWS = 3
OFFICIAL_ROWS = (
    len(OFFICIAL_CSV.read_text(encoding="utf-8").strip().splitlines()) - 1 + PUBLISHED_ROWS
)


def console_command() -> str:
    """The installed ``dortmund-kpi`` script next to this interpreter (no pyenv shim)."""
    beside = Path(sys.executable).with_name("dortmund-kpi")
    found = str(beside) if beside.exists() else shutil.which("dortmund-kpi")
    assert found, "console command dortmund-kpi not installed (pip install -e .)"
    return found


COMMAND = console_command()
ENV = {k: v for k, v in os.environ.items() if k not in ("DORTMUND_KPI_DEBUG", "DORTMUND_KPI_DB")}
ENV |= {"PYTHONIOENCODING": "utf-8", "DORTMUND_KPI_USER": "pytest"}


@dataclass(frozen=True)
class Result:
    returncode: int
    output: bytes  # stdout as written (no newline translation)
    stderr: str

    @property
    def stdout(self) -> str:
        return self.output.decode("utf-8")


def cli(*args: str | Path, cwd: Path | None = None) -> Result:
    proc = subprocess.run(
        [COMMAND, *map(str, args)],
        cwd=cwd,
        env=ENV,
        capture_output=True,
        timeout=300,
    )
    result = Result(proc.returncode, proc.stdout, proc.stderr.decode("utf-8"))
    assert "Traceback" not in result.stdout + result.stderr, result.stderr
    return result


def export_bytes(db: Path) -> bytes:
    with Store(db).connect_read() as con:
        return to_csv(export_rows(con))


def query(db: Path, sql: str, params: list | None = None) -> list[tuple]:
    with Store(db).connect_read() as con:  # same configuration as every reader
        return con.execute(sql, params or []).fetchall()


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``dortmund-kpi init`` with the default demo data (read-only for the tests)."""
    db = tmp_path_factory.mktemp("cli") / "kpi.duckdb"
    result = cli("init", "--db", db)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == f"Datenbank angelegt: {db}"
    return db


@pytest.fixture(scope="module")
def catalog():
    return load_catalog(get_settings().catalog_path)


# -- help and usage -----------------------------------------------------------
@pytest.mark.parametrize("command", ["", *SUBCOMMANDS], ids=["main", *SUBCOMMANDS])
def test_help(command: str) -> None:
    result = cli(*([command] if command else []), "--help")
    assert result.returncode == 0
    assert result.stdout.startswith(f"Aufruf: dortmund-kpi {command}".rstrip())
    assert "-h, --help" in result.stdout and "diese Hilfe zeigen und beenden" in result.stdout
    assert "Optionen:" in result.stdout and "show this help" not in result.stdout
    assert result.stderr == ""


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((), "dortmund-kpi: Fehler: diese Angaben fehlen: BEFEHL"),
        (("frobnicate",), "Angabe BEFEHL: ungültige Wahl: 'frobnicate' (möglich: "),
        (("import",), "dortmund-kpi import: Fehler: diese Angaben fehlen: DATEI"),
        (("import", "--bogus", "x.csv"), "dortmund-kpi: Fehler: unbekannte Angaben: --bogus"),
        (("export", "--format", "pdf"), "Angabe --format: ungültige Wahl: 'pdf'"),
        (("serve", "--port", "achtzig"), "Angabe --port: keine ganze Zahl: 'achtzig'"),
        (("--db",), "Angabe --db: erwartet einen Wert"),
    ],
)
def test_usage_errors_exit_2(args: tuple[str, ...], message: str) -> None:
    result = cli(*args)
    assert result.returncode == 2
    assert message in result.stderr
    assert result.stderr.startswith("Aufruf: dortmund-kpi")  # the usage line, in German
    assert result.stdout == ""


def test_other_parsers_of_the_process_keep_argparse_english() -> None:
    """The German words are swapped in only while the command's own parser works."""
    parser = build_parser()
    with pytest.raises(SystemExit):
        parser.parse_args(["frobnicate"])
    assert argparse.ArgumentParser(prog="x").format_usage().startswith("usage: x")
    assert "show this help message" in argparse.ArgumentParser(prog="x").format_help()


def test_xlsx_export_without_output_is_a_usage_error(tmp_path: Path) -> None:
    """A usage error is found before the database is opened (so it is 2, whatever the db)."""
    result = cli("export", "--format", "xlsx", "--db", tmp_path / "none.duckdb")
    assert (result.returncode, result.stderr) == (2, "dortmund-kpi: XLSX braucht --output DATEI\n")


# -- init ---------------------------------------------------------------------
def test_init_refuses_to_replace_without_force(tmp_path: Path) -> None:
    db = tmp_path / "kpi.duckdb"
    first = cli("init", "--no-demo", "--db", db)
    assert first.returncode == 0, first.stderr
    assert f"{OFFICIAL_ROWS} veröffentlichte (reale) Werte, 0 Demowerte" in first.stdout
    version, export = Store(db).version(), export_bytes(db)
    files = sorted(p.name for p in tmp_path.rglob("*"))

    again = cli("init", "--db", db)
    assert again.returncode == 1
    assert again.stderr == (
        f"dortmund-kpi: Datenbank {db} existiert bereits. Zum Neuanlegen (die bisherigen "
        "Daten werden ersetzt): dortmund-kpi init --force\n"
    )
    assert Store(db).version() == version
    assert export_bytes(db) == export
    assert sorted(p.name for p in tmp_path.rglob("*")) == files

    forced = cli("init", "--force", "--db", db)
    assert forced.returncode == 0, forced.stderr
    assert Store(db).version() != version
    assert query(db, "SELECT count(*) FROM current_observations WHERE NOT is_official")[0][0] > 0


def test_database_has_districts_and_tells_official_from_demo(demo_db: Path) -> None:
    assert query(demo_db, "SELECT count(*) FROM districts")[0][0] == 12
    rows = query(
        demo_db,
        "SELECT is_official, count(*), count(DISTINCT source), "
        "count(*) FILTER (WHERE source = ?) "
        "FROM current_observations GROUP BY is_official ORDER BY is_official",
        [DEMO_SOURCE],
    )
    (demo_flag, demo, _, demo_sourced), (official_flag, official, sources, official_demo) = rows
    assert (demo_flag, official_flag) == (False, True)
    assert official == OFFICIAL_ROWS
    assert demo > 1000 and demo_sourced == demo  # every demo value says so in its source
    assert official_demo == 0 and sources > 5  # real figures cite their own sources
    levels = query(
        demo_db,
        "SELECT count(DISTINCT area) FROM current_observations WHERE area <> 'dortmund'",
    )
    assert levels[0][0] == 12

    kinds = [row["datenart"] for row in csv_rows(export_bytes(demo_db))]
    assert (kinds.count("amtlich"), kinds.count("demo")) == (official, demo)


# -- indicators ---------------------------------------------------------------
def test_indicators_list(catalog) -> None:
    result = cli("indicators")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    entries = [line.split()[0] for line in lines if line.startswith("  ")]
    headings = [line for line in lines if not line.startswith("  ")]
    assert len(entries) >= 24
    assert entries == catalog.ids
    assert headings == [plan.name for plan in catalog.masterplans]
    assert any("[%; Bezirke]" in line for line in lines)
    assert any("[Leistungen; Gesamtstadt]" in line for line in lines)


def test_indicators_json(catalog) -> None:
    result = cli("indicators", "--json")
    assert result.returncode == 0, result.stderr
    records = json.loads(result.stdout)
    assert isinstance(records, list) and len(records) >= 24
    for record in records:
        assert {"id", "masterplan", "name", "unit", "level"} <= record.keys()
        assert record["level"] in ("city", "district")
        assert record["name"] and record["unit"]
    assert [r["id"] for r in records] == catalog.ids
    for plan in ("verwaltung", "wirtschaft", "bildung"):
        assert sum(r["masterplan"] == plan for r in records) >= 8
    by_id = {r["id"]: r for r in records}
    assert by_id["anteil_online_antraege"]["unit"] == "%"
    assert by_id["ozg_leistungen"]["level"] == "city"
    for entry in catalog.indicators:  # the catalog's fields a script needs to pick views
        assert by_id[entry.id]["visibility"] == entry.visibility
        assert by_id[entry.id]["peers"] == entry.peers


# -- template -----------------------------------------------------------------
def test_template(tmp_path: Path) -> None:
    result = cli("template")
    assert result.returncode == 0
    assert result.stdout == "indikator;bezirk;zeitraum;wert;anmerkung;quelle\r\n"

    target = tmp_path / "vorlage.csv"
    written = cli("template", "--output", target)
    assert written.returncode == 0
    data = target.read_bytes()
    assert data == b"\xef\xbb\xbfindikator;bezirk;zeitraum;wert;anmerkung;quelle\r\n"
    # the template, filled in, is read as the import format
    table = read_csv_bytes(data + "online_antraege;Hörde;2023;7.100;;\r\n".encode(), "t.csv")
    assert isinstance(table, RawTable)
    assert table.frame()["bezirk"].tolist() == ["Hörde"]  # (the fast path fills no lists)


# -- export and the round trip ------------------------------------------------
def csv_rows(data: bytes) -> list[dict[str, str]]:
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))


def test_export_import_export_round_trip(demo_db: Path, tmp_path: Path) -> None:
    exported = tmp_path / "export.csv"
    first = cli("export", "--db", demo_db, "--output", exported)
    assert first.returncode == 0, first.stderr
    data = exported.read_bytes()
    assert data == export_bytes(demo_db)
    rows = csv_rows(data)
    assert list(rows[0].keys()) == EXPORT_HEADER

    fresh = tmp_path / "fresh.duckdb"
    created = cli("init", "--no-demo", "--db", fresh)
    assert created.returncode == 0, created.stderr
    imported = cli("import", "--db", fresh, exported)
    assert imported.returncode == 0, imported.stderr
    assert (
        f"neu: {len(rows) - OFFICIAL_ROWS}, geändert: 0, unverändert: {OFFICIAL_ROWS}, "
        "ohne Wert übersprungen: 0"
    ) in imported.stdout

    again = cli("export", "--db", fresh)
    assert again.returncode == 0, again.stderr
    assert again.output == data


def test_export_xlsx_has_the_rows_of_the_csv(demo_db: Path, tmp_path: Path) -> None:
    target = tmp_path / "export.xlsx"
    result = cli("export", "--db", demo_db, "--format", "xlsx", "--output", target)
    assert result.returncode == 0, result.stderr
    rows = csv_rows(export_bytes(demo_db))
    assert result.stderr == f"{len(rows)} Werte exportiert: {target}\n"

    book = load_workbook(target, read_only=True)
    assert len(book.worksheets) == 1
    cells = list(book.worksheets[0].iter_rows(values_only=True))
    book.close()
    assert list(cells[0]) == EXPORT_HEADER
    values = parse_numbers(pd.Series([r["wert"] for r in rows], dtype="str"), "de").tolist()
    expected = [
        (r["indikator"], r["bezirk"], r["zeitraum"], v, r["anmerkung"], r["quelle"], r["datenart"])
        for r, v in zip(rows, values, strict=True)
    ]
    got = [
        tuple(c if c is not None or i == 3 else "" for i, c in enumerate(row)) for row in cells[1:]
    ]
    assert got == expected
    assert all(isinstance(row[3], float | int) for row in cells[1:])


def test_import_of_a_missing_file(demo_db: Path, tmp_path: Path) -> None:
    version = Store(demo_db).version()
    result = cli("import", "--db", demo_db, "gibtsnicht.csv", cwd=tmp_path)
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert lines[0].startswith("gibtsnicht.csv:1: datei: ")
    assert lines[1:] == ["Abgebrochen: 1 Problem, nichts wurde geschrieben."]
    assert Store(demo_db).version() == version
