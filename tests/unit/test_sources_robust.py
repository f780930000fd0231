"""Malformed tables of each family get a clear message (``SourceError`` with file and line),
never a traceback: hypothesis breaks real and written tables in every way it finds."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dortmund_kpi.ingest.sources.model import SourceError, Table
from dortmund_kpi.ingest.sources.read import read_source_bytes
from dortmund_kpi.settings import get_settings

OFFICIAL = Path(__file__).resolve().parents[1] / "fixtures" / "official"
DATA_DIR = get_settings().data_dir
TABLE = (OFFICIAL / "itnrw_22811-01i_mindestsicherungsquote_2023.csv").read_bytes()
FLAT = (OFFICIAL / "regionalstatistik_12411-01-01-4_ffcsv.csv").read_bytes()
TABLE_HEAD = b"Tabelle: 22811-01i\nTitel;;\nWert (Prozent);;\n;;Jahr\n;;2023\n"
FLAT_HEAD = FLAT.split(b"\n", 1)[0] + b"\n"
CELLS = st.sampled_from(
    [
        *("", "05913", "5913", "Dortmund, krfr. Stadt", "17,5", "-", ".", "x", "/", "...", "(1)"),
        *("2023", "31.12.2024", "Jahr", "Insgesamt", "__________", "© IT.NRW", '"', ";", "1.2.3"),
    ]
)
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def check(data: bytes) -> None:
    """Reading gives a table or a SourceError naming the file and a line of it."""
    try:
        table = read_source_bytes(data, "kaputt.csv", DATA_DIR)
    except SourceError as exc:
        assert exc.file == "kaputt.csv"
        assert 1 <= exc.line <= len(data.splitlines()) + 1  # csv ends lines at \r too
        assert str(exc).startswith("kaputt.csv:")
        return
    assert isinstance(table, Table)
    for record in table.records:
        assert record.line >= 1
        assert record.wert is not None or record.zeichen is not None


def _rows(draw_rows: list[list[str]]) -> bytes:
    return "\n".join(";".join(row) for row in draw_rows).encode("latin-1", "replace")


@SETTINGS
@given(st.data())
def test_real_files_cut_and_damaged(data):
    original = data.draw(st.sampled_from([TABLE, FLAT]))
    cut = data.draw(st.integers(0, len(original)))
    start = data.draw(st.integers(0, cut))
    noise = data.draw(st.binary(max_size=40))
    check(original[:start] + noise + original[cut:])


@SETTINGS
@given(st.data())
def test_real_files_with_lines_dropped_or_repeated(data):
    lines = data.draw(st.sampled_from([TABLE, FLAT])).split(b"\n")
    picked = data.draw(st.lists(st.integers(0, len(lines) - 1), max_size=60))
    check(b"\n".join(lines[i] for i in picked))


@SETTINGS
@given(st.lists(st.lists(CELLS, max_size=6), max_size=12))
def test_genesis_tables_of_random_cells(rows):
    check(TABLE_HEAD + _rows(rows))


@SETTINGS
@given(st.lists(st.lists(CELLS, max_size=20), max_size=8))
def test_flat_files_of_random_rows(rows):
    check(FLAT_HEAD + _rows(rows))


@SETTINGS
@given(st.binary(max_size=300))
def test_any_bytes(data):
    check(data)
