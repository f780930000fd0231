"""``ui.widgets.data_table``: a table a person reads as text, a long one in the grid."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from dortmund_kpi.ui import table_markup
from tests.app.conftest import drawings, text_tables


def _page(rows: int) -> AppTest:
    def script(rows: int) -> None:
        import pandas as pd

        from dortmund_kpi.ui import widgets

        frame = pd.DataFrame(
            {"Gebiet": ["Hörde"] * rows, "Zeitraum": [str(i) for i in range(rows)], "Wert": 1.5}
        )
        widgets.data_table(frame, "Datentabelle", 2, lambda t: t.assign(Wert="1,5"))

    return AppTest.from_function(script, kwargs={"rows": rows}).run()


def test_a_table_of_up_to_text_rows_is_text_with_the_shown_values() -> None:
    at = _page(table_markup.TEXT_ROWS)
    assert not at.exception and len(at.dataframe) == 0
    (table,) = text_tables(at)
    assert len(table) == table_markup.TEXT_ROWS
    assert set(table["Wert"]) == {"1,5"}  # ``shown`` applied: German number text
    assert 'aria-label="Datentabelle"' in drawings(at)[0]


def test_a_longer_table_goes_to_the_grid_with_the_same_values() -> None:
    at = _page(table_markup.TEXT_ROWS + 1)
    assert not at.exception and text_tables(at) == []
    (grid,) = at.dataframe
    assert len(grid.value) == table_markup.TEXT_ROWS + 1
    assert set(grid.value["Wert"]) == {"1,5"}
