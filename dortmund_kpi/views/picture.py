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

- A district map names its districts on the page (``views.map_svg``, from the figure's
  ``area_names``), not in plotly's map, which hides names that collide. A picture has
  one size, so the names are written over it as annotations at the points where the map
  draws them (Web Mercator at the picture's zoom), with the colour bar kept beside the
  map inside the plot area so that the map's box, and so every point, is known.

Everything else (legend, values, origin marking) is the page's figure as it is.
"""

from __future__ import annotations

import math

import plotly.graph_objects as go

from dortmund_kpi import geometry
from dortmund_kpi.views import chart_frame, map_svg, svg_parts

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
    _map_names(out, width, height)
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


def _map_names(fig: go.Figure, width: int, height: int) -> None:
    """The districts' names at their points of the fitted map, as annotations."""
    names, zoom = map_svg.area_names(fig), fig.layout.map.zoom
    trace = next((t for t in fig.data if t.type == "choroplethmap" and t.z is not None), None)
    if not names or trace is None or zoom is None:
        return
    margin = fig.layout.margin
    plot_w = width - (margin.l or 0) - (margin.r or 0)
    plot_h = height - (margin.t or 0) - (margin.b or 0)
    if plot_w <= COLORBAR_PX or plot_h <= 0:
        return
    share = (plot_w - COLORBAR_PX) / plot_w  # the map's box: what _map_fitted zoomed for
    fig.update_layout(map_domain={"x": [0, share], "y": [0, 1]}, margin_autoexpand=False)
    trace.colorbar.update(x=1, xanchor="right")  # inside the plot area, beside the map
    world = 512 * 2**zoom  # MapLibre's tiles are 512 px wide

    def pixel(lon: float, lat: float) -> tuple[float, float]:
        north = math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))
        return (lon + 180) / 360 * world, (1 - north / math.pi) / 2 * world

    centre = pixel(fig.layout.map.center.lon, fig.layout.map.center.lat)
    west, east = (pixel(lon, 0)[0] for lon in _extent(names))
    size = max(9, round(map_svg.NAME_PX * (east - west) / map_svg.NAME_SPAN))
    for index, location in enumerate(trace.locations):
        at, name = names.get(str(location)), svg_parts.each(trace.text, index)
        if at is None or not name:
            continue
        x, y = pixel(*at)
        colour, _ = map_svg.name_colours(trace, index)
        fig.add_annotation(
            x=(plot_w * share / 2 + x - centre[0]) / plot_w,
            y=1 - (plot_h / 2 + y - centre[1]) / plot_h,
            xref="paper",
            yref="paper",
            text="<br>".join(map_svg.name_lines(str(name))),
            showarrow=False,
            font={"size": size, "color": colour, "shadow": "auto"},
        )


def _extent(names: dict[str, tuple[float, float]]) -> tuple[float, float]:
    """West and east of the name points (the names' span, as in the page's drawing)."""
    lons = [lon for lon, _ in names.values()]
    return min(lons), max(lons)
