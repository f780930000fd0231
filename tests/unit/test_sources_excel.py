"""Excel workbooks of official and city tables (``ingest/sources/excel.py``): workbooks
written here with openpyxl (``.xlsx``) and xlwt (``.xls``, Excel 97) in the shapes the
offices publish: several sheets, header below row 1, merged multi-level headers,
percent-formatted cells."""

from __future__ import annotations

import io

import openpyxl
import pytest

from dortmund_kpi.ingest.sources.model import Record, SourceError, Table
from dortmund_kpi.ingest.sources.read import read_source, read_source_bytes
from dortmund_kpi.ingest.sources.text import TEMPLATE_MESSAGE
from dortmund_kpi.ops.cli import main
from dortmund_kpi.settings import get_settings

DATA_DIR = get_settings().data_dir


def xlsx(book: openpyxl.Workbook) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def one(table: Table, **where: object) -> Record:
    found = [r for r in table.records if all(getattr(r, k) == v for k, v in where.items())]
    assert len(found) == 1, found
    return found[0]


def districts_workbook() -> openpyxl.Workbook:
    """A Länder sheet first, then the Stadtbezirke: title rows, a header of two rows in
    rows 4 and 5 (years merged over sexes, label cells merged down), percent cells."""
    book = openpyxl.Workbook()
    land = book.active
    land.title = "Länder"
    land.append(["Beschäftigungsquote nach Ländern"])
    land.append([])
    land.append(["Land", "2023"])
    land.append(["Nordrhein-Westfalen", 0.61])
    land["B4"].number_format = "0.0%"
    sheet = book.create_sheet("Stadtbezirke")
    sheet["A1"] = "Beschäftigungsquote nach Stadtbezirken und Geschlecht"
    sheet["A2"] = "Stand: jeweils 30.06."
    sheet["A4"], sheet["B4"], sheet["C4"], sheet["E4"] = "Nr.", "Stadtbezirk", 2023, "2024"
    for merged in ("A4:A5", "B4:B5", "C4:D4", "E4:F4"):
        sheet.merge_cells(merged)
    for column, sex in zip("CDEF", ["männlich", "weiblich"] * 2, strict=True):
        sheet[f"{column}5"] = sex
    rows = [
        (10, "Innenstadt-West", 0.823, 0.5, 0.85, 0.551),
        (80, "Hörde", 0.7, 0.41, 0.75, None),
        (None, "Dortmund", 0.8, 0.45, 0.82, 0.5),
    ]
    for r, row in enumerate(rows, start=6):
        for c, value in enumerate(row, start=1):
            cell = sheet.cell(r, c, value)
            if c > 2:
                cell.number_format = "0.0%"
    sheet["A10"] = "© Stadt Dortmund, Dortmunder Statistik"
    return book


def test_the_sheet_of_dortmund_merged_headers_and_percent_cells():
    table = read_source_bytes(xlsx(districts_workbook()), "quote.xlsx", DATA_DIR)
    assert table.layout == "Excel-Tabelle (Stadt Dortmund), .xlsx-Blatt „Stadtbezirke“ von 2"
    assert table.source == "Stadt Dortmund"
    west = one(
        table, bezirk="innenstadt-west", zeitraum="2023", merkmale={"Spaltenmerkmal 2": "männlich"}
    )
    # the cell shows 82,3 % and holds 0.823: the value is 82.3, in a column of unit Prozent
    assert (west.wert, west.spalte, west.line, west.schluessel) == (
        82.3,
        "männlich (Prozent)",
        6,
        "10",
    )
    assert (
        one(table, bezirk="innenstadt-west", zeitraum="2024", spalte="weiblich (Prozent)").wert
        == 55.1
    )
    city = one(table, bezirk="dortmund", zeitraum="2024", spalte="weiblich (Prozent)")
    assert (city.gebiet, city.schluessel, city.wert) == ("Dortmund", None, 50)
    assert table.periods == ["2023", "2024"]
    assert all(r.wert is None or r.wert > 1 for r in table.records)  # never 0.823
    assert table.skipped == [(7, "Hörde, weiblich (Prozent): leere Zelle")]


def test_a_named_sheet_and_a_sheet_that_is_not_there():
    data = xlsx(districts_workbook())
    land = read_source_bytes(data, "quote.xlsx", DATA_DIR, blatt="länder")
    assert "Blatt „Länder“" in land.layout
    nrw = one(land, gebiet="Nordrhein-Westfalen")
    assert (nrw.wert, nrw.spalte, nrw.zeitraum) == (61, "Wert (Prozent)", "2023")
    with pytest.raises(SourceError) as caught:
        read_source_bytes(data, "quote.xlsx", DATA_DIR, blatt="Kreise")
    assert "kein Blatt „Kreise“ (Blätter: „Länder“, „Stadtbezirke“)" in str(caught.value)


def test_year_month_and_sex_in_three_merged_header_rows():
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Arbeitslose"
    sheet["A1"] = "Tabelle: 13211-02i"
    sheet["A2"] = "Arbeitslose (Anzahl)"
    sheet["C3"] = "2024"
    sheet.merge_cells("C3:F3")
    sheet["C4"], sheet["E4"] = "Januar", "Februar"
    sheet.merge_cells("C4:D4")
    sheet.merge_cells("E4:F4")
    for column, sex in zip("CDEF", ["Männer", "Frauen"] * 2, strict=True):
        sheet[f"{column}5"] = sex
    sheet.append(["05913", "Dortmund, krfr. Stadt", 20100, 15300, 20500, "-"])
    sheet.append(["05111", "Düsseldorf, krfr. Stadt", 12000, 10000, ".", 9800])
    sheet.append(["© IT.NRW, Düsseldorf, 2025"])
    table = read_source_bytes(xlsx(book), "arbeitslose.xlsx", DATA_DIR)
    assert table.layout == "GENESIS-Tabelle 13211-02i (IT.NRW), .xlsx-Blatt „Arbeitslose“"
    assert table.periods == ["2024-01", "2024-02"]
    assert table.columns == ["Arbeitslose (Anzahl)"]
    women = one(
        table, bezirk="dortmund", zeitraum="2024-02", merkmale={"Spaltenmerkmal 3": "Frauen"}
    )
    assert (women.wert, women.zeichen, women.schluessel) == (0, "-", "05913")
    men = one(table, bezirk="dortmund", zeitraum="2024-01", merkmale={"Spaltenmerkmal 3": "Männer"})
    assert men.wert == 20100
    secret = one(
        table, schluessel="05111", zeitraum="2024-02", merkmale={"Spaltenmerkmal 3": "Männer"}
    )
    assert (secret.wert, secret.zeichen) == (None, ".")


def test_one_header_row_in_row_4_is_a_wide_table(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet["A1"] = "Glasfaseranschlüsse"
    sheet.append([])
    sheet.append([])
    sheet.append(["Stadtbezirk", "Anteil 2023", "Anteil 2024", "Anschlüsse 2024"])
    sheet.append(["Eving", 0.123, 0.2, 1500])
    sheet.append(["Mengede", 0.05, 0.0625, 900])
    for row in sheet.iter_rows(min_row=5, max_col=3, min_col=2):
        for cell in row:
            cell.number_format = "0.00 %"
    path = tmp_path / "glasfaser.xlsx"
    book.save(path)
    table = read_source(path, DATA_DIR, 10**8)
    assert table.layout == "Excel-Tabelle, .xlsx-Blatt „Sheet“"
    assert table.columns == ["Anteil (Prozent)", "Anschlüsse"]
    assert one(table, bezirk="mengede", zeitraum="2024", spalte="Anteil (Prozent)").wert == 6.25
    assert one(table, bezirk="eving", zeitraum="2023", spalte="Anteil (Prozent)").wert == 12.3
    assert one(table, bezirk="eving", spalte="Anschlüsse").wert == 1500


def test_a_workbook_in_the_template_format_is_refused_as_the_csv_is():
    book = openpyxl.Workbook()
    book.active.append(["indikator", "bezirk", "zeitraum", "wert"])
    book.active.append(["glasfaser_haushalte", "Eving", "2023", 12.5])
    with pytest.raises(SourceError) as caught:
        read_source_bytes(xlsx(book), "vorlage.xlsx", DATA_DIR)
    assert caught.value.message == TEMPLATE_MESSAGE and caught.value.line == 1


@pytest.mark.parametrize(
    ("data", "says"),
    [
        (b"PK\x03\x04rest", "ist eine Excel-Arbeitsmappe (.xlsx), aber nicht lesbar"),
        (b"\xd0\xcf\x11\xe0rest", "ist eine Excel-97-Arbeitsmappe (.xls), aber nicht lesbar"),
    ],
)
def test_damaged_workbooks_are_named(data, says):
    with pytest.raises(SourceError) as caught:
        read_source_bytes(data, "mappe.xlsx", DATA_DIR)
    assert says in str(caught.value) and caught.value.line == 1


def test_a_workbook_without_a_table():
    book = openpyxl.Workbook()
    book.active["A1"] = "nur ein Titel"
    with pytest.raises(SourceError) as caught:
        read_source_bytes(xlsx(book), "leer.xlsx", DATA_DIR)
    assert "Blatt „Sheet“: keine Zeile mit Zahlenwerten" in str(caught.value)


def xls_workbook() -> bytes:
    xlwt = pytest.importorskip("xlwt")  # test-only writer of Excel 97 files
    book = xlwt.Workbook()
    notes = book.add_sheet("Hinweise")
    notes.write(0, 0, "Zeichenerklärung")
    sheet = book.add_sheet("Tabelle")
    sheet.write(0, 0, "Tabelle: 12411-02i")
    sheet.write(1, 0, "Bevölkerungsanteil (Prozent)")
    sheet.write(3, 2, "Jahr")
    sheet.write_merge(4, 4, 2, 3, "31.12.2023")
    sheet.write(5, 2, "männlich")
    sheet.write(5, 3, "weiblich")
    percent = xlwt.easyxf(num_format_str="0.0%")
    sheet.write(6, 0, "5913")
    sheet.write(6, 1, "Dortmund, kreisfreie Stadt")
    sheet.write(6, 2, 0.491, percent)
    sheet.write(6, 3, 0.509, percent)
    sheet.write(8, 0, "© IT.NRW, Düsseldorf, 2025")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_an_excel_97_workbook_with_merged_header_and_percent_cells():
    table = read_source_bytes(xls_workbook(), "bevoelkerung.xls", DATA_DIR)
    assert table.layout == "GENESIS-Tabelle 12411-02i (IT.NRW), .xls-Blatt „Tabelle“ von 2"
    women = one(
        table,
        bezirk="dortmund",
        spalte="Bevölkerungsanteil (Prozent)",
        merkmale={"Spaltenmerkmal 2": "weiblich"},
    )
    assert (women.wert, women.schluessel, women.zeitraum, women.line) == (
        50.9,
        "05913",
        "2023-12-31",
        7,
    )


def test_inspect_shows_the_sheet_and_the_percent_values(tmp_path, capsys):
    path = tmp_path / "quote.xlsx"
    districts_workbook().save(path)
    assert main(["inspect", str(path)]) == 0
    out = capsys.readouterr().out
    assert "Layout:      Excel-Tabelle (Stadt Dortmund), .xlsx-Blatt „Stadtbezirke“ von 2" in out
    assert "| Innenstadt-West | 10 | 2023 | 82,3 | männlich (Prozent)" in out
