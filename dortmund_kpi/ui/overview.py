"""The overview's KPI tiles and the masterplan x district matrix."""

from __future__ import annotations

import html

import pandas as pd
import streamlit as st

from dortmund_kpi import texts
from dortmund_kpi.ui import data, url, widgets
from dortmund_kpi.views.overview import Tile, matrix_link, overview_selection

TILE_WIDTH = 225  # px: four tiles side by side on a 1440 px screen, more on a wider one
MATRIX_ROWS = 16  # the matrix shows this many districts, then scrolls
# Where a tile has no sparkline (fewer than two values), the same height stays empty.
SPARK_SPACE = '<div style="height:48px"></div>'


def render_tile(tile: Tile, show_area: bool = False) -> None:
    """A KPI tile's content: value, change (arrow, text and colour), sparkline, target status."""
    arrow = "off" if tile.rising is None else ("up" if tile.rising else "down")
    change = texts.CHANGE_STYLE[tile.change_word]
    description = f"{tile.versus}, {change.label}" if tile.change else None
    st.metric(
        f"**{tile.title}**",
        tile.value,
        delta=tile.change or None,
        delta_color=change.color,
        delta_arrow=arrow,
        delta_description=description,
        help=f"{tile.name}\n\n{tile.explanation}" if tile.explanation else tile.name,
    )
    demo = f" · :orange-badge[{texts.DEMO_BADGE}]" if tile.demo else ""
    unit = f"{tile.unit} · " if tile.unit else ""
    if tile.target == texts.NO_TARGET:
        target = widgets.status_badge(None)
    else:
        badge = (
            widgets.status_badge(tile.status) if tile.status else f":gray-badge[{texts.NO_RATING}]"
        )
        target = f"{badge} {tile.target}"
    area = f"{tile.area or texts.TILE_CITY} · " if show_area else ""
    # One caption under the sparkline instead of three elements: every element costs each
    # run time (the overview draws 48 tiles). The sparkline is our own SVG
    # (views.sparkline, drawn with the cached page data); the text is escaped, as HTML is
    # let through for the SVG. A change between values of different origin says so.
    note = f" · {tile.origin_note}" if tile.origin_note else ""
    text = html.escape(f"{area}{unit}{tile.period}{demo}{note}  \n{target}", quote=False)
    st.caption(f"{tile.sparkline_markup or SPARK_SPACE}\n\n{text}", unsafe_allow_html=True)
    widgets.page_link("indikator", f"{texts.OPEN_INDICATOR} →", {"indikator": tile.indicator_id})


def render_tiles(tiles: list[Tile], show_area: bool = False) -> None:
    """Tiles side by side in one wrapping row (one block instead of a row of columns per
    four tiles: fewer elements, and narrow screens get fewer tiles per line)."""
    with st.container(horizontal=True, gap="small"):
        for tile in tiles:
            with st.container(border=True, width=TILE_WIDTH):
                render_tile(tile, show_area)


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
