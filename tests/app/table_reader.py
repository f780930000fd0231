"""Reads tables of text back from their HTML (``ui.table_markup``) as data frames of
strings, the form ``st.dataframe`` gave the tests when the tables were drawn with it."""

from __future__ import annotations

from html.parser import HTMLParser

import pandas as pd


class _TableParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[tuple[list[str], list[list[str]]]] = []
        self.cell: list[str] | None = None  # text of the open cell
        self.in_head = False  # in <thead>: header cells are the columns' names

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag == "table":
            self.tables.append(([], []))
        elif tag == "thead":
            self.in_head = True
        elif tag == "tr" and self.tables:
            self.tables[-1][1].append([])
        elif tag in ("th", "td"):
            self.cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "thead":
            self.in_head = False
        if tag not in ("th", "td") or self.cell is None:
            return
        head, rows = self.tables[-1]
        (head if self.in_head else rows[-1]).append("".join(self.cell))  # a row's th: its cell
        self.cell = None

    def handle_data(self, data: str) -> None:
        if self.cell is not None:
            self.cell.append(data)


def read_tables(html: str) -> list[pd.DataFrame]:
    """Every table in ``html``, its header cells as columns, its rows' cells as text."""
    parser = _TableParser()
    parser.feed(html)
    out = []
    for head, rows in parser.tables:
        body = [r for r in rows if r]  # the header's row holds no data cells
        out.append(pd.DataFrame(body, columns=head))
    return out
