"""The overview's KPI tiles and the masterplan x district matrix."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dortmund_kpi import texts
from dortmund_kpi.ui import data, tile_markup, url, widgets
from dortmund_kpi.views.overview import Tile, matrix_link, overview_selection

MATRIX_ROWS = 16  # the matrix shows this many districts, then scrolls


def render_tiles(tiles: list[Tile], show_area: bool = False) -> None:
    """Tiles side by side, as HTML in one element (``ui.tile_markup``: why); their links
    carry the session's filters."""
    view = url.view_params("indikator")
    shared = tile_markup.as_params({k: v for k, v in view.items() if k != "indikator"})
    widgets.html(tile_markup.tiles_html(tuple(tiles), show_area, shared))


def section_label(tiles: list[Tile]) -> str:
    """A masterplan section's label: its number of indicators and how many are on, at risk
    of, or off track (icon and word: readable collapsed, and without colour)."""
    counts = [
        f"{style.icon} {sum(t.status == state for t in tiles)} {style.label}"
        for state, style in texts.STATUS_STYLE.items()
        if any(t.status == state for t in tiles)
    ]
    return " · ".join([texts.OVERVIEW_SECTION.format(n=len(tiles)), *counts])


def render_plan_tiles(tiles: list[Tile], show_area: bool = False) -> None:
    """A masterplan's tiles on the overview (capped, see ``views.overview.overview_selection``)."""
    shown = overview_selection(tiles)
    if len(shown) < len(tiles):
        st.caption(texts.TILES_SHOWN.format(shown=len(shown), total=len(tiles)))
    render_tiles(shown, show_area)


def render_matrix(table: pd.DataFrame, plans: dict[str, str]) -> None:
    """Districts as rows, masterplans as columns, in one table (one element, however many
    districts); a click on a cell opens the masterplan page filtered to the district."""
    event = st.dataframe(
        data.table(table),
        hide_index=True,
        key="matrix",
        on_select="rerun",
        selection_mode="single-cell",
        height=min(len(table), MATRIX_ROWS) * 35 + 38,  # all rows up to MATRIX_ROWS
        column_config={
            name: st.column_config.TextColumn(width="medium") for name in plans.values()
        },
    )
    for row, column in event.selection.cells:
        params = matrix_link(table, plans, row, column)
        if params:
            url.switch_page(widgets.page("masterplan"), params)
