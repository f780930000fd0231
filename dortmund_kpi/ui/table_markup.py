"""Small tables of text as HTML: the district page's profiles and its comparison.

Their cells are text already (numbers, units and origins written in German by
``views.tables``), a few rows each, so sorting and scrolling a grid give a person
nothing. ``st.dataframe`` draws every table on a canvas with its own grid component;
as HTML the district page loads about a twelfth sooner (issue 17, ``benchmarks.ab``,
M data). The table keeps its header cells for screen readers, its first column as the
rows' headers; on a phone it scrolls
sideways inside its box, which takes the keyboard focus for that (WCAG 2.1.1).

Streamlit-free: tested in ``tests/unit/test_table_markup.py``.
"""

from __future__ import annotations

from html import escape

import pandas as pd

TABLE_CLASS = "dkpi-table"


def _cell(tag: str, value: object, extra: str = "") -> str:
    text = "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)
    return f"<{tag}{extra}>{escape(text, quote=False)}</{tag}>"


def table_html(frame: pd.DataFrame, label: str, row_headers: int = 1) -> str:
    """``frame`` as a table named ``label`` (its region's accessible name); its first
    ``row_headers`` columns name the rows (the indicator; in the comparison, which has a
    row per indicator and period, the period too)."""
    head = "".join(_cell("th", column, ' scope="col"') for column in frame.columns)
    # The first cells name their row: a screen reader reads them out with every value of
    # the row, as it reads the column's header.
    rows = "".join(
        "<tr>"
        + "".join(
            _cell("th", value, ' scope="row"') if i < row_headers else _cell("td", value)
            for i, value in enumerate(row)
        )
        + "</tr>"
        for row in frame.itertuples(index=False, name=None)
    )
    return (
        f'<div class="{TABLE_CLASS}" role="region" aria-label="{escape(label)}" tabindex="0">'
        f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table></div>"
    )
