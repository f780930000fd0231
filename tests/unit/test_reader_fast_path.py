"""The fast CSV path (pyarrow) reads exactly what the csv module's row-by-row path reads,
and leaves every file it cannot read exactly to that path."""

from __future__ import annotations

import pandas as pd
import pytest

from dortmund_kpi.ingest import layouts, readers

HEADER = "indikator;bezirk;zeitraum;wert;quelle"
ROWS = [
    "anteil_eakte;Dortmund;2024;55,5;Amt",
    "anteil_eakte; Hörde ;2023; 1.234,5 ;  ",
    ";;;;",  # blank: skipped, line numbers go on
    "  ;\t; ; ;",  # blank with whitespace
    "anteil_eakte;Eving;Q1 2024;-;x",
    "\x1c;;;;",  # blank for Python's str.strip (a separator control character)
]


def _both(text: str) -> tuple[object, object]:
    data = text.encode("utf-8")
    fast = readers.read_csv_bytes(data, "f.csv")
    original = readers._read_rows_fast
    try:
        readers._read_rows_fast = lambda *args: None
        slow = readers.read_csv_bytes(data, "f.csv")
    finally:
        readers._read_rows_fast = original
    return fast, slow


@pytest.mark.parametrize(
    "text",
    [
        "\n".join([HEADER, *ROWS]) + "\n",
        "\r\n".join([HEADER, *ROWS]) + "\r\n",
        "\n".join([HEADER, *ROWS]) + "\n\n\n",  # empty lines at the end
        "\n".join([HEADER, *ROWS]),  # no final line break
        "\n".join(
            [HEADER.replace(";", "\t"), *(r.replace("\t", " ").replace(";", "\t") for r in ROWS)]
        ),
        "indikator;wert;bezirk;zeitraum\nanteil_eakte;3;Dortmund;2024\n",  # other order
    ],
)
def test_fast_path_reads_what_the_csv_path_reads(text: str) -> None:
    fast, slow = _both(text)
    assert isinstance(fast, readers.RawTable) and fast.cells is not None
    assert isinstance(slow, readers.RawTable) and slow.cells is None
    pd.testing.assert_frame_equal(fast.frame(), slow.frame())
    assert fast.lines == slow.lines


@pytest.mark.parametrize(
    "text",
    [
        HEADER + '\n"anteil_eakte";Dortmund;2024;1;x\n',  # quotes
        HEADER + "\nanteil_eakte;Dortmund;2024;1;x;;\n",  # more fields (blank)
        HEADER + "\nanteil_eakte;Dortmund;2024;1;x;y\n",  # more fields
        HEADER + "\nanteil_eakte;Dortmund;2024\n",  # fewer fields
        HEADER + "\n\nanteil_eakte;Dortmund;2024;1;x\n",  # empty line
        HEADER + "\nanteil_eakte;Dortmund;2024;1;x\n\nanteil_eakte;Eving;2024;2;x\n",
        HEADER + "\n\ufeffanteil_eakte;Dortmund;2024;1;x\n",  # a BOM starting the rows (kept)
        HEADER + "\r\nanteil_eakte;Dortmund;2024;1;x\r\n\r\nanteil_eakte;Eving;2024;2;x\r\n",
        HEADER + "\nanteil_eakte;Dortmund;2024;1;x\r",  # a lone CR
        HEADER + "\n",  # no rows
    ],
)
def test_other_files_take_the_csv_path(text: str) -> None:
    fast, slow = _both(text)
    if isinstance(fast, readers.RawTable):
        assert fast.cells is None
        pd.testing.assert_frame_equal(fast.frame(), slow.frame())
    else:
        assert fast == slow


@pytest.mark.parametrize(
    "data",
    [b"\n\x92y3(\xa5\xbe.\x1c+", b"\nindikator;bezirk;zeitraum;wert\n", b"\r\nx;y\r\n"],
)
def test_empty_first_line_is_an_empty_header(data: bytes) -> None:
    """Found by the hostile-file property test: an empty first line reads as a header
    without columns (as the csv module reads it in the whole text), never a crash."""
    result = readers.read_csv_bytes(data, "f.csv")
    assert isinstance(result, list)
    assert [str(issue) for issue in result] == [
        f"f.csv:1: kopfzeile: Spalte 'indikator' fehlt (erwartet {layouts.HEADER_HINT})"
    ]
