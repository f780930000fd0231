"""``dortmund-kpi import FILE --indikator ID [--spalte] [--filter]... [--zeitraum] [--merken]
[--dry-run] [--ersetzen]``: official tables as published become values of an indicator.

The real files of tests/fixtures/official and tables written here in the same shapes go
through the real command, into a database built with a catalog that has test indicators
(a data folder in tmp). After every refusal the database is unchanged: the same
published version and the same export.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from dortmund_kpi.db.mappings import StoredMapping, find_mappings, save_mapping
from dortmund_kpi.db.read import export_rows
from dortmund_kpi.db.store import Store
from dortmund_kpi.ingest.bootstrap import init_database
from dortmund_kpi.ingest.importer import rejected_log_path, run_import
from dortmund_kpi.ingest.official import Change, remembered_licence
from dortmund_kpi.ingest.source_lines import licence_notes, licence_of, with_licence
from dortmund_kpi.ingest.sources.model import Table
from dortmund_kpi.ops.cli import main
from dortmund_kpi.settings import ENV_DATA_DIR, Settings, get_settings
from dortmund_kpi.share.template_files import to_csv
from dortmund_kpi.views.importing import change_kind

ROOT = Path(__file__).resolve().parents[2]
OFFICIAL = ROOT / "tests" / "fixtures" / "official"
ITNRW = OFFICIAL / "itnrw_22811-01i_mindestsicherungsquote_2023.csv"
REGIONAL = OFFICIAL / "regionalstatistik_12411-01-01-4_ffcsv.csv"
ITNRW_SOURCE = "IT.NRW, Landesdatenbank NRW, Tabelle 22811-01i"

TEST_INDICATORS = """
  - id: test_quote
    masterplan: verwaltung
    name: Mindestsicherungsquote (Test)
    short_name: Mindestsicherung
    unit: "%"
    definition: Testindikator.
    source: IT.NRW
    direction: lower
    aggregation: none
    level: district
    per_capita: false
    frequency: yearly
    decimals: 1
    min: 0
    max: 100
  - id: test_einwohner
    masterplan: verwaltung
    name: Einwohner (Test)
    short_name: Einwohner
    unit: Einwohner
    definition: Testindikator.
    source: Regionalstatistik
    direction: higher
    aggregation: sum
    level: district
    per_capita: false
    frequency: yearly
    decimals: 0
    min: 0
    max: 10000000
  - id: test_stadt
    masterplan: verwaltung
    name: Einwohner der Stadt (Test)
    short_name: Einwohner Stadt
    unit: Einwohner
    definition: Testindikator.
    source: Regionalstatistik
    direction: higher
    aggregation: none
    level: city
    per_capita: false
    frequency: yearly
    decimals: 0
    min: 0
    max: 10000000
  - id: test_quartal
    masterplan: verwaltung
    name: Quote je Quartal (Test)
    short_name: Quartalsquote
    unit: "%"
    definition: Testindikator.
    source: Test
    direction: higher
    aggregation: none
    level: city
    per_capita: false
    frequency: quarterly
    decimals: 1
    min: 0
    max: 100
"""

# A GENESIS table CSV of Dortmund's districts, in the shape of IT.NRW's (written here).
DISTRICT_TABLE = """Tabelle: 12411-99d
Einwohner nach Stadtbezirken und Geschlecht;;;
Einwohner (Anzahl);;;
;;Stichtag;
;;{day};{day}
;;Geschlecht;
;;Insgesamt;weiblich
;Dortmund;{city};300.000
10;Innenstadt-West;-;(25.000)
20;Innenstadt-Nord;.;29.000p
80;Hörde;55.500;x
__________
© Stadt Dortmund, Dortmunder Statistik, 2025. Datenlizenz Deutschland - Namensnennung - 2.0
"""


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """A data folder with the test indicators and a database built from it (no demo)."""
    root = tmp_path_factory.mktemp("official")
    data = root / "data"
    shutil.copytree(get_settings().data_dir, data, ignore=shutil.ignore_patterns("*.duckdb*"))
    with (data / "catalog.yaml").open("a", encoding="utf-8") as handle:
        handle.write(TEST_INDICATORS)
    settings = Settings(data_dir=data, db_path=root / "kpi.duckdb")
    init_database(settings, demo=False)
    return settings


@pytest.fixture
def db(base: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """A private copy of the database; the command sees the test catalog."""
    target = tmp_path / "kpi.duckdb"
    shutil.copyfile(base.db_path.resolve(), target)
    monkeypatch.setenv(ENV_DATA_DIR, str(base.data_dir))
    return Settings(data_dir=base.data_dir, db_path=target)


def run(capsys, db: Settings, *args: str | Path) -> tuple[int, str, str]:
    code = main(["import", *map(str, args), "--db", str(db.db_path)])
    out, err = capsys.readouterr()
    return code, out, err


def state(db: Settings) -> tuple[str, str]:
    """The published version and a hash of the export: equal means unchanged."""
    store = Store(db.db_path)
    with store.connect_read() as con:
        exported = to_csv(export_rows(con))
        mapped = con.execute("SELECT * FROM import_mappings ORDER BY ALL").fetchall()
    return store.version(), hashlib.sha256(exported + repr(mapped).encode()).hexdigest()


def current(db: Settings, indicator: str) -> dict[tuple[str, str], tuple[float, str, bool]]:
    with Store(db.db_path).connect_read() as con:
        rows = con.execute(
            "SELECT area, period, value, source, is_official FROM current_observations "
            "WHERE indicator_id = ?",
            [indicator],
        ).fetchall()
    return {(a, p): (v, s, o) for a, p, v, s, o in rows}


def district_file(tmp_path: Path, day: str = "31.12.2024", city: str = "600.000") -> Path:
    target = tmp_path / "einwohner_stadtbezirke.csv"
    target.write_bytes(DISTRICT_TABLE.format(day=day, city=city).encode("latin-1"))
    return target


def template_file(tmp_path: Path, rows: str) -> Path:
    target = tmp_path / "werte.csv"
    target.write_text("indikator;bezirk;zeitraum;wert;quelle;datenart\n" + rows, "utf-8")
    return target


# -- the real files --------------------------------------------------------------------
def test_itnrw_table_becomes_an_official_value_of_the_indicator(capsys, db):
    code, out, err = run(capsys, db, ITNRW, "--indikator", "test_quote")
    assert (code, err) == (0, "")
    assert "Import abgeschlossen" in out and "neu: 1, geändert: 0" in out
    assert f"Import abgeschlossen: {ITNRW}, 1 Datensatz\n" in out  # the noun in number
    assert "test_quote | Dortmund | 2023 | – → 17,5 | – → " + ITNRW_SOURCE + " | neu" in out
    [(key, (value, source, official))] = current(db, "test_quote").items()
    assert key == ("dortmund", "2023") and value == 17.5 and official is True
    assert source.startswith(ITNRW_SOURCE + "; © IT.NRW")
    assert "Datenlizenz Deutschland" in source
    with Store(db.db_path).connect_read() as con:
        files, message = con.execute(
            "SELECT files, message FROM import_log ORDER BY import_id DESC LIMIT 1"
        ).fetchall()[0]
    assert files == ITNRW.name and "Indikator test_quote" in message


def test_flat_file_stichtag_is_the_year_with_and_without_zeitraum(capsys, db, base):
    code, out, err = run(capsys, db, REGIONAL, "--indikator", "test_einwohner", "--dry-run")
    assert code == 1 and "Geschlecht: weiblich, Insgesamt, männlich" in err
    assert "--filter Insgesamt" in err and ":595: filter:" in err
    before = state(db)
    code, out, err = run(
        capsys, db, REGIONAL, "--indikator", "test_einwohner", "--filter", "insgesamt"
    )
    assert (code, err) == (0, "")
    assert "Dortmund | 2024 | – → 603.462" in out
    assert current(db, "test_einwohner")[("dortmund", "2024")][0] == 603462
    assert state(db) != before
    # the same with --zeitraum 2024, in a fresh copy: the same value, the same period
    shutil.copyfile(base.db_path.resolve(), db.db_path.with_name("zwei.duckdb"))
    other = Settings(data_dir=db.data_dir, db_path=db.db_path.with_name("zwei.duckdb"))
    code, out, _ = run(
        capsys,
        other,
        REGIONAL,
        "--indikator",
        "test_einwohner",
        "--filter",
        "Insgesamt",
        "--zeitraum",
        "2024",
    )
    assert code == 0 and "Zeitraum 2024" in out
    assert current(other, "test_einwohner") == current(db, "test_einwohner")


def test_filters_forgive_case_and_umlauts_and_all_must_match(capsys, db):
    code, out, _ = run(
        capsys, db, REGIONAL, "--indikator", "test_einwohner", "--filter", "MAENNLICH", "--dry-run"
    )
    assert code == 0 and "– → 297.860" in out  # the men of Dortmund, 31.12.2024
    code, _, err = run(
        capsys,
        db,
        REGIONAL,
        "--indikator",
        "test_einwohner",
        "--filter",
        "männlich",
        "--filter",
        "Ausländer",
        "--dry-run",
    )
    assert code == 1 and "--filter 'Ausländer' trifft keinen Datensatz" in err


# -- refusals: the database stays as it was ----------------------------------------------
@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("--indikator", "test_quartal"), "passt nicht zur Häufigkeit des Indikators"),
        (("--indikator", "test_einwohner"), "Einheit passt nicht"),
        (("--indikator", "test_quote", "--spalte", "Bevölkerung"), "passt zu keiner Wertspalte"),
        (("--indikator", "test_quote", "--filter", "weiblich"), "trifft keinen Datensatz"),
        (("--indikator", "test_quote", "--zeitraum", "2022"), "keine Datensätze im Zeitraum"),
    ],
)
def test_refusals_name_the_line_and_change_nothing(capsys, db, args, says):
    before = state(db)
    code, out, err = run(capsys, db, ITNRW, *args)
    assert code == 1 and says in err and out == ""
    assert f"{ITNRW}:" in err and "nichts wurde geschrieben" in err
    assert state(db) == before
    [logged] = rejected_log_path(db).read_text("utf-8").splitlines()
    assert json.loads(logged)["dateien"] == [ITNRW.name]


def test_frequency_mismatch_hints_at_zeitraum(capsys, db, tmp_path):
    mid_year = district_file(tmp_path, day="30.06.2024")
    before = state(db)
    code, _, err = run(
        capsys, db, mid_year, "--indikator", "test_einwohner", "--filter", "Insgesamt"
    )
    assert code == 1
    assert "Zeitraum 2024-06-30 (Stichtag) passt nicht zur Häufigkeit" in err
    assert "mit --zeitraum 2024 zuordnen" in err and ".csv:8: zeitraum:" in err
    assert state(db) == before
    code, _, err = run(capsys, db, ITNRW, "--indikator", "test_quartal")
    assert code == 1 and "(vierteljährlich)" in err and "--zeitraum" in err
    code, out, _ = run(
        capsys,
        db,
        mid_year,
        "--indikator",
        "test_einwohner",
        "--filter",
        "Insgesamt",
        "--zeitraum",
        "2024",
    )
    assert code == 0 and "Dortmund | 2024 | – → 600.000" in out


def test_districts_signs_skipped_cells_and_notes(capsys, db, tmp_path):
    code, out, err = run(
        capsys,
        db,
        district_file(tmp_path),
        "--indikator",
        "test_einwohner",
        "--filter",
        "insgesamt",
    )
    assert (code, err) == (0, "")
    values = current(db, "test_einwohner")
    assert values[("dortmund", "2024")][0] == 600000
    assert values[("innenstadt-west", "2024")][0] == 0  # "-" is zero
    assert values[("hoerde", "2024")][0] == 55500
    assert ("innenstadt-nord", "2024") not in values  # "." has no value
    assert "ohne Wert übersprungen: 1" in out
    assert f"{tmp_path / 'einwohner_stadtbezirke.csv'}:10: Innenstadt-Nord" in out
    assert "Zahlenwert unbekannt oder geheim zu halten" in out
    source = values[("dortmund", "2024")][1]
    assert source.startswith("Stadt Dortmund") and "Datenlizenz Deutschland" in source


def test_the_weiblich_column_keeps_its_notes(capsys, db, tmp_path):
    code, out, _ = run(
        capsys,
        db,
        district_file(tmp_path),
        "--indikator",
        "test_einwohner",
        "--filter",
        "weiblich",
    )
    assert code == 0 and "ohne Wert übersprungen: 1" in out  # Hörde: x
    with Store(db.db_path).connect_read() as con:
        notes = dict(
            con.execute(
                "SELECT area, note FROM current_observations WHERE indicator_id = 'test_einwohner'"
            ).fetchall()
        )
    assert "statistisch unsicher" in notes["innenstadt-west"]
    assert notes["innenstadt-nord"] == "vorläufige Zahl"


def test_a_city_indicator_takes_only_the_city(capsys, db, tmp_path):
    code, out, _ = run(
        capsys, db, district_file(tmp_path), "--indikator", "test_stadt", "--filter", "Insgesamt"
    )
    assert code == 0 and "Datensätze der Stadtbezirke übergangen" in out
    assert "Import abgeschlossen: " in out and ", 1 Datensatz\n" in out
    assert list(current(db, "test_stadt")) == [("dortmund", "2024")]


# -- remembered mappings ---------------------------------------------------------------
def test_merken_then_the_next_table_imports_with_the_file_alone(capsys, db, tmp_path):
    first = district_file(tmp_path, day="30.06.2024")
    code, out, _ = run(
        capsys,
        db,
        first,
        "--indikator",
        "test_einwohner",
        "--filter",
        "Insgesamt",
        "--zeitraum",
        "2024",
        "--merken",
    )
    assert (
        code == 0 and f"Zuordnung gemerkt: nächstes Mal genügt „dortmund-kpi import {first}“" in out
    )
    with Store(db.db_path).connect_read() as con:
        [mapping] = find_mappings(con, "12411-99d", "")
    assert (mapping.indicator_id, mapping.filters, mapping.spalte) == (
        "test_einwohner",
        ("Insgesamt",),
        None,
    )
    assert mapping.zeitraum_rule == "containing"
    # next year's table: the same code, a new Stichtag, a new value
    later = tmp_path / "next"
    later.mkdir()
    code, out, err = run(capsys, db, district_file(later, day="30.06.2025", city="605.000"))
    assert (code, err) == (0, "")
    assert "Zuordnung (gemerkte Zuordnung): Indikator test_einwohner" in out
    assert current(db, "test_einwohner")[("dortmund", "2025")][0] == 605000
    assert current(db, "test_einwohner")[("dortmund", "2024")][0] == 600000


def test_merken_by_shape_for_a_file_without_code(capsys, db, tmp_path):
    text = DISTRICT_TABLE.replace("Tabelle: 12411-99d\n", "")
    first = tmp_path / "ohne_code.csv"
    first.write_bytes(text.format(day="31.12.2024", city="600.000").encode("latin-1"))
    code, out, _ = run(
        capsys, db, first, "--indikator", "test_einwohner", "--filter", "Insg", "--merken"
    )
    assert code == 0
    with Store(db.db_path).connect_read() as con:
        [mapping] = con.execute("SELECT table_code, shape FROM import_mappings").fetchall()
    assert mapping[0] is None and "einwohner (anzahl)" in mapping[1]
    later = tmp_path / "einwohner_2025.csv"
    later.write_bytes(text.format(day="31.12.2025", city="601.000").encode("latin-1"))
    code, out, _ = run(capsys, db, later)
    assert code == 0 and "gemerkte Zuordnung" in out
    assert current(db, "test_einwohner")[("dortmund", "2025")][0] == 601000


def test_a_table_without_remembered_mapping_says_what_to_do(capsys, db):
    before = state(db)
    code, out, err = run(capsys, db, ITNRW)
    assert code == 1 and out == ""
    assert "keine gemerkte Zuordnung" in err and "dortmund-kpi inspect" in err
    assert state(db) == before


def test_dry_run_with_merken_remembers_nothing(capsys, db):
    before = state(db)
    code, out, _ = run(capsys, db, ITNRW, "--indikator", "test_quote", "--merken", "--dry-run")
    assert code == 0 and "bei --dry-run nicht gespeichert" in out
    assert state(db) == before


# -- the conflict rule -----------------------------------------------------------------
def test_replacing_an_official_value_of_another_source_needs_ersetzen(capsys, db, tmp_path):
    seed = template_file(tmp_path, "test_quote;Dortmund;2023;18,1;Sozialamt Dortmund;amtlich\n")
    run_import([seed], db, user="test")
    before = state(db)
    code, out, err = run(capsys, db, ITNRW, "--indikator", "test_quote", "--dry-run")
    assert code == 1
    assert "| Dortmund | 2023 | 18,1 → 17,5 | Sozialamt Dortmund → " + ITNRW_SOURCE in out
    assert "| Konflikt" in out
    assert "Konflikt: test_quote Dortmund 2023 hat den amtlichen Wert 18,1" in err
    assert "--ersetzen" in err and f"{ITNRW}:352: quelle:" in err
    code, out, err = run(capsys, db, ITNRW, "--indikator", "test_quote")
    assert code == 1 and "--ersetzen" in err
    assert state(db) == before
    code, out, err = run(capsys, db, ITNRW, "--indikator", "test_quote", "--ersetzen")
    assert (code, err) == (0, "")
    assert current(db, "test_quote")[("dortmund", "2023")][0] == 17.5


def test_demo_values_and_the_same_source_are_no_conflict(capsys, db, tmp_path):
    seed = template_file(tmp_path, "test_quote;Dortmund;2023;18,1;Demo;demo\n")
    run_import([seed], db, user="test")
    code, out, _ = run(capsys, db, ITNRW, "--indikator", "test_quote")
    assert code == 0 and "18,1 → 17,5 | Demo → " + ITNRW_SOURCE + " | geändert" in out
    # the same table revised: an ordinary revision, history kept
    revised = tmp_path / ITNRW.name
    revised.write_bytes(
        ITNRW.read_bytes().replace(b"Dortmund, krfr. Stadt;17,5", b"Dortmund, krfr. Stadt;17,6")
    )
    code, out, err = run(capsys, db, revised, "--indikator", "test_quote")
    assert (code, err) == (0, "") and "17,5 → 17,6" in out and "| geändert" in out
    with Store(db.db_path).connect_read() as con:
        versions = con.execute(
            "SELECT count(*) FROM observations WHERE indicator_id = 'test_quote'"
        ).fetchall()[0][0]
    assert versions == 3
    code, out, _ = run(capsys, db, revised, "--indikator", "test_quote", "--dry-run")
    assert code == 0 and "17,6 → 17,6" in out and "| unverändert" in out
    assert "neu: 0, geändert: 0, unverändert: 1" in out


# -- the command line ------------------------------------------------------------------
@pytest.mark.parametrize("where", ["after", "before"])
def test_db_before_and_after_the_command(capsys, db, where):
    if where == "before":
        argv = ["--db", str(db.db_path), "import", str(ITNRW), "--indikator", "test_quote"]
    else:
        argv = ["import", str(ITNRW), "--indikator", "test_quote", "--db", str(db.db_path)]
    code = main(argv)
    _, err = capsys.readouterr()
    assert (code, err) == (0, "")
    assert ("dortmund", "2023") in current(db, "test_quote")


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("--indikator", "gibt_es_nicht"), "unbekannter Indikator"),
        (("--indikator", "test_quote", "--zeitraum", "irgendwann"), "ist kein Zeitraum"),
        (("--spalte", "Quote"), "nur zusammen mit --indikator"),
    ],
)
def test_usage_errors_exit_2(capsys, db, args, says):
    before = state(db)
    code, _, err = run(capsys, db, ITNRW, *args)
    assert code == 2 and says in err
    assert state(db) == before


def test_template_file_with_mapping_options_is_a_usage_error(capsys, db, tmp_path):
    seed = template_file(tmp_path, "test_quote;Dortmund;2023;18,1;Sozialamt;amtlich\n")
    code, _, err = run(capsys, db, seed, "--ersetzen")
    assert code == 2 and "nur für amtliche Tabellen" in err
    code, _, err = run(capsys, db, seed, "--indikator", "test_quote")
    assert code == 1 and "Format der Importvorlage" in err
    code, out, _ = run(capsys, db, seed)
    assert code == 0 and "Import abgeschlossen: 1 Datei, 1 Zeile" in out


# -- what a dry run says of a value that stays the same ---------------------------------------
def _change(**overrides) -> Change:
    base = dict(
        indicator_id="gigabit_haushalte",
        area="dortmund",
        period="2021",
        old_value=66.65,
        new_value=66.65,
        old_source="Bundesnetzagentur, Breitbandatlas; dl-de/by-2-0",
        new_source="Bundesnetzagentur, Breitbandatlas; dl-de/by-2-0",
        old_official=True,
        file="f.csv",
        line=2,
    )
    return Change(**(base | overrides))


def test_a_same_value_change_says_what_else_changes() -> None:
    assert change_kind(_change()) == "unverändert"
    assert change_kind(_change(new_value=70.1)) == "geändert"
    assert change_kind(_change(new_source="Bundesnetzagentur, Breitbandatlas")) == (
        "geändert (gleicher Wert; neue Quellenangabe)"
    )
    assert change_kind(_change(old_official=False, same_note=False)) == (
        "geändert (gleicher Wert; neuer Hinweis, amtlich statt Demodaten)"
    )


BREITBAND = OFFICIAL / "breitbandatlas_gemeinde_bezirke_privat_2021_mitte_NRW_excerpt.csv"
GIGABIT = ("--indikator", "gigabit_haushalte", "--spalte", "leitungsg. Technologien ≥ 1000")


def _gigabit_source(db: Settings) -> str:
    with Store(db.db_path).connect_read() as con:
        return con.execute(
            "SELECT source FROM current_observations WHERE indicator_id = 'gigabit_haushalte' "
            "AND area = 'dortmund' AND period = '2021'"
        ).fetchall()[0][0]


def test_a_licence_the_file_does_not_name_is_kept_with_lizenz(capsys, db):
    """init stored the Breitbandatlas value with the manifest's licence; the file names
    none. The report shows both source lines whole and says how to keep the licence;
    with --lizenz the value stays as it is."""
    stored = _gigabit_source(db)
    licence = licence_of(stored)
    assert licence and stored.startswith("Bundesnetzagentur, Breitbandatlas")
    code, out, err = run(capsys, db, BREITBAND, *GIGABIT, "--zeitraum", "2021", "--dry-run")
    assert (code, err) == (0, "")
    assert "Lizenz:           in der Datei nicht angegeben (--lizenz TEXT gibt sie an)" in out
    assert f"Die bisherige Quellenangabe nennt die Lizenz „{licence}“, die Datei keine" in out
    assert f"66,65 → 66,65 | {stored} → Bundesnetzagentur" in out
    assert "| geändert (gleicher Wert; neue Quellenangabe)" in out
    code, out, err = run(capsys, db, BREITBAND, *GIGABIT, "--zeitraum", "2021", "--lizenz", licence)
    assert (code, err) == (0, "")
    assert f"Lizenz:           {licence}" in out and "Die bisherige Quellenangabe" not in out
    assert "| unverändert" in out and "unverändert: 1" in out
    assert _gigabit_source(db) == stored


def test_merken_remembers_the_given_licence_for_the_next_edition(capsys, db):
    """The licence given with --lizenz is remembered with the mapping: the next edition
    (a file without periods: --zeitraum again) keeps it without --lizenz; one given wins."""
    stored = _gigabit_source(db)
    licence = licence_of(stored)
    args = (BREITBAND, *GIGABIT, "--zeitraum", "2021", "--lizenz", licence, "--merken")
    code, out, err = run(capsys, db, *args)
    assert (code, err) == (0, "")
    assert (
        f"Zuordnung gemerkt: nächstes Mal genügt „dortmund-kpi import {BREITBAND} --zeitraum P“"
        in out
    )
    with Store(db.db_path).connect_read() as con:
        assert con.execute("SELECT licence FROM import_mappings").fetchall() == [(licence,)]
    code, out, err = run(capsys, db, BREITBAND, "--zeitraum", "2021")
    assert (code, err) == (0, "")
    assert "gemerkte Zuordnung" in out and f"Lizenz:           {licence}" in out
    assert f"Lizenz aus der gemerkten Zuordnung: „{licence}“ (die Datei nennt keine)" in out
    assert "Die bisherige Quellenangabe" not in out and "unverändert: 1" in out
    assert _gigabit_source(db) == stored
    code, out, _ = run(capsys, db, BREITBAND, "--zeitraum", "2021", "--lizenz", "x", "--dry-run")
    assert "Lizenz:           x" in out and "Lizenz aus der gemerkten" not in out
    # the licence is the table's: a blank --lizenz, or a mapping typed out, keeps it too
    for again in (("--lizenz", " "), GIGABIT):
        code, out, _ = run(capsys, db, BREITBAND, "--zeitraum", "2021", *again, "--dry-run")
        assert code == 0 and "Lizenz aus der gemerkten Zuordnung" in out and "unverändert: 1" in out


def test_a_table_s_licence_is_one_for_all_its_remembered_indicators(db):
    """Two indicators of one table remembered with different licences: the later one is
    the table's, for both."""
    first = StoredMapping("12411-99d", "s", "a", None, (), None, "GENESIS", "IT.NRW", "alt")
    with Store(db.db_path).write() as con:
        save_mapping(con, first, datetime(2026, 1, 1, tzinfo=UTC), "cio")
        save_mapping(con, replace(first, indicator_id="b", licence="neu"), datetime.now(UTC), "cio")
    with Store(db.db_path).connect_read() as con:
        found = find_mappings(con, "12411-99d", "s")
    assert [(m.indicator_id, m.licence) for m in found] == [("a", "neu"), ("b", "neu")]
    assert remembered_licence(found) == "neu"


def test_a_file_s_own_licence_wins_over_a_remembered_one_without_a_note(capsys, db):
    """IT.NRW states its licence; one remembered for the table is not used, and since no
    --lizenz was typed, no note about it."""
    code, out, _ = run(capsys, db, ITNRW, "--indikator", "test_quote", "--merken")
    assert code == 0
    with Store(db.db_path).write() as con:
        con.execute("UPDATE import_mappings SET licence = 'x'")
    code, out, _ = run(capsys, db, ITNRW, "--dry-run")
    assert code == 0 and "gemerkte Zuordnung" in out and "Lizenz:           © IT.NRW" in out
    assert "Hinweis" not in out and "--lizenz" not in out


def test_lizenz_gives_way_to_the_file_s_own_and_needs_an_official_table(capsys, db, tmp_path):
    """IT.NRW names its licence in the file: that one is the value's, --lizenz is not used."""
    code, out, _ = run(capsys, db, ITNRW, "--indikator", "test_quote", "--lizenz", "x", "--dry-run")
    assert code == 0 and "Lizenz:           © IT.NRW" in out
    assert "Hinweis: Die Datei nennt ihre Lizenz selbst („© IT.NRW" in out
    assert "--lizenz nicht verwendet" in out and "; x" not in out
    seed = template_file(tmp_path, "test_quote;Dortmund;2023;18,1;Demo;demo\n")
    code, _, err = run(capsys, db, seed, "--lizenz", "x")
    assert code == 2 and "--lizenz gilt nur für amtliche Tabellen" in err


def test_licence_notes_name_each_dropped_licence_once() -> None:
    old = "Bundesnetzagentur, Breitbandatlas; dl-de/by-2-0"
    lines = [(old, "Bundesnetzagentur, Breitbandatlas")] * 2
    lines += [("Bundesnetzagentur, Breitbandatlas", "Bundesnetzagentur, Breitbandatlas")]
    lines += [("IT.NRW; dl-de/by-2-0", "Bundesnetzagentur, Breitbandatlas")]  # another origin
    assert licence_notes(lines) == [
        "Die bisherige Quellenangabe nennt die Lizenz „dl-de/by-2-0“, die Datei keine; als "
        "Lizenz angegeben (--lizenz dl-de/by-2-0) bleibt sie Teil der Quellenangabe"
    ]
    assert licence_notes([(old, old)]) == [] and licence_of("A; ") is None


def test_a_given_licence_is_one_line_and_only_where_the_file_names_none() -> None:
    table = Table(layout="t", source="IT.NRW", licence=None, records=[])
    found, notes = with_licence(table, "  Datenlizenz\nDeutschland  ")
    assert (found.licence, notes) == ("Datenlizenz Deutschland", [])
    assert with_licence(table, " \n ") == (table, [])
    own = replace(table, licence="dl-de/by-2-0")
    assert with_licence(own, "x")[0] == own
