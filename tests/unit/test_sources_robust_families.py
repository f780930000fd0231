"""Damaged files of the families read since wide tables, Opendatasoft exports, the
Breitbandatlas and Excel workbooks: always a ``Table`` or a ``SourceError`` naming the
file and a line, never a traceback."""

from __future__ import annotations

import io
import json
from pathlib import Path

import openpyxl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dortmund_kpi.ingest.sources.model import SourceError, Table
from dortmund_kpi.ingest.sources.read import read_source_bytes
from dortmund_kpi.settings import get_settings

OFFICIAL = Path(__file__).resolve().parents[1] / "fixtures" / "official"
DATA_DIR = get_settings().data_dir
REAL = [
    (OFFICIAL / name).read_bytes()
    for name in (
        "breitbandatlas_gemeinde_bezirke_privat_2021_mitte_NRW_excerpt.csv",
        "dortmund_opendata_gymnasien_seit_1990.csv",
        "koeln_haushalt_bezirke_einzeldarstellung_source.csv",
        "opendatasoft_shape_hauptwohnbevolkerung-stadtbezirke-altersstruktur-2024_one_record.csv",
        "opendatasoft_shape_sozialindikatoren-in-den-stadtbezirken-2023_one_record.csv",
    )
]
HEADERS = [
    b"Stadtbezirk;Nr;2021;2022\n",
    b'"AGS","DSL \xe2\x89\xa5 16 Mbit/s","FTTH/B \xe2\x89\xa5 1000 Mbit/s"\n',
    b"jahr;stadtbezirk_nr;stadtbezirk;quote\n",
    b"Schuljahr;Anzahl Schulen;Lehrkr\xc3\xa4fte\n",
]
CELLS = st.sampled_from(
    [
        *("", "05913000", "5913", "10", "1", "Eving", "Innenstadt", "Dortmund", "2023/24"),
        *("17,5", "43.30281", "82,3 %", "%", "-", ".", "x", "2023", "31.12.2024", '"', ";"),
        *("©", "__________", "1.2.3", "\u2265 1000 Mbit/s"),
    ]
)
SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=8), CELLS
)
JSON = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(
            st.sampled_from(["stadtbezirk", "jahr", "quote", "results", "fields", "type"]),
            inner,
            max_size=5,
        )
    ),
    max_leaves=20,
)
SETTINGS = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def check(data: bytes, name: str = "kaputt.csv") -> None:
    try:
        table = read_source_bytes(data, name, DATA_DIR)
    except SourceError as exc:
        assert exc.file == name
        assert 1 <= exc.line <= max(len(data.splitlines()), 1) + 1
        assert str(exc).startswith(f"{name}:")
        return
    assert isinstance(table, Table)
    for record in table.records:
        assert record.line >= 1
        assert record.wert is not None or record.zeichen is not None


@SETTINGS
@given(st.data())
def test_real_files_cut_and_damaged(data):
    original = data.draw(st.sampled_from(REAL))
    cut = data.draw(st.integers(0, len(original)))
    start = data.draw(st.integers(0, cut))
    check(original[:start] + data.draw(st.binary(max_size=40)) + original[cut:])


@SETTINGS
@given(st.sampled_from(HEADERS), st.lists(st.lists(CELLS, max_size=6), max_size=10))
def test_wide_tables_of_random_cells(header, rows):
    check(header + "\n".join(";".join(row) for row in rows).encode("utf-8"))


@SETTINGS
@given(JSON)
def test_json_of_any_shape(content):
    check(json.dumps(content, indent=1).encode("utf-8"), "export.json")


def _workbook(rows: list[list[object]], percent: bool) -> bytes:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    if percent:
        for row in book.active.iter_rows():
            for cell in row:
                cell.number_format = "0.0%"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


WORKBOOK_CELLS = st.one_of(CELLS, st.integers(-10, 3000), st.floats(allow_nan=False, width=32))


@SETTINGS
@given(st.lists(st.lists(WORKBOOK_CELLS, max_size=5), max_size=8), st.booleans())
def test_workbooks_of_random_cells(rows, percent):
    check(_workbook(rows, percent), "mappe.xlsx")


BOOK = _workbook([["Titel"], [], ["Stadtbezirk", 2023], ["Eving", 0.5]], True)


@SETTINGS
@given(st.data())
def test_workbooks_cut_and_damaged(data):
    cut = data.draw(st.integers(0, len(BOOK)))
    start = data.draw(st.integers(0, cut))
    check(BOOK[:start] + data.draw(st.binary(max_size=40)) + BOOK[cut:], "mappe.xlsx")


def _xls() -> bytes | None:
    try:
        import xlwt
    except ImportError:  # pragma: no cover - xlwt is a test dependency
        return None
    book = xlwt.Workbook()
    sheet = book.add_sheet("Tabelle")
    for r, row in enumerate([["Titel"], [], ["Stadtbezirk", "2023"], ["Eving", 0.5]]):
        for c, value in enumerate(row):
            sheet.write(r, c, value, xlwt.easyxf(num_format_str="0.0%"))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


XLS = _xls()


@SETTINGS
@given(st.data())
def test_excel_97_workbooks_cut_and_damaged(data):
    if XLS is None:  # pragma: no cover
        return
    cut = data.draw(st.integers(0, len(XLS)))
    start = data.draw(st.integers(0, cut))
    check(XLS[:start] + data.draw(st.binary(max_size=40)) + XLS[cut:], "mappe.xls")
