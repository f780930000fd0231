"""Tables of text as HTML: the district page's profiles and its comparison, the
indicator page's data table, the comparison page's values of the group.

Their cells are text already (numbers, units and origins written in German by
``views.tables``). ``st.dataframe`` draws every table on a canvas with its own grid
component; as HTML the district page loads about a twelfth sooner, the indicator and
the comparison page about a tenth (issue 17, ``benchmarks.ab``, M data). The table
keeps its header cells for screen readers, its first columns as the rows' headers, and
aligns a column of numbers on the right. A long one scrolls in a box under a header
that stays; on a phone a wide one scrolls sideways inside its box, which takes the
keyboard focus for that (WCAG 2.1.1). The longest go to Streamlit's grid
(``TEXT_ROWS``, ``ui.widgets.data_table``), which makes only the rows in view.

Streamlit-free: tested in ``tests/unit/test_table_markup.py``.
"""

from __future__ import annotations

import re
from html import escape

import pandas as pd

TABLE_CLASS = "dkpi-table"
TALL_CLASS = "dkpi-tall"  # more rows than a screen shows: the box scrolls, the header stays
TALL_ROWS = 20
# At most this many rows as text (the indicator page's series of two areas over eight
# years by month is 192); a longer table goes to Streamlit's grid (``ui.widgets``).
TEXT_ROWS = 250
NUMBER_CLASS = "num"  # a column of numbers, right-aligned so that their digits line up
# A number as ``formatting.number`` writes it (1.234,5; −3; "–" for none), nothing else.
_NUMBER = re.compile(r"[-−+±]?\d{1,3}(\.\d{3})*(,\d+)?|–|")


def _text(value: object) -> str:
    return "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)


def _cell(tag: str, value: object, extra: str = "") -> str:
    return f"<{tag}{extra}>{escape(_text(value), quote=False)}</{tag}>"


def table_html(frame: pd.DataFrame, label: str, row_headers: int = 1) -> str:
    """``frame`` as a table named ``label`` (its region's accessible name); its first
    ``row_headers`` columns name the rows (the indicator; in the comparison, which has a
    row per indicator and period, the period too)."""
    numbers = _number_columns(frame, row_headers)
    num = f' class="{NUMBER_CLASS}"'
    head = "".join(
        _cell("th", column, (num if i in numbers else "") + ' scope="col"')
        for i, column in enumerate(frame.columns)
    )
    # The first cells name their row: a screen reader reads them out with every value of
    # the row, as it reads the column's header.
    rows = "".join(
        "<tr>"
        + "".join(
            _cell("th", value, ' scope="row"')
            if i < row_headers
            else _cell("td", value, num if i in numbers else "")
            for i, value in enumerate(row)
        )
        + "</tr>"
        for row in frame.itertuples(index=False, name=None)
    )
    classes = f"{TABLE_CLASS} {TALL_CLASS}" if len(frame) > TALL_ROWS else TABLE_CLASS
    return (
        f'<div class="{classes}" role="region" aria-label="{escape(label)}" tabindex="0">'
        f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table></div>"
    )


def _number_columns(frame: pd.DataFrame, row_headers: int) -> set[int]:
    """Positions of the value columns whose cells are all numbers written in German
    (or empty, or "–"), at least one of them a number."""
    found = set()
    for i, column in enumerate(frame.columns[row_headers:], start=row_headers):
        cells = [_text(value) for value in frame[column]]
        if all(_NUMBER.fullmatch(c) for c in cells) and any(c[-1:].isdigit() for c in cells):
            found.add(i)
    return found
