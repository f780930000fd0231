"""A page's figure drawn as a picture of its own size: an exported PNG or SVG, a slide.

A figure is laid out for its box on the page. Two things of that layout look wrong in
a picture of another size, and are fitted to it here (on a copy):

- A map's zoom fits the districts (or regions) into the page's chart, a fixed number of
  pixels: in a larger picture the map stayed that small, in a wide empty frame. Here it
  is zoomed to fill the picture's plot area (``geometry.map_view``, as for the page).
- The title is wrapped for the narrowest box the figure is drawn in (a phone), the footer
  (source, Stand, notes) for the figure's box on the page: in a wide picture the title
  took two or three short lines and a map's footer ran as a thin column of three or four.
  Here their lines are as wide as the picture, and the space above and below the plot
  shrinks with them. The title's and legend's places are computed for the picture's
  height.

Everything else (legend, values, origin marking) is the page's figure as it is.
"""

from __future__ import annotations

import plotly.graph_objects as go

from dortmund_kpi import geometry
from dortmund_kpi.views import chart_frame

FOOTER_PX_PER_CHAR = 6.5  # the footer's 10 px text, on average per character
BADGE_PX = 120  # the "Demodaten" badge at the footer's right end
COLORBAR_PX = 110  # a map's colour scale, right of its plot area
SIDES_PX = 20  # the figure's margins left and right of its title


def fitted(fig: go.Figure, width: int, height: int) -> go.Figure:
    """A copy of ``fig`` fitted to a picture of ``width`` x ``height`` px."""
    out = go.Figure(fig)
    chars = int(chart_frame.TITLE_CHARS * (width - SIDES_PX) / chart_frame.TITLE_CHARS_PX)
    chart_frame.rewrap_title(
        out, chars, out.layout.title.font.size or chart_frame.TITLE_SIZE, height
    )
    _footer_fitted(out, width)
    _map_fitted(out, width, height)
    return out


def _footer_fitted(fig: go.Figure, width: int) -> None:
    footer, before = chart_frame.footer_note(fig), fig.layout.margin.b
    if footer is None or before is None:
        return
    chars = max(40, int((width - BADGE_PX) / FOOTER_PX_PER_CHAR))
    text = chart_frame.footer_lines(footer.text.replace("<br>", " "), chars)
    bottom = chart_frame.footer_margin(text.count("<br>") + 1)
    for note in [footer, *chart_frame.badges(fig)]:  # they hang below the plot by the margin
        note.yshift = chart_frame.footer_shift(bottom)
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
