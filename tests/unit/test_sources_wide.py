"""Wide tables, Opendatasoft exports and the Breitbandatlas (``ingest/sources``): the real
files in ``tests/fixtures/official`` and tables written here in the same shapes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dortmund_kpi.ingest.sources.model import Record, SourceError, Table
from dortmund_kpi.ingest.sources.read import (
    assign_period,
    parse_assigned,
    read_source,
    read_source_bytes,
)
from dortmund_kpi.settings import get_settings

OFFICIAL = Path(__file__).resolve().parents[1] / "fixtures" / "official"
BREITBAND = OFFICIAL / "breitbandatlas_gemeinde_bezirke_privat_2021_mitte_NRW_excerpt.csv"
GYMNASIEN = OFFICIAL / "dortmund_opendata_gymnasien_seit_1990.csv"
KOELN = OFFICIAL / "koeln_haushalt_bezirke_einzeldarstellung_source.csv"
ODS_ALTER = (
    OFFICIAL
    / "opendatasoft_shape_hauptwohnbevolkerung-stadtbezirke-altersstruktur-2024_one_record.csv"
)
ODS_SOZIAL = (
    OFFICIAL / "opendatasoft_shape_sozialindikatoren-in-den-stadtbezirken-2023_one_record.csv"
)
DATA_DIR = get_settings().data_dir


def read(text: str, name: str = "tabelle.csv") -> Table:
    return read_source_bytes(text.encode("utf-8"), name, DATA_DIR)


def one(table: Table, **where: object) -> Record:
    found = [r for r in table.records if all(getattr(r, k) == v for k, v in where.items())]
    assert len(found) == 1, found
    return found[0]


# -- the Breitbandatlas ---------------------------------------------------------------------
def test_breitbandatlas_dortmund_gigabit_is_66_65_percent():
    table = read_source(BREITBAND, DATA_DIR, 10**8)
    assert table.layout.startswith("Breitbandatlas")
    assert table.source == "Bundesnetzagentur, Breitbandatlas | Gigabit-Grundbuch"
    city = [r for r in table.records if r.bezirk == "dortmund"]
    assert len(city) == 53 and {r.schluessel for r in city} == {"05913000"}
    gigabit = next(
        r
        for r in city
        if r.merkmale == {"Technologie": "alle Technologien", "Bandbreite": "≥ 1000 Mbit/s"}
    )
    assert (gigabit.wert, gigabit.line, gigabit.zeitraum) == (66.65, 301, "")
    assert gigabit.spalte == "alle Technologien ≥ 1000 Mbit/s (Prozent)"
    ftth = one(table, bezirk="dortmund", spalte="FTTH/B ≥ 1000 Mbit/s (Prozent)")
    assert ftth.wert == 6.45
    # every other municipality is kept with its key, not taken for Dortmund
    assert len({r.schluessel for r in table.records}) == 405
    assert len(table.records) == 405 * 53
    # the file names no period: --zeitraum gives it
    dated = assign_period(table, parse_assigned("2021"))
    assert {r.zeitraum for r in dated.records} == {"2021"}


def test_a_breitbandatlas_table_written_in_the_same_shape():
    table = read(
        '"AGS","DSL ≥ 16 Mbit/s","FTTH/B ≥ 1000 Mbit/s"\n"5913000",98.5,12.25\n"05111000",99.00,-\n'
    )
    city = one(table, bezirk="dortmund", spalte="FTTH/B ≥ 1000 Mbit/s (Prozent)")
    assert (city.schluessel, city.wert) == ("05913000", 12.25)
    assert one(table, schluessel="05111000", spalte="FTTH/B ≥ 1000 Mbit/s (Prozent)").wert == 0


# -- wide tables -----------------------------------------------------------------------------
def test_gymnasien_school_years_as_periods_measures_as_columns_city_wide():
    table = read_source(GYMNASIEN, DATA_DIR, 10**8)
    assert "ohne Gebietsspalte" in table.layout
    assert table.columns[:2] == ["Anzahl Schulen", "Anzahl Klassen"]
    assert table.columns[-1] == "Lehrkräfte"
    assert table.periods[0] == "1990/91" and table.periods[-1] == "2018/19"
    assert all(r.bezirk == "dortmund" and r.gebiet == "Dortmund" for r in table.records)
    pupils = one(table, zeitraum="2005/06", spalte="Lerner insgesamt")
    assert (pupils.wert, pupils.zeitart, pupils.line) == (14407, "Schuljahr", 17)
    assert one(table, zeitraum="2018/19", spalte="Lehrkräfte").wert == 1149
    assert len(table.records) == 29 * 8


def test_cologne_budget_years_in_columns_and_cologne_districts_kept_as_other_regions():
    table = read_source(KOELN, DATA_DIR, 10**8)
    assert table.columns == ["Ergebnis", "Plan"]
    assert table.periods == [str(y) for y in range(2011, 2018)]
    assert not any(r.is_dortmund for r in table.records)  # Cologne's 1 Innenstadt is not ours
    innenstadt = {(r.gebiet, r.schluessel) for r in table.records if r.schluessel == "1"}
    assert innenstadt == {("Innenstadt", "1")}
    plan = one(
        table,
        schluessel="2",
        zeitraum="2012",
        merkmale={"Teilplanzeile": "02 - Zuwendungen und allg. Umlagen"},
    )
    assert (plan.gebiet, plan.wert, plan.spalte, plan.line) == ("Rodenkirchen", 5793791, "Plan", 31)
    negative = one(
        table,
        schluessel="1",
        zeitraum="2011",
        merkmale={"Teilplanzeile": "03 - sonstige Transfererträge"},
    )
    assert negative.wert == -35


def test_dortmund_districts_by_number_and_name_with_years_as_columns():
    table = read("Stadtbezirk;Nr;2021;2022;2023\nInnenstadt-West;1;10,5;11;-\nHörde;8;7,25;.;9\n")
    assert table.periods == ["2021", "2022", "2023"]
    assert one(table, bezirk="hoerde", zeitraum="2021").wert == 7.25
    assert one(table, bezirk="innenstadt-west", zeitraum="2023").wert == 0  # "-" is zero
    secret = one(table, bezirk="hoerde", zeitraum="2022")
    assert (secret.wert, secret.zeichen) == (None, ".")
    assert table.skipped == [(3, "Hörde, Wert: „.“ Zahlenwert unbekannt oder geheim zu halten")]


def test_percent_cells_of_a_csv_are_percent_values():
    table = read("Stadtbezirk;Quote 2023\nEving;82,3 %\nMengede;7,5%\n")
    eving = one(table, bezirk="eving")
    assert (eving.wert, eving.spalte, eving.zeitraum) == (82.3, "Quote (Prozent)", "2023")


def test_a_title_line_above_the_header_and_a_footer():
    table = read(
        "Einwohner nach Stadtbezirken\n\nStadtbezirk;Einwohner 31.12.2024\nBrackel;56.123\n"
        "© Stadt Dortmund, Amt für Wohnen\n"
    )
    brackel = one(table, bezirk="brackel")
    assert (brackel.wert, brackel.zeitraum, brackel.zeitart) == (56123, "2024-12-31", "Stichtag")
    assert table.title == "Einwohner nach Stadtbezirken"
    assert table.licence == "© Stadt Dortmund, Amt für Wohnen"


# -- Opendatasoft ----------------------------------------------------------------------------
def test_opendatasoft_csv_exports_of_the_city_portal():
    alter = read_source(ODS_ALTER, DATA_DIR, 10**8)
    assert alter.layout == "Opendatasoft-Export (CSV)"
    age = one(alter, spalte="durchschnittsalter")
    assert (age.gebiet, age.schluessel, age.bezirk, age.wert) == (
        "Innenstadt-Ost",
        "30",
        "innenstadt-ost",
        43.30281,
    )
    sozial = read_source(ODS_SOZIAL, DATA_DIR, 10**8)
    quote = one(sozial, spalte="sozialgeldquote")
    # stadtbezirk_nr 10 is Innenstadt-West (the city's 10 … 120), not Lütgendortmund
    assert (quote.bezirk, quote.wert, quote.merkmale) == (
        "innenstadt-west",
        27.0,
        {"kommune": "Dortmund"},
    )


def test_opendatasoft_csv_with_a_year_field():
    table = read(
        "jahr;stadtbezirk_nr;stadtbezirk;einwohner\n2023;100;Lütgendortmund;48123\n"
        "2024;100;Lütgendortmund;48200.5\n",
        "bevoelkerung.csv",
    )
    assert one(table, zeitraum="2024").wert == 48200.5
    assert {r.bezirk for r in table.records} == {"luetgendortmund"}
    assert table.source == "Open-Data-Portal (Opendatasoft), Datensatz bevoelkerung"


RECORDS = [
    {"stadtbezirk": "Eving", "stadtbezirk_nr": 40, "jahr": 2023, "quote": 12.5, "geo": {"x": 1}},
    {"stadtbezirk": "Huckarde", "stadtbezirk_nr": 110, "jahr": 2023, "quote": None},
]


@pytest.mark.parametrize(
    "content",
    [
        RECORDS,
        {"total_count": 2, "results": RECORDS},
        {"records": [{"fields": r} for r in RECORDS]},
    ],
)
def test_opendatasoft_json_exports(content):
    text = json.dumps(content, indent=2)
    table = read(text, "sozial.json")
    assert table.layout == "Opendatasoft-Export (JSON)"
    eving = one(table, bezirk="eving")
    assert (eving.wert, eving.zeitraum, eving.spalte) == (12.5, "2023", "quote")
    # the line each record starts on
    assert text.splitlines()[eving.line - 1].strip() in ("{", '"fields": {')
    assert [why for _, why in table.skipped] == ["Huckarde, quote: leere Zelle"]


@pytest.mark.parametrize(
    ("data", "says"),
    [
        (b'{"type": "FeatureCollection", "features": []}', "GeoJSON-Datei"),
        (b'{"name": "x"}', "JSON-Datei ohne Datensätze"),
        (b'[{"jahr": 2023}]', "JSON-Datei"),
        (b"[1, 2, 3]", "JSON-Datei: Eintrag ist kein Datensatz"),
        (b'[{"a": 1},\n {"a": ]', "keine lesbare JSON-Datei"),
        (b"Name;Beschreibung\nA;B\n", "keine Spalte mit Zahlenwerten"),
        (b"Stadtbezirk;2023\nEving;1;2;3\n", "4 Felder statt 2"),
        (b"1;2;3\n4;5;6\n", "keine Kopfzeile"),
    ],
)
def test_what_is_no_such_table_is_named(data, says):
    with pytest.raises(SourceError) as caught:
        read_source_bytes(data, "datei.json", DATA_DIR)
    assert says in str(caught.value)
    assert str(caught.value).startswith("datei.json:")


def test_a_big_json_export_is_named_as_json_not_read_as_a_csv():
    wide_json = json.dumps({f"feld_{i}": "x" for i in range(18138)})
    with pytest.raises(SourceError) as caught:
        read(wide_json, "export.json")
    assert "JSON-Datei" in str(caught.value) and "Spalten" not in str(caught.value)
