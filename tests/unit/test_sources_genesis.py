"""The readers of official statistics tables (``dortmund_kpi.ingest.sources``), on the real
published files in ``tests/fixtures/official`` and on tables written here in the same shapes."""

from __future__ import annotations

from pathlib import Path

import pytest

from dortmund_kpi.ingest.sources.model import Record, SourceError, Table
from dortmund_kpi.ingest.sources.read import (
    assign_period,
    parse_assigned,
    read_source,
    read_source_bytes,
)
from dortmund_kpi.ingest.sources.signs import MISSING
from dortmund_kpi.settings import get_settings

OFFICIAL = Path(__file__).resolve().parents[1] / "fixtures" / "official"
ITNRW = OFFICIAL / "itnrw_22811-01i_mindestsicherungsquote_2023.csv"
REGIONAL = OFFICIAL / "regionalstatistik_12411-01-01-4_ffcsv.csv"
DATA_DIR = get_settings().data_dir


def read(text: str, name: str = "tabelle.csv", encoding: str = "latin-1") -> Table:
    return read_source_bytes(text.encode(encoding), name, DATA_DIR)


def dortmund(table: Table) -> list[Record]:
    return [r for r in table.records if r.bezirk == "dortmund"]


# -- the real files ---------------------------------------------------------------------
def test_itnrw_table_gives_dortmund_17_5():
    table = read_source(ITNRW, DATA_DIR, 10**8)
    assert table.layout == "GENESIS-Tabelle 22811-01i (IT.NRW)"
    assert table.source == "IT.NRW, Landesdatenbank NRW, Tabelle 22811-01i"
    assert "Datenlizenz Deutschland" in table.licence and "© IT.NRW" in table.licence
    [city] = dortmund(table)
    assert (city.gebiet, city.schluessel, city.zeitraum, city.wert) == (
        "Dortmund",
        "05913",
        "2023",
        17.5,
    )
    assert (city.zeitart, city.line, city.merkmale) == ("Jahr", 352, {})
    assert city.spalte == "Mindestsicherungsquote (Prozent)"
    # every region is kept, with its key; the signs are counted with line and reason
    assert len(table.records) == 434
    assert {r.schluessel for r in table.records} >= {"05", "051", "05111", "05978040"}
    assert [(line, why.split(": ")[-1]) for line, why in table.skipped] == [
        (30, "„.“ Zahlenwert unbekannt oder geheim zu halten"),
        (32, "„.“ Zahlenwert unbekannt oder geheim zu halten"),
        (441, "„x“ Tabellenfach gesperrt, weil Aussage nicht sinnvoll"),
    ]
    kranenburg = next(r for r in table.records if r.schluessel == "05154040")
    assert (kranenburg.gebiet, kranenburg.wert, kranenburg.zeichen) == ("Kranenburg", None, ".")


def test_regionalstatistik_flat_file_gives_dortmund_population():
    table = read_source(REGIONAL, DATA_DIR, 10**8)
    assert table.layout == "GENESIS-Flatfile 12411-01-01-4 (Regionalstatistik)"
    assert table.source.endswith("Regionaldatenbank Deutschland, Tabelle 12411-01-01-4")
    assert table.licence is None  # the flat file states none
    by_sex = {r.merkmale["Geschlecht"]: r for r in dortmund(table)}
    assert set(by_sex) == {"Insgesamt", "männlich", "weiblich"}
    total = by_sex["Insgesamt"]
    assert (total.schluessel, total.zeitraum, total.zeitart, total.wert) == (
        "05913",
        "2024-12-31",
        "Stichtag",
        603462.0,
    )
    assert total.spalte == "Bevölkerungsstand (Anzahl)"
    assert by_sex["männlich"].wert + by_sex["weiblich"].wert == total.wert
    # '-' is zero, not missing: the dissolved districts of 2024 are there with 0
    zeros = [r for r in table.records if r.zeichen == "-"]
    assert len(zeros) == 222 and {r.wert for r in zeros} == {0.0}
    assert table.skipped == []
    assert len({r.schluessel for r in table.records}) == 489


def test_a_stichtag_is_kept_as_a_day_and_zeitraum_assigns_the_year():
    table = read_source(REGIONAL, DATA_DIR, 10**8)
    assert table.periods == ["2024-12-31"]
    year = assign_period(table, parse_assigned("2024"))
    assert {(r.zeitraum, r.zeitart) for r in year.records} == {("2024", "Jahr")}
    assert len(year.records) == len(table.records)
    assert assign_period(table, parse_assigned("2023")).records == []


# -- GENESIS table CSVs written in the same shapes ----------------------------------------
ROWS_AND_COLUMNS = """GENESIS-Tabelle: 13111-01i
Sozialversicherungspflichtig Beschäftigte am Arbeitsort:;;;;;
Kreisfreie Städte und Kreise, Stichtag, Geschlecht, Wirtschaftsabschnitte;;;;;
Sozialversicherungspflichtig Beschäftigte (Anzahl);;;;;
;;;Stichtag;;
;;;30.06.2023;30.06.2023;30.06.2024
;;;Geschlecht;;
;;;Insgesamt;weiblich;Insgesamt
05913;Dortmund, krfr. Stadt;Insgesamt;245.123;112.000p;250.001
;;WZ08-J Information und Kommunikation;12.345;(4.321);-
5913000;  Dortmund, Stadt;WZ08-A Land- und Forstwirtschaft;.;x;/
05111;    Düsseldorf, krfr. Stadt;Insgesamt;...;1.234,5r;0
__________
"Fußnote: Beschäftigte; ohne Beamte
über zwei Zeilen"
© Statistisches Landesamt Beispiel, 2025. Dieses Werk ist lizenziert unter dl-de/by-2-0
Stand: 01.02.2025 / 10:11:12
"""


def test_dimensions_in_rows_and_columns_become_records():
    table = read(ROWS_AND_COLUMNS)
    assert table.layout == "GENESIS-Tabelle 13111-01i (Statistisches Landesamt Beispiel)"
    assert table.licence.startswith("© Statistisches Landesamt Beispiel, 2025.")
    assert table.periods == ["2023-06-30", "2024-06-30"]
    assert table.columns == ["Sozialversicherungspflichtig Beschäftigte (Anzahl)"]
    assert table.dimensions() == {
        "Zeilenmerkmal 1": [
            "Insgesamt",
            "WZ08-J Information und Kommunikation",
            "WZ08-A Land- und Forstwirtschaft",
        ],
        "Geschlecht": ["Insgesamt", "weiblich"],
    }
    got = {
        (r.line, r.zeitraum, r.merkmale["Geschlecht"]): (r.schluessel, r.wert, r.zeichen)
        for r in table.records
    }
    assert len(got) == 12 == len(table.records)
    assert got[(9, "2023-06-30", "weiblich")] == ("05913", 112000.0, "p")
    # an empty label under a filled one repeats the one above (the region of line 9)
    assert got[(10, "2023-06-30", "weiblich")] == ("05913", 4321.0, "()")
    assert got[(10, "2024-06-30", "Insgesamt")] == ("05913", 0.0, "-")
    assert got[(11, "2023-06-30", "Insgesamt")] == ("05913000", None, ".")
    assert got[(11, "2023-06-30", "weiblich")] == ("05913000", None, "x")
    assert got[(11, "2024-06-30", "Insgesamt")] == ("05913000", None, "/")
    assert got[(12, "2023-06-30", "Insgesamt")] == ("05111", None, "...")
    assert got[(12, "2023-06-30", "weiblich")] == ("05111", 1234.5, "r")
    assert got[(12, "2024-06-30", "Insgesamt")] == ("05111", 0.0, None)
    assert {r.gebiet for r in table.records if r.schluessel == "05111"} == {
        "Düsseldorf, krfr. Stadt"
    }
    assert [line for line, _ in table.skipped] == [11, 11, 11, 12]


def test_the_footer_and_footnotes_are_not_data():
    table = read(ROWS_AND_COLUMNS)
    assert max(r.line for r in table.records) == 12
    assert "Fußnote" not in str(table.dimensions())


@pytest.mark.parametrize("encoding", ["latin-1", "cp1252", "utf-8", "utf-8-sig"])
def test_table_csv_encodings(encoding):
    table = read(ROWS_AND_COLUMNS.replace("Stadt;", "Stadt;"), encoding=encoding)
    assert "Düsseldorf, krfr. Stadt" in {r.gebiet for r in table.records}


def test_several_value_variables_with_a_units_row_and_years_as_rows():
    text = """GENESIS-Tabelle: 12711-0001
Wanderungen: Deutschland, Jahre;;;
Wanderungsstatistik;;;
Deutschland;;;
;Zuzüge;Fortzüge;Wanderungssaldo
;Anzahl;Anzahl;Anzahl
2021;1.323.466;994.303;329.163
2022;2.665.772;1.203.683;-
__________
© Statistisches Bundesamt (Destatis), 2024 | Stand: 15.05.2024 / 11:22:33
"""
    table = read(text)
    assert table.layout == "GENESIS-Tabelle 12711-0001 (Destatis)"
    assert table.columns == ["Zuzüge (Anzahl)", "Fortzüge (Anzahl)", "Wanderungssaldo (Anzahl)"]
    assert table.periods == ["2021", "2022"]
    assert table.dimensions() == {}
    values = {(r.zeitraum, r.spalte): r.wert for r in table.records}
    assert values[("2022", "Zuzüge (Anzahl)")] == 2665772.0
    assert values[("2022", "Wanderungssaldo (Anzahl)")] == 0.0


REGIONAL_TABLE = """12411-01-01-4: Bevölkerung nach Geschlecht - Stichtag 31.12. - Kreise
Fortschreibung des Bevölkerungsstandes
Bevölkerungsstand (Anzahl)
;;Stichtag;;
;;31.12.2023;;
;;Geschlecht;;
;;Insgesamt;männlich;weiblich
DG;Deutschland;84669326;41620000;43049326
{key};{name};601.000;297.000;304.000
__________
© Statistische Ämter des Bundes und der Länder, Deutschland, 2025.
"""


@pytest.mark.parametrize(
    ("key", "name"),
    [
        ("05913", "Dortmund, krfr. Stadt"),
        ("05913000", "Dortmund, kreisfreie Stadt"),
        ("5913", "Dortmund, Stadt"),
        ("5913000", "Dortmund"),
        ("059130000000", "Stadt Dortmund"),
        ("05913", "Kreisfreie Stadt Dortmund (neu)"),  # the key decides
    ],
)
def test_dortmund_by_every_form_of_its_key(key, name):
    table = read(REGIONAL_TABLE.format(key=key, name=name), name="12411-01-01-4.csv")
    assert table.layout == "GENESIS-Tabelle 12411-01-01-4 (Regionalstatistik)"
    records = dortmund(table)
    assert [(r.merkmale, r.wert) for r in records] == [
        ({"Geschlecht": "Insgesamt"}, 601000.0),
        ({"Geschlecht": "männlich"}, 297000.0),
        ({"Geschlecht": "weiblich"}, 304000.0),
    ]
    assert {r.gebiet for r in records} == {"Dortmund"}
    assert {r.schluessel for r in records} == {key.zfill(len(key) + (len(key) in (4, 7)))}
    assert {r.zeitraum for r in records} == {"2023-12-31"}


def test_a_dortmund_name_beside_another_key_is_that_region():
    table = read(REGIONAL_TABLE.format(key="05111", name="Dortmund"))
    assert dortmund(table) == []
    assert {r.schluessel for r in table.records} == {"DG", "05111"}


DISTRICTS = """Tabelle: 12411-99d
Einwohner nach Stadtbezirken;;
Einwohner (Anzahl);;
;;Jahr
;;2023
{rows}
© Stadt Dortmund, Dortmunder Statistik
"""
LONG = [("10", "Innenstadt-West"), ("20", "Innenstadt-Nord"), ("80", "Hörde"), ("120", "Mengede")]
SHORT = [("1", "Innenstadt-West"), ("2", "Innenstadt-Nord"), ("8", "Hörde"), ("12", "Mengede")]
SLUGS = ["innenstadt-west", "innenstadt-nord", "hoerde", "mengede"]


@pytest.mark.parametrize("numbers", [LONG, SHORT], ids=["10-120", "1-12"])
def test_districts_by_number_and_name(numbers):
    rows = "\n".join(f"{n};{name};{i},5" for i, (n, name) in enumerate(numbers, 1))
    table = read(DISTRICTS.format(rows=rows))
    assert [r.bezirk for r in table.records] == SLUGS
    assert [r.wert for r in table.records] == [1.5, 2.5, 3.5, 4.5]


def test_districts_by_number_alone_and_by_slug():
    rows = "\n".join(f"{n};;{i}" for i, (n, _) in enumerate(LONG, 1))
    assert [r.bezirk for r in read(DISTRICTS.format(rows=rows)).records] == SLUGS
    rows = "\n".join(f"{slug};{i}" for i, slug in enumerate(SLUGS, 1))
    text = DISTRICTS.replace(";;Jahr\n;;2023", ";Jahr\n;2023").format(rows=rows)
    table = read(text)
    assert [(r.bezirk, r.gebiet) for r in table.records][:3] == [
        ("innenstadt-west", "Innenstadt-West"),
        ("innenstadt-nord", "Innenstadt-Nord"),
        ("hoerde", "Hörde"),
    ]


def test_a_number_that_contradicts_the_name_is_no_district():
    # 10 is Innenstadt-West in the city's numbering of this column, not Lütgendortmund
    rows = "10;Lütgendortmund;1\n20;Innenstadt-Nord;2"
    records = read(DISTRICTS.format(rows=rows)).records
    assert [r.bezirk for r in records] == [None, "innenstadt-nord"]


def test_a_place_named_like_a_district_elsewhere_is_not_one():
    text = REGIONAL_TABLE.format(key="03353", name="Brackel")
    assert {r.bezirk for r in read(text).records} == {None}


def test_periods_in_columns_school_years_quarters_months():
    text = """Tabelle: 21111-01i
Schüler (Anzahl);;;;;;
;;Schuljahr;;Quartal;Monat;Halbjahr
;;2018/19;2019/2020;1. Quartal 2020;Januar 2014;2. Halbjahr 2023
05913;Dortmund, krfr. Stadt;1;2;3;4;5
© IT.NRW, Düsseldorf, 2025
"""
    table = read(text)
    assert [(r.zeitraum, r.zeitart) for r in table.records] == [
        ("2018/19", "Schuljahr"),
        ("2019/20", "Schuljahr"),
        ("2020-Q1", "Quartal"),
        ("2014-01", "Monat"),
        ("2023-H2", "Halbjahr"),
    ]


def test_a_month_without_its_year_joins_the_year_of_another_dimension():
    text = """Tabelle: 13211-02i
Arbeitslose (Anzahl);;;;
;;;Jahr;
;;;2014;2014
;;;Monat;
;;;Januar (31.);Februar
05913;Dortmund, krfr. Stadt;Insgesamt;40.123;39.000
© IT.NRW, Düsseldorf, 2025
"""
    records = read(text).records
    assert [(r.zeitraum, r.zeitart) for r in records] == [
        ("2014-01-31", "Stichtag"),
        ("2014-02", "Monat"),
    ]


def test_a_table_without_a_period_takes_the_one_given():
    text = DISTRICTS.replace(";;Jahr\n;;2023\n", ";;Anzahl\n").format(rows="80;Hörde;5")
    table = read(text)
    assert [(r.zeitraum, r.zeitart) for r in table.records] == [("", None)]
    assigned = assign_period(table, parse_assigned("31.12.2023"))
    assert [(r.zeitraum, r.zeitart) for r in assigned.records] == [("2023-12-31", "Stichtag")]


# -- GENESIS flat files written in the same shapes ----------------------------------------
OLD_WIDE = (
    "Statistik_Code;Statistik_Label;Zeit_Code;Zeit_Label;Zeit;1_Merkmal_Code;1_Merkmal_Label;"
    "1_Auspraegung_Code;1_Auspraegung_Label;2_Merkmal_Code;2_Merkmal_Label;2_Auspraegung_Code;"
    "2_Auspraegung_Label;BEV013__Zuzuege__Anzahl;BEV014__Fortzuege__Anzahl\n"
    "12711;Wanderungsstatistik;JAHR;Jahr;2022;KREISE;Kreise und kreisfreie Städte;5913000;"
    "Dortmund, kreisfreie Stadt;MONAT;Monate;MONAT03;März;2.345;-\n"
    "12711;Wanderungsstatistik;JAHR;Jahr;2022;KREISE;Kreise und kreisfreie Städte;05111;"
    "Düsseldorf, krfr. Stadt;MONAT;Monate;MONAT03;März;.;1.234\n"
)


def test_old_wide_flat_file_with_german_headers_and_a_month_dimension():
    table = read(OLD_WIDE, name="12711-0004_flat.csv", encoding="latin-1")
    assert table.layout == "GENESIS-Flatfile 12711-0004 (Destatis)"
    assert table.columns == ["Zuzuege (Anzahl)", "Fortzuege (Anzahl)"]
    [arrivals, departures] = dortmund(table)
    assert (arrivals.schluessel, arrivals.zeitraum, arrivals.zeitart) == (
        "05913000",
        "2022-03",
        "Monat",
    )
    assert (arrivals.wert, departures.wert, departures.zeichen) == (2345.0, 0.0, "-")
    assert arrivals.merkmale == {}
    [(line, why)] = table.skipped
    assert line == 3
    assert why == "Düsseldorf, krfr. Stadt, Zuzuege (Anzahl): „.“ " + MISSING["."]


def test_long_flat_file_with_quality_flags_and_no_table_code_in_the_name():
    text = (
        "\ufeffstatistics_code;statistics_label;time_code;time_label;time;1_variable_code;"
        "1_variable_label;1_variable_attribute_code;1_variable_attribute_label;value;value_unit;"
        "value_variable_code;value_variable_label;value_q\n"
        "1000A;Bevölkerung kompakt;STAG;Stichtag;2022-05-15;GEOGM4;Gemeinden;059130000000;"
        "Dortmund, Stadt;586852;Anzahl;PRS018;Personen;e\n"
        "1000A;Bevölkerung kompakt;STAG;Stichtag;2022-05-15;GEOGM4;Gemeinden;059130000000;"
        "Dortmund, Stadt;280,71;qkm;FLC001;Fläche;p\n"
    )
    table = read(text, name="download.csv", encoding="utf-8")
    assert table.layout == "GENESIS-Flatfile, Statistik 1000A"
    assert [(r.spalte, r.wert, r.zeichen) for r in dortmund(table)] == [
        ("Personen (Anzahl)", 586852.0, None),
        ("Fläche (qkm)", 280.71, "p"),
    ]


def test_a_flat_file_row_with_the_wrong_number_of_fields_names_its_line():
    broken = OLD_WIDE + "12711;Wanderungsstatistik;JAHR\n"
    with pytest.raises(SourceError) as caught:
        read(broken, name="f.csv")
    assert (caught.value.file, caught.value.line) == ("f.csv", 4)
    assert "3 Felder statt 15" in str(caught.value)


# -- what is not an official table ---------------------------------------------------------
@pytest.mark.parametrize(
    ("data", "says"),
    [
        (b"", "Datei ist leer"),
        (b"   \n\n", "Datei ist leer"),
        (b'{"type": "FeatureCollection", "features": []}', "GeoJSON-Datei"),
        (b'[{"jahr": 2023}]', "JSON-Datei"),
        (b"PK\x03\x04rest", "Excel-Arbeitsmappe"),
        (b"\xd0\xcf\x11\xe0rest", "Excel-97-Arbeitsmappe (.xls)"),
        (b"\xff\xfei\x00", "UTF-16"),
        (b"a;b\x00;c", "NUL-Bytes"),
        (b"indikator;bezirk;zeitraum;wert\nx;Dortmund;2023;1\n", "Format der Importvorlage"),
        (b"Name;Beschreibung\nA;B\n", "keine Spalte mit Zahlenwerten"),
        (b"Tabelle: 22811-01i\nnur Titel\n", "GENESIS-Tabelle ohne Kopf- und Datenzeilen"),
        (b"Tabelle: 22811-01i\n;;Jahr\n;;2023\n", "ohne Datenzeilen mit Zahlenwerten"),
    ],
)
def test_what_is_no_official_table_is_named(data, says):
    with pytest.raises(SourceError) as caught:
        read_source_bytes(data, "datei.csv", DATA_DIR)
    assert says in str(caught.value)
    assert str(caught.value).startswith("datei.csv:")
