"""Small tables of text as HTML (``ui.table_markup``)."""

from __future__ import annotations

import ast
from pathlib import Path

import pandas as pd

from dortmund_kpi.ui import table_markup
from tests.app.table_reader import read_tables


def test_a_table_is_its_frame_with_header_cells_and_escaped_text() -> None:
    frame = pd.DataFrame({"Kennzahl": ["Glasfaser <FTTH>", "WLAN & Co"], "Wert": ["12,5 %", None]})
    html = table_markup.table_html(frame, 'Masterplan "Wirtschaft"')
    assert html.startswith(
        f'<div class="{table_markup.TABLE_CLASS}" role="region" '
        'aria-label="Masterplan &quot;Wirtschaft&quot;" tabindex="0"><table>'
    )
    assert '<th scope="col">Kennzahl</th><th scope="col">Wert</th>' in html
    # The first column names the rows (headers of their rows for a screen reader).
    assert '<tr><th scope="row">Glasfaser &lt;FTTH&gt;</th><td>12,5 %</td></tr>' in html
    assert '<th scope="row">WLAN &amp; Co</th>' in html
    assert "<td></td>" in html  # no value: an empty cell, not "None"
    (read,) = read_tables(html)
    pd.testing.assert_frame_equal(read, frame.fillna(""))


def test_an_empty_frame_is_a_header_row() -> None:
    (read,) = read_tables(table_markup.table_html(pd.DataFrame(columns=["A", "B"]), "leer"))
    assert list(read.columns) == ["A", "B"] and read.empty


def test_the_table_module_is_streamlit_free() -> None:
    tree = ast.parse(Path(table_markup.__file__).read_text(encoding="utf-8"))
    imported = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    imported |= {n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
    assert not any(name.split(".")[0] == "streamlit" for name in imported)


def test_the_comparison_names_its_rows_by_indicator_and_period() -> None:
    frame = pd.DataFrame(
        {"Indikator": ["A", "A"], "Zeitraum": ["2025", "Q4 2025"], "Hörde": ["1", "2"]}
    )
    html = table_markup.table_html(frame, "Vergleich", row_headers=2)
    row = '<tr><th scope="row">A</th><th scope="row">Q4 2025</th><td class="num">2</td></tr>'
    assert row in html  # a column of numbers, right-aligned
    (read,) = read_tables(html)
    pd.testing.assert_frame_equal(read, frame)


def test_columns_of_numbers_are_right_aligned_and_nothing_else() -> None:
    frame = pd.DataFrame(
        {
            "Gebiet": ["Dortmund", "Hörde", "Eving"],
            "Zeitraum": ["2023", "2024", "2025"],  # digits, but a row header
            "Wert": ["1.234,5", "−3", None],  # German numbers; a missing one
            "Rang": ["–", "12", "3"],
            "Anteil": ["12,5 %", "3 %", "4 %"],  # with a unit: text
            "Stand": ["07.12.2026", "1.234", "5"],  # a date among them: text
            "Fehlt": ["–", "–", "–"],  # no number at all
        }
    )
    html = table_markup.table_html(frame, "Tabelle", row_headers=2)
    assert '<th class="num" scope="col">Wert</th>' in html
    assert '<th class="num" scope="col">Rang</th>' in html
    assert '<td class="num">1.234,5</td><td class="num">–</td>' in html
    assert '<td class="num"></td><td class="num">3</td>' in html  # the missing value too
    for text in ("Gebiet", "Zeitraum", "Anteil", "Stand", "Fehlt"):
        assert f'<th scope="col">{text}</th>' in html
    assert '<th scope="row">2023</th>' in html
    (read,) = read_tables(html)
    pd.testing.assert_frame_equal(read, frame.fillna(""))


def test_a_long_table_scrolls_in_its_box() -> None:
    def rows(n: int) -> pd.DataFrame:
        return pd.DataFrame({"Zeitraum": [str(2000 + i) for i in range(n)], "Wert": ["1"] * n})

    short = table_markup.table_html(rows(table_markup.TALL_ROWS), "kurz")
    tall = table_markup.table_html(rows(table_markup.TALL_ROWS + 1), "lang")
    assert short.startswith(f'<div class="{table_markup.TABLE_CLASS}" role="region"')
    classes = f"{table_markup.TABLE_CLASS} {table_markup.TALL_CLASS}"
    assert tall.startswith(f'<div class="{classes}" role="region"')
    assert len(read_tables(tall)[0]) == table_markup.TALL_ROWS + 1
