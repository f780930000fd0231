"""A page's figure drawn as a picture of its own size: an exported PNG or SVG, a slide.

A figure is laid out for its box on the page. Two things of that layout look wrong in
a picture of another size, and are fitted to it here (on a copy):

- A map's zoom fits the districts (or regions) into the page's chart, a fixed number of
  pixels: in a larger picture the map stayed that small, in a wide empty frame. Here it
  is zoomed to fill the picture's plot area (``geometry.map_view``, as for the page).
- The footer (source, Stand, notes) is wrapped for the page's column, on a map as narrow
  as a phone: in a wide picture it ran as a thin column of three or four lines. Here its
  lines are as wide as the picture, and the space below the plot shrinks with them.

Everything else (title, legend, values, origin marking) is the page's figure as it is.
"""

from __future__ import annotations

import plotly.graph_objects as go

from dortmund_kpi import geometry, texts
from dortmund_kpi.views import charts

FOOTER_PX_PER_CHAR = 6.5  # the footer's 10 px text, on average per character
BADGE_PX = 120  # the "Demodaten" badge at the footer's right end
COLORBAR_PX = 110  # a map's colour scale, right of its plot area


def fitted(fig: go.Figure, width: int, height: int) -> go.Figure:
    """A copy of ``fig`` fitted to a picture of ``width`` x ``height`` px."""
    out = go.Figure(fig)
    _footer_fitted(out, width)
    _map_fitted(out, width, height)
    return out


def _footer_fitted(fig: go.Figure, width: int) -> None:
    notes = fig.layout.annotations
    footer = next((a for a in notes if (a.text or "").startswith(f"{texts.SOURCE}:")), None)
    before = fig.layout.margin.b
    if footer is None or before is None:
        return
    chars = max(40, int((width - BADGE_PX) / FOOTER_PX_PER_CHAR))
    text = charts.footer_lines(footer.text.replace("<br>", " "), chars)
    bottom = charts.footer_margin(text.count("<br>") + 1)
    for note in notes:  # the footer and the badge hang below the plot by the margin
        if note.yref == "paper" and note.y == 0 and note.yshift == charts.footer_shift(before):
            note.yshift = charts.footer_shift(bottom)
    footer.text = text
    fig.update_layout(margin={"b": bottom})


def _map_fitted(fig: go.Figure, width: int, height: int) -> None:
    areas = [t for t in fig.data if t.type == "choroplethmap" and t.geojson]
    if not areas or fig.layout.map.zoom is None:
        return
    margin = fig.layout.margin
    plot_width = width - (margin.l or 0) - (margin.r or 0) - COLORBAR_PX
    plot_height = height - (margin.t or 0) - (margin.b or 0)
    if plot_width <= 0 or plot_height <= 0:
        return
    centre, zoom = geometry.map_view(areas[0].geojson, plot_width, plot_height)
    fig.update_layout(map={"center": centre, "zoom": zoom})
